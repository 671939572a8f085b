"""The database worker: nothing that may own a Qt object is released on the database thread.

On a real desktop a quick-log save crashed the app about one time in three: a closed dialog (garbage
in a reference cycle) was freed by Python's collector on the database thread, and PySide then
deleted the widget at an arbitrary later moment on the GUI thread. These tests record on which
thread such objects die.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication, QWidget

from netjournal.app import NetjournalApp
from netjournal.core.db import Journal

GUI_THREAD = threading.main_thread().name


class Probe:
    """Notes the thread it is freed on."""

    def __init__(self, died: list[str]) -> None:
        self.died = died

    def __del__(self) -> None:
        self.died.append(threading.current_thread().name)


@pytest.fixture
def app(qtbot, journal) -> Iterator[NetjournalApp]:
    a = NetjournalApp(QApplication.instance(), journal, interactive=False)
    qtbot.addWidget(a.window)
    yield a
    a.shutdown()


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
