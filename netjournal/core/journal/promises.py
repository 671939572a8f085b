"""Promises (commitments): made to or by a person, marked done or dropped, and the open ones."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from netjournal.core.errors import ValidationError
from netjournal.core.journal.people import get_person
from netjournal.core.journal.trashing import live
from netjournal.core.models import (
    Commitment,
    CommitmentStatus,
    Direction,
    Person,
)


def add_commitment(
    session: Session,
    person_id: int,
    direction: Direction,
    text: str,
    *,
    now: datetime,
    due_on: date | None = None,
    interaction_id: int | None = None,
) -> Commitment:
    text = text.strip()
    if not text:
        raise ValidationError("A promise needs a few words saying what it is.")
    get_person(session, person_id)
    c = Commitment(
        person_id=person_id,
        direction=direction,
        text=text,
        due_on=due_on,
        interaction_id=interaction_id,
        created_at=now,
        updated_at=now,
    )
    session.add(c)
    session.flush()
    return c


def set_commitment_status(session: Session, commitment_id: int, status: CommitmentStatus, *, now: datetime) -> None:
    c = live(session, Commitment, commitment_id, f"There is no promise with id {commitment_id}.")
    c.status = status
    c.done_at = now if status is CommitmentStatus.DONE else None
    c.updated_at = now


def open_commitments(session: Session, person_id: int | None = None) -> list[Commitment]:
    stmt = (
        select(Commitment)
        .join(Person, Person.id == Commitment.person_id)
        .where(Commitment.status == CommitmentStatus.OPEN, Commitment.deleted_at.is_(None), Person.deleted_at.is_(None))
        .order_by(Commitment.due_on.is_(None), Commitment.due_on, Commitment.id)
    )
    if person_id is not None:
        stmt = stmt.where(Commitment.person_id == person_id)
    return list(session.scalars(stmt))
