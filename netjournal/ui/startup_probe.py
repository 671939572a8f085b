"""For bench/bench_startup.py: report when the window is first on screen and when its sections are filled.

Active only when NETJOURNAL_BENCH_STARTUP=1. Prints `netjournal-bench <mark> <epoch seconds>` for
`window` (first expose), `today` (the first section, Today, shows what was loaded from the journal)
and `people` (the People list holds its rows), then `netjournal-bench stall <ms>`: the longest the GUI
thread did not get to run its event loop between the window appearing and Today being filled, and
`stall_all` the same until People is filled too. Then it quits. The bench compares the times with
when it launched the process.
"""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from netjournal.app import NetjournalApp
    from netjournal.ui.today import TodayView


class StartupProbe(QObject):
    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window_at: float | None = None
        self.app: NetjournalApp | None = None
        self.today: TodayView | None = None  # the Today view once it exists (built before the app at start-up)
        self.marks: dict[str, float] = {}
        self._last_tick: float | None = None
        self.stall_ms = 0.0
        self.stall_first_ms: float | None = None
        window.installEventFilter(self)
        self._poll = QTimer(self)
        self._poll.setInterval(2)
        self._poll.timeout.connect(self._check)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self.window_at is None and event.type() in (QEvent.Type.Expose, QEvent.Type.Paint):
            self.window_at = time.time()
            self._last_tick = self.window_at
            print(f"netjournal-bench window {self.window_at:.6f}", flush=True)
            self._poll.start()  # from now on, every gap between ticks is time the GUI thread was busy
        return False

    def watch_today(self, view: TodayView) -> None:
        """Today was built and filled before the app exists (startup.py: read on the thin path, boot.py)."""
        self.today = view
        self._poll.start()
        self._check()

    def watch_people(self, app: NetjournalApp) -> None:
        """Start watching the sections (called once the app exists; Today may already be filled)."""
        self.app = app
        self._poll.start()
        self._check()

    def _mark(self, name: str) -> None:
        if name not in self.marks:
            self.marks[name] = time.time()
            print(f"netjournal-bench {name} {self.marks[name]:.6f}", flush=True)

    def _check(self) -> None:
        now = time.time()
        if self._last_tick is not None:
            self.stall_ms = max(self.stall_ms, (now - self._last_tick) * 1000)
        self._last_tick = now
        if self.window_at is None:
            return
        if self.today is None and self.app is not None:
            self.today = self.app.today  # Today is installed first: there as soon as the app is
        today = self.today
        if today is not None and today.loaded and today.isVisible():
            if "today" not in self.marks:
                # 1 when Today had to wait for the ORM (SQLAlchemy imported first), 0 when the thin path filled it
                print(f"netjournal-bench orm_before_today {int('sqlalchemy' in sys.modules)}", flush=True)
            self._mark("today")  # what core/today.py read from the journal is on screen
            if self.stall_first_ms is None:
                self.stall_first_ms = self.stall_ms
        if self.app is None:
            return
        people = self.app.people  # None until a staged start-up has built People
        if people is not None and (people.model.rowCount() > 0 or (people.count.text() and people.model.total == 0)):
            self._mark("people")
        if "today" in self.marks and "people" in self.marks:
            self._poll.stop()
            print(f"netjournal-bench stall {self.stall_first_ms or 0.0:.1f}", flush=True)
            print(f"netjournal-bench stall_all {self.stall_ms:.1f}", flush=True)
            QTimer.singleShot(0, self.app.quit)
