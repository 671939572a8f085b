"""Reading calendars: iCalendar text -> the event occurrences within a window (calendars.py says the rules).

Repeating events are expanded within the window (WINDOW_BEFORE .. WINDOW_AFTER around now); all-day
events are counted, not returned. Each event is read on its own: a malformed one is a problem, not a
failure. Nothing here touches the journal.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import recurring_ical_events
from icalendar import Calendar

from netjournal.core.clock import as_utc
from netjournal.core.identity import clean_text, normalize_email

WINDOW_BEFORE = timedelta(days=1)
WINDOW_AFTER = timedelta(days=60)
MAX_OCCURRENCES = 5_000  # of one source within the window: a runaway rule stays cheap


def window_around(now: datetime) -> tuple[datetime, datetime]:
    return now - WINDOW_BEFORE, now + WINDOW_AFTER


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


def rid_time(rid: str) -> datetime | None:
    for fmt in ("%Y%m%dT%H%M%SZ", "%Y%m%d"):
        try:
            return datetime.strptime(rid, fmt).replace(tzinfo=UTC)
        except ValueError:
            continue
    return None
