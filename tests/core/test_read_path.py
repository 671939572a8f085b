"""The thin read path (plain sqlite3) and the ORM give the same answers, on the same schema.

`netjournal search` and `netjournal people` read through core/reader.py without SQLAlchemy. The
queries are written once (search.py, people_list.py) and run on both; these tests make sure the
answers cannot drift apart and that every table and column the read path touches is one the models
define (SQLite's authorizer reports each column a statement reads).
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import selectinload

from netjournal.core.db import Journal
from netjournal.core.journal import add_commitment, live_people, trash
from netjournal.core.models import Direction, Person, PersonStatus, Plan, Reflection, ReflectionKind
from netjournal.core.paths import DataDir
from netjournal.core.people_list import people_rows
from netjournal.core.reader import open_reader
from netjournal.core.search import count_matches, search
from tests.core.conftest import ColumnsRead, is_sqlite_own, not_in_the_models
from tests.factories import meeting, person

QUERIES = ["ana", "Müller", "robotics startup", "sprint", "recruiter", "meetup", "climb", "zzz", "the", "a b c"]


def _seed(journal: Journal, now: datetime) -> None:
    with journal.session() as s:
        emails = [("work", "ana@acme.example"), ("home", "ana@home.example")]
        ana = person(
            s,
            "Ana Müller",
            now,
            organisation="Acme Robotics",
            tags=["climbing", "alumni"],
            emails=emails,
            phones=[("cell", "+44 1")],
        )
        bob = person(s, "Bob Stone", now, notes="Met at the PyCon sprint", status=PersonStatus.WAITING, circle=15)
        gone = person(s, "Ana Gone", now, notes="robotics too")
        person(s, "Zoë Ångström", now, emails=[("work", "zoe@example.org")])
        for i in range(60):  # more matches than one page, to exercise the cap and the count
            meeting(
                s,
                [ana, bob] if i % 2 else ana,
                now,
                days_ago=i,
                title=f"Coffee {i}",
                notes="Talked about the robotics startup and the sprint",
            )
        add_commitment(s, bob.id, Direction.I_OWE, "Send the sprint slides", now=now)
        s.add_all(
            [
                Reflection(
                    kind=ReflectionKind.REJECTION,
                    occurred_at=now,
                    title="No reply from the recruiter",
                    situation="asked for advice",
                    data={"story": "busy"},
                    created_at=now,
                    updated_at=now,
                    person_id=bob.id,
                ),
                Plan(title="Meetup prep", purpose="meet people", created_at=now, updated_at=now),
            ]
        )
        s.flush()
        trash(s, "person", gone.id, now=now)


def _orm_people(journal: Journal) -> list[dict[str, Any]]:
    """What `netjournal people` printed when it went through the models."""
    with journal.read() as s:
        people = s.scalars(
            live_people()
            .options(selectinload(Person.contact_points), selectinload(Person.tags))
            .order_by(Person.sort_name, Person.id)
        ).all()
        return [
            {
                "id": p.id,
                "name": p.name,
                "emails": [c.value for c in p.contact_points if c.kind == "email"],
                "phones": [c.value for c in p.contact_points if c.kind == "phone"],
                "organisation": p.organisation,
                "role": p.role,
                "circle": p.circle,
                "status": str(p.status),
                "tags": [t.name for t in p.tags],
            }
            for p in people
        ]


def test_search_and_people_are_the_same_on_both_paths(journal: Journal, data_dir: DataDir, now: datetime) -> None:
    _seed(journal, now)
    con = open_reader(data_dir)
    try:
        with journal.read() as s:
            for q in QUERIES:
                for limit in (5, 50):
                    assert search(con, q, limit=limit) == search(s, q, limit=limit), q
                assert count_matches(con, q) == count_matches(s, q), q
        fast = people_rows(con)
    finally:
        con.close()
    assert fast == _orm_people(journal)
    assert [p["name"] for p in fast] == ["Ana Müller", "Bob Stone", "Zoë Ångström"]  # the trash is left out
    assert fast[0]["emails"] == ["ana@acme.example", "ana@home.example"]
    assert fast[0]["tags"] == ["alumni", "climbing"]


def test_search_says_how_many_there_are_when_it_caps(journal: Journal, data_dir: DataDir, now: datetime) -> None:
    _seed(journal, now)
    con = open_reader(data_dir)
    try:
        assert len(search(con, "robotics", limit=10)) == 10
        assert count_matches(con, "robotics") == 61  # 60 meetings and Ana (the trashed Ana is not counted)
    finally:
        con.close()


def test_the_read_path_reads_only_tables_and_columns_the_models_define(
    journal: Journal, now: datetime, columns_read: ColumnsRead
) -> None:
    _seed(journal, now)

    def reads(con: sqlite3.Connection) -> None:
        for q in QUERIES:
            search(con, q)
            count_matches(con, q)
        people_rows(con)

    read = columns_read(reads)
    assert not_in_the_models(read) == []
    own = {t for t, _ in read if not is_sqlite_own(t)}
    assert {"people", "interactions", "interaction_people", "contact_points", "tags", "person_tags"} <= own


def test_the_read_path_opens_nothing_by_itself_when_the_journal_is_new(tmp_path: Path) -> None:
    dd = DataDir(tmp_path / "fresh")
    con = open_reader(dd)  # no journal yet: created (and migrated) the way every command creates it
    try:
        assert search(con, "anything") == []
        assert people_rows(con) == []
    finally:
        con.close()
    assert dd.database.exists()
