"""People: what a person form, an importer or the CLI gives (`PersonData`), creating, updating and
finding them, and the labels their fields are shown with."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from netjournal.core.errors import NotFoundError, ValidationError
from netjournal.core.identity import (
    clean_text,
    clean_uid,
    name_key,
    normalize_point,
)
from netjournal.core.models import (
    CIRCLES,
    Address,
    ContactPoint,
    ImportantDate,
    Person,
    PersonStatus,
    Tag,
)

STATUS_LABELS: dict[PersonStatus, str] = {
    PersonStatus.ACTIVE: "Active",
    PersonStatus.WAITING: "Waiting for their reply",
    PersonStatus.DORMANT: "Dormant",
    PersonStatus.DO_NOT_SUGGEST: "Don't suggest",
    PersonStatus.ARCHIVED: "Archived",
}

ADDRESS_KEYS = ("label", "street", "locality", "region", "postcode", "country")
CIRCLE_LABELS: dict[int, str] = {
    5: "Closest 5",
    15: "Good friends (15)",
    50: "Friends (50)",
    150: "Active network (150)",
    500: "Acquaintances and weak ties",
}


def sort_key(name: str) -> str:
    return name_key(name)


def _check_range(label: str, value: int | None, low: int, high: int) -> None:
    if value is None:
        return
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise ValidationError(f"{label} must be a whole number from {low} to {high} (got {value!r}).")


# The fields an empty one may take from another record of the same person (an import, a merge): the
# simple fields but the name and the user's own judgements (status, ended badly).
FILLABLE = (
    "given_name",
    "family_name",
    "nickname",
    "organisation",
    "role",
    "how_met",
    "met_on",
    "ford_family",
    "ford_occupation",
    "ford_recreation",
    "ford_dreams",
    "notes",
    "source_uid",
    "circle",
    "cadence_days",
)


def fill_empty(target: object, source: object) -> list[str]:
    """Give `target` each FILLABLE field it lacks and `source` has (a Person or a PersonData, either
    side). Returns the fields filled, in FILLABLE's order."""
    filled = []
    for f in FILLABLE:
        if not getattr(target, f) and getattr(source, f):
            setattr(target, f, getattr(source, f))
            filled.append(f)
    return filled


@dataclass
class PersonData:
    """What a person form, an importer or the CLI provides to create or update a person."""

    name: str
    given_name: str = ""
    family_name: str = ""
    nickname: str = ""
    organisation: str = ""
    role: str = ""
    how_met: str = ""
    met_on: date | None = None
    circle: int | None = None
    cadence_days: int | None = None
    status: PersonStatus = PersonStatus.ACTIVE
    ended_badly: bool = False
    ford_family: str = ""
    ford_occupation: str = ""
    ford_recreation: str = ""
    ford_dreams: str = ""
    notes: str = ""
    emails: list[tuple[str, str]] = field(default_factory=list)  # (label, value)
    phones: list[tuple[str, str]] = field(default_factory=list)
    urls: list[tuple[str, str]] = field(default_factory=list)
    addresses: list[dict[str, str]] = field(default_factory=list)
    dates: list[dict[str, Any]] = field(default_factory=list)  # {kind, label, month, day, year}
    tags: list[str] = field(default_factory=list)
    source_uid: str | None = None

    SIMPLE_FIELDS = ("name", "status", "ended_badly", *FILLABLE)

    def validate(self) -> None:
        # One form for every text that identifies someone, whichever boundary it came in by (NFC).
        self.name = clean_text(self.name)
        for f in ("given_name", "family_name", "nickname", "organisation", "role"):
            setattr(self, f, clean_text(getattr(self, f)))
        self.emails = [(label, clean_text(v)) for label, v in self.emails]
        self.phones = [(label, clean_text(v)) for label, v in self.phones]
        self.source_uid = clean_uid(self.source_uid)
        if not self.name:
            raise ValidationError("A person needs a name.")
        if len(self.name) > 300:
            raise ValidationError("That name is longer than 300 characters; please shorten it.")
        if self.circle is not None and self.circle not in CIRCLES:
            raise ValidationError(f"Circle must be one of {', '.join(map(str, CIRCLES))} (got {self.circle}).")
        _check_range("Cadence (days)", self.cadence_days, 1, 3650)
        for d in self.dates:
            try:
                date(d.get("year") or 2000, int(d["month"]), int(d["day"]))  # 2000: a leap year
            except (KeyError, TypeError, ValueError) as exc:
                raise ValidationError(f"{d!r} is not a valid date.") from exc

    # The rows a person's details become, as plain dicts: what create/update (`_apply`) and the bulk
    # import (core/importers/bulk.py) write, so both store the same thing for the same data.
    def point_rows(self) -> list[dict[str, Any]]:
        """E-mails, phones and links, stripped, without repeats (by their normalised form), in order."""
        rows: list[dict[str, Any]] = []
        for kind, values in (("email", self.emails), ("phone", self.phones), ("url", self.urls)):
            seen: set[str] = set()
            for label, raw in values:
                value = raw.strip()
                norm = normalize_point(kind, value)
                if not value or norm in seen:
                    continue
                seen.add(norm)
                rows.append({"kind": kind, "label": label, "value": value, "normalized": norm, "position": len(rows)})
        return rows

    def address_rows(self) -> list[dict[str, Any]]:
        """The addresses with anything filled in (a label alone is not an address)."""
        kept = [a for a in self.addresses if any((a.get(k) or "").strip() for k in ADDRESS_KEYS[1:])]
        return [{"position": i, **{k: a.get(k, "") or "" for k in ADDRESS_KEYS}} for i, a in enumerate(kept)]

    def date_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "kind": d.get("kind") or "other",
                "label": d.get("label") or "",
                "month": int(d["month"]),
                "day": int(d["day"]),
                "year": d.get("year"),
                "recurring": d.get("recurring", True),
            }
            for d in self.dates
        ]

    def tag_names(self) -> list[str]:
        """The tags, stripped, without repeats, in order."""
        return list(dict.fromkeys(t.strip() for t in self.tags if t and t.strip()))

    @classmethod
    def from_person(cls, p: Person) -> PersonData:
        data = cls(**{f: getattr(p, f) for f in cls.SIMPLE_FIELDS})
        for cp in p.contact_points:
            target = {"email": data.emails, "phone": data.phones, "url": data.urls}.get(cp.kind)
            if target is not None:
                target.append((cp.label, cp.value))
        data.addresses = [{k: getattr(a, k) for k in ADDRESS_KEYS} for a in p.addresses]
        data.dates = [
            {"kind": d.kind, "label": d.label, "month": d.month, "day": d.day, "year": d.year} for d in p.dates
        ]
        data.tags = [t.name for t in p.tags]
        return data


def _tags(session: Session, names: list[str]) -> list[Tag]:
    wanted = dict.fromkeys(names)
    if not wanted:
        return []
    existing = {t.name: t for t in session.scalars(select(Tag).where(Tag.name.in_(list(wanted))))}
    out = []
    for name in wanted:
        tag = existing.get(name)
        if tag is None:
            tag = Tag(name=name)
            session.add(tag)
        out.append(tag)
    return out


def _apply(session: Session, person: Person, data: PersonData) -> None:
    for f in PersonData.SIMPLE_FIELDS:
        setattr(person, f, getattr(data, f))
    person.sort_name = sort_key(data.name)
    points = [ContactPoint(**row) for row in data.point_rows()]
    # Kinds the form does not edit (e.g. messaging handles) are kept as they were.
    kept = [cp for cp in person.contact_points if cp.kind not in ("email", "phone", "url")]
    for cp in kept:
        cp.position = len(points)
        points.append(cp)
    person.contact_points = points
    person.addresses = [Address(**row) for row in data.address_rows()]
    person.dates = [ImportantDate(**row) for row in data.date_rows()]
    person.tags = _tags(session, data.tag_names())


def create_person(session: Session, data: PersonData, *, now: datetime) -> Person:
    data.validate()
    person = Person(created_at=now, updated_at=now, sort_name="", name=data.name)
    session.add(person)
    _apply(session, person, data)
    session.flush()
    return person


def update_person(session: Session, person_id: int, data: PersonData, *, now: datetime) -> Person:
    data.validate()
    person = get_person(session, person_id)
    _apply(session, person, data)
    person.updated_at = now
    session.flush()
    return person


def get_person(session: Session, person_id: int, *, include_deleted: bool = False) -> Person:
    person = session.get(
        Person,
        person_id,
        options=[
            selectinload(Person.contact_points),
            selectinload(Person.addresses),
            selectinload(Person.dates),
            selectinload(Person.tags),
        ],
    )
    if person is None or (person.deleted_at is not None and not include_deleted):
        raise NotFoundError(f"There is no person with id {person_id} in this journal.")
    return person


def live_people() -> Select[Person]:
    return select(Person).where(Person.deleted_at.is_(None))


def people_names(
    session: Session, ids: Iterable[int] | None = None, *, include_deleted: bool = False
) -> dict[int, str]:
    """{id: name}, by id: of everyone not in the trash, or of the given ids (read 500 at a time)."""
    live = [] if include_deleted else [Person.deleted_at.is_(None)]
    if ids is None:
        return {
            pid: name for pid, name in session.execute(select(Person.id, Person.name).where(*live).order_by(Person.id))
        }
    wanted = sorted(set(ids))
    names: dict[int, str] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        rows = session.execute(select(Person.id, Person.name).where(Person.id.in_(chunk), *live))
        names.update({pid: name for pid, name in rows})
    return names


def find_people(session: Session, text: str, *, limit: int = 10) -> list[Person]:
    """People whose name matches `text`: exact (case-insensitive) first, then prefix, then substring."""
    key = sort_key(text)
    if not key:
        return []
    exact = list(session.scalars(live_people().where(Person.sort_name == key).order_by(Person.id).limit(limit)))
    if exact:
        return exact
    like = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    for pattern in (f"{like}%", f"%{like}%"):  # prefix matches first, then anywhere in the name
        stmt = live_people().where(Person.sort_name.like(pattern, escape="\\")).order_by(Person.sort_name, Person.id)
        found = list(session.scalars(stmt.limit(limit)))
        if found:
            return found
    return []
