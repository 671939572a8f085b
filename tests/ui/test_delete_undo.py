"""Every delete in the window goes to the trash with the same Undo: the bar, Ctrl+Z, and File > Trash… later."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from sqlalchemy import select

from netjournal.app import NetjournalApp
from netjournal.core import ladder as ld
from netjournal.core import prep
from netjournal.core import reflections as rf
from netjournal.core.clock import utcnow
from netjournal.core.models import Ladder, Plan, Reflection
from netjournal.ui.form_parts import ID_ROLE
from netjournal.ui.reflect.ladders import LadderDialog
from netjournal.ui.trash import TrashDialog
from tests import factories


def _live(journal, model: type) -> int:
    with journal.read() as s:
        return len([r for r in s.scalars(select(model)) if r.deleted_at is None])


def _undo_bar_says(qtbot, app: NetjournalApp, text: str) -> None:
    qtbot.waitUntil(lambda: app.trash.bar.label.text() == text)
    assert app.trash.bar.isVisibleTo(app.window) and app.trash.action_undo.isEnabled()


def test_deleting_a_plan_offers_undo_and_ctrl_z_brings_it_back(qtbot, app, journal) -> None:
    now = utcnow()
    with journal.session() as s:
        p = factories.person(s, "Priya Raman", now)
        plan_id = prep.create_plan(s, prep.PlanData(person_id=p.id, title="Coffee with Priya"), now=now).id
    view = app.prepare
    view.open(plan_id)
    qtbot.waitUntil(lambda: view.plan_id == plan_id and view.delete_button.isEnabled())
    view.editor.purpose.setPlainText("She knows the platform team")  # typed, not saved
    view.delete_button.click()
    _undo_bar_says(qtbot, app, "Deleted Coffee with Priya.")
    qtbot.waitUntil(lambda: view.plan_id is None)
    assert _live(journal, Plan) == 0
    app.trash.action_undo.trigger()  # Ctrl+Z
    qtbot.waitUntil(lambda: _live(journal, Plan) == 1)
    qtbot.waitUntil(lambda: view.plans.count() == 1)
    # The unsaved typing was kept as a draft through the delete and the undo.
    view.open(plan_id)
    qtbot.waitUntil(lambda: view.editor.purpose.toPlainText() == "She knows the platform team")
    assert "Recovered" in view.status.text()


def test_deleting_a_reflection_offers_undo(qtbot, app, journal) -> None:
    now = utcnow()
    with journal.session() as s:
        rf.save_reflection(
            s, rf.DiscomfortForm(title="Design meetup", situation="Meetup", prediction="awkward"), now=now
        )
    app.journal_changed.emit()
    pane = app.reflect.reflections
    qtbot.waitUntil(lambda: pane.list.count() == 1 and pane.list.item(0).data(ID_ROLE) is not None)
    pane.list.setCurrentRow(0)
    pane.delete_button.click()
    _undo_bar_says(qtbot, app, "Deleted Design meetup.")
    assert _live(journal, Reflection) == 0
    app.trash.action_undo.trigger()
    qtbot.waitUntil(lambda: _live(journal, Reflection) == 1)
    qtbot.waitUntil(lambda: pane.list.item(0).data(ID_ROLE) is not None)


def test_deleting_a_ladder_asks_nothing_offers_undo_and_the_trash_keeps_it(qtbot, app, journal) -> None:
    with journal.session() as s:
        ld.create_starter_ladder(s, now=utcnow())
    app.journal_changed.emit()
    pane = app.reflect.ladders
    qtbot.waitUntil(lambda: pane.list.count() == 1)
    pane.list.setCurrentRow(0)
    pane.delete_button.click()  # no "are you sure" box: it would block here
    qtbot.waitUntil(lambda: app.trash.bar.label.text().startswith("Deleted "))
    assert _live(journal, Ladder) == 0
    app.trash._expire()  # the Undo moment has passed: the trash still has it
    dialog = TrashDialog(app.trash, app.window)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.list.count() == 1 and bool(dialog.list.item(0).data(Qt.ItemDataRole.UserRole)))
    assert dialog.list.item(0).text().startswith("Ladder: ")
    dialog.list.setCurrentRow(0)
    dialog.restore_selected()
    qtbot.waitUntil(lambda: _live(journal, Ladder) == 1)
    qtbot.waitUntil(lambda: pane.list.count() == 1)


def test_a_step_removed_in_the_ladder_editor_goes_to_the_trash_with_undo(qtbot, app, journal, monkeypatch) -> None:
    with journal.session() as s:
        lad = ld.create_starter_ladder(s, now=utcnow())
        ld.add_attempt(s, lad.steps[0].id, at=utcnow(), suds_before=30, suds_peak=25, suds_after=10)
    app.journal_changed.emit()
    pane = app.reflect.ladders
    qtbot.waitUntil(lambda: pane.list.count() == 1)
    pane.list.setCurrentRow(0)

    def remove_first(dialog: LadderDialog) -> int:
        dialog.table.setCurrentCell(0, 0)
        dialog.remove_step()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(LadderDialog, "exec", remove_first)
    pane.edit_ladder()
    _undo_bar_says(qtbot, app, "Removed 1 step from the ladder.")
    qtbot.waitUntil(lambda: pane.steps.topLevelItemCount() == 11)
    app.trash.action_undo.trigger()  # Ctrl+Z: the step comes back (as its own ladder) with its try
    qtbot.waitUntil(lambda: _live(journal, Ladder) == 2)
    with journal.read() as s:
        back = next(x for x in ld.list_ladders(s) if x.goal.startswith("Steps removed from"))
        assert len(back.steps) == 1 and len(back.steps[0].attempts) == 1
