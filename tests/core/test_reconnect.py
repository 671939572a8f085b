"""The reconnection engine: the domain formula, the filters, the weekly selection and the quiet rules."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from netjournal.core import reconnect as rc
from netjournal.core import settings
from netjournal.core.journal import add_commitment, trash
from netjournal.core.journal import restore as restore_batch
from netjournal.core.models import Direction, EnergyLog, Person, PersonStatus
from tests.factories import meeting, person

MONDAY_10 = datetime(2026, 3, 16, 10, 0, tzinfo=UTC)


def surface(s, at: datetime) -> rc.Surface:
    return rc.what_to_surface(s, at, tz=UTC)


def names(items) -> list[str]:
    return sorted(x.name for x in items)


def test_score_follows_the_domain_formula() -> None:
    # Seven months after the last contact with someone in the 50 circle, last time warm (5).
    score, parts = rc.score_parts(
        days_since=270, cadence=180, loop=0, date_=0, circle=50, warmth=5, dormant=False, ignored_90d=0
    )
    assert parts["due"] == pytest.approx(0.35 * 0.6)
    assert score == pytest.approx(0.35 * 0.6 + 0.10 * 0.6 + 0.10 * 1.0)
    # The warmth floor: a lukewarm (2) last time still counts as 0.5; fatigue halves per ignored suggestion.
    low, _ = rc.score_parts(
        days_since=270, cadence=180, loop=1, date_=0.5, circle=150, warmth=2, dormant=True, ignored_90d=5
    )
    assert low == pytest.approx((0.21 + 0.20 + 0.075 + 0.04 + 0.05 + 0.10) * 0.125)


def test_circle_when_none_is_set(journal, now) -> None:
    with journal.session() as s:
        met = person(s, "Met Once", now - timedelta(days=800))
        meeting(s, met, now, days_ago=400)
        person(s, "Bare Import", now - timedelta(days=800))
    with journal.read() as s:
        cands = {c.name: c for c in rc.candidates(s, now, tz=UTC)}
    # Met, no circle: the 150 layer (365 days): 400 days is a little past due.
    assert cands["Met Once"].parts["layer"] == pytest.approx(0.04)
    assert "about once a year" in cands["Met Once"].reason
    # Never met, no circle: a weak tie, triggered only by events; nothing happened, so not a candidate.
    assert "Bare Import" not in cands


def test_reasons_are_plain_words(journal, now) -> None:
    with journal.session() as s:
        jonas = person(s, "Jonas Weber", now, circle=50)
        meeting(s, jonas, now, days_ago=213)
        priya = person(s, "Priya Raman", now, circle=15)
        meeting(s, priya, now, days_ago=20)
        friday = now.date() + timedelta(days=4)
        add_commitment(s, priya.id, Direction.I_OWE, "Send Priya the article", now=now, due_on=friday)
    with journal.read() as s:
        cands = {c.name: c for c in rc.candidates(s, now, tz=UTC)}
    assert cands["Jonas Weber"].reason == "It's been seven months; you meant to be in touch about twice a year."
    assert cands["Jonas Weber"].kind == "due"
    assert cands["Priya Raman"].reason == "You said you'd send Priya the article — due Friday."
    assert cands["Priya Raman"].kind == "loop"
    assert "Priya" in cands["Priya Raman"].template


def test_hard_filters(journal, now) -> None:
    with journal.session() as s:
        base = {"circle": 50}
        people = {n: person(s, n, now, **base) for n in ("Due", "Recent", "Snoozed", "Never", "Badly", "Suggested")}
        for p in people.values():
            meeting(s, p, now, days_ago=400)
        meeting(s, people["Recent"], now, days_ago=3)
        people["Snoozed"].snooze_until = now + timedelta(days=5)
        people["Never"].status = PersonStatus.DO_NOT_SUGGEST
        people["Badly"].ended_badly = True
        people["Suggested"].last_suggested_at = now - timedelta(days=10)
        close = person(s, "Closest", now, circle=5)
        meeting(s, close, now, days_ago=30)
    with journal.read() as s:
        assert names(rc.candidates(s, now, tz=UTC)) == ["Due"]
    with journal.session() as s:
        settings.put(s, "reconnect.circle5_opt_in", True)
    with journal.read() as s:
        assert names(rc.candidates(s, now, tz=UTC)) == ["Closest", "Due"]


def test_weekly_digest_respects_budget_then_stays_quiet(journal, now) -> None:
    with journal.session() as s:
        for i in range(6):
            meeting(s, person(s, f"Friend {i}", now, circle=50), now, days_ago=300 + i * 20)
    with journal.session() as s:
        assert surface(s, MONDAY_10 - timedelta(minutes=1)).kind == "none"  # before the digest time
        first = surface(s, MONDAY_10)
        assert first.kind == "digest" and len(first.suggestions) == 3
        # Ties and order: the longest-unheard-of first.
        assert [x.name for x in first.suggestions] == ["Friend 5", "Friend 4", "Friend 3"]
        rc.record_delivery(s, first, MONDAY_10)
    for hours in (1, 24, 48, 72, 96):
        with journal.read() as s:
            again = surface(s, MONDAY_10 + timedelta(hours=hours))
            assert again.kind == "none", hours
            assert "already out" in again.note
    with journal.read() as s:
        assert names(rc.this_week(s, MONDAY_10 + timedelta(days=2), tz=UTC)) == ["Friend 3", "Friend 4", "Friend 5"]
        # Next Monday: a new digest, without the people suggested 7 days ago (14-day rule).
        nxt = surface(s, MONDAY_10 + timedelta(days=7))
    assert nxt.kind == "digest" and names(nxt.suggestions) == ["Friend 0", "Friend 1", "Friend 2"]


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2026, 3, 16, 8, 59, tzinfo=UTC),  # before 09:00
        datetime(2026, 3, 17, 20, 0, tzinfo=UTC),  # evening
        datetime(2026, 3, 21, 12, 0, tzinfo=UTC),  # Saturday
        datetime(2026, 3, 22, 12, 0, tzinfo=UTC),  # Sunday
    ],
)
def test_quiet_hours_and_weekends(journal, now, moment) -> None:
    with journal.session() as s:
        p = person(s, "Due", now, circle=15)
        meeting(s, p, now, days_ago=90)
        add_commitment(s, p.id, Direction.I_OWE, "Return the book", now=now, due_on=now.date())
    with journal.read() as s:
        result = surface(s, moment)
    assert result.kind == "none" and "Quiet" in result.note


def test_a_month_away_gives_one_digest(journal, now) -> None:
    with journal.session() as s:
        for i in range(8):
            meeting(s, person(s, f"Friend {i}", now, circle=50), now, days_ago=300 + i)
    back = datetime(2026, 4, 16, 11, 0, tzinfo=UTC)  # a Thursday, a month later, the app just started
    shown = []
    for minutes in range(0, 8 * 60, 5):  # every tick of the day
        with journal.session() as s:
            out = surface(s, back + timedelta(minutes=minutes))
            if out:
                rc.record_delivery(s, out, back + timedelta(minutes=minutes))
                shown.append(out.kind)
    assert shown == ["digest"]


def test_waiting_for_reply_one_follow_up_then_back_off(journal, now) -> None:
    with journal.session() as s:
        kwame = person(s, "Kwame Mensah", now, circle=500)
        meeting(s, kwame, now, days_ago=12, awaiting_reply=True, initiated_by_me=True)
        assert kwame.status is PersonStatus.WAITING
    with journal.session() as s:
        early = rc.candidates(s, now - timedelta(days=3), tz=UTC)
        assert early == []  # nine days: still patient
        out = surface(s, MONDAY_10)
        assert out.kind == "digest" and [x.kind for x in out.suggestions] == ["waiting"]
        assert "haven't heard back" in out.suggestions[0].reason
        rc.record_delivery(s, out, MONDAY_10)
    with journal.read() as s:
        for weeks in (1, 2, 5, 10):
            assert rc.candidates(s, MONDAY_10 + timedelta(weeks=weeks), tz=UTC) == []


def test_one_dormant_a_week_and_the_warm_dormant_slot(journal, now) -> None:
    with journal.session() as s:
        for i in range(3):
            meeting(s, person(s, f"Old {i}", now, circle=150), now, days_ago=1200 + i, warmth=4)
        weak = person(s, "Weak but warm", now, circle=500)
        meeting(s, weak, now, days_ago=1500, warmth=4)
    with journal.read() as s:
        out = surface(s, MONDAY_10)
    assert out.kind == "digest"
    assert sum(x.dormant for x in out.suggestions) == 1
    assert out.suggestions[0].name == "Old 2" and "Old ties" in out.suggestions[0].reason
    # With no dormant tie above the threshold, a warm one under it takes the slot.
    with journal.read() as s:
        weak_only = [c for c in rc.candidates(s, MONDAY_10, tz=UTC) if c.name == "Weak but warm"]
    assert weak_only and weak_only[0].score < rc.THRESHOLD
    assert names(rc.select_week(weak_only, 3, 1)) == ["Weak but warm"]
    assert rc.select_week(weak_only, 3, 0) == []  # the dormant slot was used this week


def test_an_open_loop_keeps_a_slot(journal, now) -> None:
    with journal.session() as s:
        for i in range(5):
            meeting(s, person(s, f"Close {i}", now, circle=15), now, days_ago=80 + i)
        acq = person(s, "Acquaintance", now, circle=500)
        add_commitment(s, acq.id, Direction.I_OWE, "Send the intro email", now=now, due_on=now.date())
    with journal.read() as s:
        out = surface(s, MONDAY_10)
    assert len(out.suggestions) == 3
    assert "Acquaintance" in names(out.suggestions)


def test_nudge_once_a_day_and_not_when_drained(journal, now) -> None:
    tuesday = MONDAY_10 + timedelta(days=1)
    with journal.session() as s:
        a = person(s, "Amara Okafor", now, circle=150, dates=[{"kind": "birthday", "month": 3, "day": 20}])
        meeting(s, a, now, days_ago=40)
        b = person(s, "Ben", now, circle=500)
        add_commitment(s, b.id, Direction.I_OWE, "Send the slides", now=now, due_on=tuesday.date())
    with journal.session() as s:
        # Tuesday (the app was off on Monday): the digest carries the due promise in its reserved slot;
        # a birthday alone is under the threshold, so it waits for a nudge of its own.
        first = surface(s, tuesday)
        assert first.kind == "digest" and names(first.suggestions) == ["Ben"]
        rc.record_delivery(s, first, tuesday)
        s.add(EnergyLog(at=tuesday + timedelta(hours=2), battery=2))
    with journal.read() as s:
        assert "One reminder a day" in surface(s, tuesday + timedelta(hours=3)).note
        drained = surface(s, tuesday + timedelta(days=1))
        assert drained.kind == "none" and "battery" in drained.note
        later = surface(s, tuesday + timedelta(days=2, hours=3))  # the low reading is over 48 hours old
    assert later.kind == "nudge" and names(later.suggestions) == ["Amara Okafor"]
    assert later.suggestions[0].reason == "Amara's birthday is tomorrow."
    assert later.suggestions[0].template.startswith("Happy birthday, Amara")


def test_two_social_events_in_two_days_hold_nudges_back(journal, now) -> None:
    with journal.session() as s:
        b = person(s, "Ben", now, circle=500)
        add_commitment(s, b.id, Direction.I_OWE, "Send the slides", now=now, due_on=now.date())
        rc.record_delivery(s, rc.Surface("digest", [rc.Suggestion(b.id, "Ben", "loop", "", 0.3, True, "")]), now)
        other = person(s, "Chen", now)
    tuesday = MONDAY_10 + timedelta(days=1, hours=2)
    with journal.session() as s:
        # Ben was in Monday's digest; a new due promise to Chen arrives, but two meetups drained the battery.
        add_commitment(s, other.id, Direction.I_OWE, "Share the notes", now=now, due_on=tuesday.date())
        meeting(s, person(s, "X", now), now, days_ago=-0.5)
        meeting(s, person(s, "Y", now), now, days_ago=-1)
    with journal.read() as s:
        held = surface(s, tuesday)
    assert held.kind == "none" and "busy" in held.note


def test_snooze_twice_offers_a_cadence_change(journal, now) -> None:
    with journal.session() as s:
        p = person(s, "Hannah", now, circle=50)
        meeting(s, p, now, days_ago=400)
        pid = p.id
    with journal.session() as s:
        assert rc.snooze(s, pid, now, rc.snooze_until("week", now)) is False
        assert rc.candidates(s, now + timedelta(days=6), tz=UTC) == []
    with journal.session() as s:
        later = now + timedelta(days=8)
        [c] = rc.candidates(s, later, tz=UTC)
        assert not c.offer_cadence_change
        assert rc.snooze(s, pid, later, rc.snooze_until("date", later, date(2026, 5, 1), tz=UTC)) is True
    with journal.session() as s:
        assert rc.candidates(s, datetime(2026, 5, 1, 12, tzinfo=UTC), tz=UTC) == []
        [c] = rc.candidates(s, datetime(2026, 5, 2, 12, tzinfo=UTC), tz=UTC)
        assert c.offer_cadence_change
        rc.change_cadence(s, pid, circle=150, cadence_days=None, now=now)
    with journal.read() as s:
        assert s.get(Person, pid).consecutive_snoozes == 0


def test_pause_holds_everything(journal, now) -> None:
    with journal.session() as s:
        meeting(s, person(s, "Due", now, circle=50), now, days_ago=400)
        rc.pause(s, MONDAY_10 + timedelta(days=1))
    with journal.read() as s:
        assert "paused" in surface(s, MONDAY_10).note
        assert surface(s, MONDAY_10 + timedelta(days=1, hours=1)).kind == "digest"


def test_contact_stats_follow_every_change(journal, now) -> None:
    with journal.session() as s:
        p = person(s, "Sofia", now)
        older = meeting(s, p, now, days_ago=50, warmth=2)
        newer = meeting(s, p, now, days_ago=10, warmth=5)
        pid, newer_id, older_at = p.id, newer.id, older.at
    with journal.read() as s:
        assert rc.last_contacts_with_warmth(s, now)[pid] == (now - timedelta(days=10), 5)
    with journal.session() as s:
        batch = trash(s, "interaction", newer_id, now=now)
    with journal.read() as s:
        assert rc.last_contacts_with_warmth(s, now)[pid] == (older_at, 2)
    with journal.session() as s:
        restore_batch(s, batch)
    with journal.read() as s:
        assert rc.last_contacts_with_warmth(s, now)[pid][1] == 5
        # A look at an earlier moment ignores what came after it.
        assert rc.last_contacts_with_warmth(s, now - timedelta(days=20))[pid] == (older_at, 2)
        assert s.scalars(select(Person)).one().name == "Sofia"
