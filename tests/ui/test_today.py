"""Today and the reminders, as a user meets them (offscreen: no tray, so the in-window notice)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QTime
from PySide6.QtWidgets import QApplication, QDialog, QMenu
from sqlalchemy import select

from netjournal.app import NetjournalApp
from netjournal.core import settings
from netjournal.core.journal import add_commitment
from netjournal.core.models import Direction, InteractionState, Person, SuggestionEvent
from netjournal.ui import settings_dialog
from netjournal.ui.quicklog import QuickLogDialog
from netjournal.ui.today import SuggestionCard, TodayView, tray_filler
from tests.factories import meeting, person
from tests.qt_support import wait_idle

MONDAY = datetime(2026, 3, 16, 10, 30, tzinfo=UTC)


def _app(qtbot, journal, at: datetime = MONDAY) -> NetjournalApp:
    app = NetjournalApp(QApplication.instance(), journal, interactive=False)
    qtbot.addWidget(app.window)
    app.today.clock = lambda: at
    app.reminders.clock = lambda: at
    return app


def _seed(journal, now) -> None:
    with journal.session() as s:
        jonas = person(s, "Jonas <b>Weber</b>", now - timedelta(days=400), circle=50)
        meeting(s, jonas, now, days_ago=250, warmth=5)
        hannah = person(s, "Hannah Becker", now, circle=150)
        meeting(s, hannah, now, days_ago=20)
        meeting(s, hannah, now, days_ago=-3, state=InteractionState.PLANNED, title="Coffee with Hannah")
        add_commitment(s, hannah.id, Direction.I_OWE, "Send Hannah the slides", now=now, due_on=now.date())


def _cards(view: TodayView) -> list[SuggestionCard]:
    return [view.cards.itemAt(i).widget() for i in range(view.cards.count()) if view.cards.itemAt(i).widget()]


def _events(journal, kind: str) -> list[SuggestionEvent]:
    with journal.read() as s:
        return list(s.scalars(select(SuggestionEvent).where(SuggestionEvent.event == kind)))


def test_today_is_first_and_calm_when_there_is_nothing(qtbot, journal) -> None:
    app = _app(qtbot, journal)
    try:
        assert app.window.sidebar.item(0).text() == "Today"
        assert app.window.stack.currentWidget() is app.today
        qtbot.waitUntil(lambda: app.today.empty.isVisible() or not app.window.isVisible(), timeout=3000)
        assert app.today.empty.text() == "Nothing to do this week. Enjoy it."
        assert not app.today.meetings_title.isVisible() and not app.today.promises_title.isVisible()
    finally:
        app.shutdown()


def test_reminder_reaches_the_window_and_today_without_a_tray(qtbot, journal, now) -> None:
    _seed(journal, MONDAY)
    app = _app(qtbot, journal)
    try:
        assert app.tray is None  # offscreen: no tray, so the window must carry the reminder
        # Jonas is due; Hannah has a promise due today (the slot kept for an open loop).
        qtbot.waitUntil(lambda: len(_cards(app.today)) == 2, timeout=5000)
        card = next(c for c in _cards(app.today) if c.suggestion.name == "Jonas <b>Weber</b>")
        assert card.reason.text() == "It's been eight months; you meant to be in touch about twice a year."
        assert "Jonas <b>Weber</b>" in app.window.statusBar().currentMessage()
        assert card.suggestion.person_id in [e.person_id for e in _events(journal, "digest")]
        # Upcoming meetings and promises, few and plain.
        assert app.today.meetings_title.isVisible()
        meetings = app.today.meetings.itemAt(0).layout().itemAt(0).widget().text()
        assert "Coffee with Hannah" in meetings
        promise = app.today.promises.itemAt(0).layout().itemAt(0).widget().text()
        assert promise == "You said you'd send Hannah the slides (Hannah Becker) — due today"
        # Another tick in the same week does not repeat it.
        app.reminders.check()
        wait_idle(qtbot, app.ops)
        assert len(_events(journal, "digest")) == 2
    finally:
        app.shutdown()


def test_card_actions_copy_snooze_not_now(qtbot, journal, monkeypatch) -> None:
    with journal.session() as s:
        for i, name in enumerate(("Ada One", "Ben Two", "Cy Three")):
            meeting(s, person(s, name, MONDAY, circle=50), MONDAY, days_ago=300 + i, warmth=5)
    app = _app(qtbot, journal)
    try:
        qtbot.waitUntil(lambda: len(_cards(app.today)) == 3, timeout=5000)
        cards = {c.suggestion.name: c for c in _cards(app.today)}
        cards["Ada One"].copy.click()
        assert QApplication.clipboard().text() == cards["Ada One"].suggestion.template
        assert "Ada" in QApplication.clipboard().text()
        cards["Ben Two"].not_now.click()
        qtbot.waitUntil(lambda: len(_cards(app.today)) == 2, timeout=3000)
        cards = {c.suggestion.name: c for c in _cards(app.today)}  # Today was rebuilt
        week = next(a for a in cards["Cy Three"].snooze.menu().actions() if a.text() == "For a week")
        week.trigger()
        qtbot.waitUntil(lambda: len(_cards(app.today)) == 1, timeout=3000)
        assert [c.suggestion.name for c in _cards(app.today)] == ["Ada One"]
        assert len(_events(journal, "dismissed")) == 1 and len(_events(journal, "snoozed")) == 1

        def talk(dialog: QuickLogDialog) -> int:
            assert dialog.person.person_id() is not None  # kept by id; the name shows once the list is in
            qtbot.waitUntil(lambda: dialog.person.text() == "Ada One")
            dialog.note.setPlainText("Caught up about her move")
            dialog.save()
            dialog.ops.wait_idle()
            return int(dialog.result())

        monkeypatch.setattr(QuickLogDialog, "exec", talk)
        _cards(app.today)[0].log.click()
        qtbot.waitUntil(lambda: app.today.empty.isVisible(), timeout=3000)
        assert len(_events(journal, "acted")) == 1
    finally:
        app.shutdown()


def test_second_snooze_offers_a_different_rhythm(qtbot, journal, monkeypatch) -> None:
    with journal.session() as s:
        p = person(s, "Dana", MONDAY, circle=50)
        meeting(s, p, MONDAY, days_ago=300, warmth=5)
        p.consecutive_snoozes = 1
        pid = p.id
    app = _app(qtbot, journal)
    try:
        qtbot.waitUntil(lambda: len(_cards(app.today)) == 1, timeout=5000)
        asked = []

        def choose(dialog) -> QDialog.DialogCode:
            asked.append(dialog.windowTitle())
            dialog.circle.setCurrentIndex(dialog.circle.findData(150))
            return QDialog.DialogCode.Accepted

        monkeypatch.setattr("netjournal.ui.today.CadenceDialog.exec", choose)
        month = next(a for a in _cards(app.today)[0].snooze.menu().actions() if a.text() == "For a month")
        month.trigger()
        qtbot.waitUntil(lambda: bool(asked), timeout=3000)
        wait_idle(qtbot, app.ops)
        with journal.read() as s:
            dana = s.get(Person, pid)
            assert (dana.circle, dana.consecutive_snoozes) == (150, 0)
    finally:
        app.shutdown()


def test_tray_menu_lists_the_week_and_pauses(qtbot, journal) -> None:
    _seed(journal, MONDAY)
    app = _app(qtbot, journal)
    try:
        qtbot.waitUntil(lambda: len(_cards(app.today)) == 2, timeout=5000)
        menu = QMenu()
        tray_filler(app, app.today)(menu)
        texts = [a.text() for a in menu.actions()]
        assert "Jonas <b>Weber</b>" in texts and "Pause reminders" in texts
        [person_action] = [a for a in menu.actions() if a.text() == "Jonas <b>Weber</b>"]
        person_action.trigger()
        qtbot.waitUntil(lambda: app.people.page.title.text() == "Jonas <b>Weber</b>", timeout=3000)
        assert app.window.stack.currentWidget() is app.people
        pause = next(a for a in menu.actions() if a.text() == "Pause reminders").menu()
        next(a for a in pause.actions() if a.text() == "For a week").trigger()
        qtbot.waitUntil(lambda: app.today.paused.isVisible() or app.today.data.paused_until is not None, timeout=3000)
        with journal.read() as s:
            assert settings.get(s, "reconnect.paused_until").startswith("2026-03-23")
    finally:
        app.shutdown()


def test_settings_dialog_saves_and_switches_start_at_login(qtbot, journal, monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    app = _app(qtbot, journal)
    try:

        def fill(dialog: settings_dialog.SettingsDialog) -> QDialog.DialogCode:
            dialog.budget.setValue(2)
            dialog.quiet_start.setTime(QTime(21, 30))
            dialog.weekends.setChecked(False)
            dialog.digest_day.setCurrentIndex(2)
            dialog.login.setChecked(True)
            return QDialog.DialogCode.Accepted

        monkeypatch.setattr(settings_dialog.SettingsDialog, "exec", fill)
        app.settings_action.trigger()
        app.ops.wait_idle()
        with journal.read() as s:
            values = settings.all_settings(s)
        assert values["reconnect.weekly_budget"] == 2
        assert values["reconnect.quiet_start"] == "21:30" and values["reconnect.quiet_weekends"] is False
        assert values["reconnect.digest_weekday"] == 2 and values["app.start_at_login"] is True
        entry = tmp_path / "cfg" / "autostart" / "netjournal.desktop"
        assert "--minimized" in entry.read_text()

        def off(dialog: settings_dialog.SettingsDialog) -> QDialog.DialogCode:
            assert dialog.login.isChecked() and dialog.budget.value() == 2
            dialog.login.setChecked(False)
            return QDialog.DialogCode.Accepted

        monkeypatch.setattr(settings_dialog.SettingsDialog, "exec", off)
        app.settings_action.trigger()
        app.ops.wait_idle()
        assert not entry.exists()
    finally:
        app.shutdown()
