"""A dialog made for one question is gone once answered: asking again and again leaves nothing behind."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from netjournal.app import NetjournalApp
from netjournal.ui.person_dialog import PersonDialog
from netjournal.ui.settings_dialog import SettingsDialog, open_settings
from netjournal.ui.trash import TrashDialog
from tests.qt_support import wait_idle


def _alive(kind: type[QDialog]) -> int:
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return sum(isinstance(w, kind) for w in QCoreApplication.instance().allWidgets())  # type: ignore[union-attr]


def test_dialogs_asked_again_and_again_are_not_kept(
    qtbot: QtBot, app: NetjournalApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []

    def cancel(dialog: QDialog) -> int:
        asked.append(type(dialog).__name__)
        return int(QDialog.DialogCode.Rejected)

    monkeypatch.setattr(QDialog, "exec", cancel)
    for _ in range(3):
        app.people.add_person()
        open_settings(app)
        wait_idle(qtbot, app.ops)  # the settings dialog opens once its values are read
    assert asked.count("PersonDialog") == 3 and asked.count("SettingsDialog") == 3
    assert _alive(PersonDialog) == 0 and _alive(SettingsDialog) == 0

    for _ in range(3):
        app.trash.show_trash()
        dialog = app.trash.dialog
        qtbot.waitUntil(dialog.isVisible)
        dialog.reject()
    assert _alive(TrashDialog) == 0  # before, every closed one still re-read the trash on each change
