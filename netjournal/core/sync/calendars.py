"""Calendars, read-only: events from CalDAV calendars and iCalendar subscriptions become upcoming meetings.

An event occurrence becomes a planned interaction when an attendee's e-mail or its title names someone
in the journal, by the journal's identity rules:

- an attendee links the one person with that e-mail address, when the name the calendar gives them
  fits (`identity.names_compatible`: a shared team mailbox under another name links no one); an address
  several people share links no one; attendees who declined are left out;
- a title links a person when a run of its words is someone's whole name, as `journal.resolve` matches
  names exactly or without accents and word order (no prefixes: "Coffee with Anna" links a person
  called "Anna", not "Anna Schmidt"); a name several people share links no one, and the report says so.

`synced_events` keeps (source, UID, recurrence id) -> interaction, so a moved event moves its meeting, a
cancelled or removed one marks it cancelled (its notes stay), and a second sync changes nothing. What the
user changed on a meeting (its title, time, place, people) is theirs: sync only changes a field that
still holds what the calendar said last time. A meeting that happened (debriefed, logged) or that the
user deleted is never touched again.

Repeating events are expanded within a window (WINDOW_BEFORE .. WINDOW_AFTER around now). All-day events
(birthdays, holidays, trips) are not meetings and are left out. Each occurrence is written in its own
transaction; a malformed event is skipped and named, the rest continue.

The network side (CalDAV with the `caldav` library, a plain HTTPS GET for subscriptions) is in
`calendar_fetch`; everything here works on iCalendar text and takes the time as a parameter.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal

import recurring_ical_events
from icalendar import Calendar
from sqlalchemy import select
from sqlalchemy.orm import Session

from netjournal.core.clock import as_utc
from netjournal.core.errors import NetjournalError, NotFoundError, ValidationError
from netjournal.core.identity import clean_text, loose_name_key, name_key, names_compatible, normalize_email
from netjournal.core.models import (
    CalendarSubscription,
    Channel,
    ContactPoint,
    Interaction,
    InteractionState,
    Person,
    SyncedEvent,
)

WINDOW_BEFORE = timedelta(days=1)
WINDOW_AFTER = timedelta(days=60)
MAX_OCCURRENCES = 5_000  # of one source within the window: a runaway rule stays cheap
MAX_NAME_WORDS = 4  # the longest run of title words looked up as a name

_VIDEO = re.compile(r"zoom\.us|meet\.google|teams\.microsoft|webex|whereby|jitsi|https?://", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*")

SessionFactory = Callable[[], AbstractContextManager[Session]]


# ------------------------------------------------------------------------------------------ what we read


@dataclass(frozen=True)
class Attendee:
    email: str
    name: str = ""
    declined: bool = False


@dataclass(frozen=True)
class Occurrence:
    """One occurrence of an event, as the calendar says it is now."""

    uid: str
    recurrence_id: str  # "" for a one-off event; the original start (UTC, ISO) of a repeating one's occurrence
    start: datetime
    duration_min: int | None
    title: str
    location: str
    cancelled: bool
    attendees: tuple[Attendee, ...] = ()
    calendar: str = ""

    @property
    def label(self) -> str:
        return f"{self.title or 'an event without a title'} ({self.start:%Y-%m-%d %H:%M} UTC)"


@dataclass
class Expanded:
    """What one calendar's text holds within the window."""

    occurrences: list[Occurrence] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (event, what is wrong)
    all_day: int = 0
    # Every UID the text holds (in or out of the window), with the one-off event's own start when it
    # has one: a one-off event missing from the window was moved out of it, not removed.
    uids: dict[str, Occurrence | None] = field(default_factory=dict)
    overrides: set[tuple[str, str]] = field(default_factory=set)  # (uid, recurrence id) of changed occurrences
    bad: set[str] = field(default_factory=set)  # UIDs of events that could not be read: their meetings stay

    def extend(self, other: Expanded) -> None:
        self.occurrences += other.occurrences
        self.problems += other.problems
        self.all_day += other.all_day
        self.uids.update(other.uids)
        self.overrides |= other.overrides
        self.bad |= other.bad


def _utc(value: Any) -> datetime:
    if isinstance(value, datetime):
        return as_utc(value) if value.tzinfo is None else value.astimezone(UTC)
    raise ValueError(f"{value!r} is not a date and time")


def recurrence_key(value: Any) -> str:
    if isinstance(value, datetime):
        return _utc(value).strftime("%Y%m%dT%H%M%SZ")
    if isinstance(value, date):
        return value.strftime("%Y%m%d")
    return str(value)


def _attendees(component: Any) -> tuple[Attendee, ...]:
    raw = component.get("ATTENDEE")
    out: list[Attendee] = []
    for a in raw if isinstance(raw, list) else [raw] if raw is not None else []:
        text = str(a).strip()
        if text[:7].lower() != "mailto:":
            continue
        params = getattr(a, "params", {})
        out.append(
            Attendee(
                normalize_email(text),
                clean_text(str(params.get("CN", ""))),
                str(params.get("PARTSTAT", "")).upper() == "DECLINED",
            )
        )
    return tuple(out)


def _occurrence(component: Any, calendar: str, *, repeating: bool) -> Occurrence | None:
    """An occurrence from an event component; None for an all-day event. Raises ValueError when malformed."""
    start_value = component["DTSTART"].dt
    if not isinstance(start_value, datetime):
        return None
    start = _utc(start_value)
    minutes: int | None = None
    end = component.get("DTEND")
    if end is not None and isinstance(end.dt, datetime):
        minutes = int((_utc(end.dt) - start).total_seconds() // 60)
    elif component.get("DURATION") is not None:
        minutes = int(component["DURATION"].dt.total_seconds() // 60)
    if minutes is not None and not 0 < minutes <= 24 * 60 * 14:
        minutes = None
    rid = component.get("RECURRENCE-ID")
    return Occurrence(
        uid=str(component["UID"]).strip()[:500],
        recurrence_id=recurrence_key(rid.dt) if repeating and rid is not None else "",
        start=start,
        duration_min=minutes,
        title=clean_text(str(component.get("SUMMARY", "")))[:500],
        location=clean_text(str(component.get("LOCATION", "")))[:500],
        cancelled=str(component.get("STATUS", "")).upper() == "CANCELLED",
        attendees=_attendees(component),
        calendar=calendar,
    )


def read_calendar(text: str, calendar: str, window: tuple[datetime, datetime]) -> Expanded:
    """The event occurrences of one iCalendar text within `window`, each event read on its own.

    Raises ValueError when the text is no calendar at all; a malformed event is a problem, not a failure.
    """
    out = Expanded()
    try:
        cal = Calendar.from_ical(text)
    except Exception as exc:
        raise ValueError(f"it is not an iCalendar calendar ({exc})") from exc
    zones = [c for c in cal.subcomponents if c.name == "VTIMEZONE"]
    by_uid: dict[str, list[Any]] = defaultdict(list)
    for n, component in enumerate(cal.walk("VEVENT"), start=1):
        uid = str(component.get("UID", "")).strip()
        if not uid:
            out.problems.append((_name(component, n), "the event has no UID, so netjournal cannot follow it"))
            continue
        by_uid[uid].append(component)
    start, end = window
    for uid, components in by_uid.items():
        label = _name(components[0], 0)
        try:
            master = next((c for c in components if c.get("RECURRENCE-ID") is None), None)
            repeating = any(c.get("RRULE") is not None or c.get("RDATE") is not None for c in components) or (
                master is None
            )
            if master is not None and master.get("DTSTART") is None:
                raise ValueError("the event has no start (no DTSTART)")
            one_off = None if repeating or master is None else _occurrence(master, calendar, repeating=False)
            out.uids[uid] = one_off
            for c in components:
                if c.get("RECURRENCE-ID") is not None:
                    out.overrides.add((uid, recurrence_key(c["RECURRENCE-ID"].dt)))
            sub = Calendar()
            for z in zones:
                sub.add_component(z)
            for c in components:
                sub.add_component(c)
            found: list[Occurrence] = []
            all_day = 0
            for item in recurring_ical_events.of(sub).between(start, end):
                occ = _occurrence(item, calendar, repeating=repeating)
                if occ is None:
                    all_day += 1
                    continue
                found.append(occ)
                if len(out.occurrences) + len(found) > MAX_OCCURRENCES:
                    raise ValueError(f"more than {MAX_OCCURRENCES:,} occurrences within the next weeks")
            out.occurrences += found
            out.all_day += all_day
        except Exception as exc:  # one bad event (or series) is skipped and named; the rest continue
            out.uids.pop(uid, None)
            out.bad.add(uid)
            msg = exc.args[0] if isinstance(exc, ValueError) and exc.args else f"it cannot be read ({exc})"
            out.problems.append((label, str(msg)))
    return out


def _name(component: Any, n: int) -> str:
    title = clean_text(str(component.get("SUMMARY", "")))[:80]
    if title:
        return repr(title)
    uid = str(component.get("UID", "")).strip()[:60]
    return f"the event {uid}" if uid else f"event {n}"


# ------------------------------------------------------------------------------------------ who it is with


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


# ------------------------------------------------------------------------------------------ the report

Action = Literal["created", "updated", "cancelled", "unchanged", "not linked", "left alone"]


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


# ------------------------------------------------------------------------------------------ writing


def window_around(now: datetime) -> tuple[datetime, datetime]:
    return now - WINDOW_BEFORE, now + WINDOW_AFTER


def _meeting_label(occ: Occurrence, people: People, ids: Sequence[int]) -> str:
    names = ", ".join(people.names[i] for i in ids)
    return f"{occ.title or 'Meeting'} · {occ.start.astimezone():%a %d %b %H:%M}" + (f" · {names}" if names else "")


def apply_occurrence(  # noqa: C901  (one branch per state a synced meeting can be in; not yet split)
    session: Session, source: str, occ: Occurrence, ids: Sequence[int], *, now: datetime
) -> Action:
    """Bring one occurrence's meeting in line with the calendar (inside the caller's transaction)."""
    link = session.scalar(
        select(SyncedEvent).where(
            SyncedEvent.source == source, SyncedEvent.uid == occ.uid, SyncedEvent.recurrence_id == occ.recurrence_id
        )
    )
    if link is None:
        imported = _imported(session, occ)
        if imported is not None:
            # Imported from an .ics file before: sync takes it over rather than adding it a second time.
            link = SyncedEvent(
                source=source,
                calendar=occ.calendar,
                uid=occ.uid,
                recurrence_id=occ.recurrence_id,
                interaction_id=imported.id,
                synced_at=imported.at,
                synced_title=imported.title,
                synced_location=imported.location,
                synced_duration_min=imported.duration_min,
                synced_people=sorted(p.id for p in imported.people),
                created_at=now,
                updated_at=now,
            )
            session.add(link)
            session.flush()
            ids = ids or list(link.synced_people)
            if occ.cancelled:
                return cancel(link, imported, now=now)
    if link is None:
        if occ.cancelled or not ids:
            return "not linked"
        people = list(session.scalars(select(Person).where(Person.id.in_(ids), Person.deleted_at.is_(None))))
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
        session.add(
            SyncedEvent(
                source=source,
                calendar=occ.calendar,
                uid=occ.uid,
                recurrence_id=occ.recurrence_id,
                interaction_id=it.id,
                synced_at=occ.start,
                synced_title=occ.title,
                synced_location=occ.location,
                synced_duration_min=occ.duration_min,
                synced_people=sorted(p.id for p in people),
                created_at=now,
                updated_at=now,
            )
        )
        session.flush()
        return "created"
    found = session.get(Interaction, link.interaction_id) if link.interaction_id is not None else None
    if found is None or found.deleted_at is not None or found.state is InteractionState.DONE:
        return "left alone"  # the user deleted it, or it happened: theirs now
    it = found
    if occ.cancelled or not ids:
        return cancel(link, it, now=now)
    changed = False
    if it.state is InteractionState.CANCELLED:
        if link.cancelled_at is None:
            return "left alone"  # cancelled by the user, not by sync
        it.state, link.cancelled_at, changed = InteractionState.PLANNED, None, True
    for attr, synced_attr, new in (
        ("at", "synced_at", occ.start),
        ("title", "synced_title", occ.title),
        ("location", "synced_location", occ.location),
        ("duration_min", "synced_duration_min", occ.duration_min),
    ):
        old_synced = getattr(link, synced_attr)
        if new == old_synced:
            continue
        if getattr(it, attr) == old_synced:  # the user has not changed it: follow the calendar
            setattr(it, attr, new)
            if attr == "location":
                it.channel = channel_of(str(new))
            changed = True
        setattr(link, synced_attr, new)
    current = sorted(p.id for p in it.people)
    if sorted(ids) != sorted(link.synced_people):
        if current == sorted(link.synced_people):
            people = list(session.scalars(select(Person).where(Person.id.in_(ids), Person.deleted_at.is_(None))))
            if people:
                it.people = people
                changed = True
        link.synced_people = sorted(ids)
    if changed:
        it.updated_at = link.updated_at = now
    session.flush()
    return "updated" if changed else "unchanged"


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


Lookup = Callable[[str, str], "Occurrence | Literal['unknown'] | None"]


def apply_calendar(  # noqa: C901  (read, decide, write, cancel the missing: not yet split into steps)
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
        people = People(s)
        known = _snapshot(s, source)
        imported = set(
            s.scalars(
                select(Interaction.source_uid).where(
                    Interaction.source_uid.is_not(None),
                    Interaction.state == InteractionState.PLANNED,
                    Interaction.deleted_at.is_(None),
                    ~select(SyncedEvent.id).where(SyncedEvent.interaction_id == Interaction.id).exists(),
                )
            )
        )
    seen: set[tuple[str, str]] = set()
    for occ in sorted(expanded.occurrences, key=lambda o: (o.start, o.uid, o.recurrence_id)):
        key = (occ.uid, occ.recurrence_id)
        if key in seen:
            continue  # the same event in two calendars of one account
        seen.add(key)
        ids, notes = people.match(occ)
        # Most of a sync is events already in place or with no one from the journal: decided from
        # one read, without a transaction each (a second sync of 1,800 occurrences: 3 s -> well under 1 s).
        fast = _unchanged(known.get(key), occ, ids) if key in known else None
        if fast is None and key not in known and (occ.cancelled or not ids) and occ.uid not in imported:
            fast = "not linked"
        try:
            if fast is not None:
                action: Action = fast
            else:
                with sessions() as s:
                    action = apply_occurrence(s, source, occ, ids, now=now)
        except NetjournalError as exc:
            rep.skipped.append((occ.label, exc.message))
            continue
        if action == "not linked" and not occ.cancelled:
            rep.not_linked += 1
            rep.notes += notes
        _count(rep, action, _meeting_label(occ, people, ids))
    complete = set(complete_calendars)
    start, end = window
    with sessions() as s:
        candidates = [(x.id, x.calendar, x.uid, x.recurrence_id, x.synced_at) for x in open_links(s, source)]
    for link_id, calendar, uid, rid, synced_at in candidates:
        if (uid, rid) in seen or calendar not in complete or uid in expanded.bad:
            continue
        if rid:  # one occurrence of a repeating event: its original start decides whether it should be here
            original = _rid_time(rid)
            if original is None or not start <= original < end or (uid, rid) in expanded.overrides:
                continue
            now_is: Occurrence | Literal["unknown"] | None = None
        else:
            if synced_at < start:
                continue  # it is over: waiting to be logged, not to be cancelled
            if uid in expanded.uids:
                now_is = expanded.uids[uid]
            elif lookup is not None:
                now_is = lookup(calendar, uid)
            else:
                now_is = None
            if now_is == "unknown":
                continue
        with sessions() as s:
            link = s.get(SyncedEvent, link_id)
            it = s.get(Interaction, link.interaction_id) if link is not None and link.interaction_id else None
            if link is None or it is None or it.state is not InteractionState.PLANNED:
                continue
            label = f"{it.title or 'Meeting'} · {it.at.astimezone():%a %d %b %H:%M}"
            if isinstance(now_is, Occurrence) and not now_is.cancelled:  # moved out of the window
                ids, _ = people.match(now_is)
                action = apply_occurrence(s, source, now_is, ids, now=now)
            else:
                action = cancel(link, it, now=now)
            _count(rep, action, label)
    return rep


_Known = tuple[datetime, str, str, "int | None", list[Any], "datetime | None", InteractionState, bool]


def _snapshot(session: Session, source: str) -> dict[tuple[str, str], _Known]:
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


def _unchanged(known: _Known | None, occ: Occurrence, ids: Sequence[int]) -> Action | None:
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


def _rid_time(rid: str) -> datetime | None:
    for fmt in ("%Y%m%dT%H%M%SZ", "%Y%m%d"):
        try:
            return datetime.strptime(rid, fmt).replace(tzinfo=UTC)
        except ValueError:
            continue
    return None


def _count(rep: CalendarReport, action: Action, label: str) -> None:
    if action == "created":
        rep.created.append(label)
    elif action == "updated":
        rep.updated.append(label)
    elif action == "cancelled":
        rep.cancelled.append(label)
    elif action in ("unchanged", "left alone"):
        rep.unchanged += 1


# ------------------------------------------------------------------------------------------ subscriptions


def _check_name(name: str) -> str:
    name = clean_text(name)
    if not name or len(name) > 100 or any(ord(ch) < 32 or "\ud800" <= ch <= "\udfff" for ch in name):
        raise ValidationError('Give the calendar a short name (up to 100 characters), e.g. "work".')
    return name


def add_subscription(session: Session, name: str, url: str, *, now: datetime, verify_tls: bool = True) -> int:
    """Subscribe to an iCalendar address (webcal:// is read as https://). Returns its id."""
    from netjournal.core.sync.calendar_fetch import check_url

    name = _check_name(name)
    url = check_url(url.strip(), name)
    if session.scalar(select(CalendarSubscription.id).where(CalendarSubscription.name == name)) is not None:
        raise ValidationError(f"There is already a calendar called {name!r}; choose another name or remove it first.")
    sub = CalendarSubscription(name=name, url=url, verify_tls=verify_tls, created_at=now)
    session.add(sub)
    session.flush()
    return sub.id


def subscriptions(session: Session) -> list[CalendarSubscription]:
    return list(session.scalars(select(CalendarSubscription).order_by(CalendarSubscription.name)))


def remove_subscription(session: Session, name: str) -> int:
    """Forget a subscription. Its meetings stay in the journal (as they are); returns how many there were."""
    sub = session.scalar(select(CalendarSubscription).where(CalendarSubscription.name == clean_text(name)))
    if sub is None:
        raise NotFoundError(f"There is no calendar subscription called {name.strip()!r}.")
    links = list(session.scalars(select(SyncedEvent).where(SyncedEvent.source == f"ics:{sub.name}")))
    for link in links:
        session.delete(link)
    session.delete(sub)
    session.flush()
    return len(links)


def subscription_sources(session: Session) -> list[CalendarSource]:
    """Every subscription as a source `sync_calendar_source` reads."""
    return [CalendarSource(s.name, "ics", s.url, verify_tls=s.verify_tls) for s in subscriptions(session)]


# ------------------------------------------------------------------------------------------ one sync


@dataclass(frozen=True)
class CalendarSource:
    """Where calendar events come from: a CalDAV account's calendars, or one iCalendar subscription."""

    name: str  # the account's (or subscription's) name, used in every message
    kind: Literal["caldav", "ics"]
    url: str  # the CalDAV URL (as discovered) or the subscription address (webcal:// is fine)
    username: str = ""
    password: str = field(default="", repr=False)
    verify_tls: bool = True
    allow_http: bool = False  # plain http:// to another machine, only when the user opted in
    calendars: tuple[str, ...] = ()  # chosen calendar URLs (CalDAV); none: every calendar of the account

    @property
    def key(self) -> str:
        """What `synced_events.source` holds for this source's meetings."""
        return f"{self.kind}:{self.name}"


def sessions_of(target: Any) -> SessionFactory:
    """A Journal (its `session`) or a session factory (a callable giving a transaction context)."""
    factory = getattr(target, "session", None)
    return factory if callable(factory) else target  # type: ignore[no-any-return]


def sync_calendar_source(target: Any, source: CalendarSource, now: datetime, *, client: Any = None) -> CalendarReport:
    """Read one source and bring its meetings in line (see the module doc). Never raises for a network
    problem or bad data: the report's `error` says what went wrong (nothing was changed then).

    `client`: an open caldav DAVClient to use (an account's connection) instead of making one."""
    from netjournal.core.sync import calendar_fetch as fetch

    sessions = sessions_of(target)
    window = window_around(now)
    rep = CalendarReport(source.name)
    raw_lookup: Callable[[str, str], Any] | None = None
    try:
        if source.kind == "ics":
            url = fetch.check_url(source.url, source.name, allow_http=source.allow_http)
            texts = [
                (url, fetch.fetch_ics(source.name, url, verify_tls=source.verify_tls, allow_http=source.allow_http))
            ]
            complete = [url]
        else:
            texts, complete, raw_lookup = fetch.fetch_caldav(
                source.name,
                source.url,
                source.username,
                source.password,
                source.calendars,
                window,
                verify_tls=source.verify_tls,
                allow_http=source.allow_http,
                client=client,
            )
    except NetjournalError as exc:
        rep.error = exc.message
        _remember(sessions, source, now, rep.error)
        return rep
    expanded = Expanded()
    for href, text in texts:
        try:
            expanded.extend(read_calendar(text, href, window))
        except ValueError as exc:
            if source.kind == "ics":
                rep.error = f"{source.name}: the calendar cannot be read: {exc}."
                _remember(sessions, source, now, rep.error)
                return rep
            rep.skipped.append((f"an object in {href}", str(exc)))
            complete = [c for c in complete if c != href]  # not read in full: nothing there is cancelled

    lookup: Lookup | None = None
    if raw_lookup is not None:
        found_lookup = raw_lookup

        def lookup(calendar: str, uid: str) -> Occurrence | Literal["unknown"] | None:
            text = found_lookup(calendar, uid)
            if text is None or text == "unknown":
                return text  # type: ignore[no-any-return]
            try:
                occ = read_calendar(str(text), calendar, window).uids.get(uid)
            except ValueError:
                return "unknown"
            return occ if occ is not None else "unknown"

    apply_calendar(
        sessions, source.key, expanded, now=now, window=window, complete_calendars=complete, lookup=lookup, report=rep
    )
    _remember(sessions, source, now, "")
    return rep


def _remember(sessions: SessionFactory, source: CalendarSource, now: datetime, problem: str) -> None:
    if source.kind != "ics":
        return  # accounts keep their own status (the accounts table)
    with sessions() as s:
        sub = s.scalar(select(CalendarSubscription).where(CalendarSubscription.name == source.name))
        if sub is not None:
            sub.last_problem = problem
            if not problem:
                sub.last_synced_at = now


def sync_subscriptions(target: Any, now: datetime, name: str | None = None) -> list[CalendarReport]:
    """Sync every subscription (or the one called `name`), one after another."""
    with sessions_of(target)() as s:
        sources = [x for x in subscription_sources(s) if name is None or x.name == name]
    return [sync_calendar_source(target, x, now) for x in sources]
