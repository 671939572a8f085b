"""Interactions: logging what happened (or is planned) with people, a person's timeline, and when each
person was last in touch."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, column, func, select, text
from sqlalchemy.orm import Session, selectinload

from netjournal.core.errors import ValidationError
from netjournal.core.journal.people import _check_range, get_person
from netjournal.core.journal.trashing import live
from netjournal.core.models import (
    Channel,
    Interaction,
    InteractionState,
    PersonStatus,
    interaction_people,
)


@dataclass
class InteractionData:
    at: datetime
    channel: Channel = Channel.OTHER
    state: InteractionState = InteractionState.DONE
    title: str = ""
    location: str = ""
    duration_min: int | None = None
    notes: str = ""
    topics: str = ""
    warmth: int | None = None
    initiated_by_me: bool | None = None
    predicted_liking: int | None = None
    perceived_liking: int | None = None
    follow_up_questions: int | None = None
    energy_before: int | None = None
    energy_after: int | None = None
    group_size: int | None = None
    i_gave: str = ""
    they_gave: str = ""
    awaiting_reply: bool = False
    source_uid: str | None = None

    def validate(self) -> None:
        if self.at.tzinfo is None:
            raise ValidationError("The time of a meeting must include its time zone.")
        _check_range("Warmth", self.warmth, 1, 5)
        _check_range("How much they liked talking with you", self.predicted_liking, 1, 7)
        _check_range("How much they liked talking with you", self.perceived_liking, 1, 7)
        _check_range("Energy before", self.energy_before, 0, 10)
        _check_range("Energy after", self.energy_after, 0, 10)
        _check_range("Follow-up questions", self.follow_up_questions, 0, 1000)
        _check_range("Group size", self.group_size, 1, 100_000)
        _check_range("Duration (minutes)", self.duration_min, 0, 24 * 60 * 14)


@dataclass(frozen=True)
class MeetingRow:
    """A meeting as a list shows it: when, its title, and its people who are not in the trash."""

    id: int
    at: datetime
    title: str
    people: tuple[str, ...]
    person_ids: tuple[int, ...]


def meeting_fields(it: Interaction) -> tuple[int, datetime, str, tuple[str, ...], tuple[int, ...]]:
    """A `MeetingRow`'s fields, in order, from an interaction with its people loaded."""
    people = [p for p in it.people if p.deleted_at is None]
    return it.id, it.at, it.title, tuple(p.name for p in people), tuple(p.id for p in people)


def log_interaction(
    session: Session, person_ids: Sequence[int], data: InteractionData, *, now: datetime
) -> Interaction:
    """Record something that happened (or is planned) with one or more people."""
    data.validate()
    if not person_ids:
        raise ValidationError("An interaction needs at least one person.")
    people = [get_person(session, pid) for pid in dict.fromkeys(person_ids)]
    interaction = Interaction(created_at=now, updated_at=now, **vars(data))
    interaction.people = people
    session.add(interaction)
    if data.state is InteractionState.DONE:
        for p in people:
            if data.awaiting_reply:
                p.status = PersonStatus.WAITING
            elif p.status is PersonStatus.WAITING and not data.initiated_by_me:
                p.status = PersonStatus.ACTIVE  # they answered: nothing to wait for any more
            p.consecutive_snoozes = 0
            p.updated_at = now
    session.flush()
    return interaction


def update_interaction(session: Session, interaction_id: int, data: InteractionData, *, now: datetime) -> Interaction:
    data.validate()
    interaction = get_interaction(session, interaction_id)
    for k, v in vars(data).items():
        setattr(interaction, k, v)
    interaction.updated_at = now
    session.flush()
    return interaction


def get_interaction(session: Session, interaction_id: int) -> Interaction:
    missing = f"There is no interaction with id {interaction_id} in this journal."
    return live(session, Interaction, interaction_id, missing, [selectinload(Interaction.people)])


def timeline(
    session: Session, person_id: int, *, limit: int = 200, offset: int = 0, until: datetime | None = None
) -> list[Interaction]:
    """A person's interactions, newest first (planned meetings first of all).

    With `until`, only those at or before it, newest first (to go to a date in a long timeline).
    """
    stmt = (
        select(Interaction)
        .join(interaction_people, interaction_people.c.interaction_id == Interaction.id)
        .where(interaction_people.c.person_id == person_id, Interaction.deleted_at.is_(None))
        .options(selectinload(Interaction.people))
        .limit(limit)
        .offset(offset)
    )
    if until is not None:
        stmt = stmt.where(Interaction.at <= until).order_by(Interaction.at.desc())
    else:
        stmt = stmt.order_by((Interaction.state == InteractionState.PLANNED).desc(), Interaction.at.desc())
    return list(session.scalars(stmt))


def timeline_count(session: Session, person_id: int) -> int:
    """How many interactions a person's timeline holds in all (not in the trash)."""
    stmt = (
        select(func.count())
        .select_from(interaction_people)
        .join(Interaction, Interaction.id == interaction_people.c.interaction_id)
        .where(interaction_people.c.person_id == person_id, Interaction.deleted_at.is_(None))
    )
    return int(session.scalar(stmt) or 0)


# On SQLite, CROSS JOIN fixes the join order: walk interaction_people by person (a covering index, already
# grouped) and look each interaction up by key, about 2.5x faster than the plan SQLite picks for a plain JOIN.
_LAST_CONTACTS_SQLITE = (
    "SELECT ip.person_id, max(i.at) FROM interaction_people AS ip "
    "CROSS JOIN interactions AS i ON i.id = ip.interaction_id "
    "WHERE i.state = 'done' AND i.deleted_at IS NULL GROUP BY ip.person_id"
)


def last_contacts(session: Session, person_ids: Sequence[int] | None = None) -> dict[int, datetime]:
    """When each person was last in touch (done interactions only)."""
    if person_ids is None and session.get_bind().dialect.name == "sqlite":
        stmt: Any = text(_LAST_CONTACTS_SQLITE).columns(
            column("person_id", Integer), column("at", Interaction.__table__.c.at.type)
        )
        return {pid: at for pid, at in session.execute(stmt)}
    stmt = (
        select(interaction_people.c.person_id, func.max(Interaction.at))
        .join(Interaction, Interaction.id == interaction_people.c.interaction_id)
        .where(Interaction.state == InteractionState.DONE, Interaction.deleted_at.is_(None))
        .group_by(interaction_people.c.person_id)
    )
    if person_ids is not None:
        stmt = stmt.where(interaction_people.c.person_id.in_(list(person_ids)))
    return {pid: at for pid, at in session.execute(stmt)}
