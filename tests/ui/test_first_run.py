"""The first hour: an empty journal is welcomed (not "Nothing to do this week"), every section's empty
list says what will appear there and how to start, and Prepare shows no "[my name]" blanks."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QListWidget, QPlainTextEdit

from netjournal.app import NetjournalApp
from netjournal.core.clock import utcnow
from netjournal.core.journal import PersonData, create_person
from netjournal.ui import welcome as welcome_mod
from netjournal.ui.empty_state import EmptyState
from netjournal.ui.welcome import Welcome


@pytest.fixture
def app(qtbot, journal) -> Iterator[NetjournalApp]:
    a = NetjournalApp(QApplication.instance(), journal, interactive=False)
    qtbot.addWidget(a.window)
    a.window.resize(760, 480)
    a.window.show()
    qtbot.waitExposed(a.window)
    yield a
    a.shutdown()


def _welcome(app: NetjournalApp) -> Welcome:
    found = app.today.findChild(Welcome)
    assert found is not None
    return found


def _texts(widget) -> str:
    return " ".join(label.text() for label in widget.findChildren(QLabel) if label.isVisibleTo(widget))


def test_an_empty_journal_is_welcomed_with_three_ways_to_begin_and_the_tip(qtbot, app, journal) -> None:
    welcome = _welcome(app)
    qtbot.waitUntil(welcome.isVisible)
    assert not app.today.empty.isVisibleTo(app.today)  # not "Nothing to do this week. Enjoy it."
    buttons = [welcome.add_button.text(), welcome.import_button.text(), welcome.demo_button.text()]
    assert buttons == ["Add the first person…", "Import contacts…", "Open the demo journal"]
    words = _texts(welcome)
    for where in ("Google Contacts", "Outlook", "LinkedIn", "Connections.csv", ".vcf"):
        assert where in words
    assert "Ctrl+L" in welcome.tip.text()
    with journal.session() as s:
        create_person(s, PersonData(name="Priya Raman"), now=utcnow())
    app.journal_changed.emit()
    qtbot.waitUntil(lambda: not welcome.isVisible())  # someone is here: Today shows its week
    assert app.today.title.isVisible()


def test_the_welcome_buttons_add_import_and_open_the_demo(qtbot, app, monkeypatch) -> None:
    welcome = _welcome(app)
    qtbot.waitUntil(welcome.isVisible)
    added: list[bool] = []
    monkeypatch.setattr(app.people, "add_person", lambda: added.append(True))
    welcome.add_button.click()
    assert added == [True] and app.window.stack.currentWidget() is app.people
    imported: list[bool] = []
    app.import_action.triggered.connect(lambda: imported.append(True))
    monkeypatch.setattr("netjournal.ui.import_export.open_import", lambda _app: None)
    welcome.import_button.click()
    assert imported == [True]
    started: list[tuple[str, list[str]]] = []
    monkeypatch.setattr(welcome_mod.QProcess, "startDetached", lambda prog, args: started.append((prog, args)) or True)
    welcome.demo_button.click()
    assert started and started[0][1][-1] == "--demo"


def _cover(view) -> EmptyState:
    found = view.viewport().findChild(EmptyState)
    assert found is not None
    return found


@pytest.mark.parametrize(
    ("section", "view_of", "title"),
    [
        ("people", lambda app: app.people.list, "No one here yet"),
        ("prepare", lambda app: app.prepare.plans, "No plans yet"),
        ("reflect", lambda app: app.reflect.findChild(QListWidget, "reflectionList"), "No reflections yet"),
        ("search", lambda app: app.search.results, "Search everything you've written"),
    ],
)
def test_every_empty_section_says_what_will_appear_and_how_to_start(qtbot, app, section, view_of, title) -> None:
    app.window.resize(1100, 720)
    app.window.show_section(section)
    assert app.ops.wait_idle()
    cover = _cover(view_of(app))
    qtbot.waitUntil(cover.isVisible)
    assert cover.title.text() == title
    assert cover.text.isVisible() and len(cover.text.text()) > 40  # how to start, in a sentence


def test_the_people_empty_state_tells_a_filter_that_matches_no_one_apart(qtbot, app, journal) -> None:
    with journal.session() as s:
        create_person(s, PersonData(name="Priya Raman"), now=utcnow())
    app.journal_changed.emit()
    app.window.show_section("people")
    cover = _cover(app.people.list)
    qtbot.waitUntil(lambda: app.people.model.rowCount() == 1)
    assert not cover.isVisible()
    app.people.filter.setText("zzz")
    qtbot.waitUntil(cover.isVisible)
    assert cover.title.text() == "No one matches"


def test_prepare_on_an_empty_journal_has_no_bracket_blanks(qtbot, app) -> None:
    app.window.show_section("prepare")
    app.prepare.new_plan()
    assert app.ops.wait_idle()
    editor = app.prepare.editor
    qtbot.waitUntil(lambda: bool(editor.findChildren(QLineEdit)))
    shown = [w.text() for w in editor.findChildren(QLineEdit)]
    shown += [w.toPlainText() for w in editor.findChildren(QPlainTextEdit)]
    assert shown and not [t for t in shown if "[" in t]
