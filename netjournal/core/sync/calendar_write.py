"""Writing: bring the journal's meetings in line with what a source's calendars say (calendars.py has
the rules), one occurrence per transaction, and report it in words.

`apply_calendar` reads once what it needs to decide (calendar_decide.py), writes each occurrence that
needs it (`apply_occurrence`: find its link, or take over an imported meeting, or create one; then
follow the calendar field by field where the user has not changed it), and last cancels the meetings
whose events are gone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from netjournal.core.errors import NetjournalError
from netjournal.core.models import Interaction, InteractionState, Person, SyncedEvent
from netjournal.core.sync.calendar_decide import (
    Action,
    Known,
    People,
    channel_of,
    imported_uids,
    nothing_to_write,
    snapshot,
)
from netjournal.core.sync.calendar_read import Expanded, Occurrence, rid_time

SessionFactory = Callable[[], AbstractContextManager[Session]]
# Finds a one-off event outside the window by (calendar, UID): "unknown" when it cannot tell.
Lookup = Callable[[str, str], "Occurrence | Literal['unknown'] | None"]


@dataclass
class CalendarReport:
    """What one sync of one source did, in words a person can read (and `as_dict` for --json)."""

    account: str
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    cancelled: list[str] = field(default_factory=list)
    unchanged: int = 0
    not_linked: int = 0  # events with no one from the journal
    all_day: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)  # malformed events: (event, why)
    notes: list[str] = field(default_factory=list)  # namesakes, shared addresses
    error: str = ""  # the source could not be read at all; nothing was changed

    @property
    def ok(self) -> bool:
        return not self.error

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.cancelled)

    def lines(self) -> list[str]:
        if self.error:
            return [self.error]
        out = []
        for what, items in (
            ("new meeting", self.created),
            ("meeting updated", self.updated),
            ("meeting cancelled", self.cancelled),
        ):
            out += [f"{self.account}: {what}: {x}" for x in items]
        if not self.changed:
            out.append(f"{self.account}: calendar up to date, nothing changed.")
        out += [f"{self.account}: skipped {label}: {why}." for label, why in self.skipped]
        out += [f"{self.account}: {n}." for n in dict.fromkeys(self.notes)]
        return out

    def as_dict(self) -> dict[str, Any]:
        return {
            "account": self.account,
            "ok": self.ok,
            "error": self.error,
            "created": self.created,
            "updated": self.updated,
            "cancelled": self.cancelled,
            "unchanged": self.unchanged,
            "not_linked": self.not_linked,
            "all_day": self.all_day,
            "skipped": [{"event": e, "why": w} for e, w in self.skipped],
            "notes": list(dict.fromkeys(self.notes)),
            "lines": self.lines(),
        }


# ------------------------------------------------------------------------------------------ one occurrence


def apply_occurrence(session: Session, source: str, occ: Occurrence, ids: Sequence[int], *, now: datetime) -> Action:
    """Bring one occurrence's meeting in line with the calendar (inside the caller's transaction)."""
    link = session.scalar(
        select(SyncedEvent).where(
            SyncedEvent.source == source, SyncedEvent.uid == occ.uid, SyncedEvent.recurrence_id == occ.recurrence_id
        )
    )
    if link is None:
        link = _take_over_import(session, source, occ, now=now)
        if link is None:
            return _create(session, source, occ, ids, now=now)
        ids = ids or list(link.synced_people)  # the calendar names no one: the import's people stay
    return _follow(session, link, occ, ids, now=now)


# The meeting's fields sync follows: (on the interaction, what sync wrote last on the link, on the occurrence).
_FOLLOWED = (
    ("at", "synced_at", "start"),
    ("title", "synced_title", "title"),
    ("location", "synced_location", "location"),
    ("duration_min", "synced_duration_min", "duration_min"),
)


def _new_link(source: str, occ: Occurrence, it: Interaction, *, now: datetime) -> SyncedEvent:
    """The link from an event to its meeting, remembering what the meeting holds now as "what sync wrote"."""
    link = SyncedEvent(source=source, calendar=occ.calendar, uid=occ.uid, recurrence_id=occ.recurrence_id)
    link.interaction_id, link.created_at, link.updated_at = it.id, now, now
    for attr, synced_attr, _ in _FOLLOWED:
        setattr(link, synced_attr, getattr(it, attr))
    link.synced_people = sorted(p.id for p in it.people)
    return link


def _take_over_import(session: Session, source: str, occ: Occurrence, *, now: datetime) -> SyncedEvent | None:
    """Imported from an .ics file before: sync takes that meeting over rather than adding it a second time."""
    imported = _imported(session, occ)
    if imported is None:
        return None
    link = _new_link(source, occ, imported, now=now)
    session.add(link)
    session.flush()
    return link


def _living(session: Session, ids: Sequence[int]) -> list[Person]:
    return list(session.scalars(select(Person).where(Person.id.in_(ids), Person.deleted_at.is_(None))))


def _create(session: Session, source: str, occ: Occurrence, ids: Sequence[int], *, now: datetime) -> Action:
    people = _living(session, ids) if ids and not occ.cancelled else []
    if not people:
        return "not linked"
    it = Interaction(
        at=occ.start,
        state=InteractionState.PLANNED,
        channel=channel_of(occ.location),
        title=occ.title,
        location=occ.location,
        duration_min=occ.duration_min,
        source_uid=occ.uid,
        created_at=now,
        updated_at=now,
    )
    it.people = people
    session.add(it)
    session.flush()
    session.add(_new_link(source, occ, it, now=now))
    session.flush()
    return "created"


def _follow(session: Session, link: SyncedEvent, occ: Occurrence, ids: Sequence[int], *, now: datetime) -> Action:
    """An event sync follows: cancel, revive, or update its meeting, leaving alone what the user made theirs."""
    it = session.get(Interaction, link.interaction_id) if link.interaction_id is not None else None
    if it is None or it.deleted_at is not None or it.state is InteractionState.DONE:
        return "left alone"  # the user deleted it, or it happened: theirs now
    if occ.cancelled or not ids:
        return cancel(link, it, now=now)
    changed = False
    if it.state is InteractionState.CANCELLED:
        if link.cancelled_at is None:
            return "left alone"  # cancelled by the user, not by sync
        it.state, link.cancelled_at, changed = InteractionState.PLANNED, None, True
    changed = _follow_fields(link, it, occ) or changed
    changed = _follow_people(session, link, it, ids) or changed
    if changed:
        it.updated_at = link.updated_at = now
    session.flush()
    return "updated" if changed else "unchanged"


def _follow_fields(link: SyncedEvent, it: Interaction, occ: Occurrence) -> bool:
    """Each field the calendar changed follows it, unless the user changed it here. True when one did."""
    changed = False
    for attr, synced_attr, occ_attr in _FOLLOWED:
        new = getattr(occ, occ_attr)
        old_synced = getattr(link, synced_attr)
        if new == old_synced:
            continue
        if getattr(it, attr) == old_synced:  # the user has not changed it: follow the calendar
            setattr(it, attr, new)
            if attr == "location":
                it.channel = channel_of(str(new))
            changed = True
        setattr(link, synced_attr, new)
    return changed


def _follow_people(session: Session, link: SyncedEvent, it: Interaction, ids: Sequence[int]) -> bool:
    """The people follow the calendar's, unless the user changed who the meeting is with."""
    if sorted(ids) == sorted(link.synced_people):
        return False
    changed = False
    if sorted(p.id for p in it.people) == sorted(link.synced_people):
        people = _living(session, ids)
        if people:
            it.people = people
            changed = True
    link.synced_people = sorted(ids)
    return changed


def _imported(session: Session, occ: Occurrence) -> Interaction | None:
    """A planned meeting an .ics import made from this event (same UID), not yet followed by sync."""
    followed = select(SyncedEvent.id).where(SyncedEvent.interaction_id == Interaction.id).exists()
    stmt = select(Interaction).where(
        Interaction.source_uid == occ.uid,
        Interaction.state == InteractionState.PLANNED,
        Interaction.deleted_at.is_(None),
        ~followed,
    )
    if occ.recurrence_id:
        stmt = stmt.where(Interaction.at == occ.start)  # the import kept one occurrence: the next one
    return session.scalars(stmt.order_by(Interaction.at).limit(1)).first()


def cancel(link: SyncedEvent, it: Interaction, *, now: datetime) -> Action:
    """Mark a synced meeting cancelled, gently: it stays (with the user's notes), no longer coming up."""
    if it.state is not InteractionState.PLANNED:
        return "unchanged"
    it.state = InteractionState.CANCELLED
    it.updated_at = now
    link.cancelled_at = link.updated_at = now
    return "cancelled"


def open_links(session: Session, source: str) -> list[SyncedEvent]:
    """The source's meetings still coming up (planned, not cancelled by sync): candidates for removal."""
    return list(
        session.scalars(
            select(SyncedEvent)
            .join(Interaction, Interaction.id == SyncedEvent.interaction_id)
            .where(
                SyncedEvent.source == source,
                SyncedEvent.cancelled_at.is_(None),
                Interaction.state == InteractionState.PLANNED,
                Interaction.deleted_at.is_(None),
            )
        )
    )


# ------------------------------------------------------------------------------------------ one source


def apply_calendar(
    sessions: SessionFactory,
    source: str,
    expanded: Expanded,
    *,
    now: datetime,
    window: tuple[datetime, datetime],
    complete_calendars: Iterable[str],
    lookup: Lookup | None = None,
    report: CalendarReport | None = None,
) -> CalendarReport:
    """Write what a source's calendars say (each occurrence in its own transaction) and report it.

    `complete_calendars` are the calendars read in full this time: only their meetings can be found
    missing (cancelled). A calendar that could not be read changes nothing. `lookup(calendar, uid)`
    finds a one-off event outside the window (CalDAV asks the server by UID); without it, `expanded.uids`
    decides. It returns "unknown" when it cannot tell (the meeting is then left as it is).
    """
    rep = report if report is not None else CalendarReport(source)
    rep.all_day += expanded.all_day
    rep.skipped += expanded.problems
    with sessions() as s:
        run = _Pass(sessions, source, now, rep, People(s), snapshot(s, source), imported_uids(s))
    seen = run.write(expanded.occurrences)
    run.cancel_missing(expanded, seen, window, set(complete_calendars), lookup)
    return rep


@dataclass
class _Pass:
    """One `apply_calendar`: what it read once to decide, and the report it fills."""

    sessions: SessionFactory
    source: str
    now: datetime
    rep: CalendarReport
    people: People
    known: dict[tuple[str, str], Known]
    imported: set[str] = field(default_factory=set)

    def write(self, occurrences: list[Occurrence]) -> set[tuple[str, str]]:
        """Apply every occurrence (each event once); returns the (UID, recurrence id) of those seen."""
        seen: set[tuple[str, str]] = set()
        for occ in sorted(occurrences, key=lambda o: (o.start, o.uid, o.recurrence_id)):
            key = (occ.uid, occ.recurrence_id)
            if key in seen:
                continue  # the same event in two calendars of one account
            seen.add(key)
            self._one(occ, key)
        return seen

    def _one(self, occ: Occurrence, key: tuple[str, str]) -> None:
        ids, notes = self.people.match(occ)
        # Most of a sync is events already in place or with no one from the journal: decided from
        # one read, without a transaction each (a second sync of 1,800 occurrences: 3 s -> well under 1 s).
        action = nothing_to_write(self.known.get(key), occ, ids)
        if action is None and key not in self.known and (occ.cancelled or not ids) and occ.uid not in self.imported:
            action = "not linked"
        try:
            if action is None:
                with self.sessions() as s:
                    action = apply_occurrence(s, self.source, occ, ids, now=self.now)
        except NetjournalError as exc:
            self.rep.skipped.append((occ.label, exc.message))
            return
        if action == "not linked" and not occ.cancelled:
            self.rep.not_linked += 1
            self.rep.notes += notes
        _count(self.rep, action, _meeting_label(occ, self.people, ids))

    def cancel_missing(
        self,
        expanded: Expanded,
        seen: set[tuple[str, str]],
        window: tuple[datetime, datetime],
        complete: set[str],
        lookup: Lookup | None,
    ) -> None:
        """Meetings still coming up whose events this sync did not see: cancelled, or moved out of the window."""
        with self.sessions() as s:
            candidates = [(x.id, x.calendar, x.uid, x.recurrence_id, x.synced_at) for x in open_links(s, self.source)]
        for link_id, calendar, uid, rid, synced_at in candidates:
            if (uid, rid) in seen or calendar not in complete or uid in expanded.bad:
                continue
            now_is = _what_became_of(calendar, uid, rid, synced_at, expanded, window, lookup)
            if now_is != "leave":
                self._missing(link_id, now_is)

    def _missing(self, link_id: int, now_is: Occurrence | None) -> None:
        with self.sessions() as s:
            link = s.get(SyncedEvent, link_id)
            it = s.get(Interaction, link.interaction_id) if link is not None and link.interaction_id else None
            if link is None or it is None or it.state is not InteractionState.PLANNED:
                return
            label = f"{it.title or 'Meeting'} · {it.at.astimezone():%a %d %b %H:%M}"
            if now_is is not None and not now_is.cancelled:  # moved out of the window
                ids, _ = self.people.match(now_is)
                action = apply_occurrence(s, self.source, now_is, ids, now=self.now)
            else:
                action = cancel(link, it, now=self.now)
            _count(self.rep, action, label)


def _what_became_of(
    calendar: str,
    uid: str,
    rid: str,
    synced_at: datetime,
    expanded: Expanded,
    window: tuple[datetime, datetime],
    lookup: Lookup | None,
) -> Occurrence | Literal["leave"] | None:
    """A followed event not among this sync's occurrences: gone (None), a one-off event moved out of the
    window (its occurrence), or "leave" (over already, outside the window, or no way to tell)."""
    start, end = window
    if rid:  # one occurrence of a repeating event: its original start decides whether it should be here
        original = rid_time(rid)
        if original is None or not start <= original < end or (uid, rid) in expanded.overrides:
            return "leave"
        return None
    if synced_at < start:
        return "leave"  # it is over: waiting to be logged, not to be cancelled
    if uid in expanded.uids:
        return expanded.uids[uid]
    now_is = lookup(calendar, uid) if lookup is not None else None
    return "leave" if now_is == "unknown" else now_is


def _meeting_label(occ: Occurrence, people: People, ids: Sequence[int]) -> str:
    names = ", ".join(people.names[i] for i in ids)
    return f"{occ.title or 'Meeting'} · {occ.start.astimezone():%a %d %b %H:%M}" + (f" · {names}" if names else "")


def _count(rep: CalendarReport, action: Action, label: str) -> None:
    if action == "created":
        rep.created.append(label)
    elif action == "updated":
        rep.updated.append(label)
    elif action == "cancelled":
        rep.cancelled.append(label)
    elif action in ("unchanged", "left alone"):
        rep.unchanged += 1
