"""Shared steps of the sync tests: an account on a test server, a sync, a look at the journal."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from netjournal.core.db import Journal
from netjournal.core.models import Person
from netjournal.core.sync import accounts
from netjournal.core.sync.contacts import SyncReport
from netjournal.core.sync.run import sync_one
from tests.sync.servers import PASSWORD, USER, Server


def add_account(journal: Journal, server: Server, book: str, now: datetime, name: str = "home") -> None:
    """An account on `server` that syncs only the address book `book` (other tests' books are not seen)."""
    principal, found = accounts.probe(name, server.url, USER, PASSWORD, False)
    with journal.session() as s:
        accounts.save_account(
            s,
            journal.data_dir,
            name=name,
            url=server.url,
            username=USER,
            password=PASSWORD,
            allow_http=False,
            principal=principal,
            found=found,
            now=now,
            chosen={server.url.rstrip("/") + book},
        )


def sync(journal: Journal, now: datetime, name: str = "home", *, ok: bool = True) -> SyncReport:
    report = sync_one(journal, name, now=now, timeout=5)
    if ok:
        assert not report.problem, report.problem
        assert not report.skipped, report.skipped
    return report


def later(now: datetime, minutes: int) -> datetime:
    return now + timedelta(minutes=minutes)


def people(journal: Journal) -> dict[str, Person]:
    with journal.sessions() as s:
        rows = list(s.scalars(select(Person).where(Person.deleted_at.is_(None))))
        for p in rows:
            _ = p.emails, p.contact_points
        s.expunge_all()
    return {p.name: p for p in rows}


def names(journal: Journal) -> list[str]:
    with journal.sessions() as s:
        return sorted(s.scalars(select(Person.name).where(Person.deleted_at.is_(None))))
