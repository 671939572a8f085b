"""What a user notices in Reflect: a missing third explanation is asked for gently and nothing is lost;
reflections survive their person going to the trash; ladders suggest the next step; the help hint."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QPushButton

from netjournal.core import ladder as ld
from netjournal.core import reflections as rf
from netjournal.core.clock import utcnow
from netjournal.core.journal import restore, trash
from netjournal.core.models import Reflection, ReflectionKind
from netjournal.ui.form_parts import ID_ROLE, RatingSpin
from netjournal.ui.reflect.ladders import AttemptDialog, LadderDialog
from tests import factories


def _rows(journal) -> list[Reflection]:
    with journal.read() as s:
        return list(s.query(Reflection).order_by(Reflection.id))


def test_two_alternatives_get_a_gentle_prompt_for_a_third_and_are_kept_as_a_draft(qtbot, make_app, journal) -> None:
    with journal.session() as s:
        factories.person(s, "Kwame Mensah", utcnow())
    app = make_app()
    view = app.reflect
    app.window.show_section("reflect")
    editor = view.reflections.new(ReflectionKind.REJECTION)
    assert "About 5 minutes" in editor.duration.text()
    assert "not therapy" in view.note.text() and view.note.isVisible()
    qtbot.keyClicks(editor.widgets["ask"], "20 minutes of advice")
    editor.person.setText("Kwame Mensah")
    editor.widgets["first_interpretation"].setPlainText("He thinks I'm <b>not worth</b> his time.")
    editor.widgets["distortions"].set_keys(["mind_reading"])
    alts = editor.widgets["alternatives"]
    alts.edits[0].setText("He's travelling")
    alts.edits[1].setText("It got buried")
    editor.save_button.click()
    qtbot.waitUntil(lambda: editor.prompt.isVisible() and "To finish it" in editor.prompt.text())
    assert "1 more explanation" in editor.prompt.text()
    assert editor.prompt.textFormat() == Qt.TextFormat.PlainText
    rows = _rows(journal)
    assert len(rows) == 1 and rows[0].is_draft
    assert rows[0].data["first_interpretation"] == "He thinks I'm <b>not worth</b> his time."
    assert rows[0].person_id is not None
    qtbot.waitUntil(lambda: "draft, to finish" in view.reflections.list.item(0).text())

    alts.edits[2].setText("They're on leave")
    editor.save_button.click()
    qtbot.waitUntil(lambda: "Saved. That's enough for now" in editor.prompt.text())
    rows = _rows(journal)
    assert len(rows) == 1 and not rows[0].is_draft and rows[0].counts_as_attempt
    assert rows[0].data["alternatives"] == ["He's travelling", "It got buried", "They're on leave"]


def test_edit_later_keeps_a_half_written_discomfort_reflection(qtbot, app, journal) -> None:
    view = app.reflect
    editor = view.reflections.new(ReflectionKind.DISCOMFORT)
    editor.widgets["situation"].setPlainText("Design meetup, knowing nobody")
    editor.widgets["predicted_suds"].setValue(70)
    editor.later_button.click()
    qtbot.waitUntil(lambda: view.reflections.editor is None)
    qtbot.waitUntil(
        lambda: view.reflections.list.count() == 1 and view.reflections.list.item(0).data(ID_ROLE) is not None
    )
    row = _rows(journal)[0]
    assert row.is_draft and row.predicted_suds == 70 and row.situation == "Design meetup, knowing nobody"
    listing = view.reflections.list
    qtbot.mouseClick(
        listing.viewport(), Qt.MouseButton.LeftButton, pos=listing.visualItemRect(listing.item(0)).center()
    )
    app.ops.wait_idle()  # the reflection comes from the database thread
    again = view.reflections.editor
    assert again is not None and again.widgets["situation"].toPlainText() == "Design meetup, knowing nobody"
    assert again.widgets["predicted_suds"].rating() == 70


def test_reflection_shows_unlinked_while_its_person_is_in_the_trash(qtbot, make_app, journal) -> None:
    now = utcnow()
    with journal.session() as s:
        p = factories.person(s, "Amara Okafor", now)
        rf.save_reflection(s, rf.DiscomfortForm(situation="Meetup", prediction="awkward", person_id=p.id), now=now)
        batch = trash(s, "person", p.id, now=now)
    app = make_app()
    lst = app.reflect.reflections.list
    qtbot.waitUntil(lambda: lst.count() == 1 and lst.item(0).data(ID_ROLE) is not None)
    assert "Amara" not in lst.item(0).text()
    with journal.session() as s:
        restore(s, batch)
    app.journal_changed.emit()
    qtbot.waitUntil(lambda: "Amara Okafor" in lst.item(0).text())


def test_professional_help_hint_appears_after_very_high_distress(qtbot, make_app, journal) -> None:
    now = utcnow()
    with journal.session() as s:
        for d in (1, 3, 5):
            rf.save_reflection(
                s,
                rf.DiscomfortForm(
                    situation="x", prediction="y", predicted_suds=95, occurred_at=now - timedelta(days=d)
                ),
                now=now,
            )
    app = make_app()
    app.window.show_section("reflect")
    hint = app.reflect.hint
    qtbot.waitUntil(lambda: hint.isVisible())
    assert "talking with a counsellor" in hint.text() and hint.textFormat() == Qt.TextFormat.PlainText


def test_starter_ladder_then_an_easier_try_suggests_the_next_step(qtbot, app, journal, monkeypatch) -> None:
    pane = app.reflect.ladders
    pane.starter_button.click()
    qtbot.waitUntil(lambda: pane.steps.topLevelItemCount() == 12)
    assert not pane.suggestion.isVisible()
    pane.steps.setCurrentItem(pane.steps.topLevelItem(0))

    def fill(dialog: AttemptDialog) -> int:
        dialog.before.setValue(25)
        dialog.peak.setValue(8)
        dialog.after.setValue(5)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(AttemptDialog, "exec", fill)
    pane.try_button.click()
    qtbot.waitUntil(lambda: pane.steps.topLevelItem(0).text(2) == "1")
    assert pane.suggestion.text().startswith("“Reply to a colleague")
    assert "next step could be" in pane.suggestion.text()
    with journal.read() as s:
        (lad,) = ld.list_ladders(s)
        assert lad.steps[0].attempts[0].suds_peak == 8


def test_unsaved_changes_to_a_saved_reflection_come_back_when_it_is_opened_again(qtbot, make_app, journal) -> None:
    now = utcnow()
    with journal.session() as s:
        rid = rf.save_reflection(s, rf.DiscomfortForm(situation="Meetup", prediction="awkward"), now=now).id
    app = make_app()
    pane = app.reflect.reflections
    pane.open(rid)
    app.ops.wait_idle()  # the reflection, then its draft, come from the database thread
    editor = pane.editor
    assert editor is not None
    editor.widgets["learning"].setPlainText("Two people talked to me first")
    editor.close_button.click()
    assert pane.editor is None
    pane.open(rid)
    app.ops.wait_idle()
    again = pane.editor
    assert again is not None
    assert again.widgets["learning"].toPlainText() == "Two people talked to me first"
    assert "Recovered" in again.prompt.text()
    fresh = pane.new(ReflectionKind.REJECTION)
    app.ops.wait_idle()
    fresh.close_button.click()
    blank = pane.new(ReflectionKind.REJECTION)
    app.ops.wait_idle()
    assert blank.prompt.text() == ""  # nothing typed: nothing to recover


def test_a_rating_starts_empty_and_steps_onto_the_scale(qtbot) -> None:
    spin = RatingSpin(0, 100)
    qtbot.addWidget(spin)
    assert spin.rating() is None and spin.text() == "not rated"
    spin.stepBy(1)
    assert spin.rating() == 0
    spin.stepBy(2)
    assert spin.rating() == 10
    liking = RatingSpin(1, 7)
    qtbot.addWidget(liking)
    liking.stepBy(1)
    assert liking.rating() == 1


def test_a_reflection_about_a_meeting_keeps_its_link_when_edited(qtbot, make_app, journal) -> None:
    now = utcnow()
    with journal.session() as s:
        p = factories.person(s, "Priya Raman", now)
        meeting_id = factories.meeting(s, p, now, days_ago=1).id
    app = make_app()
    view = app.reflect
    qtbot.waitUntil(lambda: any(r.name == "Priya Raman" for r in view.reflections.people))
    editor = view.start(ReflectionKind.DISCOMFORT, person_id=p.id, interaction_id=meeting_id)
    assert editor.person.text() == "Priya Raman"
    editor.widgets["situation"].setPlainText("Coffee with Priya")
    editor.widgets["prediction"].setPlainText("Long silences")
    editor.save_button.click()
    qtbot.waitUntil(lambda: "Saved. That's enough" in editor.prompt.text())
    editor.widgets["learning"].setPlainText("No long silences at all")
    editor.save_button.click()
    qtbot.waitUntil(lambda: _rows(journal)[0].data.get("learning") == "No long silences at all")
    row = _rows(journal)[0]
    assert row.interaction_id == meeting_id and row.person_id == p.id


def test_adding_a_step_to_a_ladder_updates_the_advice_without_an_error(qtbot) -> None:
    # The new row's discomfort box did not exist yet when the table announced the row: the advice read it.
    dialog = LadderDialog(None)
    qtbot.addWidget(dialog)
    rows = dialog.table.rowCount()
    [add] = [b for b in dialog.findChildren(QPushButton) if b.text() == "Add a step"]
    add.click()
    assert dialog.table.rowCount() == rows + 1
    dialog.table.item(rows, 0).setText("Say hello to one new person")
    assert [s.text for s in dialog.data().steps][-1] == "Say hello to one new person"
