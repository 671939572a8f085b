"""What Today shows is decided once (core/today.py) and reads the same on both read paths.

At start-up Today is read through a plain sqlite3 connection (core/reader.py) before the ORM is
imported; later the database thread reads it through a session. These tests seed one journal with
every case Today decides on and check that the thin path, the session and the models agree.
"""

from __future__ import annotations

from contextlib import closing
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from netjournal.core import reconnect as rc
from netjournal.core.after_meetings import ended_meetings
from netjournal.core.db import Journal
from netjournal.core.journal import add_commitment, set_commitment_status, trash
from netjournal.core.models import (
    Commitment,
    CommitmentStatus,
    Direction,
    Interaction,
    InteractionState,
    Person,
    PersonStatus,
)
from netjournal.core.paths import DataDir
from netjournal.core.phrasing import when_text
from netjournal.core.reader import open_reader
from netjournal.core.suggestions import Suggestion
from netjournal.core.today import MAX_ITEMS, notice_text, notification_text, paused_until, today_data
from tests.core.conftest import ColumnsRead, not_in_the_models
from tests.factories import meeting, person


def _suggestion(p: Person, reason: str) -> Suggestion:
    return Suggestion(
        person_id=p.id, name=p.name, kind="due", reason=reason, score=0.5, time_sensitive=False, template=f"Hi {p.name}"
    )


def _seed(journal: Journal, now: datetime) -> None:
    with journal.session() as s:
        ana, bob, cat = person(s, "Ana Ray", now), person(s, "Bob Stone", now), person(s, "Cat Lee", now)
        dan, eve, fay = person(s, "Dan Oak", now), person(s, "Eve Moss", now), person(s, "Fay Gone", now)
        gus = person(s, "Gus Quiet", now, status=PersonStatus.DO_NOT_SUGGEST)
        for p in (ana, bob, cat, dan, eve, fay, gus):
            meeting(s, p, now, days_ago=200)
        s.flush()
        delivered = now - timedelta(hours=1)
        people = (ana, bob, cat, dan, eve, fay, gus)
        surface = rc.Surface("digest", [_suggestion(p, f"Time for {p.name}") for p in people])
        rc.record_delivery(s, surface, delivered)
        rc.record_delivery(s, rc.Surface("digest", [_suggestion(ana, "last week")]), now - timedelta(days=8))
        rc.snooze(s, bob.id, now - timedelta(minutes=30), now + timedelta(days=7))  # set aside
        meeting(s, cat, now, days_ago=0.01)  # in touch since the suggestion
        meeting(s, dan, now, days_ago=-3)  # logged ahead of time: not a contact yet
        rc.snooze(s, eve.id, now - timedelta(days=3), now)  # before this delivery: still open
        eve.consecutive_snoozes = 2
        add_commitment(s, fay.id, Direction.I_OWE, "return the book", now=now, due_on=now.date())
        # After your meetings: planned ones that ended in the last eight days (and were not called off).
        plan = {"state": InteractionState.PLANNED}
        meeting(s, [eve, dan, fay], now, days_ago=2, **plan)  # Fay goes to the trash: not named
        meeting(s, cat, now, days_ago=3, title="Board review", duration_min=None, **plan)
        meeting(s, cat, now, days_ago=3 / 24, duration_min=240, **plan)  # three hours in, four long: going on
        meeting(s, cat, now, days_ago=9, title="Too long ago", **plan)
        meeting(s, cat, now, days_ago=1, title="Called off", state=InteractionState.CANCELLED)
        binned = meeting(s, cat, now, days_ago=1, title="Binned", **plan)
        s.flush()
        trash(s, "person", fay.id, now=now)
        trash(s, "interaction", binned.id, now=now)
        # Coming up: planned meetings from two hours ago to two weeks ahead, the first few.
        meeting(s, ana, now, days_ago=-1, title="Lunch", location="Café Ümit", **plan)
        meeting(s, [bob, ana], now, days_ago=-2, **plan)
        meeting(s, bob, now, days_ago=1 / 24, **plan)  # an hour ago: still coming up
        meeting(s, bob, now, days_ago=0.5, **plan)  # twelve hours ago: past
        meeting(s, bob, now, days_ago=-20, **plan)  # too far ahead
        gone = meeting(s, cat, now, days_ago=-4, **plan)
        s.flush()
        trash(s, "interaction", gone.id, now=now)
        for i in range(MAX_ITEMS + 2):
            meeting(s, eve, now, days_ago=-5 - i, title=f"Standup {i}", **plan)
        # Promises due soon, either way; done, dropped, far-off, undated and trashed ones are not.
        today = now.date()
        add_commitment(s, ana.id, Direction.I_OWE, "send the slides", now=now, due_on=today + timedelta(days=2))
        add_commitment(s, bob.id, Direction.THEY_OWE, "intro to Sam", now=now, due_on=today - timedelta(days=3))
        add_commitment(s, cat.id, Direction.I_OWE, "the deck", now=now, due_on=today + timedelta(days=30))
        add_commitment(s, cat.id, Direction.I_OWE, "call back", now=now)
        done = add_commitment(s, dan.id, Direction.I_OWE, "book a room", now=now, due_on=today)
        s.flush()
        set_commitment_status(s, done.id, CommitmentStatus.DONE, now=now)
        rc.pause(s, now + timedelta(days=1))


def _orm_meetings(journal: Journal, now: datetime) -> list[int]:
    """Coming up as the models select it (the query Today ran through the ORM before)."""
    with journal.read() as s:
        return list(
            s.scalars(
                select(Interaction.id)
                .where(
                    Interaction.state == InteractionState.PLANNED,
                    Interaction.deleted_at.is_(None),
                    Interaction.at >= now - timedelta(hours=2),
                    Interaction.at <= now + timedelta(days=14),
                )
                .order_by(Interaction.at, Interaction.id)
                .limit(MAX_ITEMS)
            )
        )


def _orm_promises(journal: Journal, today: date) -> list[int]:
    with journal.read() as s:
        return list(
            s.scalars(
                select(Commitment.id)
                .join(Person, Person.id == Commitment.person_id)
                .where(
                    Commitment.status == CommitmentStatus.OPEN,
                    Commitment.deleted_at.is_(None),
                    Person.deleted_at.is_(None),
                    Commitment.due_on.is_not(None),
                    Commitment.due_on <= today + timedelta(days=14),
                )
                .order_by(Commitment.due_on, Commitment.id)
                .limit(MAX_ITEMS)
            )
        )


def test_today_reads_the_same_on_the_thin_path_the_session_and_the_models(
    journal: Journal, data_dir: DataDir, now: datetime
) -> None:
    _seed(journal, now)
    con = open_reader(data_dir)
    try:
        thin = today_data(con, now, tz=UTC)
        thin_paused = paused_until(con)
    finally:
        con.close()
    with journal.read() as s:
        orm = today_data(s, now, tz=UTC)
        rules = rc.Rules.load(s)
        engine = rc.this_week(s, now, tz=UTC)
    assert thin == orm
    assert thin_paused == rules.paused_until == now + timedelta(days=1)
    assert thin.paused_until == now + timedelta(days=1)
    assert thin.suggestions == engine[:MAX_ITEMS]
    # Bob set aside, Cat contacted since, Fay in the trash, Gus not to be suggested; Ana's older delivery is
    # last week's. Dan's meeting ahead of time is not a contact. Eve has been snoozed twice in a row.
    assert [s.name for s in thin.suggestions] == ["Ana Ray", "Dan Oak", "Eve Moss"]
    assert thin.suggestions[0].reason == "Time for Ana Ray"
    assert thin.suggestions[0].template == "Hi Ana Ray"
    assert [s.offer_cadence_change for s in thin.suggestions] == [False, False, True]
    assert [m.id for m in thin.meetings] == _orm_meetings(journal, now)
    assert len(thin.meetings) == MAX_ITEMS
    assert "Lunch · Café Ümit" in thin.meetings[1].label
    assert "Coffee with Ana Ray, Bob Stone" in thin.meetings[2].label
    assert [p.id for p in thin.promises] == _orm_promises(journal, now.date())
    assert [p.text for p in thin.promises] == [
        "Bob said they'd intro to Sam — it was for last Friday",
        "You said you'd send the slides (Ana Ray) — due Wednesday",
    ]


def test_after_your_meetings_reads_the_same_on_both_paths_as_the_digest_decides(
    journal: Journal, data_dir: DataDir, now: datetime
) -> None:
    _seed(journal, now)
    with closing(open_reader(data_dir)) as con:
        thin = today_data(con, now, tz=UTC).ended
    with journal.read() as s:
        orm = today_data(s, now, tz=UTC)
        digest = ended_meetings(s, now)  # what the weekly digest's line counts (core/after_meetings)
    assert thin == orm.ended
    coming = {m.id for m in orm.meetings}
    assert coming & {e.id for e in digest}, "the meeting an hour ago has ended and is still coming up"
    offered = [e for e in digest if e.id not in coming]  # listed once, under Coming up
    assert [m.id for m in thin] == [e.id for e in offered]
    assert [m.person_ids for m in thin] == [list(e.person_ids) for e in offered]
    assert [m.label for m in thin] == [f"{when_text(e.at, year=False, tz=UTC)} · {e.label}" for e in offered]
    headings = [m.label.split(" · ")[1] for m in thin]
    assert headings == ["Meeting with Bob Stone", "Meeting with Dan Oak, Eve Moss", "Board review"]


def test_a_pause_that_is_over_is_not_shown(journal: Journal, data_dir: DataDir, now: datetime) -> None:
    with journal.session() as s:
        rc.pause(s, now - timedelta(minutes=1))
    con = open_reader(data_dir)
    try:
        assert today_data(con, now).paused_until is None
    finally:
        con.close()


def test_an_empty_journal_shows_an_empty_today(data_dir: DataDir, journal: Journal, now: datetime) -> None:
    con = open_reader(data_dir)
    try:
        assert today_data(con, now) == today_data(con, now, tz=UTC)
        data = today_data(con, now)
    finally:
        con.close()
    assert (data.suggestions, data.meetings, data.promises, data.paused_until) == ([], [], [], None)


def test_today_reads_only_tables_and_columns_the_models_define(
    journal: Journal, now: datetime, columns_read: ColumnsRead
) -> None:
    _seed(journal, now)
    read = columns_read(lambda con: today_data(con, now))
    assert not_in_the_models(read) == []
    assert {"suggestion_events", "people", "contact_stats", "interactions", "commitments", "settings"} <= {
        t for t, _ in read
    }


def test_the_reminder_words() -> None:
    ana = Suggestion(1, "Ana", "due", "It's been a while.", 0.5, False, "")
    bob = Suggestion(2, "Bob", "loop", "You said you'd call.", 0.5, True, "")
    digest = rc.Surface("digest", [ana, bob])
    assert notification_text(digest) == ("This week, gently", "Ana: It's been a while.\nBob: You said you'd call.")
    assert notice_text(digest) == "This week's suggestions are in Today (Ctrl+1): Ana, Bob."
    nudge = rc.Surface("nudge", [bob])
    assert notification_text(nudge) == ("A gentle reminder", "Bob: You said you'd call.")
    assert notice_text(nudge) == "A gentle reminder: Bob. You said you'd call."
