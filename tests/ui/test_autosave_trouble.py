"""An autosave that fails (a full disk) shows one gentle notice and keeps retrying; never a dialog per pause."""

from __future__ import annotations

import sqlite3

from PySide6.QtWidgets import QApplication
from sqlalchemy.exc import OperationalError

from netjournal.app import NetjournalApp
from netjournal.core import drafts as core_drafts
from netjournal.core.clock import utcnow
from netjournal.core.drafts import load_draft
from netjournal.ui import drafts as ui_drafts
from netjournal.ui import messages, quicklog
from tests.factories import person


def _disk_full(*_a: object, **_k: object) -> None:
    # What SQLite raises when a write does not fit; Journal.session() maps it to the core's DiskFullError.
    raise OperationalError("UPDATE drafts", {}, sqlite3.OperationalError("database or disk is full"))


def test_full_disk_gives_one_notice_keeps_retrying_and_saves_once_there_is_room(qtbot, journal, monkeypatch) -> None:
    with journal.session() as s:
        pid = person(s, "Priya Raman", utcnow()).id
    dialogs: list[str] = []
    monkeypatch.setattr(messages, "inform", lambda _parent, text, *a, **k: dialogs.append(text))
    monkeypatch.setattr(ui_drafts, "RETRY_MSECS", 50)
    monkeypatch.setattr(ui_drafts, "RETRY_MAX_MSECS", 100)
    attempts: list[int] = []

    def failing_save(*a: object, **k: object) -> None:
        attempts.append(1)
        _disk_full()

    monkeypatch.setattr(ui_drafts, "save_draft", failing_save)
    app = NetjournalApp(QApplication.instance(), journal, interactive=False)
    qtbot.addWidget(app.window)
    notices: list[str] = []
    real_notice = app.window.show_notice
    app.window.show_notice = lambda text, msecs=8000: (notices.append(text), real_notice(text, msecs))  # type: ignore[method-assign]
    try:
        view = app.prepare
        view.plan_for_person(pid)
        qtbot.waitUntil(lambda: view.editor.person.text() == "Priya Raman")
        keeper = view.keeper
        assert keeper is not None
        # Several pauses in the typing, each one an autosave that does not fit on the disk.
        for i in range(3):
            view.editor.purpose.setPlainText(f"She knows the platform world {i}")
            keeper.save_now()
        qtbot.waitUntil(lambda: len(attempts) >= 6, timeout=5000)  # and it went on trying by itself
        assert dialogs == []
        trouble = [n for n in notices if "can't be kept as a draft" in n]
        assert len(trouble) == 1 and "the disk is full" in trouble[0]
        assert "Traceback" not in trouble[0]

        # Room again: the next retry saves what is in the window now, and says so once.
        monkeypatch.setattr(ui_drafts, "save_draft", core_drafts.save_draft)
        key = f"plan:new:{pid}:"

        def saved() -> bool:
            with journal.read() as s:
                d = load_draft(s, key)
                return bool(d) and d["purpose"] == "She knows the platform world 2"

        qtbot.waitUntil(saved, timeout=5000)
        qtbot.waitUntil(lambda: ui_drafts.RECOVERED_NOTICE in notices)
        assert not keeper.failing and dialogs == []
    finally:
        app.shutdown()


def test_quick_log_shows_the_notice_in_its_own_window(qtbot, journal, monkeypatch) -> None:
    from netjournal.ui.ops import DbWorker

    monkeypatch.setattr(ui_drafts, "save_draft", _disk_full)
    monkeypatch.setattr(ui_drafts, "RETRY_MSECS", 50)
    ops = DbWorker(journal)
    try:
        dialog = quicklog.QuickLogDialog(ops, None)
        qtbot.addWidget(dialog)
        dialog.note.setPlainText("Coffee, talked about running")
        assert dialog.keeper is not None
        dialog.keeper.save_now()
        qtbot.waitUntil(lambda: dialog.keeper is not None and dialog.keeper.failing)
        assert "the disk is full" in dialog.notice.text() and not dialog.notice.isHidden()
    finally:
        ops.stop()
