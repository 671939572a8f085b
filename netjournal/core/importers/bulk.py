"""Writing many new people at once (imports): the same rows `create_person` writes (PersonData.*_rows), in bulk.

Ids are given out up front (the import holds the only write transaction), so records later in the
import can match people created earlier in it before anything is written. `flush` then inserts
people, contact points, addresses, dates and tags with one executemany each.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from netjournal.core.identity import new_uid
from netjournal.core.journal import PersonData, sort_key
from netjournal.core.models import Address, ContactPoint, ImportantDate, Person, Tag, person_tags


class BulkPeople:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.next_id = (session.scalar(select(func.max(Person.id))) or 0) + 1
        self.pending: dict[int, tuple[PersonData, bytes | None]] = {}

    def add(self, data: PersonData, photo: bytes | None) -> int:
        data.validate()
        pid = self.next_id
        self.next_id += 1
        self.pending[pid] = (data, photo)
        return pid

    def get(self, pid: int) -> PersonData | None:
        entry = self.pending.get(pid)
        return entry[0] if entry else None

    def flush(self, now: datetime) -> None:
        if not self.pending:
            return
        people: list[dict[str, Any]] = []
        points: list[dict[str, Any]] = []
        addresses: list[dict[str, Any]] = []
        dates: list[dict[str, Any]] = []
        tag_links: list[tuple[int, str]] = []
        for pid, (data, photo) in self.pending.items():  # each validated by add(), and final by then
            row = {f: getattr(data, f) for f in PersonData.SIMPLE_FIELDS}
            row.update(
                id=pid,
                uid=new_uid(),
                sort_name=sort_key(data.name),
                photo=photo,
                created_at=now,
                updated_at=now,
                consecutive_snoozes=0,
            )
            people.append(row)
            points.extend({"person_id": pid, **row} for row in data.point_rows())
            addresses.extend({"person_id": pid, **row} for row in data.address_rows())
            dates.extend({"person_id": pid, **row} for row in data.date_rows())
            tag_links.extend((pid, name) for name in data.tag_names())
        s = self.session
        # Core inserts on the session's connection: the same rows, column defaults and types as the ORM's
        # bulk insert, without its per-row bookkeeping (about twice as fast for an import of thousands).
        conn = s.connection()
        sqlite = s.get_bind().dialect.name == "sqlite"
        if sqlite:
            # Children first, people last: the search index trigger on people then indexes each person
            # once, with their e-mails and tags, instead of again for every e-mail and tag. Foreign keys
            # are checked at commit (this pragma lasts until the transaction ends).
            s.execute(text("PRAGMA defer_foreign_keys = ON"))
        else:
            conn.execute(insert(Person), people)
        if points:
            conn.execute(insert(ContactPoint), points)
        if addresses:
            conn.execute(insert(Address), addresses)
        if dates:
            conn.execute(insert(ImportantDate), dates)
        if tag_links:
            names = sorted({n for _, n in tag_links})
            ids = {t.name: t.id for t in s.scalars(select(Tag).where(Tag.name.in_(names)))}
            missing = [n for n in names if n not in ids]
            if missing:
                conn.execute(insert(Tag), [{"name": n} for n in missing])
                ids.update({t.name: t.id for t in s.scalars(select(Tag).where(Tag.name.in_(missing)))})
            conn.execute(insert(person_tags), [{"person_id": pid, "tag_id": ids[n]} for pid, n in tag_links])
        if sqlite:
            # RETURNING makes SQLAlchemy send the rows as multi-row INSERTs ("insertmanyvalues", 1,000 rows
            # or its parameter limit per statement) instead of one statement per row. That matters here:
            # the search index (FTS5) writes its pending terms to disk at every statement's savepoint, so
            # 5,000 one-row inserts through the people trigger cost several times one batched insert.
            many = conn.dialect.insert_executemany_returning  # SQLite 3.35+ (SQLCipher 4.5+)
            conn.execute(insert(Person).returning(Person.id) if many else insert(Person), people)
        self.pending.clear()
