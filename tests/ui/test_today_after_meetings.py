"""Today after a meeting's end: it offers to log it (or debrief it in Prepare), calmly, in its own list."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtWidgets import QApplication, QPushButton

from netjournal.app import NetjournalApp
from netjournal.core import reconnect as rc
from netjournal.core.models import Interaction, InteractionState
from netjournal.ui.today import notification_text
from tests.factories import meeting, person

MONDAY = datetime(2026, 3, 16, 10, 30, tzinfo=UTC)


def _buttons(layout) -> dict[str, QPushButton]:  # type: ignore[no-untyped-def]
    row = layout.itemAt(0).layout()
    found = (row.itemAt(i).widget() for i in range(row.count()))
    return {w.text(): w for w in found if isinstance(w, QPushButton)}


def test_an_ended_meeting_is_offered_and_it_happened_logs_it(qtbot, journal) -> None:
    with journal.session() as s:
        cleo = person(s, "Cleo <i>Park</i>", MONDAY)
        mid = meeting(s, cleo, MONDAY, days_ago=1, state=InteractionState.PLANNED, title="Walk with Cleo",
                      duration_min=45).id  # fmt: skip
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
