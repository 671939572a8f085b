"""The Prepare section as a user meets it: plan a meeting, add suggestions, save, print to PDF, debrief."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrintDialog
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QInputDialog, QLabel, QMenu
from sqlalchemy import func, select

from netjournal.app import NetjournalApp
from netjournal.core import prep, prompts
from netjournal.core.clock import utcnow
from netjournal.core.drafts import load_draft
from netjournal.core.journal import add_commitment, open_commitments
from netjournal.core.models import Direction, Interaction, InteractionState, Plan
from netjournal.ui.form_parts import ID_ROLE
from netjournal.ui.prep_sheet import pdf_page_count
from netjournal.ui.prepare.debrief import DebriefDialog
from netjournal.ui.prepare.section import PrepareView
from tests.factories import meeting, person
from tests.qt_support import on_screen


def _app(qtbot, journal) -> NetjournalApp:
    app = NetjournalApp(QApplication.instance(), journal, interactive=False)
    qtbot.addWidget(app.window)
    return app


def _seed(journal) -> tuple[int, int]:
    now = utcnow()
    with journal.session() as s:
        p = person(s, "Priya Raman", now, role="Staff engineer", organisation="Northwind Labs")
        meeting(s, p, now, days_ago=20, topics="half marathon")
        add_commitment(s, p.id, Direction.I_OWE, "send the article on feedback", now=now)
        planned = meeting(s, p, now, days_ago=-1, state=InteractionState.PLANNED, title="Coffee at Luna")
        return p.id, planned.id


def _plans(journal) -> list[Plan]:
    with journal.read() as s:
        return list(s.scalars(select(Plan)))


def test_plan_from_a_person_with_suggestions_save_and_pdf(qtbot, journal, tmp_path: Path, monkeypatch) -> None:
    pid, _meeting = _seed(journal)
    app = _app(qtbot, journal)
    try:
        view: PrepareView = app.prepare
        app.window.show_section("prepare")
        view.plan_for_person(pid)
        qtbot.waitUntil(lambda: view.editor.person.text() == "Priya Raman · Northwind Labs")
        assert view.editor.questions.count() == 3  # three chosen by default
        # Her suggestions (the blank plan's, read when the section was built, may come first).
        qtbot.waitUntil(lambda: any(r.suggestion.text.startswith("Bring or mention") for r in view.suggestions.rows))
        rows = {r.suggestion.text: r for r in view.suggestions.rows}
        offer = rows["Bring or mention: send the article on feedback"]
        assert "You said you'd send the article on feedback" in offer.why.text()
        role = next(r for t, r in rows.items() if "Staff engineer at Northwind Labs" in t)
        role.add_button.click()
        assert view.editor.questions.count() == 4
        assert "Staff engineer" in view.editor.questions.item(3).text()
        view.editor.ask.setText("Would you look at my <b>plan</b>?")
        view.save_button.click()
        qtbot.waitUntil(lambda: view.plan_id is not None)
        qtbot.waitUntil(lambda: view.plans.count() == 1)
        [plan] = _plans(journal)
        assert plan.person_id == pid and len(plan.questions) == 4 and plan.ask == "Would you look at my <b>plan</b>?"

        target = tmp_path / "priya.pdf"
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "PDF files (*.pdf)"))
        view.pdf_button.click()
        app.ops.wait_idle()  # the sheet's data comes from the database thread
        content = target.read_bytes()
        assert content.startswith(b"%PDF") and pdf_page_count(content) == 1
        assert view.last_pdf == target
    finally:
        app.shutdown()


def test_tray_entry_opens_the_plan_for_the_next_meeting_and_debrief_saves_one_interaction(
    qtbot, journal, monkeypatch
) -> None:
    pid, meeting_id = _seed(journal)
    app = _app(qtbot, journal)
    try:
        view: PrepareView = app.prepare
        qtbot.waitUntil(lambda: view.upcoming.count() == 1)
        assert "Coffee at Luna" in view.upcoming.item(0).text()
        app.prepare_next()  # what "Prepare next meeting…" in the tray and the Go menu do
        qtbot.waitUntil(lambda: view.plan_id is not None and view.editor.title.text() == "Coffee at Luna")
        assert app.window.stack.currentWidget() is view
        plan_id = view.plan_id

        def fill(dialog: DebriefDialog) -> QDialog.DialogCode:
            dialog.how.setPlainText("Warm; she's running the half in April.")
            dialog.warmth.setValue(4)
            dialog.liking.setValue(5)
            dialog.follow_ups.setValue(6)
            dialog.i_owe.setText("Send the slides")
            return QDialog.DialogCode.Accepted

        monkeypatch.setattr(DebriefDialog, "exec", fill)
        view.debrief_button.click()
        qtbot.waitUntil(lambda: view.debriefed)
        with journal.read() as s:
            done = s.get(Interaction, meeting_id)
            assert done.state is InteractionState.DONE and done.warmth == 4 and done.follow_up_questions == 6
            assert s.scalar(select(func.count()).select_from(Interaction)) == 2  # the earlier coffee + this one
            assert s.get(Plan, plan_id).debrief_id == meeting_id
            assert "Send the slides" in [c.text for c in open_commitments(s, pid)]
    finally:
        app.shutdown()


def test_debrief_dialog_says_it_takes_ten_minutes(qtbot) -> None:
    dialog = DebriefDialog(None, "Coffee <b>with</b> Priya")
    qtbot.addWidget(dialog)
    texts = [label.text() for label in dialog.findChildren(QLabel)]
    intro = next(t for t in texts if "ten minutes" in t)
    assert "Coffee <b>with</b> Priya" in intro  # shown as plain text, not markup


def test_tray_menu_has_the_prepare_entry(qtbot, app, journal) -> None:
    if app.tray is None:  # offscreen has no tray; the Go menu carries the same entry
        titles = [a.text() for a in app.window.menu_go.actions()]
        assert "Prepare next meeting…" in titles
    else:
        menu = QMenu()
        for fill in app.tray.fillers:
            fill(menu)
        assert "Prepare next meeting…" in [a.text() for a in menu.actions()]


def test_question_bank_browser_filters_favourites_hides_and_adds(qtbot, app, journal, monkeypatch) -> None:
    view: PrepareView = app.prepare
    bank = view.bank
    view.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: bank.list.topLevelItemCount() >= 150)
    bank.situation.setCurrentIndex(bank.situation.findData("job_search"))
    bank.purpose.setCurrentIndex(bank.purpose.findData("advice_ask"))
    qtbot.waitUntil(lambda: 0 < bank.list.topLevelItemCount() < 40)
    assert all("job_search" in e.situations and "advice_ask" in e.purposes for e in bank.entries)
    first = bank.entries[0]
    bank.list.setCurrentItem(bank.list.topLevelItem(0))
    bank.fav_button.click()
    qtbot.waitUntil(lambda: bank.entries and bank.entries[0].favourite)
    bank.list.setCurrentItem(bank.list.topLevelItem(0))
    bank.hide_button.click()
    qtbot.waitUntil(lambda: first.key not in [e.key for e in bank.entries])
    with journal.read() as s:
        assert prompts.get_entry(s, first.key).hidden and prompts.get_entry(s, first.key).favourite

    before = view.editor.questions.count()
    bank.list.setCurrentItem(bank.list.topLevelItem(0))
    bank.add_button.click()
    qtbot.waitUntil(lambda: view.editor.questions.count() == before + 1)

    monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *a, **k: ("Which café here is your favourite?", True))
    bank.own_button.click()
    qtbot.waitUntil(lambda: any(e.text == "Which café here is your favourite?" for e in bank.entries))
    mine = next(e for e in bank.entries if e.own)
    assert mine.situations == ("job_search",) and mine.purposes == ("advice_ask",)


def test_plan_typing_is_autosaved_and_recovered(qtbot, journal) -> None:
    pid, _m = _seed(journal)
    app = _app(qtbot, journal)
    try:
        view: PrepareView = app.prepare
        view.plan_for_person(pid)
        qtbot.waitUntil(lambda: view.editor.person.text() == "Priya Raman · Northwind Labs")
        view.editor.purpose.setPlainText("She knows the platform world — 谢谢")
        key = f"plan:new:{pid}:"

        def saved() -> bool:
            with journal.read() as s:
                d = load_draft(s, key)
                return bool(d) and d["purpose"] == "She knows the platform world — 谢谢"

        qtbot.waitUntil(saved, timeout=5000)
    finally:
        app.shutdown()
    # Next start (say after a crash): opening a plan for her brings the text back.
    app = _app(qtbot, journal)
    try:
        view = app.prepare
        view.plan_for_person(pid)
        qtbot.waitUntil(lambda: view.editor.purpose.toPlainText() == "She knows the platform world — 谢谢")
        assert "Recovered" in view.status.text()
    finally:
        app.shutdown()


def test_meeting_without_plan_opens_a_fresh_one(qtbot, journal) -> None:
    now = utcnow()
    with journal.session() as s:
        p = person(s, "Jonas", now)
        m = meeting(s, p, now, days_ago=-3, state=InteractionState.PLANNED, title="Call with Jonas")
        meeting_id = m.id
        other = prep.create_plan(s, prep.new_plan(s, now, person_id=p.id), now=now)
        assert other.meeting_id is None
    app = _app(qtbot, journal)
    try:
        view = app.prepare
        qtbot.waitUntil(lambda: view.upcoming.count() == 1 and view.upcoming.item(0).data(ID_ROLE))
        on_screen(qtbot, app, "prepare")  # as the user clicks it
        item = view.upcoming.item(0)
        qtbot.mouseClick(
            view.upcoming.viewport(), Qt.MouseButton.LeftButton, pos=view.upcoming.visualItemRect(item).center()
        )
        qtbot.waitUntil(lambda: view.editor.title.text() == "Call with Jonas")
        assert view.plan_id is None and view.editor.plan_data().meeting_id == meeting_id
        assert view.editor.has_time.isChecked()
        assert abs(view.editor.plan_data().at - (now + timedelta(days=3))) < timedelta(minutes=1)
    finally:
        app.shutdown()


def test_print_sends_one_page_to_the_printer(qtbot, journal, tmp_path: Path, monkeypatch) -> None:
    pid, _m = _seed(journal)
    app = _app(qtbot, journal)
    out = tmp_path / "printed.pdf"
    try:
        view = app.prepare
        view.plan_for_person(pid)
        qtbot.waitUntil(lambda: view.editor.person.text() == "Priya Raman · Northwind Labs")

        def accept(dialog: QPrintDialog) -> int:
            dialog.printer().setOutputFileName(str(out))  # a "printer" that writes a PDF
            return int(QDialog.DialogCode.Accepted)

        monkeypatch.setattr(QPrintDialog, "exec", accept)
        view.print_button.click()
        app.ops.wait_idle()
        assert pdf_page_count(out.read_bytes()) == 1
    finally:
        app.shutdown()


def test_prepare_from_the_person_shown_in_people(qtbot, journal) -> None:
    pid, _m = _seed(journal)
    app = _app(qtbot, journal)
    try:
        app.people.show_person(pid)
        qtbot.waitUntil(lambda: app.people.page.person_id == pid)
        action = next(a for a in app.window.menu_go.actions() if a.text() == "Prepare a meeting with this person…")
        assert action.shortcut().toString() == "Ctrl+Shift+P"
        action.trigger()
        view = app.prepare
        qtbot.waitUntil(lambda: view.editor.person.text() == "Priya Raman · Northwind Labs")
        assert app.window.stack.currentWidget() is view and view.plan_id is None
    finally:
        app.shutdown()


def test_debrief_left_as_it_opens_keeps_the_meeting_time_and_saves_no_ratings(qtbot, journal, monkeypatch) -> None:
    now = utcnow().replace(second=0, microsecond=0)
    with journal.session() as s:
        p = person(s, "Lea Fischer", now)
        planned = meeting(s, p, now, days_ago=3 / 24, state=InteractionState.PLANNED, title="Coffee with Lea")
        plan_id = prep.create_plan(s, prep.new_plan(s, now, meeting_id=planned.id), now=now).id
        meeting_id = planned.id
    app = _app(qtbot, journal)
    try:
        view: PrepareView = app.prepare
        view.open(plan_id)
        qtbot.waitUntil(lambda: view.plan_id == plan_id and view.editor.title.text() == "Coffee with Lea")
        seen: list[tuple[str, str]] = []

        def accept_untouched(dialog: DebriefDialog) -> QDialog.DialogCode:
            seen.append((dialog.warmth.text(), dialog.follow_ups.text()))  # the dialog is gone once answered
            dialog.how.setPlainText("Good to see her.")
            return QDialog.DialogCode.Accepted

        monkeypatch.setattr(DebriefDialog, "exec", accept_untouched)
        view.debrief_button.click()
        qtbot.waitUntil(lambda: view.debriefed)
        assert seen == [("not rated", "not counted")]
        with journal.read() as s:
            done = s.get(Interaction, meeting_id)
            assert done.state is InteractionState.DONE
            assert done.at == now - timedelta(hours=3)  # when they met, not when the debrief was typed
            assert (done.warmth, done.perceived_liking, done.follow_up_questions, done.energy_after) == (None,) * 4
    finally:
        app.shutdown()


def _editor_texts(view: PrepareView) -> list[str]:
    e = view.editor
    return [e.questions.item(i).text() for i in range(e.questions.count())] + [
        e.intro.toPlainText(),
        e.exit_line.text(),
        e.follow_ups.toPlainText(),
        e.ask.text(),
    ]


def test_the_editor_never_shows_a_templates_blanks(qtbot, journal, monkeypatch) -> None:
    now = utcnow()
    with journal.session() as s:
        p = person(s, "Priya Raman", now, organisation="Northwind Labs")
        questions = [
            {"key": "opener.what_drew_you", "text": "What drew you to [organisation] in the first place?"},
            {"key": "opener.your_corner", "text": "What part of [field] do you spend most of your time on?"},
        ]
        old = prep.PlanData(
            person_id=p.id,
            title="Old plan",
            situation="first_meeting",
            questions=questions,
            intro_script="Hi, I'm [my name]. I work on [what I do] at [organisation].",
        )
        old_plan = prep.create_plan(s, old, now=now).id
        pid = p.id
    app = _app(qtbot, journal)
    try:
        view: PrepareView = app.prepare
        # A plan saved with blanks (before they were filled) opens filled, or with another line.
        view.open(old_plan)
        qtbot.waitUntil(lambda: view.plan_id == old_plan and view.editor.title.text() == "Old plan")
        texts = _editor_texts(view)
        assert "What drew you to Northwind Labs in the first place?" in texts
        assert not any("[" in t for t in texts), texts
        qtbot.waitUntil(lambda: len(view.suggestions.rows) > 3)
        assert not any("[" in r.suggestion.text for r in view.suggestions.rows)

        # From the bank: what the journal knows is filled in; what it cannot know, the user is asked for.
        view.plan_for_person(pid)
        qtbot.waitUntil(lambda: view.editor.person.text().startswith("Priya Raman") and view.plan_id is None)
        answers = {"my name": "Alex", "what I do": "data tooling", "topic": "testing", "organisation": "Acme"}
        asked: list[str] = []

        def answer(_parent, _title, label, *a, **k):  # type: ignore[no-untyped-def]
            blank = label.split("”")[0].lstrip("“")
            asked.append(blank)
            return answers.get(blank, ""), blank in answers

        monkeypatch.setattr(QInputDialog, "getText", answer)
        before = view.editor.questions.count()
        view._add_from_bank(
            "career.org_culture", "What's it like to work at [organisation]? What do people value there?"
        )
        qtbot.waitUntil(lambda: view.editor.questions.count() == before + 1)
        assert (
            view.editor.questions.item(before).text()
            == "What's it like to work at Northwind Labs? What do people value there?"
        )
        assert asked == []
        view._add_from_bank(
            "intro.speaker",
            "I enjoyed your talk on [topic]. I'm [my name]; I work on something similar at [organisation].",
        )
        qtbot.waitUntil(lambda: "testing" in view.editor.intro.toPlainText())
        assert asked == ["topic", "my name", "organisation"]  # in my intro, [organisation] is mine: asked
        assert view.editor.intro.toPlainText() == (
            "I enjoyed your talk on testing. I'm Alex; I work on something similar at Acme."
        )
        # Cancelled: nothing half-filled is added.
        view._add_from_bank("opener.your_corner", "What part of [field] do you spend most of your time on?")
        qtbot.waitUntil(lambda: "field" in asked)
        assert view.editor.questions.count() == before + 1
        assert not any("[" in t for t in _editor_texts(view))
    finally:
        app.shutdown()


def test_my_name_from_settings_fills_the_intro(qtbot, journal, monkeypatch) -> None:
    from netjournal.ui import settings_dialog

    with journal.session() as s:
        pid = person(s, "Priya Raman", utcnow()).id
    app = _app(qtbot, journal)
    try:
        view: PrepareView = app.prepare
        view.plan_for_person(pid)
        qtbot.waitUntil(lambda: view.editor.person.text() == "Priya Raman")
        assert "[" not in view.editor.intro.toPlainText() and "I'm" not in view.editor.intro.toPlainText()

        def fill(dialog: settings_dialog.SettingsDialog) -> QDialog.DialogCode:
            dialog.my_name.setText("  Alex  ")
            return QDialog.DialogCode.Accepted

        monkeypatch.setattr(settings_dialog.SettingsDialog, "exec", fill)
        app.settings_action.trigger()
        assert app.ops.wait_idle()  # the settings are read, shown and saved in the background
        view.plan_for_person(pid)
        qtbot.waitUntil(lambda: view.editor.intro.toPlainText().startswith("Hi, I'm Alex. "))
    finally:
        app.shutdown()
