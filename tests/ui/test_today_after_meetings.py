"""Today after a meeting's end: it offers to log it (or debrief it in Prepare), calmly, in its own list."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtWidgets import QApplication, QPushButton

from netjournal.app import NetjournalApp
from netjournal.core import reconnect as rc
from netjournal.core.models import Interaction, InteractionState
from netjournal.core.today import notification_text
from tests.factories import meeting, person

MONDAY = datetime(2026, 3, 16, 10, 30, tzinfo=UTC)


def _buttons(layout) -> dict[str, QPushButton]:  # type: ignore[no-untyped-def]
    row = layout.itemAt(0).layout()
    found = (row.itemAt(i).widget() for i in range(row.count()))
    return {w.text(): w for w in found if isinstance(w, QPushButton)}


def test_an_ended_meeting_is_offered_and_it_happened_logs_it(qtbot, journal) -> None:
    with journal.session() as s:
        cleo = person(s, "Cleo <i>Park</i>", MONDAY)
        mid = meeting(
            s, cleo, MONDAY, days_ago=1, state=InteractionState.PLANNED, title="Walk with Cleo", duration_min=45
        ).id
    app = NetjournalApp(QApplication.instance(), journal, interactive=False)
    qtbot.addWidget(app.window)
    app.today.clock = lambda: MONDAY
    app.reminders.clock = lambda: MONDAY
    try:
        app.today.refresh()
        qtbot.waitUntil(lambda: app.today.ended_title.isVisible(), timeout=5000)
        label = app.today.ended.itemAt(0).layout().itemAt(0).widget()
        assert label.text().endswith("· Walk with Cleo")
        assert not app.today.meetings_title.isVisible()  # over, so not "coming up"
        _buttons(app.today.ended)["It happened"].click()
        qtbot.waitUntil(lambda: not app.today.ended_title.isVisible(), timeout=5000)
        with journal.read() as s:
            assert s.get(Interaction, mid).state is InteractionState.DONE
    finally:
        app.shutdown()


def test_the_digest_notification_has_one_line_for_all_ended_meetings() -> None:
    s = rc.Suggestion(1, "Bob Lee", "due", "It's been a while.", 0.5, False, "")
    line = "After your meetings: Walk (yesterday), Call (last Friday). Log or debrief them in Today when you like."
    _title, text = notification_text(rc.Surface("digest", [s], after_meetings=line))
    assert text.splitlines() == ["Bob Lee: It's been a while.", line]


def test_after_a_staged_start_today_offers_prepare_and_debrief(qtbot, journal) -> None:
    # Found by looking: after the staged start-up, Today never showed "Prepare…" (nor "Debrief…").
    with journal.session() as s:
        cleo = person(s, "Cleo Park", MONDAY)
        meeting(s, cleo, MONDAY, days_ago=1, state=InteractionState.PLANNED, title="Walk with Cleo")
        meeting(s, cleo, MONDAY, days_ago=-2, state=InteractionState.PLANNED, title="Lunch with Cleo")
    app = NetjournalApp(QApplication.instance(), journal, interactive=False, staged=True)
    qtbot.addWidget(app.window)
    app.today.clock = lambda: MONDAY
    try:
        qtbot.waitUntil(lambda: app.ready, timeout=10000)
        app.today.refresh()
        qtbot.waitUntil(lambda: app.today.ended.count() == 1 and app.today.meetings.count() == 1, timeout=5000)
        qtbot.waitUntil(lambda: "Debrief…" in _buttons(app.today.ended), timeout=5000)
        assert "Prepare…" in _buttons(app.today.meetings)
    finally:
        app.shutdown()
