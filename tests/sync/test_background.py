"""The background sync: only with an account, every 30 minutes off the GUI thread, offline skipped quietly,
one catch-up after a sleep; the password in the keyring when there is one."""

from __future__ import annotations

import threading
from datetime import datetime

import pytest

from netjournal.app import NetjournalApp
from netjournal.core.db import Journal
from netjournal.core.sync import run as core_run
from netjournal.ui import sync_service
from tests.sync.helpers import add_account, names
from tests.sync.servers import Server, vcard


def test_no_account_no_sync_and_no_connection(qtbot, app: NetjournalApp, connections: list[object]) -> None:  # type: ignore[no-untyped-def]
    service = app.sync  # type: ignore[attr-defined]
    app.ops.wait_idle()
    app.waker.tick.emit()
    app.waker.resumed.emit(3600.0)
    assert not service.running and service.sync_thread is None  # not even a thread
    assert connections == []


def test_the_tick_syncs_every_30_minutes_off_the_gui_thread_and_offline_is_quiet(
    qtbot, app: NetjournalApp, radicale_server: Server, now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    book = radicale_server.make_addressbook()
    radicale_server.put_vcard(book, "a.vcf", vcard("u-a", "Ana Müller", email="ana@acme.example"))
    add_account(app.journal, radicale_server, book, now)
    service = app.sync  # type: ignore[attr-defined]
    service.refresh()
    qtbot.waitUntil(lambda: service.has_accounts)
    threads: list[str] = []
    real = core_run.sync_all

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread().name)
        return real(*args, **kwargs)

    monkeypatch.setattr(core_run, "sync_all", spy)
    clock = [1000.0]
    monkeypatch.setattr(sync_service.time, "monotonic", lambda: clock[0])
    with qtbot.waitSignal(service.synced, timeout=20000) as got:
        app.waker.tick.emit()
    assert threads == ["netjournal-sync"] and not got.args[0][0].problem
    assert names(app.journal) == ["Ana Müller"]
    clock[0] += 10 * 60
    app.waker.tick.emit()  # ten minutes later: not yet
    assert not service.running
    # The server goes away; half an hour later the tick tries, fails quietly and says so in the status line.
    radicale_server.stop()
    clock[0] += 30 * 60
    shown: list[str] = []
    monkeypatch.setattr(app.window, "show_notice", lambda text, *a: shown.append(text))
    with qtbot.waitSignal(service.synced, timeout=20000) as got:
        app.waker.tick.emit()
    assert "could not be reached" in got.args[0][0].problem
    assert shown == []  # no notice for being offline
    # A wake from sleep catches up once, even before the half hour.
    with qtbot.waitSignal(service.synced, timeout=20000):
        app.waker.resumed.emit(7200.0)


def test_the_password_goes_to_the_keyring_when_there_is_one(
    radicale_server: Server, journal: Journal, now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    import keyring
    from keyring.backend import KeyringBackend
    from sqlalchemy import select

    from netjournal.core import keystore
    from netjournal.core.models import SyncAccount
    from tests.sync.helpers import sync
    from tests.sync.servers import PASSWORD

    class Memory(KeyringBackend):
        priority = 1  # type: ignore[assignment]
        store: dict[tuple[str, str], str] = {}

        def get_password(self, service: str, username: str) -> str | None:
            return self.store.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            self.store[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            self.store.pop((service, username), None)

    previous = keyring.get_keyring()
    keyring.set_keyring(Memory())
    monkeypatch.setattr(keystore, "available", lambda: True)
    try:
        book = radicale_server.make_addressbook()
        add_account(journal, radicale_server, book, now)
        with journal.sessions() as s:
            account = s.scalar(select(SyncAccount))
            assert account is not None and account.in_keyring and account.password is None
        assert list(Memory.store.values()) == [PASSWORD]
        sync(journal, now)
        assert journal.data_dir.database.read_bytes().find(PASSWORD.encode()) == -1
        from netjournal.core.sync.accounts import remove_account

        with journal.session() as s:
            remove_account(s, journal.data_dir, "home")
        assert Memory.store == {}
    finally:
        keyring.set_keyring(previous)
