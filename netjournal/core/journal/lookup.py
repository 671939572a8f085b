"""Who a typed reference means (a name, an e-mail address, a #id): one person, several namesakes, or
no one."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from netjournal.core.errors import NotFoundError
from netjournal.core.identity import (
    loose_name_key,
    name_key,
    nfc,
    normalize_email,
)
from netjournal.core.journal.people import find_people, get_person, live_people, people_names
from netjournal.core.models import (
    ContactPoint,
    Person,
)


@dataclass(frozen=True)
class Candidate:
    """One person a typed name could mean, with what tells namesakes apart."""

    id: int
    name: str
    organisation: str
    email: str

    def label(self) -> str:
        """ "Name · organisation · e-mail · #id", the way every list of candidates shows them."""
        return " · ".join(x for x in (self.name, self.organisation, self.email, f"#{self.id}") if x)


@dataclass(frozen=True)
class Resolution:
    """What a typed reference names: exactly one person, several (ambiguous), or no one."""

    text: str
    person_id: int | None = None
    candidates: tuple[Candidate, ...] = ()

    @property
    def ambiguous(self) -> bool:
        return self.person_id is None and len(self.candidates) > 1


_ID_REF = re.compile(r"#?([0-9]{1,18})", re.ASCII)  # ASCII digits only: "#١٢" is not #12
RESOLVE_LIMIT = 12


def _candidates(session: Session, people: Sequence[Person]) -> tuple[Candidate, ...]:
    ids = [p.id for p in people]
    emails: dict[int, str] = {}
    for pid, value in session.execute(
        select(ContactPoint.person_id, ContactPoint.value)
        .where(ContactPoint.person_id.in_(ids), ContactPoint.kind == "email")
        .order_by(ContactPoint.person_id, ContactPoint.position)
    ):
        emails.setdefault(pid, value)
    return tuple(Candidate(p.id, p.name, p.organisation, emails.get(p.id, "")) for p in people)


def resolve(session: Session, text: str, *, include_deleted_id: bool = False) -> Resolution:
    """The one way typed text becomes a person (CLI arguments, the GUI's person picker, reflections).

    Accepted: `#12` (or `12`; ASCII digits only), an e-mail address, or a name. A name is matched
    exactly (case, Unicode form and spacing aside), then without accents or word order, then as the
    start of a name, then anywhere in it; the first of these that finds anyone decides. One person
    found is the answer; several are returned as candidates, never guessed between.
    """
    ref = nfc(text).strip()
    if not ref:
        return Resolution(text)
    m = _ID_REF.fullmatch(ref)
    if m:
        pid = int(m.group(1))
        p = session.get(Person, pid)
        if p is not None and (p.deleted_at is None or include_deleted_id):
            return Resolution(text, p.id, _candidates(session, [p]))
        if ref.startswith("#"):
            return Resolution(text)
    if "@" in ref:
        ids = session.scalars(
            select(ContactPoint.person_id)
            .join(Person, Person.id == ContactPoint.person_id)
            .where(
                ContactPoint.kind == "email",
                ContactPoint.normalized == normalize_email(ref),
                Person.deleted_at.is_(None),
            )
            .order_by(ContactPoint.person_id)
        ).all()
        found = list(session.scalars(select(Person).where(Person.id.in_(list(dict.fromkeys(ids)))).order_by(Person.id)))
        if found:
            return _answer(session, text, found)
    exact = list(
        session.scalars(live_people().where(Person.sort_name == name_key(ref)).order_by(Person.id).limit(RESOLVE_LIMIT))
    )
    if exact:
        return _answer(session, text, exact)
    loose = loose_name_key(ref)
    if loose:
        # Accents and word order aside ("Jose Garcia" for "García, José"): compared in Python over
        # everyone's name (a narrow read; a few milliseconds for thousands of people).
        names = people_names(session)
        ids = [pid for pid, name in names.items() if loose_name_key(name) == loose][:RESOLVE_LIMIT]
        if ids:
            found = list(session.scalars(select(Person).where(Person.id.in_(ids)).order_by(Person.id)))
            return _answer(session, text, found)
    return _answer(session, text, find_people(session, ref, limit=RESOLVE_LIMIT))


def _answer(session: Session, text: str, found: Sequence[Person]) -> Resolution:
    candidates = _candidates(session, found)
    if len(found) == 1:
        return Resolution(text, found[0].id, candidates)
    return Resolution(text, None, candidates)


class AmbiguousPerson(NotFoundError):
    """A typed name fits several people; the message lists each so the user can say which."""

    def __init__(self, resolution: Resolution) -> None:
        lines = "\n".join(f"  {c.label()}" for c in resolution.candidates)
        more = " (and maybe more)" if len(resolution.candidates) >= RESOLVE_LIMIT else ""
        super().__init__(
            f"{resolution.text.strip()!r} matches several people{more}:\n{lines}\n"
            "Say which one with its #id or e-mail address, e.g. "
            f"{resolution.candidates[0].label().rsplit(' · ', 1)[-1]}."
        )
        self.resolution = resolution


def resolve_person(session: Session, ref: str) -> Person:
    """A person from a typed reference (see `resolve`); several or no matches raise a clear error."""
    found = resolve(session, ref)
    if found.person_id is not None:
        return get_person(session, found.person_id)
    if found.ambiguous:
        raise AmbiguousPerson(found)
    if not ref.strip():
        raise NotFoundError("Say who: a name, an e-mail address or a #id.")
    raise NotFoundError(f"No one called {ref.strip()!r} is in this journal (try a #id or an e-mail address).")
