"""For bench/bench_startup.py: report when the window is first on screen and when its sections are filled.

Active only when NETJOURNAL_BENCH_STARTUP=1. Prints `netjournal-bench <mark> <epoch seconds>` for
`window` (first expose), `today` (the first section, Today, shows what was loaded from the journal)
and `people` (the People list holds its rows), then `netjournal-bench stall <ms>`: the longest the GUI
thread did not get to run its event loop between the window appearing and both sections being filled.
Then it quits. The bench compares the times with when it launched the process.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from netjournal.app import NetjournalApp


class StartupProbe(QObject):
    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window_at: float | None = None
        self.app: NetjournalApp | None = None
        self.marks: dict[str, float] = {}
        self._today_initial: Any = None
        self._last_tick: float | None = None
        self.stall_ms = 0.0
        window.installEventFilter(self)
        self._poll = QTimer(self)
        self._poll.setInterval(2)
        self._poll.timeout.connect(self._check)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self.window_at is None and event.type() in (QEvent.Type.Expose, QEvent.Type.Paint):
            self.window_at = time.time()
            self._last_tick = self.window_at
            print(f"netjournal-bench window {self.window_at:.6f}", flush=True)
        return False

    def watch_people(self, app: NetjournalApp) -> None:
        """Start watching (called once the app's sections exist)."""
        self.app = app
        today = getattr(app, "today", None)
        self._today_initial = getattr(today, "data", None)
        self._poll.start()

    def _mark(self, name: str) -> None:
        if name not in self.marks:
            self.marks[name] = time.time()
            print(f"netjournal-bench {name} {self.marks[name]:.6f}", flush=True)

    def _check(self) -> None:
        if self.app is None or self.window_at is None:
            return
        now = time.time()
        if self._last_tick is not None:
            self.stall_ms = max(self.stall_ms, (now - self._last_tick) * 1000)
        self._last_tick = now
        today = getattr(self.app, "today", None)
        if today is None or today.data is not self._today_initial:
            self._mark("today")  # replaced by what load_today read from the journal
        people = getattr(self.app, "people", None)
        if people is None or people.model.rowCount() > 0 or (people.count.text() and people.model.total == 0):
            self._mark("people")
        if "today" in self.marks and "people" in self.marks:
            self._poll.stop()
            print(f"netjournal-bench stall {self.stall_ms:.1f}", flush=True)
            QTimer.singleShot(0, self.app.quit)
