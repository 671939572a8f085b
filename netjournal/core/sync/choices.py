"""What the person's page shows about sync: choices to make (a field both sides changed differently)
and accounts whose card of the person was deleted on the server. Light to import (models only)."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from netjournal.core.models import Person, SyncAccount, SyncCard, SyncCollection

# In words, for reports and the person's page.
FIELD_WORDS = {
    "name": "name",
    "given_name": "given name",
    "family_name": "family name",
    "nickname": "nickname",
    "organisation": "organisation",
    "role": "title",
    "birthday": "birthday",
    "photo": "photo",
    "emails": "e-mail addresses",
    "phones": "phone numbers",
    "urls": "web links",
    "addresses": "addresses",
}


def value_text(value: Any) -> str:
    """A field's value as the page shows it."""
    if isinstance(value, list):
        return ", ".join(v[1] if isinstance(v, list) and len(v) > 1 else str(v) for v in value) or "(none)"
    return str(value) if value else "(none)"


@dataclass(frozen=True)
class Choice:
    """A field both sides changed differently: the journal's value and the server's."""

    link_id: int
    account: str
    field: str
    words: str
    journal: Any
    server: Any


@dataclass(frozen=True)
class PersonSync:
    choices: list[Choice]
    unlinked_from: list[str]  # accounts whose card of this person was deleted on the server


def person_sync(session: Session, person_id: int) -> PersonSync:
    rows = session.execute(
        select(SyncCard.id, SyncCard.conflicts, SyncCard.state, SyncAccount.name)
        .join(SyncCollection, SyncCollection.id == SyncCard.collection_id)
        .join(SyncAccount, SyncAccount.id == SyncCollection.account_id)
        .where(SyncCard.person_id == person_id)
    ).all()
    choices = [
        # Photos are compared by a digest: the page names them instead of showing it.
        Choice(lid, acc, f, FIELD_WORDS.get(f, f), *(("the photo here", f"the photo on {acc}") if f == "photo" else v))
        for lid, conflicts, state, acc in rows
        if state == "linked"
        for f, v in sorted((conflicts or {}).items())
    ]
    linked = {acc for _, _, state, acc in rows if state == "linked"}
    gone = sorted({acc for _, _, state, acc in rows if state == "gone"} - linked)
    return PersonSync(choices, gone)


def choose(session: Session, link_id: int, field_name: str, keep_server: bool, *, now: datetime) -> None:
    """The user's choice for a conflicting field; the next sync sends the journal's value if it was kept."""
    from netjournal.core.journal import PersonData, update_person
    from netjournal.core.sync.cards import apply_fields, fields_of

    link = session.get(SyncCard, link_id)
    if link is None or field_name not in (link.conflicts or {}):
        return
    conflicts = dict(link.conflicts)
    _journal_value, server_value = conflicts.pop(field_name)
    p = session.get(Person, link.person_id) if link.person_id else None
    if p is not None and keep_server and field_name == "photo":
        from netjournal.core.sync.cards import BadCard, read_card

        with contextlib.suppress(BadCard):  # unreadable now: the next sync asks again
            p.photo = read_card(link.text)[1]
    elif p is not None and keep_server:
        data = PersonData.from_person(p)
        fields = fields_of(data, p.photo)
        fields[field_name] = server_value
        apply_fields(data, fields)
        update_person(session, p.id, data, now=now)
    link.conflicts = conflicts
    session.flush()
