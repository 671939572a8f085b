"""Where every contact of an import goes, decided before anything is written (`_PeoplePlan`, over the one
matching rule in core/matching.py), and how an incoming contact fills in someone already there."""

from __future__ import annotations

import copy
from collections import defaultdict
from dataclasses import dataclass
from types import SimpleNamespace
from typing import cast

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from netjournal.core.identity import normalize_email, normalize_phone
from netjournal.core.importers.base import (
    PersonRecord,
)
from netjournal.core.journal import (
    PersonData,
    fill_empty,
    people_names,
)
from netjournal.core.matching import Card, Decision, canonical_order, load_known, match_cards
from netjournal.core.models import Address, ContactPoint, ImportantDate, Person, Tag, person_tags


@dataclass
class _Target:
    """One person an import writes: someone in the journal (person_id) or new (person_id None)."""

    data: PersonData
    photo: bytes | None
    person_id: int | None
    changed: dict[int, list[str]]  # record index -> what that record added
    first: int  # the record (in file order) that creates or first updates it
    written: bool = False


class _PeoplePlan:
    """Where every contact of an import goes, decided before anything is written."""

    def __init__(self, session: Session, records: list[PersonRecord]) -> None:
        self.records = records
        self.index = {id(r): i for i, r in enumerate(records)}
        known = load_known(session)
        self.known_uid = {pid: c.uids for pid, c in known.items()}
        cards = [Card.of(r.data) for r in records]
        self.decisions: list[Decision] = match_cards(known, cards, lambda i: repr(records[i].data))
        groups: dict[tuple[str, int], list[int]] = defaultdict(list)
        for i, d in enumerate(self.decisions):
            groups[("p", d.person_id) if d.person_id is not None else ("g", d.group)].append(i)
        existing_ids = sorted({d.person_id for d in self.decisions if d.person_id is not None})
        current = people_data(session, existing_ids)  # plain rows: most are found unchanged
        self.targets: dict[tuple[str, int], _Target] = {}
        self.target_of: list[tuple[str, int]] = [("", 0)] * len(records)
        for key, members in groups.items():
            # Filled in a fixed order (not the file's), so any order of records gives the same person.
            order = [members[j] for j in canonical_order([records[i].data for i in members])]
            if key[0] == "p":
                data, has_photo = current[key[1]]
                photo = None  # a photo to add, when they have none
                start = 0
            else:
                # A copy only when other records merge into it (most groups are one record).
                first = records[order[0]].data
                data = copy.deepcopy(first) if len(order) > 1 else first
                photo = records[order[0]].photo
                start = 1
            changed: dict[int, list[str]] = {order[0]: []} if start else {}
            for i in order[start:]:
                incoming = records[i].data
                if key[0] == "p" and incoming.source_uid in self.known_uid.get(key[1], frozenset()):
                    incoming = copy.copy(incoming)
                    incoming.source_uid = None  # our own UID coming back from an export: nothing new
                changed[i] = merge_person_data(data, incoming)
                if photo is None and records[i].photo and (key[0] == "g" or not has_photo):
                    photo = records[i].photo
                    changed[i].append("photo")
            self.targets[key] = _Target(data, photo, key[1] if key[0] == "p" else None, changed, min(members))
            for i in members:
                self.target_of[i] = key
        # The people this import changes, as ORM objects in a few queries (held: the session keeps
        # only weak references), for update_person; the unchanged ones are never built.
        changing = [t.person_id for t in self.targets.values() if t.person_id is not None and any(t.changed.values())]
        self.held = _load_people(session, changing)
        self.new_ids: dict[int, int] = {}  # group -> the new person's id, once written
        # Who has which e-mail address once the import is written (meetings are matched by it).
        self.email_keys: dict[str, set[tuple[str, int]]] = defaultdict(set)
        for pid, card in known.items():
            for e in card.emails:
                self.email_keys[e].add(("p", pid))
        for key, target in self.targets.items():
            for _, value in target.data.emails:
                self.email_keys[normalize_email(value)].add(key)
        wanted = {p.person_id for d in self.decisions for p in d.possible if p.person_id is not None}
        self.names = people_names(session, wanted, include_deleted=True)

    def email_owners(self, e: str) -> set[int]:
        owners = set()
        for kind, n in self.email_keys.get(e, ()):
            pid = n if kind == "p" else self.new_ids.get(n)
            if pid is not None:
                owners.add(pid)
        return owners

    def names_of(self, d: Decision) -> str:
        """ "possible duplicate of Sam Lee (same phone), Ann Ng (same name)" or ""."""
        bits = []
        for p in d.possible:
            if p.person_id is not None:
                target = self.targets.get(("p", p.person_id))
                name = target.data.name if target else self.names.get(p.person_id, f"#{p.person_id}")
            else:
                assert p.record is not None
                name = self.targets[("g", self.decisions[p.record].group)].data.name
            bits.append(f"{name} ({p.why})")
        return f"possible duplicate of {', '.join(bits)}" if bits else ""


def _load_people(session: Session, ids: list[int]) -> list[Person]:
    opts = [selectinload(getattr(Person, r)) for r in ("contact_points", "addresses", "dates", "tags")]
    found: list[Person] = []
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        found += session.scalars(select(Person).where(Person.id.in_(chunk)).options(*opts)).all()
    return found


def people_data(session: Session, ids: list[int]) -> dict[int, tuple[PersonData, bool]]:
    """`PersonData.from_person` of each person, and whether they have a photo, from plain rows.

    An import that finds 5,000 people already in the journal built 5,000 ORM objects with their
    contact points, addresses, dates and tags only to read them. The rows go through `from_person`
    itself, in the relationships' own order, so the two cannot differ (tests/core/test_import.py).
    """
    out: dict[int, tuple[PersonData, bool]] = {}
    fields = [getattr(Person, f) for f in PersonData.SIMPLE_FIELDS]
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        people: dict[int, SimpleNamespace] = {}
        photos: dict[int, bool] = {}
        for row in session.execute(
            select(Person.id, Person.photo.is_not(None).label("has_photo"), *fields).where(Person.id.in_(chunk))
        ):
            values = {f: getattr(row, f) for f in PersonData.SIMPLE_FIELDS}
            people[row.id] = SimpleNamespace(**values, contact_points=[], addresses=[], dates=[], tags=[])
            photos[row.id] = bool(row.has_photo)
        cps, adds, dates = ContactPoint.__table__, Address.__table__, ImportantDate.__table__
        for attr, table, order in (
            ("contact_points", cps, (cps.c.position, cps.c.id)),
            ("addresses", adds, (adds.c.position, adds.c.id)),
            ("dates", dates, (dates.c.id,)),
        ):
            for row in session.execute(select(table).where(table.c.person_id.in_(chunk)).order_by(*order)):
                getattr(people[row.person_id], attr).append(row)
        for pid, name in session.execute(
            select(person_tags.c.person_id, Tag.name)
            .join(Tag, Tag.id == person_tags.c.tag_id)
            .where(person_tags.c.person_id.in_(chunk))
            .order_by(Tag.name)
        ):
            people[pid].tags.append(SimpleNamespace(name=name))
        for pid, ns in people.items():
            out[pid] = (PersonData.from_person(cast(Person, ns)), photos[pid])
    return out


def _why(d: Decision) -> str:
    return f"{d.why} {d.detail}".strip() if d.why else "the same person as another record"


def merge_person_data(current: PersonData, incoming: PersonData) -> list[str]:
    """Fill `current`'s empty fields from `incoming` and add what it lacks. Returns what changed."""
    changed = [f.replace("_", " ") for f in fill_empty(current, incoming)]
    for kind, norm in (("emails", normalize_email), ("phones", normalize_phone), ("urls", str.lower)):
        have = {norm(v) for _, v in getattr(current, kind)}
        for label, value in getattr(incoming, kind):
            if norm(value) not in have:
                getattr(current, kind).append((label, value))
                have.add(norm(value))
                changed.append(kind[:-1])
    if incoming.addresses and not current.addresses:
        current.addresses = list(incoming.addresses)
        changed.append("address")
    have_dates = {d.get("kind") for d in current.dates}
    for d in incoming.dates:
        if d.get("kind") not in have_dates:
            current.dates.append(d)
            have_dates.add(d.get("kind"))
            changed.append(str(d.get("kind")))
    have_tags = {t.casefold() for t in current.tags}
    for t in incoming.tags:
        if t.casefold() not in have_tags:
            current.tags.append(t)
            have_tags.add(t.casefold())
            changed.append("tag")
    return list(dict.fromkeys(changed))
