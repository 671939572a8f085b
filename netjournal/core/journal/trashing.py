"""The trash: moving an item (with what goes with it) to the trash, restoring a whole delete, and what
the trash holds."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.interfaces import ORMOption

from netjournal.core.errors import NotFoundError, ValidationError
from netjournal.core.kinds import CHANNEL_LABELS
from netjournal.core.models import (
    Commitment,
    Interaction,
    Ladder,
    Person,
    Plan,
    Reflection,
    TrashMixin,
    interaction_people,
)

T = TypeVar("T", bound=TrashMixin)

TRASHABLE: dict[str, type[Any]] = {
    "person": Person,
    "interaction": Interaction,
    "commitment": Commitment,
    "plan": Plan,
    "reflection": Reflection,
    "ladder": Ladder,
}


def live(session: Session, model: type[T], item_id: int, missing: str, options: Sequence[ORMOption] = ()) -> T:
    """The row with this id, unless there is none or it is in the trash: then NotFoundError(`missing`)."""
    item = session.get(model, item_id, options=options or None)
    if item is None or item.deleted_at is not None:
        raise NotFoundError(missing)
    return item


def trash(session: Session, kind: str, item_id: int, *, now: datetime) -> str:
    """Move an item to the trash; returns the batch id that `restore` takes to undo it.

    A person's interactions that involve no one else go to the trash with them, so the timeline and
    search stay clean; restoring the batch brings everything back. Reflections and plans linked to
    the person stay, shown unlinked until the person is restored.
    """
    model = TRASHABLE.get(kind)
    if model is None:
        raise ValidationError(f"Cannot delete a {kind!r}.")
    item = live(session, model, item_id, f"There is no {kind} with id {item_id} (it may already be in the trash).")
    batch = str(uuid.uuid4())
    item.deleted_at, item.trash_batch = now, batch
    if kind == "person":
        others = select(interaction_people.c.interaction_id).where(interaction_people.c.person_id != item_id)
        mine = select(interaction_people.c.interaction_id).where(interaction_people.c.person_id == item_id)
        session.execute(
            update(Interaction)
            .where(Interaction.id.in_(mine), Interaction.id.not_in(others), Interaction.deleted_at.is_(None))
            .values(deleted_at=now, trash_batch=batch)
        )
        session.execute(
            update(Commitment)
            .where(Commitment.person_id == item_id, Commitment.deleted_at.is_(None))
            .values(deleted_at=now, trash_batch=batch)
        )
    session.flush()
    return batch


def restore(session: Session, batch: str) -> int:
    """Bring back everything one delete moved to the trash. Returns how many items came back."""
    count = 0
    for model in TRASHABLE.values():
        result = session.execute(
            update(model).where(model.trash_batch == batch).values(deleted_at=None, trash_batch=None)
        )
        count += result.rowcount or 0  # type: ignore[attr-defined]
    if count == 0:
        raise NotFoundError("Nothing in the trash matches that; it may have been restored already.")
    return count


@dataclass(frozen=True)
class TrashItem:
    batch: str
    kind: str
    item_id: int
    label: str
    deleted_at: datetime


def trash_items(session: Session) -> list[TrashItem]:
    """What is in the trash, one row per delete (the top-level item of each batch), newest first."""
    items: list[TrashItem] = []
    seen: set[str] = set()
    rows: list[tuple[datetime, str, str, int, str]] = []
    for kind, model in TRASHABLE.items():
        for obj in session.scalars(select(model).where(model.deleted_at.is_not(None))):
            label = (
                getattr(obj, "name", None)
                or getattr(obj, "title", None)
                or getattr(obj, "goal", None)
                or getattr(obj, "text", "")
            )
            if not label and kind == "interaction":
                label = f"{CHANNEL_LABELS[obj.channel]} on {obj.at:%Y-%m-%d}"
            rows.append((obj.deleted_at, obj.trash_batch, kind, obj.id, str(label)))
    # The person (or first item) of a batch represents it.
    priority = {k: i for i, k in enumerate(TRASHABLE)}
    rows.sort(key=lambda r: (r[0], -priority[r[2]]), reverse=True)
    for deleted_at, batch, kind, item_id, label in rows:
        if batch in seen:
            continue
        seen.add(batch)
        items.append(TrashItem(batch, kind, item_id, label, deleted_at))
    return items
