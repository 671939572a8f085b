"""Every test gets its own data directory; Qt runs offscreen; the clock is fixed."""

from __future__ import annotations

import os
import shutil

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from netjournal.core.db import Journal, open_journal
from netjournal.core.paths import DataDir

NOW = datetime(2026, 3, 16, 10, 0, tzinfo=UTC)  # a Monday
ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CORPUS = FIXTURES / "corpus"  # real files from other projects; tests/fixtures/corpus/SOURCES.md says whose


# ------------------------------------------------------------------------ tools some tests need
# On a developer machine a test whose tool or font is missing skips and says how to install it. In CI
# (CI=true) nothing may skip for that reason: .ci/run installs .ci/apt-packages.txt first, so a missing
# tool there is a broken CI setup, and the test fails instead of passing silently.


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def require(ok: object, missing: str, how: str) -> None:
    """Skip (locally) or fail (in CI) unless `ok`; `missing` says what is absent, `how` how to get it."""
    if ok:
        return
    if in_ci():
        pytest.fail(f"{missing}; CI must run this test ({how})", pytrace=False)
    pytest.skip(f"{missing} ({how})")


def require_tool(command: str, package: str) -> str:
    """The path of `command`; without it, skip locally (saying which Debian package has it) or fail in CI."""
    path = shutil.which(command)
    require(path, f"{command} is not installed", f"apt-get install {package}; .ci/apt-packages.txt lists it")
    assert path is not None
    return path


@pytest.fixture(autouse=True)
def _isolated_profile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # No test may touch a real profile: point both the env var and HOME somewhere private.
    monkeypatch.setenv("NETJOURNAL_DATA_DIR", str(tmp_path / "profile"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))


@pytest.fixture
def now() -> datetime:
    return NOW


@pytest.fixture
def data_dir(tmp_path: Path) -> DataDir:
    return DataDir(tmp_path / "journal").ensure()


@pytest.fixture
def journal(data_dir: DataDir) -> Iterator[Journal]:
    j = open_journal(data_dir)
    yield j
    j.close()


# ------------------------------------------------------------------------------------- no network
# netjournal never touches the network. While the tests run, any attempt from Python code to connect
# (or resolve a name) fails the test; local sockets (AF_UNIX, used for the single-instance check) stay
# allowed. Qt's own C++ networking is checked at process level in tests/reliability/test_privacy.py.


class NetworkAccessError(AssertionError):
    pass


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex

    def guard(real):  # type: ignore[no-untyped-def]
        def connect(self, address):  # type: ignore[no-untyped-def]
            if getattr(socket, "AF_UNIX", None) is not None and self.family == socket.AF_UNIX:
                return real(self, address)
            raise NetworkAccessError(f"netjournal tried to open a network connection to {address!r}")

        return connect

    def no_lookup(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise NetworkAccessError(f"netjournal tried to look up a network address {args[:2]!r}")

    monkeypatch.setattr(socket.socket, "connect", guard(real_connect))
    monkeypatch.setattr(socket.socket, "connect_ex", guard(real_connect_ex))
    monkeypatch.setattr(socket, "getaddrinfo", no_lookup)
    monkeypatch.setattr(socket, "gethostbyname", no_lookup)
    monkeypatch.setattr(socket, "create_connection", no_lookup)


# ------------------------------------------------------------------------------ bugs in slots fail
# The app's crash handler replaces pytest-qt's exception capture (both use sys.excepthook), so a test
# with the app running would pass over an exception in a slot. Every test that uses qtbot fails on a
# crash report instead, unless it is about the crash handler itself (marker `crash_report_expected`).


@pytest.fixture(autouse=True)
def _fail_on_crash_reports(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    if "qtbot" not in request.fixturenames or request.node.get_closest_marker("crash_report_expected"):
        yield
        return
    from tests.qt_support import CrashReports, fail_on_crash_reports

    reports = CrashReports(monkeypatch)
    yield
    fail_on_crash_reports(reports)


@pytest.fixture(autouse=True)
def _free_shut_down_apps(request: pytest.FixtureRequest) -> Iterator[None]:
    # After pytest-qt's own teardown (autouse fixtures end last): see tests/qt_support.py for why.
    yield
    if "qtbot" in request.fixturenames:
        from tests.qt_support import free_shut_down_apps

        free_shut_down_apps()
