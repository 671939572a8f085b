"""`sync_accounts`: one sync of every account (or one), as `netjournal sync` and the background run it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select

from netjournal.core.db import Journal
from netjournal.core.errors import NetjournalError
from netjournal.core.models import SyncAccount
from netjournal.core.sync.accounts import connect, get_account
from netjournal.core.sync.contacts import SyncReport, sync_contacts
from netjournal.core.sync.dav import Connection, SyncProblem

log = logging.getLogger(__name__)

# The calendar side registers itself here: called with the open connection after the contacts.
CalendarSync = Callable[[Journal, Connection, str, datetime], dict[str, object]]
calendar_syncs: list[CalendarSync] = []


def sync_one(journal: Journal, name: str, *, now: datetime, timeout: int | None = None) -> SyncReport:
    """Sync one account; a problem is in `report.problem` (plain words, naming the account)."""
    report = SyncReport(name)
    try:
        with journal.sessions() as s:
            account = get_account(s, name)
            conn = connect(journal.data_dir, account, timeout=timeout)
            start = account.principal_url or account.url
        with conn:
            # One small request first: a wrong password or a server that is down is told as such, even
            # when nothing is chosen to sync.
            conn.propfind(start, "<D:current-user-principal/>")
            report = sync_contacts(journal, conn, name, now=now)
            for cal in calendar_syncs:
                report.calendars.update(cal(journal, conn, name, now))
    except SyncProblem as exc:
        report.problem = str(exc)
    except NetjournalError as exc:
        report.problem = str(exc) if str(exc).startswith(name) else f"{name}: {exc}"
    with journal.session() as s:
        row = s.scalar(select(SyncAccount).where(SyncAccount.name == name))
        if row is not None:
            row.last_sync_at = now
            row.last_problem = report.problem
            if not report.problem:
                row.last_ok_at = now
    if report.problem:
        log.info("sync of an account failed: %s", report.problem)
    return report


def sync_accounts(journal: Journal, name: str | None = None, *, now: datetime) -> list[SyncReport]:
    with journal.sessions() as s:
        names = [name] if name else list(s.scalars(select(SyncAccount.name).order_by(SyncAccount.name)))
        if name:
            get_account(s, name)  # a clear message for a name that is not there
    return [sync_one(journal, n, now=now) for n in names]
