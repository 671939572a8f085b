"""Fixtures of the desktop tier: a real X desktop with a tray, and the real app on it.

Skipped (with the apt-get line) where the tools are missing, except in CI (CI=true), where a missing
tool fails the tier. After a failure the screen is saved as failure-screen.png in the test's tmp dir.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.desktop.harness import APT_LINE, App, Desktop, missing_tools


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed:
        # While the app is still up (fixtures are torn down after this): what was on the screen.
        d = getattr(item, "funcargs", {}).get("desktop")
        tmp = getattr(item, "funcargs", {}).get("tmp_path")
        if isinstance(d, Desktop) and isinstance(tmp, Path):
            shot = d.screenshot(tmp / "failure-screen.png")
            if shot is not None:
                report.sections.append(("desktop", f"screen at the failure: {shot}"))


@pytest.fixture(scope="session")
def _desktop_tools() -> None:
    missing = missing_tools()
    if not missing:
        return
    message = f"desktop tier needs {', '.join(missing)}; to run it: {APT_LINE}"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI must run the desktop tier: {message}")
    pytest.skip(message)


@pytest.fixture
def desktop(_desktop_tools: None, tmp_path: Path) -> Iterator[Desktop]:
    d = Desktop(tmp_path / "x")
    try:
        d.start()
        yield d
    finally:
        d.stop()


@pytest.fixture
def start_app(desktop: Desktop, tmp_path: Path) -> Iterator[Callable[[Path], App]]:
    """Start the real app on a journal folder; every app started is stopped at teardown."""
    apps: list[App] = []

    def start(data_dir: Path) -> App:
        app = App(desktop, data_dir, tmp_path / "logs")
        apps.append(app)
        return app.start()

    try:
        yield start
    finally:
        for app in apps:
            app.stop()
