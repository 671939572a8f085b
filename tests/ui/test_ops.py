"""The database worker: nothing that may own a Qt object is released on the database thread.

On a real desktop a quick-log save crashed the app about one time in three: a closed dialog (garbage
in a reference cycle) was freed by Python's collector on the database thread, and PySide then
deleted the widget at an arbitrary later moment on the GUI thread. These tests record on which
thread such objects die.
"""

from __future__ import annotations

import gc
import threading

import pytest
from PySide6.QtWidgets import QWidget

from netjournal.app import NetjournalApp
from netjournal.core.db import Journal

GUI_THREAD = threading.main_thread().name


class Probe:
    """Notes the thread it is freed on."""

    def __init__(self, died: list[str]) -> None:
        self.died = died

    def __del__(self) -> None:
        self.died.append(threading.current_thread().name)


def _settle(qtbot, app: NetjournalApp) -> None:
    qtbot.waitUntil(lambda: not app.ops._pending, timeout=10_000)


def test_a_closed_widget_in_a_reference_cycle_is_freed_on_the_gui_thread(qtbot, app) -> None:
    died: list[str] = []
    gc.collect()  # start from empty young generations: the widget below is the youngest garbage
    widget = QWidget()
    widget.probe = Probe(died)  # type: ignore[attr-defined]
    widget.me = widget  # type: ignore[attr-defined]  # a cycle, like a dialog whose slots point back at it
    del widget

    def busy_job(_j: Journal) -> int:
        # Like a query, the job allocates many objects: Python's collector would start right here.
        rows = [[n] for n in range(50_000)]
        return len(rows)

    app.ops.run(busy_job)
    _settle(qtbot, app)
    gc.collect()
    assert died == [GUI_THREAD]


def test_a_jobs_callbacks_and_closures_are_released_on_the_gui_thread(qtbot, app) -> None:
    died: list[str] = []
    delivered: list[object] = []

    def send() -> None:
        probe = Probe(died)  # stands for a widget the callbacks close over
        app.ops.run(lambda _j: probe is not None, on_done=lambda r: delivered.append((r, probe)))

    send()
    qtbot.waitUntil(lambda: bool(delivered), timeout=10_000)
    delivered.clear()
    app.ops.run(lambda _j: None)  # the worker moves on to the next job
    _settle(qtbot, app)
    assert died == [GUI_THREAD]


def test_an_errors_traceback_is_released_on_the_gui_thread(qtbot, app) -> None:
    died: list[str] = []
    seen: list[str] = []

    def send() -> None:
        probe = Probe(died)

        def job(_j: Journal) -> None:
            assert probe is not None
            raise LookupError("a problem the caller handles")

        app.ops.run(job, on_error=lambda exc: seen.append(type(exc).__name__))

    send()
    qtbot.waitUntil(lambda: bool(seen), timeout=10_000)
    app.ops.run(lambda _j: None)
    _settle(qtbot, app)
    gc.collect()
    assert seen == ["LookupError"] and died == [GUI_THREAD]


def test_jobs_run_in_order_on_one_database_thread_and_results_arrive_on_the_gui_thread(qtbot, app) -> None:
    ran_on: list[str] = []
    delivered_on: list[str] = []
    busy: list[bool] = []
    assert app.ops.wait_idle()  # what the sections load at start
    app.ops.busy_changed.connect(busy.append)
    for n in range(5):
        app.ops.run(
            lambda _j, n=n: ran_on.append(threading.current_thread().name) or n,
            on_done=lambda n: delivered_on.append(f"{threading.current_thread().name} {n}"),
        )
    assert app.ops.is_busy()
    assert app.ops.wait_idle()
    assert not app.ops.is_busy() and busy == [True, False]
    assert len(set(ran_on)) == 1 and ran_on[0] != GUI_THREAD
    assert delivered_on == [f"{GUI_THREAD} {n}" for n in range(5)]


@pytest.mark.crash_report_expected
def test_a_known_problem_is_a_message_over_the_caller_and_a_bug_goes_to_the_crash_dialog(
    qtbot, app, monkeypatch
) -> None:
    from netjournal.core.errors import NotFoundError
    from netjournal.ui import messages

    shown: list[tuple[QWidget | None, str]] = []
    monkeypatch.setattr(messages, "inform", lambda parent, text, title="netjournal": shown.append((parent, text)))
    page = QWidget()
    qtbot.addWidget(page)

    def missing(_j: Journal) -> None:
        raise NotFoundError("That person is no longer in the journal.")

    app.ops.run(missing, parent=page)
    app.ops.run(missing)  # no parent: over the main window
    app.ops.run(lambda _j: 1 / 0)
    assert app.ops.wait_idle()
    assert shown == [(page, "That person is no longer in the journal."), (app.window, shown[1][1])]
    assert len(app.crash.reports) == 1 and "ZeroDivisionError" in app.crash.reports[0]

    handled: list[str] = []
    app.ops.run(missing, on_error=lambda exc: handled.append(str(exc)), parent=page)  # the caller's own way
    assert app.ops.wait_idle()
    assert handled == ["That person is no longer in the journal."] and len(shown) == 2


def test_a_result_for_a_widget_deleted_meanwhile_is_dropped(qtbot, app) -> None:
    from PySide6.QtWidgets import QLabel
    from shiboken6 import Shiboken

    label = QLabel()
    app.ops.run(lambda _j: "late", lambda text: label.setText(text), parent=label)
    Shiboken.delete(label)  # e.g. a dialog closed before its data came
    app.ops.wait_idle()  # neither a crash nor "Internal C++ object already deleted"
    assert not app.crash.reports


def test_a_problem_found_by_the_daily_check_is_told_from_the_gui_thread(qtbot, app, monkeypatch) -> None:
    from PySide6.QtCore import Qt

    from netjournal.core import db
    from netjournal.core.errors import CorruptDatabaseError

    def damaged(database, backups, key=None) -> None:
        raise CorruptDatabaseError("The journal file is damaged.", database)

    monkeypatch.setattr(db, "verify_integrity", damaged)
    told: list[tuple[str, str]] = []
    # A direct connection runs where the signal is emitted: it must be the GUI thread.
    app.maintenance_problem.connect(
        lambda text: told.append((threading.current_thread().name, text)), Qt.ConnectionType.DirectConnection
    )
    app.start_maintenance()
    qtbot.waitUntil(lambda: bool(told), timeout=10_000)
    assert told == [(GUI_THREAD, "The journal file is damaged.")]
