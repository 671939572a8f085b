"""Where every contact of an import goes, decided before anything is written (`_PeoplePlan`, over the one
matching rule in core/matching.py), and how an incoming contact fills in someone already there."""

from __future__ import annotations

import copy
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from netjournal.core.identity import normalize_email, normalize_phone
from netjournal.core.importers.base import (
    PersonRecord,
)
from netjournal.core.journal import (
    PersonData,
    fill_empty,
    get_person,
    people_names,
)
from netjournal.core.matching import Card, Decision, canonical_order, load_known, match_cards
from netjournal.core.models import Person


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
        existing_ids = sorted(d.person_id for d in self.decisions if d.person_id is not None)
        held = {p.id: p for p in _load_people(session, existing_ids)}  # one query per 500
        self.targets: dict[tuple[str, int], _Target] = {}
        self.target_of: list[tuple[str, int]] = [("", 0)] * len(records)
        for key, members in groups.items():
            # Filled in a fixed order (not the file's), so any order of records gives the same person.
            order = [members[j] for j in canonical_order([records[i].data for i in members])]
            if key[0] == "p":
                person = held.get(key[1]) or get_person(session, key[1])
                data = PersonData.from_person(person)
                photo = None  # a photo to add; theirs is read only if a record brings one (it is deferred)
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
                if photo is None and records[i].photo and (key[0] == "g" or person.photo is None):
                    photo = records[i].photo
                    changed[i].append("photo")
            self.targets[key] = _Target(data, photo, key[1] if key[0] == "p" else None, changed, min(members))
            for i in members:
                self.target_of[i] = key
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
