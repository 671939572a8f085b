"""Deciding, for each occurrence a calendar holds: who it is with (the journal's identity rules; see
calendars.py), and whether one read already shows there is nothing to write."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from netjournal.core.identity import loose_name_key, name_key, names_compatible
from netjournal.core.models import Channel, ContactPoint, Interaction, InteractionState, Person, SyncedEvent
from netjournal.core.sync.calendar_read import Occurrence

MAX_NAME_WORDS = 4  # the longest run of title words looked up as a name

_VIDEO = re.compile(r"zoom\.us|meet\.google|teams\.microsoft|webex|whereby|jitsi|https?://", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*")

# What applying one occurrence did to its meeting.
Action = Literal["created", "updated", "cancelled", "unchanged", "not linked", "left alone"]


class People:
    """Everyone in the journal as calendar matching sees them (read once per sync)."""

    def __init__(self, session: Session) -> None:
        self.names: dict[int, str] = {}
        self.by_email: dict[str, set[int]] = defaultdict(set)
        self.by_name: dict[str, set[int]] = defaultdict(set)
        self.by_loose: dict[str, set[int]] = defaultdict(set)
        for pid, name in session.execute(select(Person.id, Person.name).where(Person.deleted_at.is_(None))):
            self.names[pid] = name
            self.by_name[name_key(name)].add(pid)
            loose = loose_name_key(name)
            if loose:
                self.by_loose[loose].add(pid)
        rows = session.execute(
            select(ContactPoint.person_id, ContactPoint.normalized)
            .join(Person, Person.id == ContactPoint.person_id)
            .where(ContactPoint.kind == "email", Person.deleted_at.is_(None))
        )
        for pid, email in rows:
            self.by_email[email].add(pid)

    def match(self, occ: Occurrence) -> tuple[list[int], list[str]]:
        """The people this occurrence is with, and notes on what linked no one (namesakes, shared addresses)."""
        ids: list[int] = []
        notes: list[str] = []
        for a in occ.attendees:
            if a.declined:
                continue
            owners = self.by_email.get(a.email, set())
            if len(owners) > 1:
                notes.append(f"{a.email} belongs to several people in your journal")
            elif owners:
                pid = next(iter(owners))
                if a.name and a.name.casefold() != a.email and not names_compatible(a.name, self.names[pid]):
                    notes.append(f"{a.email} is {self.names[pid]}'s address, but the calendar calls them {a.name}")
                else:
                    ids.append(pid)
        words = [m.group(0) for m in _WORD.finditer(occ.title)]
        used = [False] * len(words)
        for size in range(min(MAX_NAME_WORDS, len(words)), 0, -1):
            for i in range(len(words) - size + 1):
                if any(used[i : i + size]):
                    continue
                span = " ".join(words[i : i + size])
                found = self.by_name.get(name_key(span)) or self.by_loose.get(loose_name_key(span)) or set()
                if not found:
                    continue
                used[i : i + size] = [True] * size
                if len(found) > 1:
                    notes.append(f"{span!r} in the title fits {len(found)} people; link the meeting by hand")
                else:
                    ids.append(next(iter(found)))
        return sorted(set(ids)), notes


def channel_of(location: str) -> Channel:
    return Channel.VIDEO if _VIDEO.search(location) else Channel.IN_PERSON if location else Channel.OTHER


Known = tuple[datetime, str, str, "int | None", list[Any], "datetime | None", InteractionState, bool]


def snapshot(session: Session, source: str) -> dict[tuple[str, str], Known]:
    """What sync wrote last time for each of the source's events, and the state of its meeting now."""
    rows = session.execute(
        select(
            SyncedEvent.uid,
            SyncedEvent.recurrence_id,
            SyncedEvent.synced_at,
            SyncedEvent.synced_title,
            SyncedEvent.synced_location,
            SyncedEvent.synced_duration_min,
            SyncedEvent.synced_people,
            SyncedEvent.cancelled_at,
            Interaction.state,
            Interaction.deleted_at.is_not(None),
        )
        .join(Interaction, Interaction.id == SyncedEvent.interaction_id)
        .where(SyncedEvent.source == source)
    )
    return {(r[0], r[1]): (r[2], r[3], r[4], r[5], list(r[6] or []), r[7], r[8], bool(r[9])) for r in rows}


def nothing_to_write(known: Known | None, occ: Occurrence, ids: Sequence[int]) -> Action | None:
    """ "unchanged" / "left alone" when one read shows nothing to write; None: look inside a transaction."""
    if known is None:
        return None
    at, title, location, minutes, people, cancelled_at, state, deleted = known
    if deleted or state is InteractionState.DONE:
        return "left alone"
    if state is InteractionState.CANCELLED and cancelled_at is None:
        return "left alone"  # the user said it did not happen
    same = (at, title, location, minutes, sorted(people)) == (
        occ.start,
        occ.title,
        occ.location,
        occ.duration_min,
        sorted(ids),
    )
    if same and not occ.cancelled and state is InteractionState.PLANNED and cancelled_at is None:
        return "unchanged"
    if (occ.cancelled or not ids) and state is InteractionState.CANCELLED:
        return "unchanged"  # cancelled already
    return None


def imported_uids(session: Session) -> set[str]:
    """UIDs of planned meetings an .ics import made that sync does not follow yet (sync may take them over)."""
    return set(
        session.scalars(
            select(Interaction.source_uid).where(
                Interaction.source_uid.is_not(None),
                Interaction.state == InteractionState.PLANNED,
                Interaction.deleted_at.is_(None),
                ~select(SyncedEvent.id).where(SyncedEvent.interaction_id == Interaction.id).exists(),
            )
        )
    )
