"""What the sections read, as plain data from a session (the queries that used to live in netjournal/ui)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from netjournal.core import ladder as ld
from netjournal.core import prep, settings
from netjournal.core import reflections as rf
from netjournal.core.db import Journal
from netjournal.core.journal import PersonData, create_person, people_names, trash
from netjournal.core.people_view import PersonRow, PickRow, people_rows, pick_rows, tag_names
from netjournal.core.person_page import TIMELINE_LIMIT, person_page
from netjournal.core.reconnect import Rules
from tests.factories import meeting, person


def test_people_rows_and_tags_leave_out_the_trash(journal: Journal, now: datetime) -> None:
    with journal.session() as s:
        ann = create_person(s, PersonData(name="Ann Ng", organisation="Acme", tags=["climbing", "work"]), now=now)
        gone = person(s, "Gone Person", now)
        trash(s, "person", gone.id, now=now)
    with journal.read() as s:
        rows = people_rows(s)
        tags = tag_names(s)
    assert [r.name for r in rows] == ["Ann Ng"]
    assert isinstance(rows[0], PersonRow) and rows[0].tags == ("climbing", "work") and rows[0].id == ann.id
    assert tags == ["climbing", "work"]


def test_pick_rows_carry_what_tells_namesakes_apart(journal: Journal, now: datetime) -> None:
    with journal.session() as s:
        create_person(s, PersonData(name="Sam Lee", emails=[("work", "sam@a.example")]), now=now)
        create_person(s, PersonData(name="Sam Lee", organisation="Beta"), now=now)
    with journal.read() as s:
        rows = pick_rows(s)
    assert {(r.name, r.organisation, r.email) for r in rows} == {
        ("Sam Lee", "", "sam@a.example"),
        ("Sam Lee", "Beta", ""),
    }
    assert all(isinstance(r, PickRow) for r in rows)


def test_people_names_by_id_live_or_not(journal: Journal, now: datetime) -> None:
    with journal.session() as s:
        a, b = person(s, "Ann", now), person(s, "Bo", now)
        trash(s, "person", b.id, now=now)
        ids = [a.id, b.id]
    with journal.read() as s:
        assert people_names(s) == {a.id: "Ann"}
        assert people_names(s, ids) == {a.id: "Ann"}
        assert people_names(s, ids, include_deleted=True) == {a.id: "Ann", b.id: "Bo"}
        assert people_names(s, []) == {}


def test_person_page_lists_the_timeline_newest_first(journal: Journal, now: datetime) -> None:
    with journal.session() as s:
        p = person(s, "Kwame Mensah", now, role="Designer", organisation="Studio")
        for days in (30, 3):
            meeting(s, p, now, days_ago=days, notes=f"talked {days} days ago")
        pid = p.id
    with journal.read() as s:
        page = person_page(s, pid, now)
    assert page.name == "Kwame Mensah" and page.subtitle == "Designer · Studio"
    assert "last in touch three days ago" in page.meta
    assert [text.splitlines()[-1] for _id, text in page.timeline] == ["talked 3 days ago", "talked 30 days ago"]
    assert page.timeline_total == 2 and not page.more_timeline and TIMELINE_LIMIT >= 2


def test_plans_open_fresh_and_saved(journal: Journal, now: datetime) -> None:
    with journal.session() as s:
        pid = person(s, "Jonas Weber", now).id
        fresh = prep.fresh_plan(s, now, person_id=pid)
        assert fresh.plan_id is None and fresh.person_name == "Jonas Weber" and fresh.draft is None
        plan_id = prep.create_plan(s, fresh.data, now=now).id
    with journal.read() as s:
        opened = prep.open_plan(s, plan_id, now)
        lists = prep.plan_lists(s, now)
    assert opened.plan_id == plan_id and opened.draft_key == f"plan:{plan_id}" and not opened.debriefed
    assert [p.id for p in lists.plans] == [plan_id]


def test_reflect_page_and_ladders_as_listed(journal: Journal, now: datetime) -> None:
    with journal.session() as s:
        form = rf.DiscomfortForm(
            title="The meetup",
            situation="meetup",
            prediction="awkward",
            predicted_suds=70,
            actual_suds=40,
            occurred_at=now - timedelta(days=1),
        )
        rf.save_reflection(s, form, now=now)
        ld.create_ladder(s, ld.LadderData("Talk at meetups", [ld.StepData("Ask one question", 30)]), now=now)
    with journal.read() as s:
        page = rf.reflect_page(s, now)
        ladders = ld.ladder_views(s)
    assert [r.title for r in page.items] == ["The meetup"] and page.texts[0].startswith("The meetup\n")
    assert [(v.goal, [st.text for st in v.steps]) for v in ladders] == [("Talk at meetups", ["Ask one question"])]
    assert ladders[0].steps[0].tries == 0 and ladders[0].steps[0].last_peak is None


def test_settings_are_saved_together_and_read_through_the_rules(journal: Journal) -> None:
    with journal.session() as s:
        settings.put_all(s, {"reconnect.weekly_budget": 9, "reconnect.quiet_start": "not a time"})
    with journal.read() as s:
        rules = Rules.load(s)
    assert rules.budget == 5  # clamped the way every reminder reads it
    assert rules.quiet_start.hour == 20  # the default, not a crash
    with journal.session() as s, pytest.raises(KeyError):
        settings.put_all(s, {"no.such.setting": 1})
