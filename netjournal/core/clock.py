"""Time is passed into core logic, never read inside it, so tests control the clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def utcnow() -> datetime:
    """The real clock: an aware UTC datetime."""
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """Interpret a naive datetime as local time and return it in UTC."""
    if value.tzinfo is None:
        value = value.astimezone()  # naive means local wall-clock time
    return value.astimezone(UTC)
