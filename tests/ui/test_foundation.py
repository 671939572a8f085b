"""The app's frame: one instance per journal, the crash dialog, a damaged database, the demo, shortcuts."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from netjournal.app import NetjournalApp
from netjournal.core.paths import DataDir
from netjournal.instance import InstanceServer, ask_running_instance, server_name
from netjournal.startup import run_gui
from netjournal.ui.crash import CrashDialog, CrashHandler
from netjournal.ui.person_dialog import PersonDialog


def test_a_second_launch_asks_the_first_to_come_forward(qtbot, tmp_path: Path) -> None:
    name = server_name(DataDir.at(str(tmp_path / "j")))
    server = InstanceServer(name)
    try:
        with qtbot.waitSignal(server.show_requested, timeout=5000):
            assert ask_running_instance(name)
        assert not ask_running_instance(server_name(DataDir.at(str(tmp_path / "other"))))
    finally:
        server.server.close()


def test_a_second_netjournal_process_exits_and_brings_the_window_forward(qtbot, tmp_path: Path) -> None:
    data = tmp_path / "journal"
    server = InstanceServer(server_name(DataDir.at(str(data))))
    try:
        with qtbot.waitSignal(server.show_requested, timeout=10_000):
            proc = subprocess.run(
                [sys.executable, "-m", "netjournal", "--data-dir", str(data), "--smoke"],
                env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
                capture_output=True,
                text=True,
                timeout=120,
            )
        assert proc.returncode == 0, proc.stderr
        assert "already open on this journal" in proc.stderr
        assert not (data / "journal.sqlite3").exists()  # the second process never opened the database
    finally:
        server.server.close()


@pytest.mark.qt_no_exception_capture
@pytest.mark.crash_report_expected
def test_a_bug_in_a_slot_is_recorded_with_a_copyable_report(qtbot, tmp_path: Path) -> None:
    handler = CrashHandler(tmp_path / "netjournal.log", interactive=False)
    previous = sys.excepthook
    handler.install()
    try:

        def broken_slot() -> None:
            raise ZeroDivisionError("a bug in a slot")

        QTimer.singleShot(0, broken_slot)
        qtbot.waitUntil(lambda: bool(handler.reports), timeout=5000)
    finally:
        sys.excepthook = previous
    report = handler.reports[0]
    assert "ZeroDivisionError: a bug in a slot" in report and "broken_slot" in report
    dialog = CrashDialog(report, tmp_path / "netjournal.log")
    qtbot.addWidget(dialog)
    assert dialog.report.toPlainText() == report and dialog.report.isReadOnly()
    [button] = [b for b in dialog.findChildren(QPushButton) if "Copy" in b.text()]
    button.click()
    assert QGuiApplication.clipboard().text() == report


@pytest.mark.crash_report_expected
def test_a_bug_in_background_work_reaches_the_crash_handler(qtbot, app) -> None:
    app.ops.run(lambda _j: 1 / 0)
    qtbot.waitUntil(lambda: bool(app.crash.reports))
    assert "ZeroDivisionError" in app.crash.reports[0]


def test_a_damaged_database_gets_a_plain_dialog_naming_file_and_backup(qtbot, tmp_path, monkeypatch) -> None:
    from netjournal.core.backup import daily_backup
    from netjournal.core.db import open_journal

    data = DataDir(tmp_path / "journal").ensure()
    open_journal(data).close()
    backup = daily_backup(data)
    data.database.write_bytes(b"not a database, sorry" * 200)
    shown: list[QMessageBox] = []

    def fake_exec(box: QMessageBox) -> int:
        shown.append(box)
        return 0

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    args = argparse.Namespace(demo=False, data_dir=str(data.root), verbose=False, smoke=False, minimized=False)
    assert run_gui(args) == 1
    [box] = shown
    assert box.textFormat().name == "PlainText"
    assert str(data.database) in box.text()
    assert f'netjournal restore "{backup}"' in box.informativeText()
    assert "untouched" in box.informativeText()
    assert data.database.read_bytes() == b"not a database, sorry" * 200


def test_demo_never_touches_the_users_journal(tmp_path: Path) -> None:
    user = tmp_path / "user-journal"
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "NETJOURNAL_DATA_DIR": str(user), "TMPDIR": str(temp)}
    proc = subprocess.run(
        [sys.executable, "-m", "netjournal", "--demo", "--smoke"], env=env, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    assert not user.exists() or not any(user.iterdir())
    assert (temp / "netjournal-demo" / "journal.sqlite3").exists()


def _action(app: NetjournalApp, shortcut: str):
    for action in app.window.findChildren(type(app.action_about)):
        if action.shortcut() == QKeySequence(shortcut):
            return action
    raise AssertionError(f"no action for {shortcut}")


def test_keyboard_shortcuts_reach_the_main_actions(qtbot, app, monkeypatch) -> None:
    opened: list[str] = []
    monkeypatch.setattr(PersonDialog, "exec", lambda d: opened.append(d.windowTitle()) or 0)
    _action(app, "Ctrl+N").trigger()
    assert opened == ["Add a person"]
    assert app.window.stack.currentWidget() is app.people
    assert _action(app, "Ctrl+Z") is app.trash.action_undo
    assert _action(app, "Ctrl+2").text() == "People"


def test_about_says_the_data_stays_here(qtbot, app) -> None:
    app.action_about.trigger()
    dialog = app.about_dialog
    qtbot.addWidget(dialog)
    assert "your data stays on this machine" in dialog.body.text().lower()
    assert str(app.journal.data_dir.root) in dialog.body.text()


def test_the_window_title_names_the_section(app) -> None:
    # The taskbar (and a desktop test reading it) can tell where the user is.
    assert app.window.windowTitle() == "Today"
    app.window.show_section("people")
    assert app.window.windowTitle() == "People"


def test_the_undo_timer_goes_with_the_window(qtbot, journal) -> None:
    # It used to belong to the app object, which outlives the window: a delete's Undo bar timer then
    # fired on a deleted bar (RuntimeError) after the window was gone.
    import shiboken6

    app = NetjournalApp(QApplication.instance(), journal, interactive=False)
    timer = app.trash._hide
    app.shutdown()
    app.window.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(timer))


def test_quick_log_and_edit_dialogs_do_not_outlive_their_use(app, journal, now, monkeypatch) -> None:
    # Each dialog holds everyone's names for its completer: kept alive, a day of logging grows the app.
    from PySide6.QtCore import QCoreApplication, QEvent

    from netjournal.ui.quicklog import QuickLogDialog
    from tests.factories import meeting, person

    with journal.session() as s:
        entry = meeting(s, person(s, "Ada Lovelace", now), now, days_ago=1).id
    monkeypatch.setattr(QuickLogDialog, "exec", lambda self: 0)
    app.window.show()
    for _ in range(3):
        app.quick_log(None)
        app.people.edit_interaction(entry)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert app.window.findChildren(QuickLogDialog) == []


def test_a_locked_journal_opens_with_its_passphrase_file_without_freezing_the_window(
    tmp_path: Path, monkeypatch
) -> None:
    import threading

    from netjournal.core import cipher
    from netjournal.core.db import open_journal

    data = DataDir(tmp_path / "journal").ensure()
    open_journal(data).close()
    cipher.change_protection(data, old_passphrase=None, new_passphrase="lanterns over the river")
    stretched_on: list[str] = []
    real = cipher.derive_key

    def derive(passphrase: str, salt: bytes):
        stretched_on.append(threading.current_thread().name)
        return real(passphrase, salt)

    monkeypatch.setattr(cipher, "derive_key", derive)
    asked: list[QMessageBox] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: asked.append(box) or 0)
    right, wrong = tmp_path / "right.txt", tmp_path / "wrong.txt"
    right.write_text("lanterns over the river\n")
    wrong.write_text("not the passphrase\n")

    def start(file: Path) -> int:
        args = argparse.Namespace(
            demo=False, data_dir=str(data.root), verbose=False, smoke=True, minimized=False, passphrase_file=str(file)
        )
        return run_gui(args)

    # The passphrase is stretched once, off the GUI thread, and the app opens with no dialog.
    assert start(right) == 0
    assert len(stretched_on) == 1 and stretched_on[0] != threading.main_thread().name and not asked
    # A file that does not open it changes nothing: the usual unlock tries it (in a smoke run, no
    # dialog), and the journal stays locked and untouched.
    stretched_on.clear()
    assert start(wrong) == 1
    assert stretched_on[0] != threading.main_thread().name and threading.main_thread().name in stretched_on
