"""Fixtures for the sync tests: real Radicale/Xandikos servers on 127.0.0.1, one per test.

The suite's no-network guard (tests/conftest.py) is narrowed here, not lifted: connections and name
look-ups to the loopback address still work, anything else still fails the test.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from netjournal.core.paths import DataDir
from tests.conftest import NetworkAccessError
from tests.sync.servers import Server, radicale, xandikos
from tests.sync.webcal import Routes, serve

if TYPE_CHECKING:
    from netjournal.app import NetjournalApp
    from netjournal.core.db import Journal

LOCAL_NAMES = {"127.0.0.1", "localhost", "::1"}


def _is_local(host: object) -> bool:
    if isinstance(host, bytes):
        host = host.decode()
    if not isinstance(host, str):
        return False
    if host in LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Loopback only. Returns the list of addresses connected to, for tests of the network rule."""
    import socket

    seen: list[object] = []
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex
    real_getaddrinfo, real_create = socket.getaddrinfo, socket.create_connection

    def guard(real):  # type: ignore[no-untyped-def]
        def connect(self, address):  # type: ignore[no-untyped-def]
            if self.family == getattr(socket, "AF_UNIX", None):
                return real(self, address)
            if not _is_local(address[0]):
                raise NetworkAccessError(f"netjournal tried to open a network connection to {address!r}")
            seen.append(address)
            return real(self, address)

        return connect

    def getaddrinfo(host, *args, **kwargs):  # type: ignore[no-untyped-def]
        if not _is_local(host):
            raise NetworkAccessError(f"netjournal tried to look up a network address {host!r}")
        return real_getaddrinfo(host, *args, **kwargs)

    def create_connection(address, *args, **kwargs):  # type: ignore[no-untyped-def]
        if not _is_local(address[0]):
            raise NetworkAccessError(f"netjournal tried to open a network connection to {address!r}")
        return real_create(address, *args, **kwargs)

    def no_lookup(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise NetworkAccessError(f"netjournal tried to look up a network address {args[:2]!r}")

    monkeypatch.setattr(socket.socket, "connect", guard(real_connect))
    monkeypatch.setattr(socket.socket, "connect_ex", guard(real_connect_ex))
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket, "gethostbyname", no_lookup)
    monkeypatch.setattr(socket, "create_connection", create_connection)
    return seen


Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], data_dir: DataDir) -> Run:
    """`netjournal --data-dir JOURNAL ARGS...` in process (the network guard watches): (exit code, stdout, stderr)."""
    from netjournal.cli import main

    def run(*args: str) -> tuple[int, str, str]:
        try:
            code = main(["--data-dir", str(data_dir.root), *args])
        except SystemExit as exc:
            code = int(exc.code or 0)
        out = capsys.readouterr()
        return int(code or 0), out.out, out.err

    return run


@pytest.fixture
def app(qtbot, journal: Journal) -> Iterator[NetjournalApp]:  # type: ignore[no-untyped-def]
    """The whole app on the test's journal, for the sync UI tests (never interactive)."""
    from PySide6.QtWidgets import QApplication

    from netjournal.app import NetjournalApp

    a = NetjournalApp(QApplication.instance(), journal, interactive=False)
    qtbot.addWidget(a.window)
    yield a
    a.shutdown()


@pytest.fixture
def web() -> Iterator[tuple[str, Routes]]:
    """A web server on 127.0.0.1 serving calendar subscriptions: (its base URL, path -> reply)."""
    yield from serve()


@pytest.fixture
def connections(_no_network: list[object]) -> list[object]:
    """Every (host, port) a test connected to over the network."""
    return _no_network


def _serve(server: Server) -> Iterator[Server]:
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def radicale_server(tmp_path: Path) -> Iterator[Server]:
    yield from _serve(radicale(tmp_path / "radicale"))


@pytest.fixture
def radicale_tls_server(tmp_path: Path) -> Iterator[Server]:
    """Radicale over HTTPS with a self-signed certificate that no system trusts."""
    yield from _serve(radicale(tmp_path / "radicale-tls", tls=True))


@pytest.fixture
def xandikos_server(tmp_path: Path) -> Iterator[Server]:
    yield from _serve(xandikos(tmp_path / "xandikos"))


@pytest.fixture(params=["radicale", "xandikos"])
def dav_server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Server]:
    """Each test using it runs once against Radicale and once against Xandikos."""
    make = radicale if request.param == "radicale" else xandikos
    yield from _serve(make(tmp_path / request.param))


@pytest.fixture(autouse=True)
def _no_system_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never touch the user's keyring: passwords go to the journal (tests of the keyring use a fake)."""
    from netjournal.core import keystore

    monkeypatch.setattr(keystore, "available", lambda: False)
