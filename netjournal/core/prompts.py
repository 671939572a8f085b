"""The question bank: the shipped entries (resources/questions/bank.json) with the user's layer on top.

The user's layer lives in `question_entries`. A row with `shipped_key` set changes a shipped entry
(hide it, favourite it, or replace its text and tags); a row without one is the user's own entry.
Because the layer refers to shipped entries by their stable key, a new shipped bank keeps every hide,
favourite and edit; an edited entry whose key the new bank no longer has keeps the user's text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from netjournal.core.errors import NetjournalError, NotFoundError, ValidationError
from netjournal.core.models import QuestionEntry
from netjournal.core.paths import resources_dir

KINDS: dict[str, str] = {
    "question": "Question",
    "follow_up": "Follow-up",
    "exit_line": "Exit line",
    "intro_script": "Intro script",
    "message_template": "Message template",
}

SITUATIONS: dict[str, str] = {
    "first_meeting": "First meeting",
    "event": "At an event",
    "reconnecting": "Reconnecting after a gap",
    "informational_interview": "Informational interview",
    "follow_up": "Follow-up meeting",
    "job_search": "Job search (advice, not a job)",
}

PURPOSES: dict[str, str] = {
    "opener": "Opener",
    "follow_up": "Follow-up",
    "career_story": "Career story",
    "priorities": "Priorities and dreams",
    "reciprocity": "What I can offer",
    "deeper": "A little deeper",
    "close_next_step": "Close and next step",
    "advice_ask": "Asking for advice",
    "ford_family": "Family",
    "ford_occupation": "Work",
    "ford_recreation": "Outside work",
    "ford_dreams": "Dreams",
    "exit": "Leaving a conversation",
    "intro": "Introducing yourself",
    "check_in": "Check-in",
    "thank_you": "Thank-you",
    "reconnect": "Reconnecting",
    "nudge": "One gentle follow-up",
}

USER_PREFIX = "user."
MAX_TEXT = 2000


class BankError(NetjournalError):
    """The shipped question bank file is missing or malformed (a packaging problem, not the user's)."""


@dataclass(frozen=True)
class Entry:
    """One entry as the user sees it: the shipped entry with their changes applied, or their own."""

    key: str  # the shipped key, or "user.<id>" for the user's own entries
    kind: str
    purposes: tuple[str, ...]
    situations: tuple[str, ...]
    depth: int
    text: str
    shipped: bool = True  # part of the current shipped bank
    edited: bool = False
    hidden: bool = False
    favourite: bool = False
    shipped_text: str | None = None

    @property
    def own(self) -> bool:
        return self.key.startswith(USER_PREFIX)


# ------------------------------------------------------------------------------------------ the shipped bank


def bank_path() -> Path:
    return resources_dir() / "questions" / "bank.json"


def _fail(source: Path | str, where: str, problem: str) -> BankError:
    return BankError(f"The question bank {source} has a problem in {where}: {problem}")


def _str_list(value: Any, allowed: dict[str, str], source: Path | str, where: str, name: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise _fail(source, where, f"'{name}' must be a non-empty list of words")
    unknown = [v for v in value if v not in allowed]
    if unknown:
        raise _fail(source, where, f"unknown {name} {', '.join(map(repr, unknown))}")
    return tuple(value)


def parse_bank(doc: Any, source: Path | str = "bank.json") -> list[Entry]:
    """Validate a bank document (already parsed JSON) and return its entries, in file order."""
    if not isinstance(doc, dict) or not isinstance(doc.get("entries"), list):
        raise BankError(f"The question bank {source} must be an object with an 'entries' list.")
    out: list[Entry] = []
    seen: set[str] = set()
    for i, raw in enumerate(doc["entries"], start=1):
        where = f"entry {i}"
        if not isinstance(raw, dict):
            raise _fail(source, where, "it is not an object")
        key = raw.get("key")
        if not isinstance(key, str) or not key.strip() or key.startswith(USER_PREFIX) or len(key) > 80:
            raise _fail(source, where, "'key' must be a short text that does not start with 'user.'")
        where = f"entry {i} ({key})"
        if key in seen:
            raise _fail(source, where, "this key is used twice")
        seen.add(key)
        kind = raw.get("kind")
        if kind not in KINDS:
            raise _fail(source, where, f"'kind' must be one of {', '.join(KINDS)}")
        depth = raw.get("depth")
        if not isinstance(depth, int) or isinstance(depth, bool) or not 1 <= depth <= 3:
            raise _fail(source, where, "'depth' must be 1, 2 or 3")
        text = raw.get("text")
        if not isinstance(text, str) or not text.strip():
            raise _fail(source, where, "'text' is empty")
        out.append(
            Entry(
                key=key,
                kind=kind,
                purposes=_str_list(raw.get("purposes"), PURPOSES, source, where, "purposes"),
                situations=_str_list(raw.get("situations"), SITUATIONS, source, where, "situations"),
                depth=depth,
                text=text.strip(),
                shipped_text=text.strip(),
            )
        )
    return out


_cache: dict[tuple[str, int, int], list[Entry]] = {}


def load_bank(path: Path | None = None) -> list[Entry]:
    """The shipped entries (cached per file version)."""
    path = path or bank_path()
    try:
        st = path.stat()
        cache_key = (str(path), st.st_mtime_ns, st.st_size)
        if cache_key in _cache:
            return _cache[cache_key]
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise BankError(f"The question bank {path} is missing; netjournal may need reinstalling.") from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BankError(f"The question bank {path} cannot be read: {exc}") from exc
    entries = parse_bank(doc, path)
    _cache.clear()
    _cache[cache_key] = entries
    return entries


# --------------------------------------------------------------------------------------- merged with the user


def _merge(shipped: Entry | None, row: QuestionEntry) -> Entry | None:
    if shipped is None:
        if row.shipped_key is not None and row.text is None:
            return None  # a hide or favourite of an entry the bank no longer has: nothing left to show
        key = row.shipped_key or f"{USER_PREFIX}{row.id}"
        return Entry(
            key=key,
            kind=row.kind or "question",
            purposes=tuple(row.purposes or ()),
            situations=tuple(row.situations or ()),
            depth=row.depth or 1,
            text=row.text or "",
            shipped=False,
            edited=row.shipped_key is not None,
            hidden=row.hidden,
            favourite=row.favourite,
        )
    edited = any(v is not None for v in (row.text, row.kind, row.purposes, row.situations, row.depth))
    return replace(
        shipped,
        text=row.text if row.text is not None else shipped.text,
        kind=row.kind or shipped.kind,
        purposes=tuple(row.purposes) if row.purposes is not None else shipped.purposes,
        situations=tuple(row.situations) if row.situations is not None else shipped.situations,
        depth=row.depth or shipped.depth,
        edited=edited,
        hidden=row.hidden,
        favourite=row.favourite,
    )


def all_entries(session: Session, *, bank: Sequence[Entry] | None = None) -> list[Entry]:
    """Every entry, hidden ones included: the shipped bank in file order, then the user's own."""
    shipped = list(bank if bank is not None else load_bank())
    rows = list(session.scalars(select(QuestionEntry).order_by(QuestionEntry.id)))
    by_key = {r.shipped_key: r for r in rows if r.shipped_key is not None}
    out: list[Entry] = []
    for e in shipped:
        row = by_key.pop(e.key, None)
        merged = _merge(e, row) if row is not None else e
        if merged is not None:
            out.append(merged)
    for r in rows:
        if r.shipped_key is None or r.shipped_key in by_key:  # own entries, and edits of removed shipped ones
            merged = _merge(None, r)
            if merged is not None:
                out.append(merged)
    return out


def list_entries(
    session: Session,
    *,
    kinds: Iterable[str] | None = None,
    situation: str | None = None,
    purpose: str | None = None,
    max_depth: int | None = None,
    favourites_only: bool = False,
    include_hidden: bool = False,
    text: str = "",
    bank: Sequence[Entry] | None = None,
) -> list[Entry]:
    """Entries matching every filter given; favourites first, otherwise in bank order."""
    kind_set = set(kinds) if kinds is not None else None
    needle = text.strip().casefold()
    out = [
        e
        for e in all_entries(session, bank=bank)
        if (include_hidden or not e.hidden)
        and (kind_set is None or e.kind in kind_set)
        and (situation is None or situation in e.situations)
        and (purpose is None or purpose in e.purposes)
        and (max_depth is None or e.depth <= max_depth)
        and (not favourites_only or e.favourite)
        and (not needle or needle in e.text.casefold())
    ]
    out.sort(key=lambda e: not e.favourite)  # stable: bank order within each group
    return out


def get_entry(session: Session, key: str, *, bank: Sequence[Entry] | None = None) -> Entry:
    for e in all_entries(session, bank=bank):
        if e.key == key:
            return e
    raise NotFoundError(f"There is no question with key {key!r}.")


def _check_fields(
    text: str | None,
    kind: str | None,
    purposes: Sequence[str] | None,
    situations: Sequence[str] | None,
    depth: int | None,
) -> None:
    if text is not None:
        if not text.strip():
            raise ValidationError("A question needs some words.")
        if len(text) > MAX_TEXT:
            raise ValidationError(f"That entry is longer than {MAX_TEXT} characters; please shorten it.")
    if kind is not None and kind not in KINDS:
        raise ValidationError(f"Kind must be one of {', '.join(KINDS)} (got {kind!r}).")
    for value, allowed, name in ((purposes, PURPOSES, "purpose"), (situations, SITUATIONS, "situation")):
        for v in value or ():
            if v not in allowed:
                raise ValidationError(f"{v!r} is not a known {name}.")
    if depth is not None and (not isinstance(depth, int) or not 1 <= depth <= 3):
        raise ValidationError(f"Depth must be 1, 2 or 3 (got {depth!r}).")


def add_entry(
    session: Session,
    text: str,
    *,
    now: datetime,
    kind: str = "question",
    purposes: Sequence[str] = (),
    situations: Sequence[str] = (),
    depth: int = 1,
) -> Entry:
    """The user's own entry."""
    _check_fields(text, kind, purposes, situations, depth)
    row = QuestionEntry(
        shipped_key=None,
        text=text.strip(),
        kind=kind,
        purposes=list(purposes),
        situations=list(situations),
        depth=depth,
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    session.flush()
    merged = _merge(None, row)
    assert merged is not None
    return merged


def _row_for(session: Session, key: str, now: datetime, bank: Sequence[Entry] | None) -> QuestionEntry:
    if key.startswith(USER_PREFIX):
        ident = key[len(USER_PREFIX) :]
        row = session.get(QuestionEntry, int(ident)) if ident.isdigit() else None
        if row is None or row.shipped_key is not None:
            raise NotFoundError(f"There is no question with key {key!r}.")
        return row
    row = session.scalar(select(QuestionEntry).where(QuestionEntry.shipped_key == key))
    if row is not None:
        return row
    shipped = {e.key for e in (bank if bank is not None else load_bank())}
    if key not in shipped:
        raise NotFoundError(f"There is no question with key {key!r}.")
    row = QuestionEntry(shipped_key=key, created_at=now, updated_at=now)
    session.add(row)
    return row


def edit_entry(
    session: Session,
    key: str,
    *,
    now: datetime,
    text: str | None = None,
    kind: str | None = None,
    purposes: Sequence[str] | None = None,
    situations: Sequence[str] | None = None,
    depth: int | None = None,
    bank: Sequence[Entry] | None = None,
) -> Entry:
    """Change an entry; for a shipped one the change is kept in the user's layer (the bank file is never written)."""
    _check_fields(text, kind, purposes, situations, depth)
    row = _row_for(session, key, now, bank)
    if text is not None:
        row.text = text.strip()
    if kind is not None:
        row.kind = kind
    if purposes is not None:
        row.purposes = list(purposes)
    if situations is not None:
        row.situations = list(situations)
    if depth is not None:
        row.depth = depth
    row.updated_at = now
    session.flush()
    return get_entry(session, key, bank=bank)


def reset_entry(session: Session, key: str, *, now: datetime, bank: Sequence[Entry] | None = None) -> Entry:
    """Bring back the shipped wording and tags of a shipped entry (keeping hidden/favourite)."""
    row = session.scalar(select(QuestionEntry).where(QuestionEntry.shipped_key == key))
    if row is not None:
        row.text = row.kind = row.purposes = row.situations = row.depth = None
        row.updated_at = now
        session.flush()
    return get_entry(session, key, bank=bank)


def set_hidden(session: Session, key: str, hidden: bool, *, now: datetime, bank: Sequence[Entry] | None = None) -> None:
    row = _row_for(session, key, now, bank)
    row.hidden = hidden
    row.updated_at = now
    session.flush()


def set_favourite(
    session: Session, key: str, favourite: bool, *, now: datetime, bank: Sequence[Entry] | None = None
) -> None:
    row = _row_for(session, key, now, bank)
    row.favourite = favourite
    row.updated_at = now
    session.flush()


def hide(session: Session, key: str, *, now: datetime, bank: Sequence[Entry] | None = None) -> None:
    set_hidden(session, key, True, now=now, bank=bank)


def unhide(session: Session, key: str, *, now: datetime, bank: Sequence[Entry] | None = None) -> None:
    set_hidden(session, key, False, now=now, bank=bank)


# A blank in a template: "[X]", "[my name]", "[organisation or event]".
PLACEHOLDER = re.compile(r"\[([^\[\]\n]{1,60})\]")


def blanks(text: str) -> list[str]:
    """The names of the blanks still in a text ("[my name]" -> "my name")."""
    return [m.group(1) for m in PLACEHOLDER.finditer(text)]


def fill(text: str, values: dict[str, str]) -> str:
    """Replace [placeholders] the journal knows (e.g. [name], [organisation]); the rest stay for the user."""
    for name, value in values.items():
        if value:
            text = text.replace(f"[{name}]", value)
    return text
