"""One sync of every account and calendar subscription (or the one named), as `netjournal sync` and the
background sync run it: contacts then the chosen calendars of each account, then the subscriptions."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select

from netjournal.core.db import Journal
from netjournal.core.errors import NetjournalError
from netjournal.core.models import CalendarSubscription, SyncAccount
from netjournal.core.sync.accounts import connect, get_account
from netjournal.core.sync.calendar_accounts import sync_account_calendars
from netjournal.core.sync.calendars import CalendarReport, sync_subscriptions
from netjournal.core.sync.contacts import SyncReport, sync_contacts
from netjournal.core.sync.dav import SyncProblem

log = logging.getLogger(__name__)


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
            report.calendars.update(sync_account_calendars(journal, conn, name, now))
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


@dataclass
class SyncRun:
    """Everything one `sync` did: a report per account, then one per calendar subscription."""

    accounts: list[SyncReport] = field(default_factory=list)
    subscriptions: list[CalendarReport] = field(default_factory=list)

    @property
    def problems(self) -> list[str]:
        return [r.problem for r in self.accounts if r.problem] + [c.error for c in self.subscriptions if c.error]

    @property
    def changed(self) -> bool:
        return any(r.changed for r in self.accounts) or any(c.changed for c in self.subscriptions)

    def as_json(self) -> list[dict[str, Any]]:
        subs = [{"subscription": True, **c.as_dict()} for c in self.subscriptions]
        return [r.as_json() for r in self.accounts] + subs


def anything_to_sync(session: Any) -> bool:
    """True when there is an account or a calendar subscription (the background sync runs only then)."""
    return session.scalar(select(SyncAccount.id).limit(1)) is not None or (
        session.scalar(select(CalendarSubscription.id).limit(1)) is not None
    )


def sync_all(journal: Journal, name: str | None = None, *, now: datetime) -> SyncRun:
    """Sync every account and subscription, or the one called `name` (an account's name wins)."""
    with journal.sessions() as s:
        accounts = set(s.scalars(select(SyncAccount.name)))
        subs = set(s.scalars(select(CalendarSubscription.name)))
    if name is not None and name not in accounts and name in subs:
        return SyncRun(subscriptions=sync_subscriptions(journal, now, name))
    run = SyncRun(accounts=sync_accounts(journal, name, now=now))
    if name is None:
        run.subscriptions = sync_subscriptions(journal, now)
    return run
