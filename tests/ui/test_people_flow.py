"""The first flow a user takes: add a person, log a meeting, see it on their timeline."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from netjournal.ui.people import PersonDialog
from netjournal.ui.quicklog import QuickLogDialog
from tests.qt_support import click_accept


def test_add_person_log_meeting_and_see_it_on_the_timeline(qtbot, app, journal, monkeypatch) -> None:
    people = app.people

    def fill_person(dialog: PersonDialog) -> QDialog.DialogCode:
        qtbot.keyClicks(dialog.name, "Priya Raman")
        dialog.organisation.setText("Northwind <b>Labs</b>")
        click_accept(dialog)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(PersonDialog, "exec", fill_person)
    people.add_person()
    qtbot.waitUntil(lambda: people.model.rowCount() == 1)
    qtbot.waitUntil(lambda: people.page.title.text() == "Priya Raman")
    assert "Northwind <b>Labs</b>" in people.page.subtitle.text()
    assert people.page.subtitle.textFormat() == Qt.TextFormat.PlainText

    def fill_log(dialog: QuickLogDialog) -> int:
        # Opened from her page: her, by id, shown with her organisation once the list has come.
        assert dialog.person.person_id() is not None
        qtbot.waitUntil(lambda: dialog.person.text().startswith("Priya Raman · Northwind"))
        dialog.note.setPlainText("Talked about her half marathon")
        dialog.warmth.setValue(4)
        dialog.save()
        dialog.ops.wait_idle()
        return int(dialog.result())

    monkeypatch.setattr(QuickLogDialog, "exec", fill_log)
    people.page.log_button.click()
    qtbot.waitUntil(
        lambda: (
            "half marathon"
            in "\n".join(people.page.timeline.item(i).text() for i in range(people.page.timeline.count()))
        )
    )
    first = people.page.timeline.item(0).text()
    assert "Coffee" in first and "●●●●○" in first


def test_quick_log_asks_for_a_name_instead_of_failing(qtbot, app, journal, monkeypatch) -> None:
    monkeypatch.setattr(QuickLogDialog, "_confirm_new_person", lambda self, name: False)
    dialog = QuickLogDialog(app.ops)
    qtbot.addWidget(dialog)
    dialog.save()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "Who was it with" in dialog.error.text()
    dialog.person.setText("#9999")  # a reference to no one is never offered as a new person
    dialog.save()
    app.ops.wait_idle()
    assert "No one called" in dialog.error.text()
