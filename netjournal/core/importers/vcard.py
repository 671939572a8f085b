"""vCard 2.1 / 3.0 / 4.0 contacts, parsed with `vobject`.

vobject handles folding, escaping and the 3.0/4.0 grammar; before it sees a card we split the file
into cards (so an error names the card and its line) and decode vCard 2.1 quoted-printable values
ourselves, because exporters fold them with "=" soft line breaks that vobject does not accept.
"""

from __future__ import annotations

import base64
import binascii
import quopri
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import vobject

from netjournal.core.identity import clean_uid
from netjournal.core.importers.base import (
    X_PROPERTIES,
    BadRecord,
    ImportProblem,
    PersonRecord,
    Record,
    SkipRecord,
    clean,
    read_back_fields,
)
from netjournal.core.journal import PersonData

_BEGIN = re.compile(r"^BEGIN:VCARD\s*$", re.IGNORECASE)
_END = re.compile(r"^END:VCARD\s*$", re.IGNORECASE)
_QP = re.compile(r"(^|;)\s*(ENCODING=)?QUOTED-PRINTABLE\s*(?=;|$)", re.IGNORECASE)
_CHARSET = re.compile(r";\s*CHARSET=([^;:]+)", re.IGNORECASE)
_DATE = re.compile(r"^\s*(\d{4}|--|-)-?(\d{2})-?(\d{2})")
_SKIP_TAGS = {"mycontacts", "starred"}
_LABEL_NOISE = {"internet", "pref", "voice", "x400", "msg", "type", "intl", "postal", "parcel", "dom"}
# Characters that only a Central European legacy code page (windows-1250) gives as letters.
_CE_LETTERS = set("ąćęłńśźżĄĆĘŁŃŚŹŻčďěňřšťůžČĎĚŇŘŠŤŮŽőűŐŰ")
MAX_PHOTO_BYTES = 2_000_000


# The longest property (after unfolding) read from a card. A photo of MAX_PHOTO_BYTES is about 2.7 MB in
# base64; anything longer is not a contact detail, and a huge property made vobject use gigabytes.
MAX_PROPERTY_CHARS = 4 * 1024 * 1024
_BINARY = re.compile(r"^([A-Za-z0-9-]+\.)?(PHOTO|LOGO|SOUND|KEY)[;:]", re.IGNORECASE)


def _lines(text: str) -> Iterator[str]:
    """The lines of `text` one by one (no list of a 50 MB file's lines in memory at once)."""
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        if end < 0:
            end = len(text)
        yield text[start:end]
        start = end + 1


@dataclass
class Card:
    record: int
    line: int
    lines: list[str]
    problem: str = ""  # why the card cannot be read (then it is a bad record)
    note: str = ""  # something left out of it (a property too large to keep)


def split_cards(path: Path, text: str) -> Iterator[Card]:
    """Each BEGIN:VCARD ... END:VCARD block, with its record number and first line number.

    A property longer than MAX_PROPERTY_CHARS is never kept: a photo (or logo, sound, key) is left out
    with a note; any other property makes the card a bad record.
    """
    current: Card | None = None
    record = 0
    prop_len = 0
    prop_head, prop_line = "", 0
    dropping = False
    for lineno, line in enumerate(_lines(text), start=1):
        if current is None:
            if _BEGIN.match(line.strip()):
                record += 1
                current, prop_len, dropping = Card(record, lineno, [line.strip()]), 0, False
            elif line.strip():
                raise ImportProblem(
                    path,
                    f"text outside any card ({line.strip()[:40]!r}); the file is damaged or not a vCard file.",
                    record=record + 1,
                    line=lineno,
                )
            continue
        if _BEGIN.match(line.strip()):
            current.problem = "this card has no END:VCARD before the next card begins."
            yield current
            record += 1
            current, prop_len, dropping = Card(record, lineno, [line.strip()]), 0, False
            continue
        line = line.rstrip("\r")
        continued = line[:1] in (" ", "\t")
        prop_len = prop_len + len(line) if continued else len(line)
        if not continued:
            dropping = False
            prop_head, prop_line = line[:200], lineno
        if prop_len > MAX_PROPERTY_CHARS and not dropping:
            dropping = True
            head = prop_head
            limit = f"{MAX_PROPERTY_CHARS // (1024 * 1024)} MB"
            binary = _BINARY.match(head)
            if binary:
                current.note = f"{binary.group(2).lower()} left out (larger than {limit})"
            elif not current.problem:
                name = _split_property(head)[0].split(";")[0][:40]
                current.problem = (
                    f"the {name} property at line {prop_line} is larger than {limit}, the most netjournal reads."
                )
            if continued:
                _drop_last_property(current.lines)
        if dropping:
            continue
        current.lines.append(line.rstrip("\r"))
        if _END.match(line.strip()):
            yield current
            current = None
    if current is not None:
        raise ImportProblem(
            path, "this card has no END:VCARD; the file looks cut short.", record=current.record, line=current.line
        )


def _drop_last_property(lines: list[str]) -> None:
    """Remove the (folded) property at the end of `lines`."""
    while lines and lines[-1][:1] in (" ", "\t"):
        lines.pop()
    if lines:
        lines.pop()


def _split_property(line: str) -> tuple[str, str]:
    """'NAME;PARAMS' and the value, split at the first colon outside quotes."""
    quoted = False
    for i, ch in enumerate(line):
        if ch == '"':
            quoted = not quoted
        elif ch == ":" and not quoted:
            return line[:i], line[i + 1 :]
    return line, ""


def _decode_bytes(data: bytes, charset: str | None) -> str:
    if charset:
        try:
            return data.decode(charset.strip().strip('"'))
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # No usable charset: guess between the two common Windows code pages.
    central = data.decode("cp1250", errors="replace")
    if any(ch in _CE_LETTERS for ch in central):
        return central
    return data.decode("cp1252", errors="replace")


def _escape(value: str, structured: bool) -> str:
    value = value.replace("\\", "\\\\").replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    if not structured:
        value = value.replace(";", "\\;").replace(",", "\\,")
    return value


def decode_quoted_printable(lines: list[str]) -> list[str]:
    """Rewrite vCard 2.1 quoted-printable properties as plain (escaped) vCard 3.0 lines."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        head, value = _split_property(line)
        if (not value and ":" not in line) or not _QP.search(head.split(";", 1)[1] if ";" in head else ""):
            out.append(line)
            continue
        while value.endswith("=") and i < len(lines):  # soft line break
            value = value[:-1] + lines[i]
            i += 1
        charset_match = _CHARSET.search(head)
        head = _CHARSET.sub("", head)
        name, _, params = head.partition(";")
        params = _QP.sub(r"\1", params).strip(";")
        params = re.sub(r";;+", ";", params)
        decoded = _decode_bytes(quopri.decodestring(value.encode("utf-8")), charset_match and charset_match.group(1))
        structured = name.split(".")[-1].upper() in {"N", "ADR", "ORG", "LABEL"}
        out.append(f"{name}{';' + params if params else ''}:{_escape(decoded, structured)}")
    return out


def _params(line: Any, key: str) -> list[str]:
    values: list[str] = []
    for v in line.params.get(key, []):
        values.extend(p.strip().lower() for p in str(v).split(","))
    # vCard 2.1 bare parameters ("TEL;WORK;VOICE") arrive as singletons.
    values.extend(str(p).lower() for p in line.singletonparams)
    return values


def _label(line: Any, group_labels: dict[str, str]) -> str:
    if line.group and line.group.lower() in group_labels:
        return group_labels[line.group.lower()]
    for t in _params(line, "TYPE"):
        if t and t not in _LABEL_NOISE:
            return {"cell": "mobile"}.get(t, t)
    return ""


def _text(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(_text(v) for v in value if _text(v))
    return str(value or "").strip()


def _parse_date(value: Any, kind: str, label: str = "") -> dict[str, Any] | None:
    m = _DATE.match(str(value or ""))
    if not m:
        return None
    year = None if m.group(1) in ("--", "-") else int(m.group(1))
    month, day = int(m.group(2)), int(m.group(3))
    if year is not None and year < 1800:  # placeholder years (1604 in Apple exports) mean "unknown"
        year = None
    try:
        date(year or 2000, month, day)  # 2000: a leap year, so 29 February without a year is fine
    except ValueError:
        return None
    return {"kind": kind, "label": label, "month": month, "day": day, "year": year}


def _first(card: Any, name: str) -> Any:
    lines = card.contents.get(name, [])
    plain = [ln for ln in lines if "LANGUAGE" not in ln.params]
    return (plain or lines or [None])[0]


def _photo(card: Any) -> bytes | None:
    line = _first(card, "photo")
    if line is None:
        return None
    value = line.value
    if isinstance(value, bytes):
        data = value
    else:
        text = re.sub(r"\s+", "", str(value))
        if not text or text.lower().startswith(("http:", "https:", "data:", "file:")):
            return None
        try:
            data = base64.b64decode(text, validate=False)
        except (binascii.Error, ValueError):
            return None
    return data or None


def _netjournal_properties(card: Any, data: PersonData) -> None:
    """The X-NETJOURNAL-... lines netjournal's own vCard export writes (see exporters.X_PROPERTIES)."""
    values: dict[str, str] = {}
    for field_name, prop in X_PROPERTIES.items():
        line = _first(card, prop)
        if line is not None:
            values[field_name] = _text(line.value)
    read_back_fields(data, values)


def card_to_record(card: Any, record: int, line: int) -> Record:  # noqa: C901  (a table: one branch per vCard property)
    kind = _text(getattr(_first(card, "kind"), "value", "")).lower()
    show_as = _text(getattr(_first(card, "x-abshowas"), "value", "")).upper()
    fn_line = _first(card, "fn")
    fn = clean(_text(fn_line.value)) if fn_line is not None else ""
    if kind in ("group", "location", "org") or show_as == "COMPANY":
        what = {"group": "a group", "location": "a place"}.get(kind, "an organisation")
        label = fn or _text(getattr(_first(card, "org"), "value", "")) or f"card {record}"
        return SkipRecord(record, line, label, f"this card describes {what}, not a person")

    group_labels: dict[str, str] = {}
    for ln in card.contents.get("x-ablabel", []):
        text = re.sub(r"^_\$!<(.*)>!\$_$", r"\1", _text(ln.value)).strip()
        if ln.group and text:
            group_labels[ln.group.lower()] = text.lower()

    data = PersonData(name="")
    n_line = _first(card, "n")
    if n_line is not None and hasattr(n_line.value, "given"):
        n = n_line.value
        data.given_name = clean(n.given)
        data.family_name = clean(n.family)
        if not fn:
            fn = clean(" ".join(clean(x) for x in (n.prefix, n.given, n.additional, n.family, n.suffix) if clean(x)))
    nick = _first(card, "nickname")
    if nick is not None:
        data.nickname = _text(nick.value).split(",")[0].strip()
    org = _first(card, "org")
    if org is not None:
        parts = org.value if isinstance(org.value, list) else [org.value]
        data.organisation = clean(next((p for p in parts if clean(p)), ""))
    title = _first(card, "title") or _first(card, "role")
    if title is not None:
        data.role = clean(_text(title.value))

    for ln in card.contents.get("email", []):
        value = _text(ln.value).removeprefix("mailto:")
        if value:
            data.emails.append((_label(ln, group_labels), value))
    for ln in card.contents.get("tel", []):
        value = _text(ln.value).removeprefix("tel:")
        if value:
            data.phones.append((_label(ln, group_labels), value))
    for ln in card.contents.get("url", []):
        value = _text(ln.value).replace("\\:", ":")
        if value:
            data.urls.append((_label(ln, group_labels), value))
    for ln in card.contents.get("adr", []):
        a = ln.value
        if not hasattr(a, "street"):
            continue
        street = "\n".join(x for x in (_text(a.box), _text(a.extended), _text(a.street)) if x)
        data.addresses.append(
            {
                "label": _label(ln, group_labels),
                "street": street,
                "locality": _text(a.city),
                "region": _text(a.region),
                "postcode": _text(a.code),
                "country": _text(a.country),
            }
        )
    bday = _first(card, "bday")
    if bday is not None and (d := _parse_date(bday.value, "birthday")):
        data.dates.append(d)
    for key in ("anniversary", "x-anniversary", "x-wab-wedding_anniversary", "x-evolution-anniversary"):
        ln = _first(card, key)
        if ln is not None and (d := _parse_date(ln.value, "anniversary")):
            data.dates.append(d)
            break
    for ln in card.contents.get("x-abdate", []):
        label = group_labels.get((ln.group or "").lower(), "")
        kind_ = "anniversary" if label == "anniversary" else "other"
        if (d := _parse_date(ln.value, kind_, "" if kind_ == "anniversary" else label)) and d not in data.dates:
            data.dates.append(d)
    notes = [_text(ln.value) for ln in card.contents.get("note", []) if _text(ln.value)]
    data.notes = "\n".join(notes)
    for ln in card.contents.get("categories", []):
        values = ln.value if isinstance(ln.value, list) else str(ln.value).split(",")
        data.tags.extend(t.strip() for t in values if t.strip() and t.strip().lower() not in _SKIP_TAGS)
    _netjournal_properties(card, data)
    uid = _first(card, "uid")
    if uid is not None:
        data.source_uid = clean_uid(_text(uid.value))

    if not fn:
        fn = data.nickname or (data.emails[0][1] if data.emails else "") or (data.phones[0][1] if data.phones else "")
    if not fn:
        return SkipRecord(record, line, f"card {record}", "the card has no name, e-mail address or phone number")
    data.name = fn[:300]
    photo = _photo(card)
    if photo is not None and len(photo) > MAX_PHOTO_BYTES:
        return PersonRecord(record, line, data, None, f"photo left out (larger than {MAX_PHOTO_BYTES // 1_000_000} MB)")
    return PersonRecord(record, line, data, photo)


def _line_of(card: Card, detail: str) -> int:
    """The file line vobject complains about ("Failed to parse line: X"); its own lineNumber is not reliable."""
    text = detail.partition("line: ")[2].strip()
    if text:
        for i, ln in enumerate(card.lines):
            if ln.strip() == text:
                return card.line + i
    return card.line


def parse_card(card_block: Card) -> Record:
    """One card (as split_cards gives it) read into a record; an unreadable card is a BadRecord naming it."""
    record, line = card_block.record, card_block.line
    if card_block.problem:
        return BadRecord(record, line, f"card {record}", card_block.problem)
    card_text = "\n".join(card_block.lines) + "\n"
    if "QUOTED-PRINTABLE" in card_text.upper():  # vCard 2.1 only; most cards skip the line-by-line rewrite
        card_text = "\n".join(decode_quoted_printable(card_block.lines)) + "\n"
    try:
        card = vobject.readOne(card_text, ignoreUnreadable=False)
    except Exception as exc:  # vobject raises several types for malformed input
        detail = str(exc).strip() or type(exc).__name__
        at = _line_of(card_block, detail)
        return BadRecord(record, at, f"card {record}", f"this card cannot be read ({detail}).")
    try:
        result = card_to_record(card, record, line)
    except Exception as exc:
        return BadRecord(record, line, f"card {record}", f"this card cannot be read ({exc}).")
    if isinstance(result, PersonRecord):
        result.note = "; ".join(x for x in (card_block.note, result.note) if x)
    return result


def parse_vcards(path: Path, text: str) -> Iterator[Record]:
    for card_block in split_cards(path, text):
        yield parse_card(card_block)
