"""Merging two entries that are the same person, keeping everything both of them held."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from netjournal.core.errors import ValidationError
from netjournal.core.journal import fill_empty, get_person, trash
from netjournal.core.models import (
    Address,
    Commitment,
    ContactPoint,
    ImportantDate,
    Person,
    Plan,
    Reflection,
    interaction_people,
    person_tags,
)


@dataclass(frozen=True)
class MergeResult:
    keep_id: int
    other_id: int
    trash_batch: str  # restore(session, batch) brings the other entry back (without what moved)
    interactions: int
    commitments: int
    contact_points: int
    filled: tuple[str, ...]


def merge_people(session: Session, keep_id: int, other_id: int, now: datetime) -> MergeResult:
    """Move everything of `other_id` to `keep_id`, fill keep's empty fields, put the other in the trash."""
    if keep_id == other_id:
        raise ValidationError("Choose two different people to merge.")
    keep = get_person(session, keep_id)
    other = get_person(session, other_id)

    filled = fill_empty(keep, other)
    if keep.photo is None and other.photo is not None:
        keep.photo = other.photo
        filled.append("photo")
    keep.updated_at = now
    session.flush()

    have = {(c.kind, c.normalized) for c in keep.contact_points}
    position = len(keep.contact_points)
    moved_points = 0
    for cp in list(other.contact_points):
        if (cp.kind, cp.normalized) in have:
            continue
        have.add((cp.kind, cp.normalized))
        session.execute(
            update(ContactPoint).where(ContactPoint.id == cp.id).values(person_id=keep_id, position=position)
        )
        position += 1
        moved_points += 1
    session.execute(
        update(Address).where(Address.person_id == other_id).values(position=Address.position + len(keep.addresses))
    )
    session.execute(update(Address).where(Address.person_id == other_id).values(person_id=keep_id))
    known_dates = {(d.kind, d.month, d.day) for d in keep.dates}
    for d in list(other.dates):
        if (d.kind, d.month, d.day) not in known_dates:
            session.execute(update(ImportantDate).where(ImportantDate.id == d.id).values(person_id=keep_id))
    keep_tags = {t.id for t in keep.tags}
    for t in other.tags:
        if t.id not in keep_tags:
            session.execute(insert(person_tags).values(person_id=keep_id, tag_id=t.id))

    theirs = len(
        session.execute(
            select(interaction_people.c.interaction_id).where(interaction_people.c.person_id == other_id)
        ).all()
    )
    shared = select(interaction_people.c.interaction_id).where(interaction_people.c.person_id == keep_id)
    session.execute(
        delete(interaction_people).where(
            interaction_people.c.person_id == other_id, interaction_people.c.interaction_id.in_(shared)
        )
    )
    session.execute(
        update(interaction_people).where(interaction_people.c.person_id == other_id).values(person_id=keep_id)
    )
    promises = session.execute(update(Commitment).where(Commitment.person_id == other_id).values(person_id=keep_id))
    session.execute(update(Reflection).where(Reflection.person_id == other_id).values(person_id=keep_id))
    session.execute(update(Plan).where(Plan.person_id == other_id).values(person_id=keep_id))
    session.flush()
    for obj in (keep, other):
        session.expire(obj)
    batch = trash(session, "person", other_id, now=now)
    session.expire_all()
    return MergeResult(
        keep_id,
        other_id,
        batch,
        theirs,
        promises.rowcount or 0,  # type: ignore[attr-defined]
        moved_points,
        tuple(filled),
    )


def merge_candidates(session: Session, person_id: int, *, limit: int = 5) -> list[Person]:
    """People who might be the same as `person_id`: same e-mail or phone, or the same name."""
    me = get_person(session, person_id)
    norms = [(c.kind, c.normalized) for c in me.contact_points if c.kind in ("email", "phone") and c.normalized]
    ids: list[int] = []
    for kind, norm in norms:
        ids += session.scalars(
            select(ContactPoint.person_id).where(
                ContactPoint.kind == kind, ContactPoint.normalized == norm, ContactPoint.person_id != person_id
            )
        ).all()
    ids += session.scalars(select(Person.id).where(Person.sort_name == me.sort_name, Person.id != person_id)).all()
    out = []
    for pid in dict.fromkeys(ids):
        p = session.get(Person, pid)
        if p is not None and p.deleted_at is None:
            out.append(p)
    return out[:limit]
