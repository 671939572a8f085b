"""One way to run database work off the GUI thread.

`DbWorker` owns one thread; every job runs there in order, so only one thread ever writes. A job is
`fn(journal) -> result`; the result (or the error) comes back to the GUI thread by signal, where one
place turns known errors into a message and bugs into the crash dialog.

    ops.run(lambda j: count_people(j), on_done=self.show_count)
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from netjournal.core.db import Journal

log = logging.getLogger(__name__)

Job = Callable[[Journal], Any]


class _Ticket:
    __slots__ = ("deliver", "fn", "on_done", "on_error")

    def __init__(
        self,
        fn: Job,
        on_done: Callable[[Any], None] | None,
        on_error: Callable[[BaseException], None] | None,
        deliver: bool = True,
    ) -> None:
        self.fn, self.on_done, self.on_error, self.deliver = fn, on_done, on_error, deliver


class DbWorker(QObject):
    """Runs jobs one at a time on a single background thread; results arrive on the GUI thread."""

    _finished = Signal(object, object, object)  # ticket, result, error
    busy_changed = Signal(bool)
    error = Signal(object)  # unhandled errors: the app shows them

    def __init__(self, journal: Journal, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.journal = journal
        self._queue: queue.Queue[_Ticket | None] = queue.Queue()
        self._pending = 0
        self._finished.connect(self._deliver)
        self._thread = threading.Thread(target=self._loop, name="netjournal-db", daemon=True)
        self._thread.start()

    def run(
        self,
        fn: Job,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        self._pending += 1
        if self._pending == 1:
            self.busy_changed.emit(True)
        self._queue.put(_Ticket(fn, on_done, on_error))

    def call(self, fn: Job) -> Any:
        """Run a job and wait for it (for short work where the GUI must have the answer now)."""
        if not self._thread.is_alive():
            raise RuntimeError("the database worker has stopped; nothing can be read or written now")
        done = threading.Event()
        box: dict[str, Any] = {}

        def job(j: Journal) -> None:
            try:
                box["result"] = fn(j)
            except BaseException as exc:
                box["error"] = exc
            finally:
                done.set()

        self._queue.put(_Ticket(job, None, None, deliver=False))
        done.wait()
        if "error" in box:
            raise box["error"]
        return box.get("result")

    def _loop(self) -> None:
        while True:
            ticket = self._queue.get()
            if ticket is None:
                return
            try:
                result, err = ticket.fn(self.journal), None
            except BaseException as exc:
                result, err = None, exc
            if ticket.deliver:
                self._finished.emit(ticket, result, err)

    def _deliver(self, ticket: _Ticket, result: Any, err: BaseException | None) -> None:
        self._pending = max(0, self._pending - 1)
        if self._pending == 0:
            self.busy_changed.emit(False)
        if err is not None:
            if ticket.on_error is not None:
                ticket.on_error(err)
            else:
                self.error.emit(err)
        elif ticket.on_done is not None:
            ticket.on_done(result)

    def stop(self) -> None:
        if not self._thread.is_alive():
            return
        self._queue.put(None)
        self._thread.join(timeout=10)
