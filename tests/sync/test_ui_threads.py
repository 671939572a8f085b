"""The sync service's threads: work runs in its own QThread, and every result reaches the GUI thread by a
signal carrying plain data (a callback or widget crossing threads crashed real desktops)."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from netjournal.app import NetjournalApp
from netjournal.core.db import Journal
from netjournal.core.sync import run as core_run
from netjournal.core.sync.run import SyncRun
from netjournal.ui.sync_service import AccountForm, SyncService


def _where() -> tuple[bool, str]:
    """(on the GUI thread?, the thread's name)."""
    return threading.current_thread() is threading.main_thread(), threading.current_thread().name


def _service(app: NetjournalApp) -> SyncService:
    app.ops.wait_idle()
    service = app.sync
    service.has_accounts = True  # as if an account existed; sync_all is replaced below
    return service


def test_a_sync_runs_in_the_sync_thread_and_finishes_on_the_gui_thread(
    qtbot, app: NetjournalApp, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    service = _service(app)
    ran: list[tuple[bool, str]] = []
    arrived: list[tuple[bool, str]] = []

    def fake_sync_all(journal: Journal, name: str | None = None, **_kw: Any) -> SyncRun:
        ran.append(_where())
        return SyncRun()

    monkeypatch.setattr(core_run, "sync_all", fake_sync_all)
    service.synced.connect(lambda _reports: arrived.append(_where()))
    with qtbot.waitSignal(service.synced, timeout=10000) as got:
        assert service.sync_now(quiet=True)
        assert not service.sync_now(quiet=True)  # one at a time
    assert ran == [(False, "netjournal-sync")]
    assert [on_gui for on_gui, _name in arrived] == [True]
    assert got.args == [[]] and not service.running


def test_a_failed_sync_is_told_on_the_gui_thread(qtbot, app: NetjournalApp, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    service = _service(app)

    def broken(*_a: Any, **_kw: Any) -> SyncRun:
        raise RuntimeError("the disk went away")

    monkeypatch.setattr(core_run, "sync_all", broken)
    shown: list[tuple[str, bool]] = []
    monkeypatch.setattr(app.window, "show_notice", lambda text, *a: shown.append((text, _where()[0])))
    with qtbot.waitSignal(service.synced, timeout=10000) as got:
        service.sync_now(quiet=False)
    assert got.args == [[]]
    assert shown == [("Sync: the disk went away", True)]
    # The thread lives on: the next sync runs.
    monkeypatch.setattr(core_run, "sync_all", lambda *_a, **_kw: SyncRun())
    with qtbot.waitSignal(service.synced, timeout=10000):
        assert service.sync_now(quiet=True)


def test_a_connection_test_answers_on_the_gui_thread(qtbot, app: NetjournalApp) -> None:  # type: ignore[no-untyped-def]
    service = _service(app)
    arrived: list[bool] = []
    service.test_failed.connect(lambda _m, _k: arrived.append(_where()[0]))
    with qtbot.waitSignal(service.test_failed, timeout=15000) as got:
        # Port 1 on this machine: nothing listens, the answer is quick.
        service.test_connection(AccountForm("home", "http://127.0.0.1:1/", "me", "secret", False))
    message, _kind = got.args
    assert message.startswith("home:") and "could not be reached" in message, message
    assert arrived == [True]


def test_quitting_does_not_wait_for_a_server_that_does_not_answer(
    qtbot, app: NetjournalApp, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """A running QThread destroyed at exit aborts the process: the network thread must end at once."""
    import time

    service = _service(app)
    release = threading.Event()
    started = threading.Event()

    def hanging(*_a: Any, **_kw: Any) -> SyncRun:
        started.set()
        release.wait(30)  # a server that keeps the request open
        return SyncRun()

    monkeypatch.setattr(core_run, "sync_all", hanging)
    arrived: list[object] = []
    service.synced.connect(arrived.append)
    assert service.sync_now(quiet=True)
    assert started.wait(10)
    t0 = time.monotonic()
    service.stop()
    assert time.monotonic() - t0 < 3
    thread = service.sync_thread
    assert thread is not None and thread.isFinished()
    release.set()
    qtbot.wait(300)
    assert arrived == []  # nobody is told after quitting
