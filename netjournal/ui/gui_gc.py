"""Python's cycle collector runs on the GUI thread only, while the app runs.

Python starts a collection on whichever thread happens to allocate when a generation's count passes
its threshold, and the database thread allocates a lot (SQLAlchemy). A widget that is garbage inside
a reference cycle (a closed dialog whose slots point back at it) was then freed there; PySide 6.11
does not delete a QWidget off the GUI thread but queues the delete with `Py_AddPendingCall`, which
runs it at whatever Python line the GUI thread is on next, often inside another widget's event
handler. On an X11 desktop that crashed the app in 27 of 100 quick-log saves, and still in 31 of 100
with the reworked database worker but without this collector (bench/desktop_quicklog.py; gdb showed
the delete queued from `gc_collect_main` on the database thread and run by
`Shiboken::BindingManager::runDeletionInMainThread` on the GUI thread). So automatic collection is
turned off, and a GUI-thread timer collects instead, with the same thresholds. The same remedy is
used by pyqtgraph (`util/garbage_collector.py`).
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

CHECK_MSECS = 500


class GuiThreadCollector(QObject):
    def __init__(self, parent: QObject | None = None, interval_ms: int = CHECK_MSECS) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.check)
        self._was_enabled = False

    def start(self) -> None:
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._timer.start()

    def stop(self) -> None:
        """Collect once more here, then give collection back to Python."""
        self._timer.stop()
        gc.collect()
        if self._was_enabled:
            gc.enable()

    def check(self) -> None:
        # The oldest generation whose count passed its threshold, as Python's own trigger would pick.
        counts, thresholds = gc.get_count(), gc.get_threshold()
        for generation in (2, 1, 0):
            if counts[generation] > thresholds[generation]:
                gc.collect(generation)
                return
