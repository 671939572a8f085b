"""One two-way sync of an account's chosen address books.

Down first (what changed on the server: RFC 6578 sync-collection where the server has it, else an
ETag listing; an expired token means a full listing, compared with what is known, so nothing changes
twice), then up (people changed, trashed, restored or new here). Each card is its own transaction
(a savepoint; committed in small batches), so a failure leaves nothing half-written. A card that
cannot be read is skipped and named; the rest of the sync goes on.

What changed on which side is told by comparing card fields with the version both sides last agreed
on (SyncCard.base), so every path that changes a person (the form, an import, a merge) is noticed
without a flag to remember to set.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload, undefer

from netjournal.core.db import Journal
from netjournal.core.errors import ValidationError
from netjournal.core.journal import PersonData, create_person, update_person
from netjournal.core.matching import Card, load_known, match_cards
from netjournal.core.models import Person, SyncAccount, SyncCard, SyncCollection
from netjournal.core.sync.cards import (
    BadCard,
    Fields,
    apply_fields,
    card_label,
    fields_of,
    merge,
    read_card,
    write_card,
)
from netjournal.core.sync.dav import Connection, Listing, TokenExpired

log = logging.getLogger(__name__)
BATCH = 200  # cards per commit on the way down (each one its own savepoint)


@dataclass
class SyncReport:
    """What one sync of one account changed, each way (names of people), and what it skipped."""

    account: str
    down_added: list[str] = field(default_factory=list)
    down_updated: list[str] = field(default_factory=list)
    down_unlinked: list[str] = field(default_factory=list)
    up_added: list[str] = field(default_factory=list)
    up_updated: list[str] = field(default_factory=list)
    up_deleted: list[str] = field(default_factory=list)
    up_restored: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    problem: str = ""
    calendars: dict[str, Any] = field(default_factory=dict)  # filled by the calendar side, if any

    @property
    def changed(self) -> bool:
        return any(
            getattr(self, f)
            for f in (
                "down_added",
                "down_updated",
                "down_unlinked",
                "up_added",
                "up_updated",
                "up_deleted",
                "up_restored",
            )
        )

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def _person_data(p: Person) -> tuple[PersonData, Fields]:
    data = PersonData.from_person(p)
    return data, fields_of(data, p.photo)


def _set_fields(session: Session, p: Person, keep: Fields, photo: bytes | None, now: datetime) -> None:
    data = PersonData.from_person(p)
    apply_fields(data, keep)
    update_person(session, p.id, data, now=now)
    if keep.get("photo") != fields_of(PersonData.from_person(p), p.photo).get("photo"):
        p.photo = photo if keep.get("photo") else None


def _people_query() -> Any:
    return select(Person).options(
        selectinload(Person.contact_points),
        selectinload(Person.addresses),
        selectinload(Person.dates),
        selectinload(Person.tags),
        undefer(Person.photo),
    )


class _Batches:
    """Savepoint per card, commit every BATCH cards (a crash loses at most a batch, never half a card)."""

    def __init__(self, journal: Journal) -> None:
        self.journal = journal
        self.session: Session | None = None
        self.count = 0

    @contextmanager
    def record(self) -> Iterator[Session]:
        if self.session is None:
            self.session = self.journal.sessions()
            self.session.begin()
        with self.session.begin_nested():
            yield self.session
        self.count += 1
        if self.count % BATCH == 0:
            self.flush()

    def flush(self) -> None:
        if self.session is not None:
            self.session.commit()
            self.session.close()
            self.session = None

    def rollback(self) -> None:
        if self.session is not None:
            self.session.rollback()
            self.session.close()
            self.session = None


def sync_contacts(journal: Journal, conn: Connection, account_name: str, *, now: datetime) -> SyncReport:
    report = SyncReport(account_name)
    with journal.sessions() as s:
        account = s.scalar(select(SyncAccount).where(SyncAccount.name == account_name))
        if account is None:
            return report
        books = [(c.id, c.url, c.sync_token) for c in account.collections if c.kind == "addressbook" and c.chosen]
        circles = set(account.circles) if account.circles else None
        account_id = account.id
    for book_id, url, token in books:
        _down(journal, conn, book_id, url, token, now, report)
    for i, (book_id, url, _) in enumerate(books):
        _up(journal, conn, account_id, book_id, url, now, report, new_people=i == 0, circles=circles)
    return report


# -------------------------------------------------------------------------------------------- down


def _listing(conn: Connection, url: str, token: str) -> Listing:
    try:
        return conn.sync_collection(url, token)
    except TokenExpired:
        if token:
            log.info("sync token no longer valid: full listing")
            return _listing(conn, url, "")
        return conn.etags(url)
    except NotImplementedError:
        return conn.etags(url)


def _down(
    journal: Journal, conn: Connection, book_id: int, url: str, token: str, now: datetime, report: SyncReport
) -> None:
    listing = _listing(conn, url, token)
    with journal.sessions() as s:
        known = {
            c.href: (c.id, c.etag)
            for c in s.scalars(select(SyncCard).where(SyncCard.collection_id == book_id, SyncCard.state == "linked"))
        }
    listed = {c.href for c in listing.changes if not c.deleted}
    deleted = [c.href for c in listing.changes if c.deleted and c.href in known]
    if not listing.complete:  # a whole listing: what is known and not listed is gone
        deleted += [h for h in known if h not in listed]
    fetch = [
        c.href
        for c in listing.changes
        if not c.deleted and (c.href not in known or not c.etag or known[c.href][1] != c.etag)
    ]
    texts = conn.multiget(url, fetch) if fetch else {}

    batches = _Batches(journal)
    try:
        fresh: list[tuple[str, str, str, PersonData, bytes | None, str]] = []
        for href in fetch:
            if href not in texts:
                continue
            etag, text = texts[href]
            try:
                data, photo, uid = read_card(text)
            except BadCard as exc:
                report.skipped.append(f"{card_label(text, href)}: {exc}")
                continue
            if href in known:
                try:
                    with batches.record() as s:
                        _update(s, known[href][0], etag, text, data, photo, now, report)
                except ValidationError as exc:  # this card only: skipped and named, the sync goes on
                    report.skipped.append(f"{card_label(text, href)}: {exc}")
            else:
                fresh.append((href, etag, text, data, photo, uid))
        for href in deleted:
            with batches.record() as s:
                link = s.get(SyncCard, known[href][0])
                if link is None:
                    continue
                link.state, link.changed_at, link.conflicts = "gone", now, {}
                p = s.get(Person, link.person_id) if link.person_id else None
                if p is not None:
                    report.down_unlinked.append(p.name)
        batches.flush()
        if fresh:
            _link_new(journal, batches, book_id, fresh, now, report)
        batches.flush()
    except BaseException:
        batches.rollback()
        raise
    if listing.token:
        with journal.session() as s:
            col = s.get(SyncCollection, book_id)
            if col is not None:
                col.sync_token = listing.token


def _update(
    s: Session,
    link_id: int,
    etag: str,
    text: str,
    data: PersonData,
    photo: bytes | None,
    now: datetime,
    report: SyncReport,
) -> None:
    link = s.get(SyncCard, link_id)
    if link is None:
        return
    remote = fields_of(data, photo)
    link.etag, link.text = etag, text
    p = s.get(Person, link.person_id) if link.person_id else None
    if p is None or p.deleted_at is not None:  # in the trash here: the way up deletes the card
        return
    _, local = _person_data(p)
    keep, _send, conflicts = merge(link.base or None, local, remote, dict(link.conflicts or {}))
    if keep != local:
        _set_fields(s, p, keep, photo, now)
        report.down_updated.append(p.name)
    if set(conflicts) - set(link.conflicts or {}):
        report.conflicts.append(p.name)
    link.base, link.conflicts, link.changed_at = remote, conflicts, now


def _link_new(
    journal: Journal,
    batches: _Batches,
    book_id: int,
    fresh: list[tuple[str, str, str, PersonData, bytes | None, str]],
    now: datetime,
    report: SyncReport,
) -> None:
    """Cards not linked yet: matched to people under the identity rules (core/matching), or new people."""
    with journal.sessions() as s:
        known = load_known(s)
    cards = [Card.of(data) for _, _, _, data, _, _ in fresh]
    decisions = match_cards(known, cards, tie_key=lambda i: fresh[i][2])
    created: dict[int, int] = {}
    for i, (href, etag, text, data, photo, uid) in enumerate(fresh):
        d = decisions[i]
        remote = fields_of(data, photo)
        try:
            with batches.record() as s:
                conflicts: dict[str, Any] = {}
                pid = d.person_id if d.person_id is not None else created.get(d.group)
                if pid is None:
                    new = PersonData(name=remote["name"], source_uid=uid or None)
                    apply_fields(new, remote)
                    p = create_person(s, new, now=now)
                    p.photo = photo
                    created[d.group if d.group >= 0 else -1 - i] = p.id
                    report.down_added.append(p.name)
                else:
                    found = s.get(Person, pid)
                    if found is None:
                        continue
                    p = found
                    _, local = _person_data(p)
                    keep, _send, conflicts = merge(None, local, remote, {})
                    if keep != local:
                        _set_fields(s, p, keep, photo, now)
                        report.down_updated.append(p.name)
                    if conflicts:
                        report.conflicts.append(p.name)
                link = s.scalar(select(SyncCard).where(SyncCard.collection_id == book_id, SyncCard.href == href))
                if link is None:
                    link = SyncCard(collection_id=book_id, href=href)
                    s.add(link)
                link.person_id, link.etag, link.text, link.uid = p.id, etag, text, uid
                link.base, link.conflicts, link.state, link.changed_at = remote, conflicts, "linked", now
        except ValidationError as exc:  # this card only: skipped and named, the sync goes on
            report.skipped.append(f"{card_label(text, href)}: {exc}")


# ---------------------------------------------------------------------------------------------- up

_SAFE = re.compile(r"[^A-Za-z0-9._-]")


def _new_href(url: str, uid: str) -> str:
    return url.rstrip("/") + "/" + _SAFE.sub("-", uid.removeprefix("urn:uuid:")) + ".vcf"


@dataclass
class _Todo:
    link_id: int | None
    person_id: int | None
    name: str
    href: str
    etag: str
    uid: str
    text: str
    base: Fields
    conflicts: dict[str, Any]
    local: Fields
    photo: bytes | None
    what: str  # update | delete | restore | add


def _plan(
    s: Session, account_id: int, book_id: int, url: str, new_people: bool, circles: set[int] | None
) -> list[_Todo]:
    todo: list[_Todo] = []
    links = list(
        s.scalars(
            select(SyncCard)
            .options(undefer(SyncCard.text))
            .where(SyncCard.collection_id == book_id, SyncCard.state != "gone")
        )
    )
    ids = {lk.person_id for lk in links if lk.person_id is not None}
    people = {p.id: p for p in s.scalars(_people_query().where(Person.id.in_(ids)))} if ids else {}
    for lk in links:
        p = people.get(lk.person_id) if lk.person_id is not None else None
        live = p is not None and p.deleted_at is None
        if lk.state == "linked" and not live:
            todo.append(
                _Todo(
                    lk.id,
                    lk.person_id,
                    p.name if p else lk.href,
                    lk.href,
                    lk.etag,
                    lk.uid,
                    "",
                    {},
                    {},
                    {},
                    None,
                    "delete",
                )
            )
            continue
        if p is None or not live:
            continue
        _, local = _person_data(p)
        base = lk.base or {}
        if lk.state == "removed":
            todo.append(
                _Todo(
                    lk.id, p.id, p.name, lk.href, lk.etag, lk.uid or p.uid, lk.text, base, {}, local, p.photo, "restore"
                )
            )
        elif any(local.get(f) != base.get(f) for f in local if f not in (lk.conflicts or {})):
            todo.append(
                _Todo(
                    lk.id,
                    p.id,
                    p.name,
                    lk.href,
                    lk.etag,
                    lk.uid or p.uid,
                    lk.text,
                    base,
                    dict(lk.conflicts or {}),
                    local,
                    p.photo,
                    "update",
                )
            )
    if new_people:
        linked = (
            select(SyncCard.person_id)
            .join(SyncCollection)
            .where(SyncCollection.account_id == account_id, SyncCard.person_id.is_not(None))
        )
        q = _people_query().where(Person.deleted_at.is_(None), Person.id.not_in(linked))
        if circles is not None:
            q = q.where(Person.circle.in_(circles))
        for p in s.scalars(q.order_by(Person.id)):
            _, local = _person_data(p)
            todo.append(_Todo(None, p.id, p.name, _new_href(url, p.uid), "", p.uid, "", {}, {}, local, p.photo, "add"))
    return todo


def _up(
    journal: Journal,
    conn: Connection,
    account_id: int,
    book_id: int,
    url: str,
    now: datetime,
    report: SyncReport,
    *,
    new_people: bool,
    circles: set[int] | None,
) -> None:
    with journal.sessions() as s:
        todo = _plan(s, account_id, book_id, url, new_people, circles)
    for t in todo:
        if t.what == "delete":
            _delete(journal, conn, t, now, report)
        else:
            _put(journal, conn, book_id, t, now, report)


def _delete(journal: Journal, conn: Connection, t: _Todo, now: datetime, report: SyncReport) -> None:
    status = conn.delete(t.href, t.etag)
    if status == 412:  # changed on the server since: the person is in the trash here all the same
        _, etag, _ = conn.get(t.href)
        status = conn.delete(t.href, etag)
    if status not in (200, 204, 404):
        report.skipped.append(f"{t.name}: the server refused to delete the card ({status})")
        return
    with journal.session() as s:
        link = s.get(SyncCard, t.link_id)
        if link is not None:
            link.state, link.changed_at = "removed", now
    report.up_deleted.append(t.name)


def _put(journal: Journal, conn: Connection, book_id: int, t: _Todo, now: datetime, report: SyncReport) -> None:
    send = {f: (t.base.get(f) if f in t.conflicts else v) for f, v in t.local.items()}
    photo = t.photo
    etag: str | None = None if t.what in ("add", "restore") else t.etag
    old_text = t.text
    conflicts = t.conflicts
    for _attempt in range(3):
        text = write_card(send, t.uid, photo, old_text)
        status, new_etag = conn.put(t.href, text, etag)
        if status in (200, 201, 204):
            break
        if status != 412:
            report.skipped.append(f"{t.name}: the server refused the card ({status})")
            return
        # Changed on the server since we last looked: fetch, merge field by field, try again.
        got, etag_now, server_text = conn.get(t.href)
        if got == 404:
            etag, old_text = None, ""
            continue
        try:
            data, server_photo, _ = read_card(server_text)
        except BadCard as exc:
            report.skipped.append(f"{t.name}: the card on the server cannot be read ({exc})")
            return
        remote = fields_of(data, server_photo)
        keep, send, conflicts = merge(t.base or None, t.local, remote, conflicts)
        with journal.session() as s:
            p = s.get(Person, t.person_id)
            if p is not None and keep != t.local:
                _set_fields(s, p, keep, server_photo, now)
                t.local = keep
                report.down_updated.append(t.name)
        if set(conflicts) - set(t.conflicts):
            report.conflicts.append(t.name)
        photo = t.photo if send.get("photo") == t.local.get("photo") else server_photo
        t.base, etag, old_text = remote, etag_now, server_text
    else:
        report.skipped.append(f"{t.name}: the card kept changing on the server; it will be tried again")
        return
    with journal.session() as s:
        link = s.get(SyncCard, t.link_id) if t.link_id is not None else None
        if link is None:
            link = s.scalar(select(SyncCard).where(SyncCard.collection_id == book_id, SyncCard.href == t.href))
        if link is None:
            link = SyncCard(collection_id=book_id, href=t.href, uid=t.uid)
            s.add(link)
        link.person_id, link.etag, link.text, link.base = t.person_id, new_etag, text, send
        link.conflicts, link.state, link.changed_at = conflicts, "linked", now
    {"add": report.up_added, "restore": report.up_restored}.get(t.what, report.up_updated).append(t.name)
