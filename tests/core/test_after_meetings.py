"""After a meeting's end Today offers to log or debrief it; the digest says so in one line, within the
weekly rhythm and quiet hours, never as a notification of its own (the clock is a parameter)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from netjournal.core import reconnect as rc
from netjournal.core.after_meetings import digest_line, ended_meetings, mark_happened, mark_not_happened
from netjournal.core.journal import InteractionData, log_interaction
from netjournal.core.models import Channel, Interaction, InteractionState, Person, PersonStatus
from tests.factories import meeting, person

MONDAY_10 = datetime(2026, 3, 16, 10, 0, tzinfo=UTC)


def planned(s, who: Person, at: datetime, title: str, minutes: int | None = 60) -> int:  # type: ignore[no-untyped-def]
    data = InteractionData(
        at=at, state=InteractionState.PLANNED, channel=Channel.COFFEE, title=title, duration_min=minutes
    )
    return log_interaction(s, [who.id], data, now=at - timedelta(days=7)).id


def test_a_meeting_is_offered_once_it_has_ended_not_before(journal) -> None:
    start = MONDAY_10 - timedelta(hours=1, minutes=30)
    with journal.session() as s:
        bob = person(s, "Bob Lee", start)
        planned(s, bob, start, "Coffee with Bob", minutes=120)
        planned(s, bob, MONDAY_10 - timedelta(days=9), "Too long ago")
        planned(s, bob, MONDAY_10 + timedelta(days=1), "Tomorrow")
    with journal.read() as s:
        assert ended_meetings(s, MONDAY_10) == []  # still going on (until 10:30)
        [m] = ended_meetings(s, MONDAY_10 + timedelta(minutes=31))
        assert (m.label, m.people) == ("Coffee with Bob", ("Bob Lee",))


def test_the_digest_carries_one_line_about_ended_meetings(journal) -> None:
    with journal.session() as s:
        bob = person(s, "Bob Lee", MONDAY_10 - timedelta(days=400), circle=50)
        meeting(s, bob, MONDAY_10, days_ago=400)  # so the digest has a suggestion to carry
        cleo = person(s, "Cleo Park", MONDAY_10)
        for days, title in ((1, "Walk with Cleo"), (3, "Call with Cleo"), (5, "Lunch with Cleo"), (6, "Tea")):
            planned(s, cleo, MONDAY_10 - timedelta(days=days), title)
    with journal.session() as s:
        out = rc.what_to_surface(s, MONDAY_10, tz=UTC)
        assert out.kind == "digest"
        assert out.after_meetings == (
            "After your meetings: Walk with Cleo (yesterday), Call with Cleo (last Friday), Lunch with Cleo "
            "(last Wednesday) and 1 more. Log or debrief them in Today when you like."
        )
        rc.record_delivery(s, out, MONDAY_10)
    with journal.session() as s:
        # No notification of its own: later the same week nothing more is surfaced for them.
        assert not rc.what_to_surface(s, MONDAY_10 + timedelta(days=1), tz=UTC)


def test_quiet_hours_and_a_pause_keep_the_line_back(journal) -> None:
    with journal.session() as s:
        cleo = person(s, "Cleo Park", MONDAY_10)
        planned(s, cleo, MONDAY_10 - timedelta(days=1), "Walk with Cleo")
    with journal.read() as s:
        assert digest_line(s, MONDAY_10, tz=UTC).startswith("After your meetings: Walk with Cleo (yesterday)")
        assert digest_line(s, MONDAY_10.replace(hour=21), tz=UTC) == ""  # an evening
        assert digest_line(s, MONDAY_10 - timedelta(days=1), tz=UTC) == ""  # a Sunday
    with journal.session() as s:
        rc.pause(s, MONDAY_10 + timedelta(days=3))
    with journal.read() as s:
        assert digest_line(s, MONDAY_10, tz=UTC) == ""


def test_it_happened_or_not(journal) -> None:
    with journal.session() as s:
        cleo = person(s, "Cleo Park", MONDAY_10)
        cleo.status = PersonStatus.WAITING
        a = planned(s, cleo, MONDAY_10 - timedelta(days=1), "Walk with Cleo")
        b = planned(s, cleo, MONDAY_10 - timedelta(days=2), "Call with Cleo")
    with journal.session() as s:
        mark_happened(s, a, now=MONDAY_10)
        mark_not_happened(s, b, now=MONDAY_10)
    with journal.read() as s:
        walk, call = s.get(Interaction, a), s.get(Interaction, b)
        assert (walk.state, walk.at) == (InteractionState.DONE, MONDAY_10 - timedelta(days=1))
        assert call.state is InteractionState.CANCELLED
        assert s.get(Person, cleo.id).status is PersonStatus.ACTIVE
        assert ended_meetings(s, MONDAY_10) == []
    from netjournal.core.journal import last_contacts

    with journal.read() as s:
        assert last_contacts(s, [cleo.id]) == {cleo.id: MONDAY_10 - timedelta(days=1)}  # counts as contact
