"""An account's chosen calendars, synced through the account's open connection (`run.sync_one` calls
`sync_account_calendars` after the contacts)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from netjournal.core.db import Journal
from netjournal.core.sync.accounts import get_account
from netjournal.core.sync.calendars import CalendarSource, sync_calendar_source
from netjournal.core.sync.dav import Connection, SyncProblem


def sync_account_calendars(journal: Journal, conn: Connection, name: str, now: datetime) -> dict[str, Any]:
    """Sync the account's chosen calendars; {"calendar": report} for `SyncReport.calendars`.

    Raises SyncProblem (plain words naming the account) when the calendars could not be read; the
    contacts already synced stay synced, and no meeting was changed.
    """
    with journal.sessions() as s:
        account = get_account(s, name)
        urls = tuple(c.url for c in account.collections if c.kind == "calendar" and c.chosen)
        url, allow_http = account.url, account.allow_http
    if not urls:
        return {}  # no calendar chosen (or none on the server): nothing to read
    source = CalendarSource(name, "caldav", url, allow_http=allow_http, calendars=urls)
    report = sync_calendar_source(journal, source, now, client=conn.client)
    if report.error:
        raise SyncProblem(report.error, "server")
    return {"calendar": report.as_dict()}
