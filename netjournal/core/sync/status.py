"""The last-synced status lines, in plain words (Settings, the tray, `account list`)."""

from __future__ import annotations

from datetime import datetime


def _ago(then: datetime, now: datetime) -> str:
    minutes = int((now - then).total_seconds() // 60)
    if minutes < 1:
        return "just now"
    if minutes < 60:
        return f"{minutes} minute{'s' if minutes != 1 else ''} ago"
    hours = minutes // 60
    if hours < 24:
        return f"{hours} hour{'s' if hours != 1 else ''} ago"
    days = hours // 24
    return f"{days} day{'s' if days != 1 else ''} ago"


def status_line(last_sync_at: datetime | None, last_ok_at: datetime | None, problem: str, now: datetime) -> str:
    if last_sync_at is None:
        return "Not synced yet."
    if not problem:
        return f"Last synced {_ago(last_sync_at, now)}."
    ok = f" Last synced {_ago(last_ok_at, now)}." if last_ok_at else ""
    return f"The last try {_ago(last_sync_at, now)} did not work: {problem}{ok}"


def read_line(last_read_at: datetime | None, problem: str, now: datetime) -> str:
    """A calendar subscription's: when it was last read, or what went wrong the last time."""
    ok = f"Last read {_ago(last_read_at, now)}." if last_read_at else ""
    if problem:
        return f"Could not be read: {problem}" + (f" {ok}" if ok else "")
    return ok or "Not read yet."
