"""Merging two people who are the same person."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from netjournal.core.db import Journal
from netjournal.core.errors import ValidationError
from netjournal.core.journal import add_commitment, get_person, open_commitments, restore, timeline
from netjournal.core.merge import merge_candidates, merge_people
from netjournal.core.models import Direction, Person, Plan, Reflection, ReflectionKind
from netjournal.core.search import search
from tests.factories import meeting, person


def test_merge_keeps_everything_of_both(journal: Journal, now: datetime) -> None:
    with journal.session() as s:
        keep = person(
            s,
            "Ana Lima",
            now,
            emails=[("work", "ana@work.example")],
            notes="",
            tags=["pycon"],
            dates=[{"kind": "birthday", "month": 5, "day": 4}],
        )
        other = person(
            s,
            "Ana L.",
            now,
            organisation="Acme",
            notes="Prefers mornings",
            emails=[("", "ANA@work.example"), ("home", "ana@home.example")],
            phones=[("", "+1 555 0100")],
            tags=["climbing", "pycon"],
            dates=[{"kind": "birthday", "month": 5, "day": 4}, {"kind": "anniversary", "month": 1, "day": 2}],
            addresses=[{"street": "1 Main St", "locality": "Lisbon"}],
        )
        bob = person(s, "Bob", now)
        meeting(s, keep, now, days_ago=10, notes="first coffee")
        meeting(s, other, now, days_ago=5, notes="second coffee")
        meeting(s, [keep, other, bob], now, days_ago=1, notes="group lunch")
        add_commitment(s, other.id, Direction.THEY_OWE, "Intro to Carla", now=now, due_on=date(2026, 4, 1))
        s.add(
            Reflection(
                kind=ReflectionKind.REJECTION, occurred_at=now, person_id=other.id, created_at=now, updated_at=now
            )
        )
        s.add(Plan(person_id=other.id, title="Next coffee", created_at=now, updated_at=now))
        keep_id, other_id = keep.id, other.id
    with journal.session() as s:
        result = merge_people(s, keep_id, other_id, now)
    assert result.interactions == 2 and result.commitments == 1 and result.contact_points == 2
    with journal.read() as s:
        ana = get_person(s, keep_id)
        assert ana.name == "Ana Lima" and ana.organisation == "Acme" and ana.notes == "Prefers mornings"
        assert [c.value for c in ana.contact_points] == ["ana@work.example", "ana@home.example", "+1 555 0100"]
        assert sorted(t.name for t in ana.tags) == ["climbing", "pycon"]
        assert sorted(d.kind for d in ana.dates) == ["anniversary", "birthday"]
        assert [a.locality for a in ana.addresses] == ["Lisbon"]
        notes = [i.notes for i in timeline(s, keep_id)]
        assert notes == ["group lunch", "second coffee", "first coffee"]  # the shared lunch only once
        assert [c.text for c in open_commitments(s, keep_id)] == ["Intro to Carla"]
        assert s.scalars(select(Reflection.person_id)).one() == keep_id
        assert s.scalars(select(Plan.person_id)).one() == keep_id
        assert s.get(Person, other_id).deleted_at is not None  # in the trash
        assert [h.id for h in search(s, "mornings")] == [keep_id]
        assert [h.id for h in search(s, "climbing")] == [keep_id]
    with journal.session() as s:
        restore(s, result.trash_batch)  # the other entry can come back
    with journal.read() as s:
        assert get_person(s, other_id).name == "Ana L."


def test_merge_refuses_the_same_person(journal: Journal, now: datetime) -> None:
    with journal.session() as s:
        p = person(s, "Solo", now)
        with pytest.raises(ValidationError):
            merge_people(s, p.id, p.id, now)


def test_merge_candidates(journal: Journal, now: datetime) -> None:
    with journal.session() as s:
        a = person(s, "Kim Park", now, emails=[("", "kim@example.com")])
        b = person(s, "K. Park", now, emails=[("", "KIM@example.com")])
        c = person(s, "kim park", now)
        person(s, "Someone Else", now)
        assert {p.id for p in merge_candidates(s, a.id)} == {b.id, c.id}
