"""Full-text search: what a person typing into the search box finds."""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netjournal.core.db import Journal
from netjournal.core.journal import (
    PersonData,
    add_commitment,
    get_person,
    restore,
    trash,
    update_person,
)
from netjournal.core.models import Direction, Plan, Reflection, ReflectionKind
from netjournal.core.search import fts_query, rebuild_index, search, split_marks
from tests.factories import meeting, person


def _seed(journal: Journal, now: datetime) -> dict[str, int]:
    with journal.session() as s:
        ana = person(
            s,
            "Ana Müller",
            now,
            organisation="Acme Robotics",
            emails=[("work", "ana@acme.example")],
            ford_recreation="climbs on weekends",
            tags=["climbing"],
        )
        bob = person(s, "Bob Stone", now, notes="Met at the PyCon sprint")
        m = meeting(s, ana, now, days_ago=3, title="Coffee at Café Nero", notes="Talked about the robotics startup")
        c = add_commitment(s, bob.id, Direction.I_OWE, "Send the sprint slides", now=now)
        r = Reflection(
            kind=ReflectionKind.REJECTION,
            occurred_at=now,
            title="No reply from the recruiter",
            situation="asked for advice",
            data={"story": "they hate me", "others": ["they are busy"]},
            created_at=now,
            updated_at=now,
            person_id=bob.id,
        )
        pl = Plan(
            title="Meetup prep",
            purpose="meet three data people",
            research_notes="speaker list",
            created_at=now,
            updated_at=now,
        )
        s.add_all([r, pl])
        s.flush()
        return {"ana": ana.id, "bob": bob.id, "meeting": m.id, "promise": c.id, "reflection": r.id, "plan": pl.id}


def test_finds_every_kind_of_entry(journal: Journal, now: datetime) -> None:
    ids = _seed(journal, now)
    with journal.read() as s:
        assert [(h.kind, h.id) for h in search(s, "acme")] == [("person", ids["ana"])]
        assert ("interaction", ids["meeting"]) in [(h.kind, h.id) for h in search(s, "robotics startup")]
        hit = next(h for h in search(s, "slides") if h.kind == "commitment")
        assert hit.id == ids["promise"] and hit.person_id == ids["bob"] and hit.name == "Bob Stone"
        refl = search(s, "busy")
        assert [(h.kind, h.id, h.name) for h in refl] == [("reflection", ids["reflection"], "Bob Stone")]
        assert [(h.kind, h.id) for h in search(s, "three data")] == [("plan", ids["plan"])]
        assert [h.id for h in search(s, "ana@acme.example")] == [ids["ana"]]
        assert [h.id for h in search(s, "climbing")] == [ids["ana"]]


def test_interaction_hit_names_the_person(journal: Journal, now: datetime) -> None:
    ids = _seed(journal, now)
    with journal.read() as s:
        hit = next(h for h in search(s, "nero") if h.kind == "interaction")
    assert hit.person_id == ids["ana"] and hit.name == "Ana Müller" and hit.title == "Coffee at Café Nero"


def test_diacritics_and_case_do_not_matter(journal: Journal, now: datetime) -> None:
    ids = _seed(journal, now)
    with journal.read() as s:
        assert [h.id for h in search(s, "MULLER") if h.kind == "person"] == [ids["ana"]]
        assert any(h.kind == "interaction" for h in search(s, "cafe"))


def test_last_word_matches_as_a_prefix_while_typing(journal: Journal, now: datetime) -> None:
    ids = _seed(journal, now)
    with journal.read() as s:
        assert [h.id for h in search(s, "ana mü") if h.kind == "person"] == [ids["ana"]]
        assert search(s, "rob")  # robotics
        assert search(s, "ana mü ") == []  # a finished word must match whole


def test_matching_words_are_marked_in_the_snippet(journal: Journal, now: datetime) -> None:
    _seed(journal, now)
    with journal.read() as s:
        hit = next(h for h in search(s, "startup") if h.kind == "interaction")
    assert [hit.snippet[a:b] for a, b in hit.highlights] == ["startup"]
    assert "«startup»" in hit.marked


def test_names_rank_above_notes(journal: Journal, now: datetime) -> None:
    with journal.session() as s:
        person(s, "Someone Else", now, notes="I should introduce her to Carla")
        carla = person(s, "Carla Diaz", now)
    with journal.read() as s:
        assert search(s, "carla")[0].id == carla.id


def test_trash_hides_and_restore_brings_back(journal: Journal, now: datetime) -> None:
    ids = _seed(journal, now)
    with journal.session() as s:
        batch = trash(s, "person", ids["bob"], now=now)
    with journal.read() as s:
        assert search(s, "sprint") == []  # the person and their promise
    with journal.session() as s:
        restore(s, batch)
    with journal.read() as s:
        assert {h.kind for h in search(s, "sprint")} == {"person", "commitment"}


def test_edits_are_searchable_at_once(journal: Journal, now: datetime) -> None:
    ids = _seed(journal, now)
    with journal.session() as s:
        data = PersonData.from_person(get_person(s, ids["ana"]))
        data.organisation = "Globex"
        data.emails = [("home", "ana@globex.example")]
        data.tags = ["bouldering"]
        update_person(s, ids["ana"], data, now=now)
    with journal.read() as s:
        assert search(s, "acme") == []
        assert [h.id for h in search(s, "globex")] == [ids["ana"]]
        assert search(s, "climbing") == [] and [h.id for h in search(s, "bouldering")] == [ids["ana"]]


def test_rebuild_index_gives_the_same_results(journal: Journal, now: datetime) -> None:
    _seed(journal, now)
    with journal.read() as s:
        before = [(h.kind, h.id) for h in search(s, "sprint")]
    with journal.session() as s:
        rebuild_index(s)
    with journal.read() as s:
        assert [(h.kind, h.id) for h in search(s, "sprint")] == before != []


def test_limit(journal: Journal, now: datetime) -> None:
    with journal.session() as s:
        for i in range(30):
            person(s, f"Dana {i}", now)
    with journal.read() as s:
        assert len(search(s, "dana", limit=7)) == 7


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "'",
        "AND",
        "OR NOT",
        "a OR",
        "NEAR(a b)",
        "*",
        "ana*",
        "-ana",
        "name:ana",
        "(",
        ")",
        "^",
        "",
        "   ",
        "\x00",
        "💥",
        'ana"mü',
        "{x}",
        "a:b:c",
        "ﬁ",
        "İstanbul",
        "_",
        "__init__",
    ],
)
def test_odd_input_never_raises(journal: Journal, now: datetime, query: str) -> None:
    _seed(journal, now)
    with journal.read() as s:
        assert isinstance(search(s, query), list)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=40))
def test_any_text_is_a_valid_query(journal: Journal, query: str) -> None:
    with journal.read() as s:
        assert isinstance(search(s, query), list)


def test_fts_query_quotes_words() -> None:
    assert fts_query('ana OR "x') == '"ana" "OR" "x"*'
    assert fts_query("  ") == ""
    assert split_marks("a \ue000b\ue001 c") == ("a b c", ((2, 3),))


def test_very_common_words_still_give_names_first_then_newest(
    journal: Journal, now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    import netjournal.core.search as search_module

    with journal.session() as s:
        old = person(s, "Old Friend", now, notes="coffee")
        for i in range(5):
            meeting(s, old, now, days_ago=10 - i, notes=f"coffee number {i}")
        person(s, "Coffee Lover", now)
    monkeypatch.setattr(search_module, "RANK_CAP", 2)
    with journal.read() as s:
        hits = search(s, "coffee", limit=4)
    assert hits[0].name == "Coffee Lover"  # a name match first
    assert [h.snippet for h in hits[1:]] == ["coffee number 4", "coffee number 3", "coffee number 2"]  # newest


def test_a_reflection_with_odd_data_is_still_saved(journal: Journal, now: datetime) -> None:
    from sqlalchemy import text

    with journal.session() as s:
        s.add(
            Reflection(
                kind=ReflectionKind.THOUGHT_RECORD,
                occurred_at=now,
                title="Odd",
                created_at=now,
                updated_at=now,
                data={"n": 3, "nested": {"deep": ["stays findable"]}},
            )
        )
    with journal.read() as s:
        assert [h.title for h in search(s, "findable")] == ["Odd"]
    with journal.session() as s:
        s.execute(text("UPDATE reflections SET data = 'not json', title = 'Odd still'"))
    with journal.read() as s:
        assert [h.title for h in search(s, "odd")] == ["Odd still"]


def test_results_carry_when_it_happened(journal) -> None:
    # The search list shows a date beside each meeting, reflection, plan and promise.
    from datetime import UTC, datetime

    from netjournal.core import search as search_mod
    from tests import factories as fx

    at = datetime(2026, 2, 3, 10, 0, tzinfo=UTC)
    with journal.session() as s:
        p = fx.person(s, "Dana Whitfield", at)
        fx.meeting(s, p, at, days_ago=0, notes="talked about zebrafish research")
    with journal.read() as s:
        hits = search_mod.search(s, "zebrafish")
    assert [h.kind for h in hits] == ["interaction"]
    assert hits[0].at is not None and hits[0].at.date() == at.date()
