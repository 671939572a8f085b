"""The People section as a user meets it: filters, the person page, quick log, delete and undo, drafts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDateEdit, QDialog
from sqlalchemy import select

from netjournal.app import NetjournalApp
from netjournal.core.clock import utcnow
from netjournal.core.drafts import load_draft, save_draft
from netjournal.core.journal import PersonData, add_commitment, get_person, open_commitments
from netjournal.core.models import Commitment, Direction, PersonStatus
from netjournal.ui.people_model import PeopleFilter, PeopleModel, PersonRow, Sort
from netjournal.ui.person_dialog import PersonDialog
from netjournal.ui.quicklog import QuickLogDialog
from netjournal.ui.trash import TrashDialog
from tests import factories as f
from tests.qt_support import click_accept, on_screen, wait_idle


def _seed(journal) -> dict[str, int]:
    now = utcnow()
    with journal.session() as s:
        priya = f.person(s, "Priya Raman", now, organisation="Northwind", circle=15, tags=["python"])
        kwame = f.person(s, "Kwame Mensah", now, circle=500)
        noor = f.person(s, "Noor Haddad", now, status=PersonStatus.DORMANT)
        f.meeting(s, priya, now, days_ago=9, notes="Half marathon training")
        f.meeting(
            s, kwame, now, days_ago=3, notes="Asked about climate roles", awaiting_reply=True, initiated_by_me=True
        )
        return {"priya": priya.id, "kwame": kwame.id, "noor": noor.id}


def _loaded(qtbot, app: NetjournalApp, n: int) -> None:
    # The rows come first and the last-contact dates a moment later (a second query); the Recent sort
    # and the second lines need both, so wait until the worker has delivered everything.
    qtbot.waitUntil(lambda: app.people.model.total == n)
    wait_idle(qtbot, app.ops)


def _listed(qtbot, app: NetjournalApp, n: int) -> None:
    """People shows what is in the journal now: `n` people, every row complete."""
    app.journal_changed.emit()
    _loaded(qtbot, app, n)


@pytest.fixture
def seeded(qtbot, app: NetjournalApp, journal) -> dict[str, int]:
    """_seed's three people, listed in People: their ids."""
    ids = _seed(journal)
    _listed(qtbot, app, 3)
    return ids


def _open(qtbot, view, person_id: int, name: str) -> None:
    view.select_person(person_id)
    qtbot.waitUntil(lambda: view.page.title.text() == name)


def _names(app: NetjournalApp) -> list[str]:
    m = app.people.model
    return [m.index(i).data() for i in range(m.rowCount())]


def test_status_filter_shows_only_people_waiting_for_a_reply(qtbot, app, seeded) -> None:
    view = app.people
    assert view.count.text() == "3 people"
    view.set_status_filter(PersonStatus.WAITING)
    assert _names(app) == ["Kwame Mensah"]
    assert view.count.text() == "1 of 3"
    view.set_status_filter(None)
    view.tag.setCurrentIndex(view.tag.findData("python"))
    assert _names(app) == ["Priya Raman"]
    view.tag.setCurrentIndex(0)
    view.sort.setCurrentIndex(view.sort.findData(Sort.RECENT))
    assert _names(app) == ["Kwame Mensah", "Priya Raman", "Noor Haddad"]  # never met: last
    qtbot.waitUntil(
        lambda: (
            app.people.model.index(1).data(Qt.ItemDataRole.UserRole + 3) == "Northwind · last in touch nine days ago"
        )
    )


def test_editing_ford_notes_persists_and_shows_on_the_page(qtbot, app, journal, monkeypatch, seeded) -> None:
    ids = seeded
    view = app.people
    _open(qtbot, view, ids["priya"], "Priya Raman")

    def fill(dialog: PersonDialog) -> QDialog.DialogCode:
        dialog.ford_family.setPlainText("Two kids, a <i>very</i> loud dog")
        dialog.ford_dreams.setPlainText("Run Berlin marathon")
        dialog.phones.add_row("mobile", "+44 7700 900123")
        click_accept(dialog)
        return dialog.result()

    monkeypatch.setattr(PersonDialog, "exec", fill)
    view.page.edit_button.click()
    qtbot.waitUntil(lambda: any("loud dog" in v for _, v in (view.page.info.about if view.page.info else [])))
    with journal.read() as s:
        p = get_person(s, ids["priya"])
        assert p.ford_family == "Two kids, a <i>very</i> loud dog"
        assert p.ford_dreams == "Run Berlin marathon"
        assert [c.value for c in p.contact_points if c.kind == "phone"] == ["+44 7700 900123"]
        assert [t.name for t in p.tags] == ["python"]  # untouched fields stay
    labels = dict(view.page.info.about)
    assert labels["Dreams"] == "Run Berlin marathon"


def test_person_dialog_picks_dates_with_a_calendar_and_the_year_may_be_left_out(qtbot) -> None:
    # Dates were typed as "1990-04-12" into a grid, and a typo was refused only at Save.
    dialog = PersonDialog(None)
    qtbot.addWidget(dialog)
    dialog.name.setText("Ana")
    dialog.dates.add_button.click()
    _kind, _what, when, known = dialog.dates.rows[0].property("fields")
    assert isinstance(when, QDateEdit) and when.calendarPopup()
    when.setDate(QDate(1990, 4, 12))
    known.setChecked(False)
    assert "1990" not in when.text()  # the year is not shown when it is not known
    click_accept(dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.person_data().dates == [{"kind": "birthday", "label": "", "month": 4, "day": 12, "year": None}]


def test_person_dialog_keeps_contact_labels_editable_and_addresses_as_form_rows(qtbot) -> None:
    data = PersonData(
        name="Kwame Mensah",
        emails=[("work", "kwame@example.org")],
        addresses=[
            {
                "label": "home",
                "street": "1 High St",
                "locality": "Accra",
                "region": "",
                "postcode": "",
                "country": "Ghana",
            }
        ],
    )
    dialog = PersonDialog(None, data)
    qtbot.addWidget(dialog)
    label, value = dialog.emails.rows[0].property("fields")
    assert label.currentText() == "work" and value.text() == "kwame@example.org"
    label.setCurrentText("personal")
    city = dialog.addresses.rows[0].property("fields")["locality"]
    assert city.text() == "Accra"
    city.setText("Kumasi")
    out = dialog.person_data()
    assert out.emails == [("personal", "kwame@example.org")]
    assert out.addresses[0]["locality"] == "Kumasi" and out.addresses[0]["country"] == "Ghana"


def test_quick_log_with_a_promise_shows_it_open_on_the_page(qtbot, app, journal, monkeypatch, seeded) -> None:
    ids = seeded
    view = app.people
    _open(qtbot, view, ids["noor"], "Noor Haddad")

    def fill(dialog: QuickLogDialog) -> int:
        assert dialog.person.person_id() == ids["noor"]  # kept by id; the name shows once the list is in
        qtbot.waitUntil(lambda: dialog.person.text() == "Noor Haddad")
        dialog.note.setPlainText("Caught up after three years")
        dialog.more_toggle.setChecked(True)
        dialog.energy_before.setValue(4)
        dialog.energy_after.setValue(6)
        dialog.i_gave.setText("the facilitation notes")
        dialog.promise.setText("Send the workshop slides")
        dialog.promise_due_on.setChecked(True)
        dialog.save()
        dialog.ops.wait_idle()
        return int(dialog.result())

    monkeypatch.setattr(QuickLogDialog, "exec", fill)
    view.page.log_button.click()
    qtbot.waitUntil(lambda: "You said you'd send the workshop slides" in " ".join(view.page.promise_texts()))
    first = view.page.timeline_texts()[0]
    assert "Caught up after three years" in first
    assert "You gave: the facilitation notes" in first and "Energy 4 → 6" in first
    with journal.read() as s:
        [c] = open_commitments(s, ids["noor"])
        assert c.direction is Direction.I_OWE and c.due_on is not None and c.interaction_id is not None
        assert load_draft(s, "quicklog") is None  # saved: no draft left behind

    # Done: the promise leaves the page.
    view.page.promises_box.findChild(type(view.page.log_button), f"promiseDone{c.id}").click()
    qtbot.waitUntil(lambda: view.page.promise_texts() == [])


def test_delete_person_then_undo_brings_them_back_with_their_timeline(qtbot, app, seeded) -> None:
    ids = seeded
    view = app.people
    _open(qtbot, view, ids["priya"], "Priya Raman")
    view.page.action_delete.trigger()
    qtbot.waitUntil(lambda: app.people.model.total == 2)
    assert "Priya Raman" not in _names(app)
    assert app.trash.bar.label.text() == "Deleted Priya Raman."
    assert app.trash.bar.isVisibleTo(app.window)
    app.trash.action_undo.trigger()  # Ctrl+Z
    qtbot.waitUntil(lambda: app.people.model.total == 3)
    view.select_person(ids["priya"])
    qtbot.waitUntil(lambda: view.page.title.text() == "Priya Raman" and view.right.currentWidget() is view.page)
    qtbot.waitUntil(lambda: any("Half marathon" in t for t in view.page.timeline_texts()))
    assert not app.trash.bar.isVisibleTo(app.window)


def test_delete_an_entry_from_the_timeline_and_restore_it_from_the_trash(qtbot, app, seeded) -> None:
    ids = seeded
    view = app.people
    view.select_person(ids["kwame"])
    qtbot.waitUntil(lambda: any("climate roles" in t for t in view.page.timeline_texts()))
    on_screen(qtbot, app, "people")  # the Delete key reaches the section on screen in the active window
    qtbot.waitUntil(view.page.timeline.isVisible)
    view.page.timeline.setCurrentRow(0)
    view.page.timeline.setFocus()
    qtbot.keyClick(view.page.timeline, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: not any("climate roles" in t for t in view.page.timeline_texts()))
    app.trash._expire()  # the Undo moment has passed: the trash still has it

    dialog = TrashDialog(app.trash, app.window)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.list.count() == 1 and bool(dialog.list.item(0).data(Qt.ItemDataRole.UserRole)))
    assert dialog.list.item(0).text().startswith("Entry: ")
    dialog.list.setCurrentRow(0)
    dialog.restore_selected()
    qtbot.waitUntil(lambda: any("climate roles" in t for t in view.page.timeline_texts()))
    qtbot.waitUntil(lambda: dialog.list.item(0).text() == "The trash is empty.")


def test_edit_an_entry_keeps_its_person_and_changes_the_note(qtbot, app, monkeypatch, seeded) -> None:
    ids = seeded
    view = app.people
    view.select_person(ids["priya"])
    qtbot.waitUntil(lambda: any("Half marathon" in t for t in view.page.timeline_texts()))
    iid = view.page.timeline.item(0).data(Qt.ItemDataRole.UserRole + 10)

    def fill(dialog: QuickLogDialog) -> int:
        dialog.ops.wait_idle()  # the entry comes from the database thread
        assert dialog.person.isReadOnly() and dialog.person.text() == "Priya Raman"
        assert dialog.keeper is None
        dialog.note.setPlainText("Half marathon in April, not March")
        dialog.warmth.setValue(5)
        dialog.save()
        dialog.ops.wait_idle()
        return int(dialog.result())

    monkeypatch.setattr(QuickLogDialog, "exec", fill)
    view.page.edit_interaction_requested.emit(iid)
    qtbot.waitUntil(lambda: "not March" in view.page.timeline_texts()[0])
    assert "●●●●●" in view.page.timeline_texts()[0]


def test_quick_log_recovers_a_draft_after_a_kill(qtbot, app, journal) -> None:
    _seed(journal)
    with journal.session() as s:  # what the autosave wrote before the app was killed
        save_draft(
            s,
            "quicklog",
            {
                "person": "Priya Raman",
                "note": "She mentioned a job at Kestrel",
                "channel": "call",
                "warmth": 4,
                "promise": "Intro her to Sam",
            },
            now=utcnow(),
        )
    dialog = QuickLogDialog(app.ops, app.window)
    qtbot.addWidget(dialog)
    app.ops.wait_idle()  # the draft comes from the database thread
    assert dialog.note.toPlainText() == "She mentioned a job at Kestrel"
    assert dialog.person.text() == "Priya Raman"
    assert dialog.channel.currentText() == "Call"
    assert dialog.promise.text() == "Intro her to Sam" and dialog.more.isVisibleTo(dialog)
    assert dialog.notice.isVisibleTo(dialog) and dialog.notice.text() == "Recovered what you were typing."
    dialog.save()
    app.ops.wait_idle()
    assert dialog.result() == QDialog.DialogCode.Accepted

    def draft_gone() -> bool:
        with journal.read() as s:
            return load_draft(s, "quicklog") is None

    qtbot.waitUntil(draft_gone)
    with journal.read() as s:
        assert s.scalars(select(Commitment.text)).all() == ["Intro her to Sam"]


def test_quick_log_autosaves_what_is_typed(qtbot, app, journal) -> None:
    dialog = QuickLogDialog(app.ops, app.window)
    qtbot.addWidget(dialog)
    assert not dialog.notice.isVisibleTo(dialog)
    dialog.person.setText("Someone")
    dialog.note.setPlainText("Half a thought")
    dialog.keeper.save_now()

    def saved() -> bool:
        with journal.read() as s:
            d = load_draft(s, "quicklog")
            return d is not None and d["note"] == "Half a thought"

    qtbot.waitUntil(saved)


def test_type_ahead_finds_people_beyond_the_rows_fetched_so_far(qtbot) -> None:
    model = PeopleModel()
    rows = [PersonRow(i, f"Person {i:05d}", f"person {i:05d}", "", None, PersonStatus.ACTIVE) for i in range(5000)]
    rows.append(PersonRow(9999, "Zoë Zimmer", "zoë zimmer", "", None, PersonStatus.ACTIVE))
    model.set_rows(rows)
    assert model.rowCount() == 5001  # every row counts (the scrollbar and End cover everyone)
    row = model.row_starting_with("zo")
    assert row == 5000 and model.rowCount() > 5000 and model.index(row).data() == "Zoë Zimmer"


def test_filtering_5000_people_is_instant_enough(qtbot) -> None:
    now = datetime(2026, 3, 1, tzinfo=UTC)
    rows = [
        PersonRow(
            i,
            f"Person {i}",
            f"person {i}",
            "Org",
            (5, 15, 50, 150, 500)[i % 5],
            PersonStatus.ACTIVE,
            now - timedelta(days=i % 700),
            ("t",) if i % 7 == 0 else (),
        )
        for i in range(5000)
    ]
    model = PeopleModel()
    model.set_rows(rows)
    model.set_filter(PeopleFilter(text="9", circle=15, sort=Sort.LONGEST))
    assert model.matching > 0 and model.rowCount() == model.matching
    shown = [r for r in (model.row_at(i) for i in range(model.rowCount())) if r is not None]
    assert all(r.circle == 15 and "9" in r.name for r in shown)
    days = [(now - r.last_at).days for r in shown if r.last_at]
    assert days == sorted(days, reverse=True)


def test_list_row_never_says_overdue(qtbot, app, journal) -> None:
    now = utcnow()
    with journal.session() as s:
        p = f.person(s, "Old Friend", now)
        f.meeting(s, p, now, days_ago=900)
        add_commitment(s, p.id, Direction.I_OWE, "Return the book", now=now, due_on=(now - timedelta(days=30)).date())
    _listed(qtbot, app, 1)
    meta = "last in touch about two years ago"
    qtbot.waitUntil(lambda: app.people.model.index(0).data(Qt.ItemDataRole.UserRole + 3) == meta)
    app.people.select_person(p.id)
    qtbot.waitUntil(lambda: app.people.page.promise_texts() != [])
    assert "overdue" not in " ".join([*app.people.page.promise_texts(), app.people.page.meta.text()]).lower()


def test_enter_in_who_moves_to_the_note_and_ctrl_enter_saves_from_the_note(qtbot, app, journal) -> None:
    ids = _seed(journal)
    dialog = QuickLogDialog(app.ops, None, ids["priya"])  # as from the tray, with the window hidden
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    app.ops.wait_idle()  # her name comes from the database thread
    assert dialog.focusWidget() is dialog.note  # the person is known: the note is where typing goes
    dialog.person.setFocus()
    qtbot.keyClick(dialog.person, Qt.Key.Key_Return)  # Enter in Who moves on to the note
    assert dialog.isVisible() and dialog.focusWidget() is dialog.note
    dialog.save_button.setFocus()
    qtbot.keyClick(dialog.save_button, Qt.Key.Key_Return)  # Enter elsewhere still saves
    app.ops.wait_idle()
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.saved_interaction_id is not None

    second = QuickLogDialog(app.ops, None, ids["priya"])
    qtbot.addWidget(second)
    second.show()
    qtbot.waitExposed(second)
    app.ops.wait_idle()
    second.note.setFocus()
    qtbot.keyClicks(second.note, "Short call")
    qtbot.keyClick(second.note, Qt.Key.Key_Return)  # a plain Enter in the note is a new line
    try:
        assert second.isVisible() and second.note.toPlainText() == "Short call\n"
        qtbot.keyClick(second.note, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        app.ops.wait_idle()
        assert second.result() == QDialog.DialogCode.Accepted
    finally:
        if second.isVisible():
            second.done(0)  # never leave a dialog that would ask before closing
    with journal.read() as s:
        from netjournal.core.journal import timeline

        assert [it.notes for it in timeline(s, ids["priya"])][:2] == ["Short call", ""]


def test_cancelling_with_text_asks_first_and_keeps_the_draft_if_you_keep_writing(qtbot, app, monkeypatch) -> None:
    dialog = QuickLogDialog(app.ops, None)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.note.setPlainText("Something worth keeping")
    asked: list[bool] = []
    monkeypatch.setattr(QuickLogDialog, "_confirm_discard", lambda self: asked.append(True) or False)
    dialog.reject()
    assert asked == [True] and dialog.isVisible()
    monkeypatch.setattr(QuickLogDialog, "_confirm_discard", lambda self: True)
    dialog.reject()
    assert not dialog.isVisible() and dialog.result() == QDialog.DialogCode.Rejected


def test_the_tray_menu_offers_open_quick_log_and_quit(qtbot) -> None:
    from netjournal.ui.theme import app_icon
    from netjournal.ui.tray import Tray

    tray = Tray(app_icon())
    texts = [a.text() for a in tray.menu.actions() if not a.isSeparator()]
    assert texts == ["Quick log…", "Open netjournal", "Quit"]
    with qtbot.waitSignal(tray.quick_log_requested):
        tray.menu.actions()[0].trigger()


def test_reflections_about_a_person_show_on_their_page_and_one_can_be_started(qtbot, app, journal) -> None:
    from netjournal.core.models import Reflection, ReflectionKind

    ids = _seed(journal)
    now = utcnow()
    with journal.session() as s:
        s.add(
            Reflection(
                kind=ReflectionKind.REJECTION,
                occurred_at=now,
                person_id=ids["kwame"],
                title="No reply yet",
                created_at=now,
                updated_at=now,
            )
        )
    _listed(qtbot, app, 3)
    view = app.people
    view.select_person(ids["kwame"])
    qtbot.waitUntil(lambda: view.page.info is not None and view.page.info.reflections != [])
    assert view.page.info.reflections[0].startswith("Rejection reflection · ")
    assert view.page.info.reflections[0].endswith(" · No reply yet")
    view.page.action_reflect.trigger()  # "Reflect on a conversation with them…" in the page's menu
    assert app.window.stack.currentWidget() is app.reflect


def test_quick_log_completes_a_name_from_any_part_of_it(qtbot, app, journal) -> None:
    _seed(journal)
    dialog = QuickLogDialog(app.ops, None)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.names.rowCount() == 3)
    completer = dialog.person.completer()
    completer.setCompletionPrefix("ram")
    assert completer.completionCount() == 1 and completer.currentCompletion() == "Priya Raman · Northwind"
    dialog.done(0)


def test_people_model_passes_qt_model_checks(qtmodeltester) -> None:
    model = PeopleModel()
    rows = [PersonRow(i, f"Person {i}", f"person {i}", "Org", 15, PersonStatus.ACTIVE) for i in range(450)]
    model.set_rows(rows)
    qtmodeltester.check(model, force_py=True)
    model.set_filter(PeopleFilter(text="1", sort=Sort.CIRCLE))
    qtmodeltester.check(model, force_py=True)


def test_merge_two_entries_of_one_person_keeps_every_interaction(qtbot, app, journal, monkeypatch) -> None:
    from netjournal.ui.merge_dialog import MergeDialog

    now = utcnow()
    with journal.session() as s:
        keep = f.person(s, "Priya Raman", now, emails=[("work", "priya@example.org")])
        other = f.person(s, "Priya R.", now, emails=[("", "PRIYA@example.org")], ford_dreams="Run Berlin")
        f.meeting(s, keep, now, days_ago=10, notes="Coffee at the station")
        f.meeting(s, other, now, days_ago=40, notes="Met at the meetup")
        add_commitment(s, other.id, Direction.THEY_OWE, "Send the slides", now=now)
        ids = {"keep": keep.id, "other": other.id}
    _listed(qtbot, app, 2)
    view = app.people
    _open(qtbot, view, ids["keep"], "Priya Raman")

    def pick(dialog: MergeDialog) -> int:
        qtbot.waitUntil(lambda: dialog.suggestions.count() == 1)  # the same email, differently written
        assert dialog.suggestions.item(0).text() == "Priya R."
        dialog.suggestions.itemClicked.emit(dialog.suggestions.item(0))
        dialog.merge()
        dialog.ops.wait_idle()
        return int(dialog.result())

    monkeypatch.setattr(MergeDialog, "exec", pick)
    view.page.action_merge.trigger()
    qtbot.waitUntil(lambda: app.people.model.total == 1)
    qtbot.waitUntil(lambda: len([t for t in view.page.timeline_texts() if "Coffee at" in t or "meetup" in t]) == 2)
    assert "They said they'd send the slides" in view.page.promise_texts()
    assert dict(view.page.info.about)["Dreams"] == "Run Berlin"
    assert app.window.statusBar().currentMessage() == (
        "Merged Priya R. into Priya Raman; 1 entry and 1 promise moved over."
    )
