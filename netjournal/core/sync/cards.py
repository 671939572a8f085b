"""Which card fields travel, read from a vCard and from a person, compared and merged field by field.

Only contact-card fields go to the server: names, e-mails, phones, organisation, title, birthday,
addresses, URLs and the photo. Notes, FORD notes, tags, circles and everything else in the journal
stay here; what the server card holds that netjournal does not keep stays on the server.

`Fields` is a JSON-ready dict, so the version both sides last agreed on can be kept (SyncCard.base).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

import vobject

from netjournal.core.identity import clean_text, normalize_point
from netjournal.core.importers.base import BadRecord, PersonRecord
from netjournal.core.importers.vcard import card_to_record
from netjournal.core.journal import PersonData

Fields = dict[str, Any]

SCALARS = ("name", "given_name", "family_name", "nickname", "organisation", "role", "birthday", "photo")
LISTS = ("emails", "phones", "urls", "addresses")
FIELDS = SCALARS + LISTS
_ADDRESS_KEYS = ("label", "street", "locality", "region", "postcode", "country")
# The vCard properties each field is written to (replaced only when the field changed).
_PROPS = {
    "name": ("fn",),
    "given_name": ("n",),
    "family_name": ("n",),
    "nickname": ("nickname",),
    "organisation": ("org",),
    "role": ("title",),
    "birthday": ("bday",),
    "photo": ("photo",),
    "emails": ("email",),
    "phones": ("tel",),
    "urls": ("url",),
    "addresses": ("adr",),
}


class BadCard(Exception):
    """A server card that cannot be read (message: why, in plain words)."""


def photo_key(photo: bytes | None) -> str:
    return hashlib.sha256(photo).hexdigest()[:24] if photo else ""


def _points(kind: str, values: list[tuple[str, str]]) -> list[list[str]]:
    out: list[list[str]] = []
    seen: set[str] = set()
    for label, value in values:
        value = clean_text(value).strip()
        norm = normalize_point(kind, value)
        if value and norm not in seen:
            seen.add(norm)
            out.append([label or "", value])
    return out


def _birthday(data: PersonData) -> str:
    for d in data.dates:
        if d.get("kind") == "birthday":
            year = d.get("year")
            return f"{year:04d}-{d['month']:02d}-{d['day']:02d}" if year else f"--{d['month']:02d}-{d['day']:02d}"
    return ""


def fields_of(data: PersonData, photo: bytes | None) -> Fields:
    """The card fields of a person (or of a card read into PersonData), in one comparable form."""
    return {
        "name": clean_text(data.name),
        "given_name": clean_text(data.given_name),
        "family_name": clean_text(data.family_name),
        "nickname": clean_text(data.nickname),
        "organisation": clean_text(data.organisation),
        "role": clean_text(data.role),
        "birthday": _birthday(data),
        "photo": photo_key(photo),
        "emails": _points("email", data.emails),
        "phones": _points("phone", data.phones),
        "urls": _points("url", data.urls),
        "addresses": [
            [a.get(k, "") or "" for k in _ADDRESS_KEYS]
            for a in data.addresses
            if any((a.get(k) or "").strip() for k in _ADDRESS_KEYS[1:])
        ],
    }


def read_card(text: str) -> tuple[PersonData, bytes | None, str]:
    """(data, photo, UID) of one server card; BadCard when it cannot be read or is no person."""
    try:
        card = vobject.readOne(text, ignoreUnreadable=False)
    except Exception as exc:  # vobject raises several types for malformed input
        raise BadCard(f"the card cannot be read ({str(exc).strip() or type(exc).__name__})") from exc
    if card.name.upper() != "VCARD":
        raise BadCard("it is not a vCard")
    try:
        record = card_to_record(card, 1, 1)
    except Exception as exc:
        raise BadCard(f"the card cannot be read ({exc})") from exc
    if isinstance(record, BadRecord):
        raise BadCard(record.reason)
    if not isinstance(record, PersonRecord):
        raise BadCard(getattr(record, "reason", "it is not a person"))
    uid = record.data.source_uid or ""
    return record.data, record.photo, uid


def card_label(text: str, href: str) -> str:
    """A name for a card in a report, even when it cannot be read."""
    for line in text.splitlines():
        if line.upper().startswith("FN:") and line[3:].strip():
            return line[3:].strip()[:80]
    return href.rstrip("/").rsplit("/", 1)[-1]


# ---------------------------------------------------------------------------------------- merging


def merge(
    base: Fields | None, local: Fields, remote: Fields, pending: dict[str, Any]
) -> tuple[Fields, Fields, dict[str, Any]]:
    """Three-way merge: (what the journal keeps, what the server gets, the open conflicts).

    A field only one side changed takes that side's value. Both sides changed a list (e-mails,
    phones, ...): both values are kept. Both changed a single value differently: the journal keeps
    its own, the server keeps its own, and the field is a choice for the user (`pending`) until they
    make it. With no base (a first link), a value only one side has fills the other.
    """
    keep, send, conflicts = dict(local), dict(remote), dict(pending)
    for f in FIELDS:
        lv, rv = local.get(f), remote.get(f)
        if lv == rv:
            conflicts.pop(f, None)
            continue
        bv = base.get(f) if base is not None else None
        if f in conflicts:  # still waiting for the user: both sides keep theirs
            conflicts[f] = [lv, rv]
            continue
        if base is not None and lv == bv:
            keep[f] = send[f] = rv
        elif base is not None and rv == bv:
            keep[f] = send[f] = lv
        elif f in LISTS:
            both = list(lv or []) + [x for x in (rv or []) if x not in (lv or [])]
            keep[f] = send[f] = both
        elif not lv:
            keep[f] = send[f] = rv
        elif not rv:
            keep[f] = send[f] = lv
        else:
            keep[f], send[f] = lv, rv
            conflicts[f] = [lv, rv]
    return keep, send, conflicts


def apply_fields(data: PersonData, fields: Fields) -> None:
    """Put card fields into a person's data (photo excepted: it is bytes, set by the caller)."""
    for f in ("name", "given_name", "family_name", "nickname", "organisation", "role"):
        setattr(data, f, fields.get(f) or "")
    data.emails = [(lbl, v) for lbl, v in fields.get("emails") or []]
    data.phones = [(lbl, v) for lbl, v in fields.get("phones") or []]
    data.urls = [(lbl, v) for lbl, v in fields.get("urls") or []]
    data.addresses = [dict(zip(_ADDRESS_KEYS, a, strict=False)) for a in fields.get("addresses") or []]
    others = [d for d in data.dates if d.get("kind") != "birthday"]
    bday = fields.get("birthday") or ""
    if bday:
        year = None if bday.startswith("--") else int(bday[:4])
        month, day = int(bday[-5:-3]), int(bday[-2:])
        others.insert(0, {"kind": "birthday", "label": "", "month": month, "day": day, "year": year})
    data.dates = others


# -------------------------------------------------------------------------------------- writing


def _typed(line: Any, label: str) -> None:
    if label and label.replace("-", "").replace(" ", "").isalnum():
        line.type_param = label.replace(" ", "-")


# Properties of one text value: (vCard property, field, the value vobject takes).
_SINGLE: tuple[tuple[str, str, Callable[[str], Any]], ...] = (
    ("nickname", "nickname", str),
    ("org", "organisation", lambda v: [v]),
    ("title", "role", str),
    ("bday", "birthday", str),
)
# Properties of labelled values, one line each: (field, vCard property).
_LABELLED = (("emails", "email"), ("phones", "tel"), ("urls", "url"))


def write_card(fields: Fields, uid: str, photo: bytes | None, old_text: str = "") -> str:
    """The vCard to PUT: the server's card (old_text) with the fields that differ replaced, or a new card."""
    card, old = _card_to_edit(old_text, uid)
    changed = [f for f in FIELDS if old is None or old.get(f) != fields.get(f)]
    props = set(p for f in changed for p in _PROPS[f])
    for prop in props:
        card.contents.pop(prop, None)
    # vCard 3.0 requires FN and N: written when their fields changed, or when the server's card had none.
    if "fn" not in card.contents:
        card.add("fn").value = fields["name"]
    if "n" not in card.contents:
        card.add("n").value = vobject.vcard.Name(family=fields["family_name"], given=fields["given_name"])
    for prop, f, value in _SINGLE:
        if prop in props and fields[f]:
            card.add(prop).value = value(fields[f])
    if "photo" in props and photo:
        line = card.add("photo")
        line.value = photo
        line.encoding_param = "b"
        line.type_param = "PNG" if photo.startswith(b"\x89PNG") else "JPEG"
    for f, prop in _LABELLED:
        for label, value in fields[f] if prop in props else []:
            line = card.add(prop)
            line.value = value
            _typed(line, label)
    for a in fields["addresses"] if "adr" in props else []:
        label, street, locality, region, postcode, country = (list(a) + [""] * 6)[:6]
        line = card.add("adr")
        line.value = vobject.vcard.Address(street=street, city=locality, region=region, code=postcode, country=country)
        _typed(line, label)
    return str(card.serialize())


def _card_to_edit(old_text: str, uid: str) -> tuple[Any, Fields | None]:
    """The server's card and its fields, or a new card (and None) when there is none or it cannot be read."""
    card, old = None, None
    if old_text:
        try:
            data, old_photo, _ = read_card(old_text)
            card, old = vobject.readOne(old_text), fields_of(data, old_photo)
        except Exception:  # BadCard, or what vobject raises: a new card replaces it
            card, old = None, None
    if card is None:
        card = vobject.vCard()
        card.add("uid").value = uid
    if "version" not in card.contents:
        card.add("version").value = "3.0"
    return card, old
