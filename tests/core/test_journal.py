"""People, interactions, promises and the trash, as a user would use them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from netjournal.core.errors import NotFoundError, ValidationError
from netjournal.core.journal import (
    InteractionData,
    PersonData,
    add_commitment,
    get_person,
    last_contacts,
    log_interaction,
    open_commitments,
    resolve_person,
    restore,
    timeline,
    trash,
    trash_items,
    update_person,
)
from netjournal.core.models import Channel, Direction, InteractionState, Person, PersonStatus
from tests.factories import meeting, person


def test_person_round_trip_with_all_kinds_of_details(journal, now) -> None:
    data = PersonData(
        name="Zoë Ångström",
        organisation="Fjord AB",
        role="Designer",
        circle=50,
        emails=[("work", "zoe@fjord.se"), ("home", "ZOE@fjord.se ")],
        phones=[("mobile", "+46 70 123 45 67")],
        dates=[{"kind": "birthday", "month": 2, "day": 29}],
        tags=["design", "sweden"],
        addresses=[{"label": "work", "locality": "Malmö", "country": "Sweden"}],
    )
    with journal.session() as s:
        pid = person(s, "Zoe", now).id
        update_person(s, pid, data, now=now)
    with journal.read() as s:
        p = get_person(s, pid)
        back = PersonData.from_person(p)
    assert back.name == "Zoë Ångström"
    assert back.emails == [("work", "zoe@fjord.se")], "the same address twice is kept once"
    assert back.tags == ["design", "sweden"]
    assert back.dates[0]["month"] == 2 and back.dates[0]["day"] == 29
    assert back.addresses[0]["locality"] == "Malmö"


@pytest.mark.parametrize("bad", [{"name": "  "}, {"name": "A", "circle": 7}, {"name": "A", "cadence_days": 0}])
def test_invalid_people_get_a_clear_message(journal, now, bad) -> None:
    with pytest.raises(ValidationError), journal.session() as s:
        from netjournal.core.journal import create_person

        create_person(s, PersonData(**bad), now=now)


def test_logging_shows_on_the_timeline_newest_first_with_planned_on_top(journal, now) -> None:
    with journal.session() as s:
        p = person(s, "Priya", now)
        meeting(s, p, now, days_ago=30, notes="first")
        meeting(s, p, now, days_ago=2, notes="second")
        log_interaction(
            s,
            [p.id],
            InteractionData(at=now + timedelta(days=3), state=InteractionState.PLANNED, title="Coffee"),
            now=now,
        )
        pid = p.id
    with journal.read() as s:
        items = timeline(s, pid)
        assert [i.notes or i.title for i in items] == ["Coffee", "second", "first"]
        # a planned meeting is not contact yet
        assert last_contacts(s)[pid] == now - timedelta(days=2)


def test_ratings_out_of_range_are_refused(journal, now) -> None:
    with journal.session() as s:
        p = person(s, "Priya", now)
        with pytest.raises(ValidationError, match="Warmth"):
            log_interaction(s, [p.id], InteractionData(at=now, warmth=9), now=now)


def test_waiting_for_reply_is_a_state_that_their_answer_clears(journal, now) -> None:
    with journal.session() as s:
        p = person(s, "Kwame", now)
        meeting(s, p, now, days_ago=5, channel=Channel.EMAIL, awaiting_reply=True, initiated_by_me=True)
        assert p.status is PersonStatus.WAITING
        meeting(s, p, now, channel=Channel.EMAIL, initiated_by_me=False, notes="He answered")
        assert p.status is PersonStatus.ACTIVE


def test_delete_person_goes_to_trash_and_undo_brings_everything_back(journal, now) -> None:
    with journal.session() as s:
        a, b = person(s, "Ann", now), person(s, "Ben", now)
        meeting(s, a, now, notes="just Ann")
        meeting(s, [a, b], now, notes="Ann and Ben")
        add_commitment(s, a.id, Direction.I_OWE, "Send the link", now=now)
        batch = trash(s, "person", a.id, now=now)
        a_id, b_id = a.id, b.id
    with journal.read() as s:
        assert [p.name for p in s.scalars(select(Person).where(Person.deleted_at.is_(None)))] == ["Ben"]
        assert [i.notes for i in timeline(s, b_id)] == ["Ann and Ben"], "shared meetings stay with Ben"
        assert open_commitments(s) == []
        assert [t.label for t in trash_items(s)] == ["Ann"]
        with pytest.raises(NotFoundError):
            resolve_person(s, "Ann")
    with journal.session() as s:
        assert restore(s, batch) == 3
    with journal.read() as s:
        assert sorted(i.notes for i in timeline(s, a_id)) == ["Ann and Ben", "just Ann"]
        assert [c.text for c in open_commitments(s)] == ["Send the link"]


def test_resolve_person_by_name_or_id_and_ambiguity(journal, now) -> None:
    with journal.session() as s:
        person(s, "Anna Berg", now)
        person(s, "Anna Smith", now)
        p = person(s, "Bo", now)
        assert resolve_person(s, "bo").id == p.id
        assert resolve_person(s, f"#{p.id}").id == p.id
        with pytest.raises(NotFoundError, match="several people"):
            resolve_person(s, "Anna")
        assert resolve_person(s, "anna smith").name == "Anna Smith"


def test_editing_a_person_keeps_details_the_form_does_not_show(journal, now) -> None:
    from netjournal.core.models import ContactPoint

    with journal.session() as s:
        p = person(s, "Ines", now, emails=[("", "ines@example.pt")])
        p.contact_points.append(ContactPoint(kind="im", label="signal", value="ines.42", normalized="ines.42"))
        s.flush()
        data = PersonData.from_person(p)
        data.role = "Editor"
        update_person(s, p.id, data, now=now)
        assert sorted(cp.kind for cp in get_person(s, p.id).contact_points) == ["email", "im"]
