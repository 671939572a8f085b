"""Sections ask each other through app.nav (ui/navigation.py), never by looking each other up on the app."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from netjournal.app import NetjournalApp
from netjournal.core.clock import utcnow
from netjournal.core.db import Journal
from netjournal.core.models import ReflectionKind
from netjournal.ui.navigation import Navigation
from netjournal.ui.quicklog import QuickLogDialog
from tests.factories import person


def test_asking_before_a_section_offers_does_nothing_and_says_so() -> None:
    shown: list[str] = []
    nav = Navigation(shown.append)
    assert not nav.open_person(1) and not nav.prepare_meeting(1) and not nav.can_reflect and not nav.can_prepare
    assert not nav.add_person() and not nav.import_contacts()
    assert nav.log_interaction(1) is None and nav.person_in_view() is None and shown == []
    opened: list[int] = []
    nav.offer_people(opened.append, lambda: 7)
    assert nav.open_person(3) and opened == [3] and shown == ["people"] and nav.person_in_view() == 7
    added: list[bool] = []
    nav.offer_add_person(lambda: added.append(True))
    assert nav.add_person() and added == [True] and shown == ["people", "people"]
    nav.offer_import(lambda: added.append(False))
    assert nav.import_contacts() and added == [True, False] and shown == ["people", "people"]


def test_the_sections_offer_what_they_do(
    qtbot: QtBot, app: NetjournalApp, journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    with journal.session() as s:
        pid = person(s, "Amara Okafor", utcnow()).id
    assert app.nav.open_person(pid)
    qtbot.waitUntil(lambda: app.people.page.title.text() == "Amara Okafor")
    assert app.window.stack.currentWidget() is app.people and app.nav.person_in_view() == pid
    assert app.nav.reflect_on(ReflectionKind.DISCOMFORT, person_id=pid)
    assert app.window.stack.currentWidget() is app.reflect and app.reflect.reflections.editor is not None
    assert app.nav.can_prepare and app.nav.prepare_meeting(person_id=pid)
    assert app.window.stack.currentWidget() is app.prepare
    imported: list[bool] = []
    app.import_action.triggered.connect(lambda: imported.append(True))
    monkeypatch.setattr("netjournal.ui.import_export.open_import", lambda _app: None)
    assert app.nav.import_contacts() and imported == [True]  # the one Import…, as the menu has it


def test_quick_log_returns_what_it_saved(
    qtbot: QtBot, app: NetjournalApp, journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    with journal.session() as s:
        pid = person(s, "Kwame Mensah", utcnow()).id

    def fill(dialog: QuickLogDialog) -> int:
        dialog.note.setPlainText("coffee by the river")
        dialog.save()
        qtbot.waitUntil(lambda: dialog.saved_interaction_id is not None)
        return 1

    monkeypatch.setattr(QuickLogDialog, "exec", fill)
    saved = app.nav.log_interaction(pid)
    assert saved is not None
    with journal.read() as s:
        from netjournal.core.journal import get_interaction

        assert get_interaction(s, saved).notes == "coffee by the river"
    monkeypatch.setattr(QuickLogDialog, "exec", lambda _dialog: 0)  # cancelled
    assert app.nav.log_interaction(pid) is None
