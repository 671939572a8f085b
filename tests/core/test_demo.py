"""The demo journal shows what the app is for: FORD in all four parts, meetings at believable and varied
local times, a plan, a debrief, and reflections that fill every Insights chart."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from netjournal.core import insights as ins
from netjournal.core import reconnect as rc
from netjournal.core.demo import build_demo
from netjournal.core.models import Interaction, InteractionState, Person, Plan
from netjournal.core.prep import new_plan

TZS = [UTC, timezone(timedelta(hours=-7)), timezone(timedelta(hours=9))]


@pytest.fixture(params=[datetime(2026, 3, 4, 7, 30, tzinfo=UTC), datetime(2026, 12, 1, 23, 5, tzinfo=UTC)])
def demo_now(request, journal) -> datetime:
    with journal.session() as s:
        build_demo(s, request.param, TZS[1])
    return request.param


def test_everyone_has_all_four_ford_parts(journal, demo_now) -> None:
    with journal.read() as s:
        people = s.scalars(select(Person)).all()
    assert len(people) >= 10
    for p in people:
        assert all((p.ford_family, p.ford_occupation, p.ford_recreation, p.ford_dreams)), p.name


def test_meetings_are_at_believable_varied_local_times(journal, demo_now) -> None:
    with journal.read() as s:
        meetings = s.scalars(select(Interaction)).all()
    local = [
        m.at.replace(tzinfo=UTC).astimezone(TZS[1]) if m.at.tzinfo is None else m.at.astimezone(TZS[1])
        for m in meetings
    ]
    minutes = Counter((t.hour, t.minute) for t in local)
    assert len(minutes) >= 10 and max(minutes.values()) <= 2  # not all at the same minute
    assert all(8 <= t.hour <= 21 for t in local), sorted({t.hour for t in local})
    assert len({t.hour for t in local}) >= 8
    now = demo_now
    for m in meetings:
        at = m.at if m.at.tzinfo else m.at.replace(tzinfo=UTC)
        assert (at > now) == (m.state is InteractionState.PLANNED), m.notes


def test_there_is_a_plan_and_a_debrief(journal, demo_now) -> None:
    with journal.read() as s:
        plans = s.scalars(select(Plan)).all()
        assert len(plans) >= 2
        assert any(p.debrief_id is not None for p in plans)
        upcoming = [p for p in plans if p.debrief_id is None]
        assert upcoming and upcoming[0].meeting_id is not None and upcoming[0].ask
        # A new plan for a demo person is filled from them: no bracket placeholders left in it.
        draft = new_plan(s, demo_now, person_id=upcoming[0].person_id)
    text = " ".join([draft.intro_script, draft.ask, draft.exit_line, *[q["text"] for q in draft.questions]])
    assert "[" not in text


def test_reflections_fill_every_insights_chart(journal, demo_now) -> None:
    with journal.read() as s:
        all_ = ins.all_insights(s, demo_now)
    assert all_.discomfort.n >= 5 and len(all_.discomfort.points) >= 5
    assert len(all_.liking.points) >= 3
    assert sum(1 for m in all_.attempts.months if m.total) >= 5
    assert any(m.asked for m in all_.attempts.months) and any(m.ladder for m in all_.attempts.months)
    assert all(bar.count >= 2 for bar in all_.energy.bars), all_.energy.bars
    assert sum(bar.people for bar in all_.circles.bars) >= 10


def test_today_has_this_weeks_suggestions_at_once(journal, demo_now) -> None:
    with journal.read() as s:
        week = rc.this_week(s, demo_now, tz=TZS[1])
    assert 1 <= len(week) <= 3 and all(w.reason for w in week)
