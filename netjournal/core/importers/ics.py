"""iCalendar (.ics) meetings, parsed with `icalendar`.

Each VEVENT is one record. A recurring event is imported once: at its next occurrence if it has
one after `now` (an upcoming meeting), else at its start (something that happened). Changed
occurrences of a series (RECURRENCE-ID) are not imported separately.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from dateutil.rrule import rrulestr
from icalendar import Calendar

from netjournal.core.clock import as_utc
from netjournal.core.importers.base import EventRecord, ImportProblem, Record, SkipRecord
from netjournal.core.models import Channel, InteractionState

_VIDEO = re.compile(r"zoom\.us|meet\.google|teams\.microsoft|webex|whereby|jitsi|https?://", re.IGNORECASE)
_PROPERTY = re.compile(r"^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)?[;:]")


def _check_lines(path: Path, text: str) -> None:
    """Every unfolded line must look like NAME[;params]:value, and the calendar must be complete."""
    record = 0
    depth = 0
    for lineno, line in enumerate(text.split("\n"), start=1):
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
                path, f"this line is not an iCalendar property ({line.strip()[:40]!r}).", record=record or None,
                line=lineno,
            )  # fmt: skip
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


def parse_ics(path: Path, text: str, *, now: datetime) -> Iterator[Record]:
    _check_lines(path, text)
    try:
        cal = Calendar.from_ical(text)
    except Exception as exc:
        raise ImportProblem(path, f"this calendar cannot be read ({exc}).") from exc
    lines = text.split("\n")
    starts = [i + 1 for i, ln in enumerate(lines) if ln.strip().upper() == "BEGIN:VEVENT"]
    for record, event in enumerate(cal.walk("VEVENT"), start=1):
        line = starts[record - 1] if record - 1 < len(starts) else 0
        try:
            yield _event(event, record, line, now)
        except ImportProblem:
            raise
        except Exception as exc:
            raise ImportProblem(path, f"this event cannot be read ({exc}).", record=record, line=line) from exc


def _event(event: Any, record: int, line: int, now: datetime) -> Record:
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
    at = start
    rrule = event.get("RRULE")
    if rrule is not None:
        try:
            rule_start = start_value if isinstance(start_value, datetime) else datetime.combine(start_value, time(9))
            if isinstance(rule_start, datetime) and rule_start.tzinfo is None:
                rule_start = rule_start.replace(tzinfo=UTC) if not isinstance(start_value, datetime) else rule_start
            rule = rrulestr(rrule.to_ical().decode(), dtstart=rule_start)
            after = now if rule_start.tzinfo is not None else now.replace(tzinfo=None)
            nxt = rule.after(after)
            if nxt is not None:
                at = _as_datetime(nxt)
        except Exception:  # an unusual rule: keep the first occurrence
            at = start
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
    )
