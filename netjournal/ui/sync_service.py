"""The sync service: the background sync every 30 minutes while an account (or a calendar subscription)
exists, "Sync now", and the connection test of Settings → Accounts (ui/accounts.py).

Network work never runs on the GUI thread, nor on the database worker (a slow server must not hold up
the journal). A `NetWorker` lives in a `QThread` of its own (one for syncs, one for connection tests,
so a test is not queued behind a slow sync): plain data goes in by a queued signal, and plain data
comes back by typed, queued signals (a `SyncRun`, a probe's result, a message). No callable crosses
between Qt threads, and no Qt object of the GUI thread is touched or released elsewhere (the same
rule as `ui/ops.py`). The network call itself runs in a daemon thread the worker waits for, so that
quitting never waits for a server (see `_leave_at_quit`). Without an account nothing here opens a
connection, nor a thread.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QMenu

from netjournal.core.clock import utcnow
from netjournal.core.errors import NetjournalError

if TYPE_CHECKING:
    from netjournal.app import NetjournalApp
    from netjournal.core.db import Journal
    from netjournal.core.sync.run import SyncRun

log = logging.getLogger(__name__)

INTERVAL_SECONDS = 30 * 60
STOP_WAIT_MS = 5_000  # at quit, how long a network thread may take to end (its job is left behind)


@dataclass(frozen=True)
class AccountForm:
    """What the "Add an account" form holds: the plain data a connection test needs."""

    name: str
    url: str
    username: str
    password: str
    allow_http: bool


# ------------------------------------------------------------------------------------------- worker


class _Stopped(Exception):
    """The app is quitting: the job was left to end on its own, and nobody is told."""


def _leave_at_quit(fn: Callable[[], Any], stopping: threading.Event, name: str) -> Any:
    """`fn()`, run in a daemon thread that this one waits for; `_Stopped` as soon as `stopping` is set.

    At quit a server that does not answer (60 s a request) must not hold up the exit, and a network
    QThread cannot just be left running: Qt aborts the process when a running QThread is destroyed at
    exit ("QThread: Destroyed while thread is still running", exit 134). A daemon thread can be left.
    It gets plain data and gives back plain data (here, behind `done`); it touches no Qt object."""
    outcome: list[tuple[Any, BaseException | None]] = []
    done = threading.Event()

    def call() -> None:
        try:
            outcome.append((fn(), None))
        except BaseException as exc:  # re-raised in the waiting thread
            outcome.append((None, exc))
        finally:
            done.set()

    threading.Thread(target=call, name=name, daemon=True).start()
    while not done.wait(0.1):
        if stopping.is_set():
            raise _Stopped
    result, exc = outcome.pop()
    if exc is not None:
        raise exc
    return result


class NetWorker(QObject):
    """Lives in a network thread (moveToThread); runs one sync or one connection test at a time."""

    synced = Signal(object)  # SyncRun
    sync_failed = Signal(str)  # what went wrong, in words
    tested = Signal(str, object)  # (principal URL, the address books and calendars found: list[Found])
    test_failed = Signal(str, str)  # (a known problem in words, or "" for a bug; the exception's type name)

    def __init__(self, journal: Journal, name: str, stopping: threading.Event) -> None:
        super().__init__()
        self.journal = journal
        self.name = name
        self.stopping = stopping  # set by the GUI thread at quit

    @Slot()
    def sync(self) -> None:
        from netjournal.core.sync.run import sync_all

        journal = self.journal
        try:
            run = _leave_at_quit(lambda: sync_all(journal, now=utcnow()), self.stopping, self.name)
        except _Stopped:
            return
        except Exception as exc:  # told in plain words on the GUI thread; the thread lives on
            log.warning("sync failed: %s", type(exc).__name__)
            self.sync_failed.emit(str(exc) or type(exc).__name__)
            return
        self.synced.emit(run)

    @Slot(object)
    def test(self, form: AccountForm) -> None:
        from netjournal.core.sync.accounts import check_name, probe

        def work() -> tuple[str, list[Any]]:
            return probe(check_name(form.name), form.url, form.username, form.password, form.allow_http)

        try:
            principal, found = _leave_at_quit(work, self.stopping, self.name)
        except _Stopped:
            return
        except NetjournalError as exc:
            self.test_failed.emit(str(exc), type(exc).__name__)
            return
        except Exception as exc:  # a bug or an odd server: the dialog says it did not work
            log.warning("connection test failed: %s", type(exc).__name__)
            self.test_failed.emit("", type(exc).__name__)
            return
        self.tested.emit(principal, found)


class _Lane(QObject):
    """One QThread with its NetWorker, started on first use (no thread at all without an account)."""

    _sync = Signal()
    _test = Signal(object)  # AccountForm

    def __init__(self, journal: Journal, name: str, parent: QObject) -> None:
        super().__init__(parent)
        self.thread_ = QThread()
        self.thread_.setObjectName(name)
        self.stopping = threading.Event()
        self.worker = NetWorker(journal, name, self.stopping)
        self.worker.moveToThread(self.thread_)
        # Queued: the slots run in the network thread, whatever thread these signals are emitted from.
        self._sync.connect(self.worker.sync, Qt.ConnectionType.QueuedConnection)
        self._test.connect(self.worker.test, Qt.ConnectionType.QueuedConnection)
        self.thread_.finished.connect(self.worker.deleteLater)
        self.thread_.start()

    def sync(self) -> None:
        self._sync.emit()

    def test(self, form: AccountForm) -> None:
        self._test.emit(form)

    def stop(self) -> None:
        self.stopping.set()  # a job still running is left to its daemon thread
        self.thread_.quit()
        if not self.thread_.wait(STOP_WAIT_MS):
            log.warning("the %s thread did not finish within %d s", self.thread_.objectName(), STOP_WAIT_MS // 1000)


# ------------------------------------------------------------------------------------------ service


class SyncService(QObject):
    """Syncs in the background every 30 minutes while an account exists; offline is skipped quietly.

    Every signal here is emitted on the GUI thread."""

    synced = Signal(object)  # list[SyncReport] of the sync that just finished (empty when it failed)
    tested = Signal(str, object)  # a connection test worked: (principal URL, list[Found])
    test_failed = Signal(str, str)  # (a known problem in words, or ""; the exception's type name)
    accounts_changed = Signal()

    def __init__(self, app: NetjournalApp) -> None:
        super().__init__(app)
        self.app = app
        self.has_accounts = False
        self.running = False
        self.quiet = True  # the running sync's: no notice when it ends
        self.last_attempt: float | None = None
        self._lanes: dict[str, _Lane] = {}
        self.accounts_changed.connect(self.refresh)
        self.refresh()

    def _lane(self, name: str) -> _Lane:
        lane = self._lanes.get(name)
        if lane is None:
            lane = self._lanes[name] = _Lane(self.app.journal, name, self)
            # Queued back to this object's (the GUI) thread.
            queued = Qt.ConnectionType.QueuedConnection
            lane.worker.synced.connect(self._synced, queued)
            lane.worker.sync_failed.connect(self._sync_failed, queued)
            lane.worker.tested.connect(self.tested, queued)
            lane.worker.test_failed.connect(self.test_failed, queued)
        return lane

    @property
    def sync_thread(self) -> QThread | None:
        """The thread syncs run in, once one has run (for tests)."""
        lane = self._lanes.get("netjournal-sync")
        return lane.thread_ if lane is not None else None

    def refresh(self) -> None:
        self.app.ops.read(_anything_to_sync, self._has_accounts, lambda _e: None)

    def _has_accounts(self, has: object) -> None:
        self.has_accounts = bool(has)

    def attach(self) -> None:
        waker = self.app.waker
        if waker is not None:
            waker.tick.connect(self._tick)
            waker.resumed.connect(self._resumed)
        if self.app.tray is not None:
            self.app.tray.fillers.append(self._fill_tray)

    def _fill_tray(self, menu: QMenu) -> None:
        if self.has_accounts:
            action = menu.addAction(self.tr("Syncing…") if self.running else self.tr("Sync now"))
            action.setEnabled(not self.running)
            action.triggered.connect(lambda: self.sync_now(quiet=False))

    def _resumed(self, _gap: float) -> None:
        self._tick(catch_up=True)

    def _tick(self, catch_up: bool = False) -> None:
        due = self.last_attempt is None or time.monotonic() - self.last_attempt >= INTERVAL_SECONDS
        if self.has_accounts and (due or catch_up):
            self.sync_now(quiet=True)

    def sync_now(self, quiet: bool = False) -> bool:
        """Start one sync of every account (False when one is already running or there is no account).

        When it ends, `synced` is emitted (on the GUI thread); unless `quiet`, a notice says how it went."""
        if self.running or not self.has_accounts:
            return False
        self.running = True
        self.quiet = quiet
        self.last_attempt = time.monotonic()
        self._lane("netjournal-sync").sync()
        return True

    def test_connection(self, form: AccountForm) -> None:
        """Probe a server with the form's details; `tested` or `test_failed` follows (on the GUI thread)."""
        self._lane("netjournal-account-test").test(form)

    @Slot(object)
    def _synced(self, run: SyncRun) -> None:
        if run.changed:
            self.app.journal_changed.emit()
        self._done(list(run.accounts), "; ".join(run.problems))

    @Slot(str)
    def _sync_failed(self, problem: str) -> None:
        self._done([], problem)

    def _done(self, reports: list[Any], problem: str) -> None:
        self.running = False
        self.synced.emit(reports)
        if not self.quiet:
            self.app.window.show_notice(self.tr("Sync: {0}").format(problem) if problem else self.tr("Synced."))

    def stop(self) -> None:
        for lane in self._lanes.values():
            lane.stop()


def _anything_to_sync(session: Any) -> bool:
    # Runs on the database worker: the sync modules (~140 ms of imports) load there, not on the GUI thread.
    from netjournal.core.sync.run import anything_to_sync

    return anything_to_sync(session)
