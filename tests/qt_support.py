"""Helpers for the Qt tests: waiting for the database worker, and bugs the app's crash handler caught.

The app installs its own sys.excepthook (the crash dialog), which replaces pytest-qt's: an exception in a
slot is then only in `app.crash.reports`. `watch_crash_reports` (used by tests/conftest.py for every test
that uses qtbot) fails the test on any such report, so no UI test passes over a bug in a slot.
"""

from __future__ import annotations

from typing import Any

import pytest

IDLE_TIMEOUT_MS = 10_000


def click_accept(dialog: Any) -> None:
    """Click the dialog's accepting button (Save, OK, Log…), as the user does: through the button, so
    what the button is wired to (and whether it is enabled) is part of the test."""
    from PySide6.QtWidgets import QDialogButtonBox

    for box in dialog.findChildren(QDialogButtonBox):
        for button in box.buttons():
            if box.buttonRole(button) in (
                QDialogButtonBox.ButtonRole.AcceptRole,
                QDialogButtonBox.ButtonRole.YesRole,
                QDialogButtonBox.ButtonRole.ApplyRole,
            ):
                if not button.isEnabled():
                    raise AssertionError(f"{button.text()!r} cannot be clicked: it is disabled")
                button.click()
                return
    raise AssertionError(f"{type(dialog).__name__} has no accepting button")


def on_screen(qtbot: Any, app: Any, section: str | None = None) -> None:
    """The app's window shown, exposed and active (where keys and clicks reach), with `section` in front."""
    app.window.show()
    qtbot.waitExposed(app.window)
    if section:
        app.window.show_section(section)
    app.window.activateWindow()
    qtbot.waitUntil(app.window.isActiveWindow)


def worker_idle(ops: Any) -> bool:
    """True when the database worker has no job queued or running and every result was delivered.

    This is the one place that knows how the worker tells it: today `DbWorker` counts jobs it has not
    delivered yet (and emits busy_changed when the count leaves or reaches zero).
    """
    return getattr(ops, "_pending", 0) == 0


def wait_idle(qtbot: Any, ops: Any, timeout: int = IDLE_TIMEOUT_MS) -> None:
    """Wait (processing events) until the worker is idle and its callbacks have run.

    A callback may queue more work (or post an event that does), so idle must hold on two polls in a
    row, with a round of event processing between them.
    """
    seen = [0]

    def settled() -> bool:
        seen[0] = seen[0] + 1 if worker_idle(ops) else 0
        return seen[0] >= 2

    qtbot.waitUntil(settled, timeout=timeout)


class CrashReports:
    """Collects every report a CrashHandler records while a test runs."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from netjournal.ui.crash import CrashHandler

        self.reports: list[str] = []
        original = CrashHandler.__call__

        def record(handler: CrashHandler, *exc_info: Any) -> None:
            before = len(handler.reports)
            original(handler, *exc_info)
            self.reports += handler.reports[before:]

        monkeypatch.setattr(CrashHandler, "__call__", record)


def fail_on_crash_reports(reports: CrashReports) -> None:
    if reports.reports:
        pytest.fail(
            f"the app's crash handler caught {len(reports.reports)} bug(s):\n\n" + "\n\n".join(reports.reports),
            pytrace=False,
        )


def free_shut_down_apps() -> None:
    """Delete the Qt object of every NetjournalApp that a test has shut down.

    A shut-down app's QObject outlives its test and keeps its Python side alive with it (its views,
    window, journal and engine: some 10,000 objects), even unreferenced from Python. Every later full
    collection walks them all: late in the suite a UI test's teardown (the app's collector runs a full
    collection twice) took 6-10 s instead of 0.2 s. Deleting the QObject lets Python free the rest,
    here and now: not later, when a leftover widget's timer (an autosave) could fire in the next test.
    """
    import gc

    import shiboken6
    from PySide6.QtCore import QCoreApplication, QEvent

    from netjournal.app import NetjournalApp

    apps = [o for o in gc.get_objects() if isinstance(o, NetjournalApp) and o._shut_down and shiboken6.isValid(o)]
    if not apps:
        return
    for app in apps:
        shiboken6.delete(app)
    del apps
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # the test's closed windows
    gc.collect()
