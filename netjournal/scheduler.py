"""APScheduler only wakes the app; what is due is always computed from the database.

A BackgroundScheduler runs a periodic tick in its own thread; each tick crosses to the GUI thread as
a Qt signal. We avoid QtScheduler because 3.10/3.11 never cancels its wake-up timer (../shared/ENV.md).
Jobs use coalesce=True and misfire_grace_time=None, so a sleep or a closed laptop gives one catch-up
run, never a burst.
"""

from __future__ import annotations

import logging

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger
from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)

TICK_MINUTES = 5


class Waker(QObject):
    """Emits `tick` on the GUI thread every few minutes (and once shortly after start)."""

    tick = Signal()

    def __init__(self, parent: QObject | None = None, minutes: float = TICK_MINUTES) -> None:
        super().__init__(parent)
        self.scheduler = BackgroundScheduler(
            job_defaults={"coalesce": True, "misfire_grace_time": None, "max_instances": 1},
            timezone="UTC",  # the tick is an interval; avoid tzlocal lookups at start-up
        )
        self.scheduler.add_job(self.tick.emit, IntervalTrigger(minutes=minutes), id="tick")

    def start(self) -> None:
        self.scheduler.start()
        log.info("scheduler started")

    def stop(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
