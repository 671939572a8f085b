"""APScheduler only wakes the app; what is due is always computed from the database.

A BackgroundScheduler runs a periodic tick in its own threads; all its job does there is emit a
signal without data, queued to this object on the GUI thread, where everything else happens.
We avoid QtScheduler: in APScheduler 3.10/3.11 it never cancels its wake-up timer.
Jobs use coalesce=True and misfire_grace_time=None, so a sleep or a closed laptop gives one catch-up
run, never a burst.

Besides the tick there is a daily wake-up at the digest time (`set_daily`), and a `resumed` signal
when the wall clock jumped between two ticks (the laptop slept, or the clock was changed).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from PySide6.QtCore import QObject, Qt, Signal

log = logging.getLogger(__name__)

TICK_MINUTES = 5


class Waker(QObject):
    """Emits `tick` on the GUI thread every few minutes (and once shortly after start)."""

    tick = Signal()
    resumed = Signal(float)  # seconds the wall clock moved beyond the expected interval
    daily = Signal()  # the daily wake-up (at the digest time)
    _woke = Signal(str)  # emitted in the scheduler's thread: "tick" or "daily"

    def __init__(
        self,
        parent: QObject | None = None,
        minutes: float = TICK_MINUTES,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(parent)
        self.minutes = minutes
        self._wall_clock = wall_clock
        self._last_tick: float | None = None
        self.scheduler = BackgroundScheduler(
            job_defaults={"coalesce": True, "misfire_grace_time": None, "max_instances": 1},
            timezone="UTC",  # the tick is an interval; avoid tzlocal lookups at start-up
        )
        # Queued by name, not left to AutoConnection: the slot always runs on this object's (the GUI) thread.
        self._woke.connect(self._on_wake, Qt.ConnectionType.QueuedConnection)
        self.scheduler.add_job(self._woke.emit, IntervalTrigger(minutes=minutes), args=["tick"], id="tick")

    def _on_wake(self, kind: str) -> None:
        if kind == "daily":
            self.daily.emit()
        else:
            self._on_tick()

    def _on_tick(self) -> None:
        now = self._wall_clock()
        if self._last_tick is not None:
            gap = now - self._last_tick - self.minutes * 60
            # A tick late by more than a whole interval (or a clock set back): a sleep or a clock change.
            if gap > self.minutes * 60 or gap < -self.minutes * 60:
                log.info("wall clock moved %.0f s between ticks: catching up", gap)
                self.resumed.emit(gap)
        self._last_tick = now
        self.tick.emit()

    def set_daily(self, hour: int, minute: int) -> None:
        """(Re)schedule the daily wake-up at a local wall-clock time."""
        local_zone = datetime.now().astimezone().tzinfo
        trigger = CronTrigger(hour=hour, minute=minute, timezone=local_zone)
        self.scheduler.add_job(self._woke.emit, trigger, args=["daily"], id="daily", replace_existing=True)

    def start(self) -> None:
        self.scheduler.start()
        log.info("scheduler started")

    def stop(self) -> None:
        if self.scheduler.running:
            # Wait for a wake-up being sent right now, so nothing is emitted on this object once it is gone.
            self.scheduler.shutdown(wait=True)
