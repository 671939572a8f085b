"""The user's wall clock: local time, the week and the day, and a day in words.

Plain functions of an aware `now` (no database, no ORM): reconnect, Today and the thin read path share them.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

log = logging.getLogger(__name__)

_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def to_local(now: datetime, tz: tzinfo | None) -> datetime:
    """`now` on the user's wall clock (the system's zone unless one is given)."""
    return now.astimezone(tz) if tz is not None else now.astimezone()


def week_start(local: datetime) -> datetime:
    """Monday 00:00 of the local week containing `local` (an aware datetime)."""
    monday = local.date() - timedelta(days=local.weekday())
    return datetime.combine(monday, time(0), tzinfo=local.tzinfo)


def day_start(local: datetime) -> datetime:
    return datetime.combine(local.date(), time(0), tzinfo=local.tzinfo)


def day_words(target: date, today: date) -> str:
    """'today', 'tomorrow', 'Friday' (within a week), else '3 April'."""
    delta = (target - today).days
    if delta == 0:
        return "today"
    if delta == 1:
        return "tomorrow"
    if delta == -1:
        return "yesterday"
    if 1 < delta < 7:
        return _WEEKDAYS[target.weekday()]
    if -7 < delta < 0:
        return f"last {_WEEKDAYS[target.weekday()]}"
    return f"{target.day} {target:%B}"


def first_name(name: str, given: str = "", nickname: str = "") -> str:
    words = name.split()
    return (nickname or given or (words[0] if words else name)).strip() or name


def parse_moment(value: Any) -> datetime | None:
    """A stored moment setting (ISO text) as an aware datetime; None when unset or unreadable."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        log.warning("ignoring an unreadable moment setting")
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def stored(moment: datetime) -> str:
    """A moment as the journal stores it (naive UTC text, microseconds always written: models.UTCDateTime on
    SQLite), so SQL text compares it with the stored column on either read path."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def from_stored(value: Any) -> datetime:
    """A stored moment read raw (text on the thin path, text or datetime through a session) as aware UTC."""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    assert isinstance(moment, datetime)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
