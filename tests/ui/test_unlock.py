"""The unlock dialog: calm, three tries then a plain message, the keyring only when ticked."""

from __future__ import annotations

from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from pytestqt.qtbot import QtBot

from netjournal.core import cipher, keystore
from netjournal.core.cipher import change_protection
from netjournal.core.db import open_journal
from netjournal.core.paths import DataDir
from netjournal.ui.unlock import UnlockDialog

PASS = "lanterns over the river"


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


@pytest.fixture
def locked(data_dir: DataDir) -> DataDir:
    open_journal(data_dir).close()
    change_protection(data_dir, old_passphrase=None, new_passphrase=PASS)
    return data_dir


@pytest.fixture
def memory_keyring() -> MemoryKeyring:
    previous = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(previous)


def dialog(qtbot: QtBot, dd: DataDir, *, can_remember: bool = False) -> UnlockDialog:
    d = UnlockDialog(dd, lambda text: cipher.key_for(dd.database, text), can_remember=can_remember)
    qtbot.addWidget(d)
    d.show()
    return d


def attempt(qtbot: QtBot, d: UnlockDialog, text: str) -> None:
    d.field.setText(text)
    d.unlock_button.click()
    qtbot.waitUntil(lambda: not d.busy(), timeout=10_000)


def test_the_dialog_names_the_folder_and_unlocks_with_the_right_passphrase(qtbot: QtBot, locked: DataDir) -> None:
    d = dialog(qtbot, locked)
    texts = " ".join(w.text() for w in d.findChildren(type(d.status)))
    assert str(locked.root) in texts
    attempt(qtbot, d, "not it at all")
    assert "does not open" in d.status.text() and d.isVisible()
    attempt(qtbot, d, PASS)
    assert d.key is not None and d.result() == UnlockDialog.DialogCode.Accepted
    open_journal(locked, key=d.key).close()


def test_three_wrong_tries_end_in_a_plain_message_not_a_lockout(qtbot: QtBot, locked: DataDir) -> None:
    d = dialog(qtbot, locked)
    for n in range(3):
        attempt(qtbot, d, f"wrong guess {n}")
    assert "three times" in d.status.text() and "Nothing was changed" in d.status.text()
    assert not d.unlock_button.isEnabled()
    # Nothing is locked out: a new dialog (the next start) accepts the right passphrase at once.
    again = dialog(qtbot, locked)
    attempt(qtbot, again, PASS)
    assert again.key is not None


def test_remember_is_offered_only_with_a_keyring_and_stored_only_when_ticked(
    qtbot: QtBot, locked: DataDir, memory_keyring: MemoryKeyring
) -> None:
    assert not dialog(qtbot, locked, can_remember=False).remember.isVisible()
    d = dialog(qtbot, locked, can_remember=True)
    assert d.remember.isVisible() and not d.remember.isChecked()
    attempt(qtbot, d, PASS)
    assert keystore.recall(locked) is None, "not ticked: nothing stored"
    assert keystore.remember(locked, PASS)
    assert keystore.recall(locked) == PASS
    assert memory_keyring.store, "stored in the keyring, nowhere else"
    keystore.forget(locked)
    assert keystore.recall(locked) is None


def test_no_keyring_means_nothing_remembered_and_no_error(locked: DataDir) -> None:
    # The test machines have no keyring backend: asking must quietly give nothing.
    assert keystore.recall(locked) is None
    assert isinstance(keystore.available(), bool)


def test_the_passphrase_is_never_written_to_the_data_folder(qtbot: QtBot, locked: DataDir) -> None:
    d = dialog(qtbot, locked)
    attempt(qtbot, d, PASS)
    assert all(PASS.encode() not in f.read_bytes() for f in Path(locked.root).rglob("*") if f.is_file())


# ------------------------------------------------------------------------- File → Protect, in the window


def _answer(monkeypatch: pytest.MonkeyPatch, *, current: str | None, new: str | None) -> None:
    from netjournal.ui import protect

    def exec_(self: protect.PassphraseDialog) -> int:
        if self.current is not None:
            self.current.setText(current or "")
        if self.new is not None and self.again is not None:
            self.new.setText(new or "")
            self.again.setText(new or "")
        self._check()
        return int(self.result())

    monkeypatch.setattr(protect.PassphraseDialog, "exec", exec_)


def test_protect_change_and_remove_from_the_file_menu(qtbot: QtBot, app, journal, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from netjournal.core.clock import utcnow
    from netjournal.core.models import Person
    from tests.factories import person

    with journal.session() as s:
        person(s, "Ottoline Marsh", utcnow())
    p = app.protection
    assert p.protect.isEnabled() and not p.change.isEnabled() and not p.remove.isEnabled()

    _answer(monkeypatch, current=None, new="short")
    p.protect.trigger()  # too short: the dialog says so and stays; nothing converted
    assert not cipher.is_encrypted(journal.data_dir.database)

    _answer(monkeypatch, current=None, new=PASS)
    p.protect.trigger()
    qtbot.waitUntil(lambda: journal.encrypted, timeout=20_000)
    qtbot.waitUntil(lambda: "protected" in app.window.statusBar().currentMessage(), timeout=20_000)
    assert cipher.is_encrypted(journal.data_dir.database)
    assert all(b"Ottoline" not in f.read_bytes() for f in journal.data_dir.root.rglob("*") if f.is_file())
    with journal.read() as s:  # the same journal object keeps working on the encrypted file
        assert s.scalars(select(Person.name)).all() == ["Ottoline Marsh"]
    p.refresh()
    assert not p.protect.isEnabled() and p.change.isEnabled() and p.remove.isEnabled()

    _answer(monkeypatch, current=PASS, new="a different passphrase")
    p.change.trigger()
    qtbot.waitUntil(lambda: _opens(journal.data_dir, "a different passphrase"), timeout=20_000)

    _answer(monkeypatch, current="a different passphrase", new=None)
    p.remove.trigger()
    qtbot.waitUntil(lambda: not journal.encrypted, timeout=20_000)
    assert not cipher.is_encrypted(journal.data_dir.database)
    with journal.read() as s:
        assert s.scalars(select(Person.name)).all() == ["Ottoline Marsh"]


def test_a_failed_conversion_is_said_plainly(qtbot: QtBot, app, journal, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # Before, the failure handler called a signal the database worker does not have: a crash report.
    from netjournal.ui import messages

    said: list[str] = []
    monkeypatch.setattr(messages, "inform", lambda _parent, text, *a, **k: said.append(text))
    _answer(monkeypatch, current=None, new=PASS)
    app.protection.protect.trigger()
    qtbot.waitUntil(lambda: app.protection.change.isEnabled(), timeout=20_000)  # the conversion is delivered
    _answer(monkeypatch, current="not the passphrase", new="a different passphrase")
    app.protection.change.trigger()
    qtbot.waitUntil(lambda: bool(said) or bool(app.crash.reports), timeout=60_000)
    assert "passphrase" in said[0].lower() and _opens(journal.data_dir, PASS)
    assert app.crash.reports == [] and app.window.statusBar().currentMessage() == ""


def _opens(dd: DataDir, passphrase: str) -> bool:
    try:
        cipher.key_for(dd.database, passphrase)
    except cipher.WrongPassphraseError:
        return False
    return True


def test_notifications_of_a_locked_journal_name_nobody_unless_allowed(qtbot: QtBot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QSystemTrayIcon

    from netjournal.ui.tray import Tray

    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(QSystemTrayIcon, "showMessage", lambda self, title, text, *a: shown.append((title, text)))
    tray = Tray(QIcon())
    tray.private = True
    tray.notify("Kwame Mensah", "It has been a while since you talked with Kwame Mensah.")
    assert shown[-1][0] == "netjournal" and "Kwame" not in shown[-1][1]
    tray.private = False  # the user allowed names (Settings)
    tray.notify("Kwame Mensah", "It has been a while since you talked with Kwame Mensah.")
    assert shown[-1] == ("Kwame Mensah", "It has been a while since you talked with Kwame Mensah.")


def test_the_locked_tray_at_login_offers_only_unlock_and_quit(qtbot: QtBot) -> None:
    from PySide6.QtGui import QIcon

    from netjournal.ui.tray import Tray

    tray = Tray(QIcon(), locked=True)
    texts = [a.text() for a in tray.menu.actions() if a.text()]
    assert texts == ["netjournal is locked", "Unlock…", "Quit"]
    assert tray.icon.toolTip() == "netjournal is locked"
