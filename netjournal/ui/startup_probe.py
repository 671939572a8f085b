"""For bench/bench_startup.py: report when the window is first on screen and when People is filled.

Active only when NETJOURNAL_BENCH_STARTUP=1. Prints `netjournal-bench window <epoch seconds>` when the
main window is first exposed, `netjournal-bench people <epoch seconds>` when the People list holds its
rows, then quits. The bench compares those times with when it launched the process.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from netjournal.app import NetjournalApp


class StartupProbe(QObject):
    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window_at: float | None = None
        self.app: NetjournalApp | None = None
        window.installEventFilter(self)
        self._poll = QTimer(self)
        self._poll.setInterval(2)
        self._poll.timeout.connect(self._check_people)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self.window_at is None and event.type() in (QEvent.Type.Expose, QEvent.Type.Paint):
            self.window_at = time.time()
            print(f"netjournal-bench window {self.window_at:.6f}", flush=True)
        return False

    def watch_people(self, app: NetjournalApp) -> None:
        self.app = app
        self._poll.start()

    def _check_people(self) -> None:
        if self.app is None or self.window_at is None:
            return
        people = getattr(self.app, "people", None)
        if people is None or people.model.rowCount() > 0 or (people.count.text() and people.model.total == 0):
            self._poll.stop()
            print(f"netjournal-bench people {time.time():.6f}", flush=True)
            QTimer.singleShot(0, self.app.quit)
