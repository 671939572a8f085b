"""iCalendar (.ics) meetings, parsed with `icalendar`.

Each VEVENT is one record. A recurring event is imported once: at its next occurrence within the
next HORIZON if it has one (an upcoming meeting), else at its start (something that happened).
Occurrences are found by `recurring_ical_events` (EXDATE, RDATE, moved occurrences, time zones) in
that bounded window only. Its rules are expanded from their first date, so a rule that repeats more
than MAX_OCCURRENCES times before the window ends (FREQ=SECONDLY since 2020) is not expanded at all:
it is imported once, at its start, with a note. Changed occurrences of a series (RECURRENCE-ID) are
not imported separately.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import recurring_ical_events
from dateutil.rrule import rrulestr
from icalendar import Calendar

from netjournal.core.clock import as_utc
from netjournal.core.importers.base import BadRecord, EventRecord, ImportProblem, Record, SkipRecord
from netjournal.core.models import Channel, InteractionState

_VIDEO = re.compile(r"zoom\.us|meet\.google|teams\.microsoft|webex|whereby|jitsi|https?://", re.IGNORECASE)
_PROPERTY = re.compile(r"^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)?[;:]")


def _check_lines(path: Path, text: str) -> None:
    """Every unfolded line must look like NAME[;params]:value, and the calendar must be complete."""
    record = 0
    depth = 0
    prop_len, prop_line, prop_name = 0, 0, ""
    for lineno, line in enumerate(text.split("\n"), start=1):
        if line[:1] in (" ", "\t"):
            prop_len += len(line)
        else:
            prop_len, prop_line, prop_name = len(line), lineno, line.split(":", 1)[0].split(";", 1)[0][:40]
        if prop_len > MAX_PROPERTY_CHARS:
            raise ImportProblem(
                path,
                f"the {prop_name} property at line {prop_line} is larger than "
                f"{MAX_PROPERTY_CHARS // (1024 * 1024)} MB, the most netjournal reads.",
                record=record or None,
            )
        if not line.strip() or line[0] in " \t":
            continue
        upper = line.strip().upper()
        if upper == "BEGIN:VEVENT":
            record += 1
        if upper.startswith("BEGIN:"):
            depth += 1
        elif upper.startswith("END:"):
            depth -= 1
        if not _PROPERTY.match(line):
            raise ImportProblem(
                path,
                f"this line is not an iCalendar property ({line.strip()[:40]!r}).",
                record=record or None,
                line=lineno,
            )
    if depth != 0:
        raise ImportProblem(path, "the calendar does not end with END:VCALENDAR; the file looks cut short.")


def _as_datetime(value: Any) -> datetime:
    if isinstance(value, datetime):
        return as_utc(value) if value.tzinfo is None else value.astimezone(UTC)
    if isinstance(value, date):
        return datetime.combine(value, time(9, 0), UTC)  # all-day: morning of that day
    raise ValueError(f"{value!r} is not a date")


def _email(value: Any) -> str:
    text = str(value).strip()
    return text[7:].strip().lower() if text.lower().startswith("mailto:") else ""


HORIZON = timedelta(days=400)
# icalendar keeps every event as a tree of objects (about 8 KB each): fewer events fit in the memory
# budget than contacts do, and no property may be huge (a 40 MB DESCRIPTION took icalendar 300 MB).
MAX_EVENTS = 15_000
FIRST_YEAR, LAST_YEAR = 1900, 2199  # as the command line accepts
MAX_PROPERTY_CHARS = 4 * 1024 * 1024
MAX_OCCURRENCES = 20_000  # of one rule, from its start to the window's end (daily for 50 years)
MAX_OCCURRENCES_PER_FILE = 200_000  # all rules of a file together: the cost of a calendar stays bounded


def parse_ics(path: Path, text: str, *, now: datetime) -> Iterator[Record]:
    _check_lines(path, text)
    events_in_file = sum(1 for _ in re.finditer(r"^BEGIN:VEVENT", text, re.IGNORECASE | re.MULTILINE))
    if events_in_file > MAX_EVENTS:
        raise ImportProblem(
            path,
            f"the calendar holds {events_in_file:,} events, more than the {MAX_EVENTS:,} netjournal imports "
            "from one file. Export a shorter period (for example the last few years) and import that.",
        )
    try:
        cal = Calendar.from_ical(text)
    except Exception as exc:
        raise ImportProblem(path, f"this calendar cannot be read ({exc}).") from exc
    lines = text.split("\n")
    starts = [i + 1 for i, ln in enumerate(lines) if ln.strip().upper() == "BEGIN:VEVENT"]
    del lines
    events = list(cal.walk("VEVENT"))
    too_often = _too_frequent(events, now)
    try:
        upcoming = _next_occurrences(cal, events, too_often, now)
    except Exception:  # a series the library cannot expand: each event is then imported at its start
        upcoming = {}
    for record, event in enumerate(events, start=1):
        line = starts[record - 1] if record - 1 < len(starts) else 0
        try:
            yield _event(event, record, line, now, upcoming.get(id(event)), too_often.get(id(event), ""))
        except Exception as exc:
            yield BadRecord(record, line, f"event {record}", f"this event cannot be read ({exc}).")


def _rule_start(start_value: Any) -> datetime:
    rule_start = start_value if isinstance(start_value, datetime) else datetime.combine(start_value, time(9))
    if rule_start.tzinfo is None and not isinstance(start_value, datetime):
        rule_start = rule_start.replace(tzinfo=UTC)
    return rule_start


def _too_frequent(events: list[Any], now: datetime) -> dict[int, str]:
    """Events (by id) whose rules repeat too often to expand, with the note for the report."""
    budget = MAX_OCCURRENCES_PER_FILE
    found: dict[int, str] = {}
    for event in events:
        rrule, dtstart = event.get("RRULE"), event.get("DTSTART")
        if rrule is None or dtstart is None or event.get("RECURRENCE-ID") is not None:
            continue
        if budget <= 0:
            found[id(event)] = "too many repeating events in this file to look for its next date; imported at its start"
            continue
        try:
            rule_start = _rule_start(dtstart.dt)
            rules = rrule if isinstance(rrule, list) else [rrule]
            end = now + HORIZON if rule_start.tzinfo is not None else (now + HORIZON).replace(tzinfo=None)
            seen = 0
            for one in rules:
                for occurrence in rrulestr(one.to_ical().decode(), dtstart=rule_start):
                    if occurrence > end or seen >= MAX_OCCURRENCES:
                        break
                    seen += 1
        except Exception:  # an unusual rule: the library decides (or the event is imported at its start)
            continue
        budget -= seen
        if seen >= MAX_OCCURRENCES:
            freq = str(rrule.get("FREQ", ["?"])[0]).lower() if not isinstance(rrule, list) else "often"
            found[id(event)] = f"repeats too often ({freq}) to look for its next date; imported once, at its start"
    return found


def _next_occurrences(cal: Any, events: list[Any], skip: dict[int, str], now: datetime) -> dict[int, datetime]:
    """The next start (within HORIZON) of each repeating event (by id), found by recurring_ical_events."""
    masters = {
        str(e.get("UID", "")): e
        for e in events
        if e.get("RRULE") is not None and e.get("RECURRENCE-ID") is None and id(e) not in skip and e.get("UID")
    }
    if not masters:
        return {}
    # Only the series worth expanding (and their moved occurrences and time zones) go to the library.
    sub = Calendar()
    for component in cal.subcomponents:
        wanted = component.name == "VEVENT" and str(component.get("UID", "")) in masters
        if wanted or component.name == "VTIMEZONE":
            sub.add_component(component)
    found: dict[int, datetime] = {}
    for occurrence in recurring_ical_events.of(sub, skip_bad_series=True).between(now, now + HORIZON):
        master = masters.get(str(occurrence.get("UID", "")))
        if master is None or occurrence.get("DTSTART") is None:
            continue
        at = _as_datetime(occurrence["DTSTART"].dt)
        if at <= now:
            continue  # in progress: the next one is upcoming
        if id(master) not in found or at < found[id(master)]:
            found[id(master)] = at
    return found


def _event(event: Any, record: int, line: int, now: datetime, upcoming: datetime | None, note: str) -> Record:
    title = str(event.get("SUMMARY", "")).strip()
    label = title or f"event {record}"
    if event.get("RECURRENCE-ID") is not None:
        return SkipRecord(record, line, label, "a changed occurrence of a repeating event (imported once)")
    dtstart = event.get("DTSTART")
    if dtstart is None:
        return SkipRecord(record, line, label, "the event has no date (no DTSTART)")
    start_value = dtstart.dt
    start = _as_datetime(start_value)
    end_prop = event.get("DTEND")
    duration: timedelta | None = None
    if end_prop is not None:
        duration = _as_datetime(end_prop.dt) - start
    elif event.get("DURATION") is not None:
        duration = event.get("DURATION").dt
    at = upcoming if upcoming is not None else start
    if not FIRST_YEAR <= at.year <= LAST_YEAR:  # year 9999 plus a reminder interval would overflow later
        return SkipRecord(record, line, label, f"its date ({at:%Y-%m-%d}) is too far from today to be a meeting")
    emails: list[str] = []
    organizer = event.get("ORGANIZER")
    if organizer is not None and _email(organizer):
        emails.append(_email(organizer))
    attendees = event.get("ATTENDEE")
    if attendees is not None:
        for a in attendees if isinstance(attendees, list) else [attendees]:
            if _email(a) and _email(a) not in emails:
                emails.append(_email(a))
    location = str(event.get("LOCATION", "")).strip()
    channel = Channel.VIDEO if _VIDEO.search(location) else Channel.IN_PERSON if location else Channel.OTHER
    uid = str(event.get("UID", "")).strip()
    if not uid:
        uid = "ics:" + hashlib.sha256(f"{start.isoformat()}|{title}".encode()).hexdigest()[:32]
    minutes = int(duration.total_seconds() // 60) if duration is not None else None
    if minutes is not None and not 0 <= minutes <= 24 * 60 * 14:
        minutes = None
    return EventRecord(
        record=record,
        line=line,
        uid=uid[:500],
        at=at,
        title=title[:500] or "Meeting",
        state=InteractionState.PLANNED if at > now else InteractionState.DONE,
        channel=channel,
        location=location[:500],
        notes=str(event.get("DESCRIPTION", "")).strip(),
        duration_min=minutes,
        emails=emails,
        note=note,
    )
