"""The reminders that deliver Today's suggestions: a tray notification where there is a tray, an
in-window notice where there is not.

On every scheduler tick, at start-up, after the laptop wakes and at the daily digest time this asks
core/reconnect what to surface (off the GUI thread, through app.ops) and shows the answer in the
words core/today.py gives it. Nothing here decides what is due.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from netjournal.core import reconnect as rc
from netjournal.core.clock import utcnow
from netjournal.core.today import notice_text, notification_text

if TYPE_CHECKING:
    from netjournal.app import NetjournalApp
    from netjournal.core.db import Journal
    from netjournal.ui.today import TodayView

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]


class Reminders(QObject):
    """Asks the engine what to surface and delivers it. Every answer comes from the database, so a
    restart, a sleep or a clock change neither loses nor repeats a reminder."""

    delivered = Signal(object)  # the Surface that was shown

    def __init__(self, app: NetjournalApp, view: TodayView, clock: Clock = utcnow) -> None:
        super().__init__(app)
        self.app = app
        self.view = view
        self.clock = clock
        self._running = False

    def attach(self) -> None:
        """Called once the app is built (the scheduler exists): tick, wake-ups, and a first look."""
        if not self.app.ready:  # a staged start-up: the rest of the app is still being built
            QTimer.singleShot(50, self.attach)
            return
        waker = self.app.waker  # None without a scheduler (it is made once every feature is installed)
        if waker is not None:
            waker.tick.connect(self.check)
            waker.daily.connect(self.check)
            waker.resumed.connect(lambda _gap: self.check())
            self.schedule_daily()
        self.check()

    def schedule_daily(self) -> None:
        waker = self.app.waker
        if waker is None:
            return

        # Asynchronous: never block the GUI thread on the database (nor hang if the app is closing).
        def plan(rules: rc.Rules) -> None:
            waker.set_daily(rules.digest_time.hour, rules.digest_time.minute)

        self.app.ops.read(rc.Rules.load, plan)

    def check(self) -> None:
        if self._running:
            return  # one look at a time; the next tick will come
        self._running = True
        now = self.clock()

        def job(j: Journal) -> rc.Surface:
            with j.session() as s:
                surface = rc.what_to_surface(s, now)
                if surface:
                    rc.record_delivery(s, surface, now)
                return surface

        self.app.ops.run(job, self._deliver, self._failed)

    def _failed(self, exc: BaseException) -> None:
        self._running = False
        log.warning("could not work out reminders: %s", type(exc).__name__)

    def _deliver(self, surface: rc.Surface) -> None:
        self._running = False
        if not surface:
            return
        title, text = notification_text(surface)
        if self.app.tray is not None:
            self.app.tray.notify(title, text)
        else:
            self.app.window.show_notice(notice_text(surface), 60_000)
        self.view.refresh()
        self.delivered.emit(surface)
