"""Quick log in three steps: Ctrl+L, a name and Enter, a note and Ctrl+Enter. Alt+N while the list of
names is open, When as one Tab stop, a name no one has yet, namesakes never guessed between."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from sqlalchemy import select

from netjournal.app import NetjournalApp
from netjournal.core.clock import utcnow
from netjournal.core.models import Interaction, Person
from netjournal.ui.quicklog import QuickLogDialog
from tests import factories as f
from tests.qt_support import on_screen

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def app(qtbot, journal) -> Iterator[NetjournalApp]:
    a = NetjournalApp(QApplication.instance(), journal, interactive=False)
    qtbot.addWidget(a.window)
    yield a
    a.shutdown()


def _people(journal, *names_orgs: tuple[str, str]) -> dict[str, int]:
    now = utcnow()
    with journal.session() as s:
        return {f"{n}|{o}": f.person(s, n, now, organisation=o).id for n, o in names_orgs}


def _logged(journal) -> list[tuple[list[str], str]]:
    with journal.read() as s:
        return [(sorted(p.name for p in i.people), i.notes) for i in s.scalars(select(Interaction))]


def _dialog(qtbot, app: NetjournalApp, person_id: int | None = None) -> QuickLogDialog:
    dialog = QuickLogDialog(app.ops, None, person_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert app.ops.wait_idle()  # the names come from the database thread
    return dialog


def _type(qtbot, widget: QWidget, text: str) -> int:
    qtbot.keyClicks(widget, text)
    return 0  # typing is not a step; the keys around it are


def _while_modal(qtbot, drive: Callable[[QuickLogDialog], None]) -> list[BaseException]:
    """Run `drive` on the quick-log dialog once its modal loop runs (Ctrl+L blocks in exec())."""
    errors: list[BaseException] = []

    def step() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QuickLogDialog):
            QTimer.singleShot(20, step)
            return
        try:
            drive(dialog)
        except BaseException as exc:
            errors.append(exc)
            dialog.done(0)

    QTimer.singleShot(0, step)
    return errors


def test_ctrl_l_a_name_enter_a_note_ctrl_enter_is_three_steps(qtbot, app, journal) -> None:
    ids = _people(journal, ("Priya Raman", "Northwind"), ("Kwame Mensah", ""), ("Noor Haddad", ""))
    on_screen(qtbot, app)
    steps: list[str] = []

    def drive(dialog: QuickLogDialog) -> None:
        qtbot.waitUntil(lambda: dialog.names.rowCount() == 3)
        assert dialog.focusWidget() is dialog.person
        _type(qtbot, dialog.person, "pri")
        popup = dialog.person.completer().popup()
        qtbot.waitUntil(popup.isVisible)  # the list is open: Enter takes its top match
        steps.append("Enter")
        qtbot.keyClick(popup, Qt.Key.Key_Return)
        assert dialog.person.person_id() == ids["Priya Raman|Northwind"]
        assert dialog.focusWidget() is dialog.note  # the note, not the name field
        _type(qtbot, dialog.note, "short note")
        steps.append("Ctrl+Enter")
        qtbot.keyClick(dialog.note, Qt.Key.Key_Return, CTRL)

    errors = _while_modal(qtbot, drive)
    steps.append("Ctrl+L")
    qtbot.keyClick(app.window, Qt.Key.Key_L, CTRL)  # returns once the dialog is closed
    assert not errors, errors
    assert app.ops.wait_idle()
    assert sorted(steps) == ["Ctrl+Enter", "Ctrl+L", "Enter"]
    assert _logged(journal) == [(["Priya Raman"], "short note")]


def test_enter_with_the_list_closed_takes_the_top_match_too(qtbot, app, journal) -> None:
    ids = _people(journal, ("Priya Raman", ""), ("Kwame Mensah", ""))
    dialog = _dialog(qtbot, app)
    _type(qtbot, dialog.person, "kwa")
    dialog.person.completer().popup().hide()
    qtbot.keyClick(dialog.person, Qt.Key.Key_Return)
    assert dialog.person.person_id() == ids["Kwame Mensah|"]
    assert dialog.isVisible() and dialog.focusWidget() is dialog.note  # Enter in Who moves on, never saves
    dialog.done(0)


def test_ctrl_l_on_a_persons_page_starts_with_them(qtbot, app, journal) -> None:
    ids = _people(journal, ("Priya Raman", ""), ("Kwame Mensah", ""))
    on_screen(qtbot, app, "people")
    app.people.select_person(ids["Kwame Mensah|"])
    qtbot.waitUntil(lambda: app.people.page.person_id == ids["Kwame Mensah|"])
    seen: list[tuple[int | None, bool]] = []

    def drive(dialog: QuickLogDialog) -> None:
        qtbot.waitUntil(lambda: dialog.person.text() == "Kwame Mensah")
        seen.append((dialog.person.person_id(), dialog.focusWidget() is dialog.note))
        dialog.done(0)

    errors = _while_modal(qtbot, drive)
    qtbot.keyClick(app.window, Qt.Key.Key_L, CTRL)
    assert not errors, errors
    assert seen == [(ids["Kwame Mensah|"], True)]


def test_alt_n_works_while_the_list_of_names_is_open(qtbot, app, journal) -> None:
    ids = _people(journal, ("Priya Raman", ""), ("Kwame Mensah", ""))
    dialog = _dialog(qtbot, app)
    _type(qtbot, dialog.person, "pri")
    popup = dialog.person.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    qtbot.keyClick(popup, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    assert not popup.isVisible()
    assert dialog.focusWidget() is dialog.note
    assert dialog.person.person_id() == ids["Priya Raman|"]
    assert "pri" not in dialog.note.toPlainText() and dialog.person.text() == "Priya Raman"
    dialog.done(0)


def test_when_is_one_tab_stop(qtbot, app, journal) -> None:
    dialog = _dialog(qtbot, app)
    dialog.person.setFocus()
    order = []
    for _ in range(4):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        order.append(QApplication.focusWidget())
    assert order[:4] == [dialog.channel, dialog.when, dialog.note, dialog.warmth]
    dialog.done(0)


def test_an_unknown_name_is_offered_and_added_after_one_enter(qtbot, app, journal, monkeypatch) -> None:
    _people(journal, ("Priya Raman", ""))
    dialog = _dialog(qtbot, app)
    _type(qtbot, dialog.person, "Jamie Lee")
    assert dialog.add_person.isVisible() and dialog.add_person.text() == "Add 'Jamie Lee'…"
    qtbot.keyClick(dialog.person, Qt.Key.Key_Return)
    assert dialog.focusWidget() is dialog.note
    _type(qtbot, dialog.note, "met at the meetup")
    asked: list[str] = []
    monkeypatch.setattr(QuickLogDialog, "_confirm_new_person", lambda self, name: asked.append(name) or True)
    qtbot.keyClick(dialog.note, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted)
    assert asked == ["Jamie Lee"]
    assert _logged(journal) == [(["Jamie Lee"], "met at the meetup")]


def test_the_new_person_confirmation_is_one_enter(qtbot, app) -> None:
    dialog = _dialog(qtbot, app)
    answers: list[bool] = []

    def press_enter() -> None:
        box = QApplication.activeModalWidget()
        if box is None or box is dialog:
            QTimer.singleShot(20, press_enter)
            return
        qtbot.keyClick(box, Qt.Key.Key_Return)

    QTimer.singleShot(0, press_enter)
    answers.append(dialog._confirm_new_person("Jamie Lee"))
    assert answers == [True]
    dialog.done(0)


def test_declining_the_new_person_saves_nothing_and_adds_no_one(qtbot, app, journal, monkeypatch) -> None:
    dialog = _dialog(qtbot, app)
    dialog.person.setText("Jamie Lee")
    monkeypatch.setattr(QuickLogDialog, "_confirm_new_person", lambda self, name: False)
    dialog.save()
    assert app.ops.wait_idle()
    qtbot.waitUntil(lambda: "Not saved" in dialog.error.text())
    assert dialog.isVisible() and _logged(journal) == []
    with journal.read() as s:
        assert s.scalars(select(Person)).all() == []
    dialog.done(0)


def test_enter_on_namesakes_takes_no_one_and_shows_both(qtbot, app, journal) -> None:
    ids = _people(journal, ("Sam Lee", "Acme"), ("Sam Lee", "Beta"), ("Ana Lima", ""))
    dialog = _dialog(qtbot, app)
    _type(qtbot, dialog.person, "sam")
    popup = dialog.person.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert dialog.person.person_id() is None
    assert dialog.focusWidget() is not dialog.note
    assert "2 people are called Sam Lee" in dialog.error.text()
    qtbot.waitUntil(popup.isVisible)  # the list shows both, each with what tells them apart
    shown = [popup.model().index(r, 0).data() for r in range(popup.model().rowCount())]
    assert shown == ["Sam Lee · Acme", "Sam Lee · Beta"]
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)  # an explicit pick
    assert dialog.person.person_id() == ids["Sam Lee|Beta"]
    assert dialog.focusWidget() is dialog.note
    dialog.done(0)


def test_a_name_typed_before_the_list_arrives_gets_the_list_when_it_does(qtbot, app, journal) -> None:
    from netjournal.ui.person_picker import PickRow

    dialog = _dialog(qtbot, app)
    dialog.person.set_people([])
    dialog.person.setFocus()
    _type(qtbot, dialog.person, "noor")  # faster than the names came
    popup = dialog.person.completer().popup()
    assert not popup.isVisible()
    dialog.person.set_people([PickRow(7, "Noor Haddad"), PickRow(8, "Priya Raman")])
    qtbot.waitUntil(popup.isVisible)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert dialog.person.person_id() == 7 and dialog.focusWidget() is dialog.note
    dialog.done(0)
