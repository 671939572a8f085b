"""One way to run database work off the GUI thread.

    ops.run(lambda j: count_people(j), on_done=self.show_count, parent=self)
    ops.write(lambda s: rename(s, person_id, name), on_done=self.renamed, parent=self)   # one transaction

`DbWorker` lives in the GUI thread and owns one `QThread`; a small worker `QObject` moved into that
thread runs every job in the order it was sent, so only one thread ever writes. A job is
`fn(journal) -> result`: it reads or writes through the journal and returns plain data.

How a job crosses (see docs in Qt's "Threads and QObjects"):
- The GUI thread keeps each job's ticket (the job and its callbacks, which usually hold widgets) in a
  dict under an int id, and sends the worker only that id, by a queued signal.
- The worker looks the job up, runs it, puts the outcome in an outbox, drops every reference it
  holds to the job and its outcome, and only then reports the id back by a queued signal.
- The GUI thread takes ticket and outcome and calls the callbacks. It is always the last holder of
  anything that may own a Qt object, so no widget is released on the database thread by a
  reference count (PySide defers such a delete to an arbitrary later moment on the GUI thread).
  Garbage in reference cycles is the other way a widget could die there: see ui/gui_gc.py.

Success goes to `on_done(result)`. A failure goes to `on_error(exc)` when given; by default a known
problem (`NetjournalError`) is shown as a message over `parent` (or the main window) and anything
else is a bug, reported through `sys.excepthook` (the app's crash dialog). `on_error=known(show)`
shows known problems another way (a label in a dialog) and still reports bugs. `busy_changed` and
`wait_idle` let tests wait until every job has been delivered.
"""

from __future__ import annotations

import itertools
import logging
import sys
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEventLoop, QObject, QThread, QTimer, Signal, Slot
from PySide6.QtWidgets import QWidget
from shiboken6 import Shiboken

from netjournal.core.db import Journal
from netjournal.core.errors import NetjournalError

if TYPE_CHECKING:
    from netjournal.core.db import Session

log = logging.getLogger(__name__)

Job = Callable[[Journal], Any]
OnDone = Callable[[Any], None]
OnError = Callable[[BaseException], None]


_STOP = -1  # the id that tells the worker to finish (after every job sent before it)


class _Ticket:
    __slots__ = ("fn", "on_done", "on_error", "parent")

    def __init__(self, fn: Job, on_done: OnDone | None, on_error: OnError | None, parent: QWidget | None) -> None:
        self.fn, self.on_done, self.on_error, self.parent = fn, on_done, on_error, parent


class _Outbox:
    """Where the database thread leaves jobs' outcomes; shared by the two threads, behind a lock."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.jobs: dict[int, Job] = {}
        self.outcomes: dict[int, tuple[Any, BaseException | None]] = {}


class _Worker(QObject):
    """Lives in the database thread (moveToThread); runs one job at a time."""

    finished = Signal(int)  # a job id; its outcome waits in the outbox

    def __init__(self, journal: Journal, outbox: _Outbox) -> None:
        super().__init__()
        self.journal = journal
        self.outbox = outbox

    @Slot(int)
    def execute(self, job_id: int) -> None:
        if job_id == _STOP:
            thread = QThread.currentThread()
            assert thread is not None
            thread.quit()
            return
        with self.outbox.lock:
            fn = self.outbox.jobs.pop(job_id)
        outcome = _call(fn, self.journal)
        del fn  # the GUI thread's ticket still holds the job: it is released there
        with self.outbox.lock:
            self.outbox.outcomes[job_id] = outcome
        del outcome  # the result and any exception (with its frames) are released on the GUI thread too
        self.finished.emit(job_id)


def _call(fn: Job, journal: Journal) -> tuple[Any, BaseException | None]:
    try:
        return fn(journal), None
    except BaseException as exc:
        return None, exc


def report_bug(exc: BaseException) -> None:
    """A bug: the crash dialog (through sys.excepthook, which the app points at it)."""
    sys.excepthook(type(exc), exc, exc.__traceback__)


def known(handle: Callable[[NetjournalError], None], *, first: Callable[[], None] | None = None) -> OnError:
    """An on_error that shows known problems its own way (a label, a prompt); bugs still crash.

    `first` runs on every failure, known or a bug, before that: to undo what the caller set up for the
    job (a disabled Save button, a "Saving…" status), so a bug does not leave the window stuck.
    """

    def on_error(exc: BaseException) -> None:
        if first is not None:
            first()
        if isinstance(exc, NetjournalError):
            handle(exc)
        else:
            report_bug(exc)

    return on_error


def _alive(callback: Callable[..., Any] | None) -> bool:
    """False for a bound method of a Qt object already deleted (e.g. a dialog closed before its data came)."""
    owner = getattr(callback, "__self__", None)
    return not isinstance(owner, Shiboken.Object) or Shiboken.isValid(owner)


class DbWorker(QObject):
    """Runs jobs one at a time on a single database thread; results arrive on the GUI thread."""

    busy_changed = Signal(bool)  # True when the first job is sent, False when the last one is delivered
    _submit = Signal(int)

    def __init__(self, journal: Journal, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.journal = journal
        # The database thread allocates a lot: without this, Python's cycle collector could free a
        # widget there (see gui_gc.py). The app runs one too; a worker on its own (tests) needs its own.
        from netjournal.ui.gui_gc import GuiThreadCollector

        self._collector = GuiThreadCollector(self)
        self._collector.start()
        self.message_parent: QWidget | None = None  # where known problems are shown when a job names no parent
        self._outbox = _Outbox()
        self._tickets: dict[int, _Ticket] = {}
        self._ids = itertools.count(1)
        self._pending = 0
        self._thread = QThread()
        self._thread.setObjectName("netjournal-db")
        self._worker = _Worker(journal, self._outbox)
        self._worker.moveToThread(self._thread)
        self._submit.connect(self._worker.execute)  # queued: the worker lives in the other thread
        self._worker.finished.connect(self._deliver)  # queued back to this (the GUI) thread
        self._thread.finished.connect(self._worker.deleteLater)
        self._thread.start()

    def run(
        self,
        fn: Job,
        on_done: OnDone | None = None,
        on_error: OnError | None = None,
        *,
        parent: QWidget | None = None,
    ) -> None:
        """Run `fn(journal)` on the database thread; `on_done(result)` or the error on this thread."""
        self._pending += 1
        if self._pending == 1:
            self.busy_changed.emit(True)
        self._send(_Ticket(fn, on_done, on_error, parent))

    @property
    def read(self) -> SessionOp:
        """`run` for a job that only reads: `fn(session)` in a read session."""
        return SessionOp(self, Journal.read)

    @property
    def write(self) -> SessionOp:
        """`run` for a change: `fn(session)` in one transaction (committed, or rolled back on an error)."""
        return SessionOp(self, Journal.session)

    def _send(self, ticket: _Ticket) -> None:
        job_id = next(self._ids)
        self._tickets[job_id] = ticket
        with self._outbox.lock:
            self._outbox.jobs[job_id] = ticket.fn
        self._submit.emit(job_id)

    def is_busy(self) -> bool:
        return self._pending > 0

    def wait_idle(self, timeout_ms: int = 10_000) -> bool:
        """Process events until every job sent so far has been delivered (for tests); False on timeout."""
        loop = QEventLoop()
        timer = QTimer()
        timer.setSingleShot(True)
        timer.timeout.connect(loop.quit)
        self.busy_changed.connect(loop.quit)
        timer.start(timeout_ms)
        try:
            # A callback may send the next job: wait again until nothing is left at all.
            while self._pending and timer.isActive() and self._thread.isRunning():
                loop.exec()
        finally:
            self.busy_changed.disconnect(loop.quit)
            timer.stop()
        return not self._pending

    @Slot(int)
    def _deliver(self, job_id: int) -> None:
        ticket = self._tickets.pop(job_id)
        with self._outbox.lock:
            result, err = self._outbox.outcomes.pop(job_id)
        self._pending = max(0, self._pending - 1)
        try:
            if ticket.parent is not None and not Shiboken.isValid(ticket.parent):
                return  # the widget that asked is gone: nobody to tell
            if err is not None:
                self._failed(ticket, err)
            elif ticket.on_done is not None and _alive(ticket.on_done):
                ticket.on_done(result)
        finally:
            if self._pending == 0:
                self.busy_changed.emit(False)

    def _failed(self, ticket: _Ticket, err: BaseException) -> None:
        if ticket.on_error is not None:
            if _alive(ticket.on_error):
                ticket.on_error(err)
        elif isinstance(err, NetjournalError):
            from netjournal.ui.messages import inform

            inform(ticket.parent or self.message_parent, err.message)
        else:
            report_bug(err)

    def stop(self) -> None:
        """Finish every job already sent, then end the database thread."""
        if not self._thread.isRunning():
            return
        self._submit.emit(_STOP)
        if not self._thread.wait(10_000):
            log.warning("the database thread did not finish within 10 s")
        self._collector.stop()


class SessionOp:
    """`ops.read(fn, ...)` and `ops.write(fn, ...)`: `run` for a job that takes a session, which `opens` gives."""

    def __init__(self, worker: DbWorker, opens: Callable[[Journal], AbstractContextManager[Session]]) -> None:
        self.worker, self.opens = worker, opens

    def __call__(
        self,
        fn: Callable[[Session], Any],
        on_done: OnDone | None = None,
        on_error: OnError | None = None,
        *,
        parent: QWidget | None = None,
    ) -> None:
        opens = self.opens

        def job(j: Journal) -> Any:
            with opens(j) as s:
                return fn(s)

        self.worker.run(job, on_done, on_error, parent=parent)
