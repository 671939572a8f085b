"""Contact CSV files: LinkedIn Connections.csv, Google (legacy and current), Outlook, Thunderbird.

The layout is recognised from the header row; columns are matched by name (case-insensitive), so
reordered or partial exports work. A header with none of the columns we know is an error, not a
silent import of nothing.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from netjournal.core.identity import clean_uid
from netjournal.core.importers.base import ImportProblem, PersonRecord, Record, SkipRecord, clean
from netjournal.core.journal import PersonData

MULTI = " ::: "  # Google joins several values in one cell with this
_SKIP_TAGS = {"mycontacts", "starred", "* mycontacts", "* starred"}

NAME_COLS = ("name", "display name", "full name", "file as")
GIVEN_COLS = ("first name", "given name")
MIDDLE_COLS = ("middle name", "additional name")
FAMILY_COLS = ("last name", "family name", "surname")
ORG_COLS = ("company", "organization", "organisation", "organization name", "organization 1 - name")
ROLE_COLS = ("job title", "position", "organization title", "organization 1 - title")
NOTE_COLS = ("notes", "note")
TAG_COLS = ("categories", "labels", "group membership")
BIRTHDAY_COLS = ("birthday",)
EMAIL_COLS = (
    "e-mail address", "e-mail 2 address", "e-mail 3 address", "email address", "email", "e-mail",
    "primary email", "secondary email", "email 2 address", "email 3 address",
)  # fmt: skip
PHONE_COLS = {
    "mobile phone": "mobile", "mobile number": "mobile", "primary phone": "", "business phone": "work",
    "business phone 2": "work", "home phone": "home", "home phone 2": "home", "work phone": "work",
    "other phone": "other", "company main phone": "work", "car phone": "car", "phone": "", "phone number": "",
}  # fmt: skip
URL_COLS = {
    "web page": "",
    "web page 1": "",
    "web page 2": "",
    "url": "linkedin",
    "website": "",
    "personal web page": "",
}
_NUMBERED = re.compile(r"^(e-mail|email|phone|website|address|organization) (\d+) - (type|label|value|[a-z ]+)$")
ADDRESS_GROUPS = {
    "home": ("home street", "home street 2", "home city", "home state", "home postal code", "home country/region"),
    "work": (
        "business street", "business street 2", "business city", "business state", "business postal code",
        "business country/region",
    ),
}  # fmt: skip
THUNDERBIRD_ADDRESS = {
    "home": ("home address", "home address 2", "home city", "home state", "home zipcode", "home country"),
    "work": ("work address", "work address 2", "work city", "work state", "work zipcode", "work country"),
}
KNOWN = (
    set(NAME_COLS + GIVEN_COLS + FAMILY_COLS + EMAIL_COLS + ORG_COLS + ROLE_COLS)
    | set(PHONE_COLS)
    | {"connected on", "primary email"}
)


def layout_name(cols: set[str]) -> str:
    if "connected on" in cols or {"url", "position", "company"} <= cols:
        return "LinkedIn connections"
    if "organization name" in cols or "labels" in cols or "e-mail 1 - label" in cols:
        return "Google contacts"
    if "group membership" in cols or "e-mail 1 - value" in cols:
        return "Google contacts (legacy format)"
    if "primary email" in cols or "display name" in cols:
        return "Thunderbird address book"
    if "e-mail address" in cols or "business phone" in cols:
        return "Outlook contacts"
    return "contacts CSV"


def _sniff_delimiter(header: str) -> str:
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: counts[d])


def _split_multi(value: str) -> list[str]:
    return [v.strip() for v in value.split(MULTI) if v.strip()]


def _parse_date(text: str) -> dict[str, Any] | None:
    text = text.strip()
    if not text:
        return None
    m = re.match(r"^(\d{4}|-|--)-?(\d{1,2})-?(\d{1,2})$", text)
    if m:
        year = None if m.group(1).startswith("-") else int(m.group(1))
        month, day = int(m.group(2)), int(m.group(3))
    else:
        for fmt in ("%m/%d/%Y", "%d.%m.%Y", "%d %b %Y", "%d %B %Y", "%B %d, %Y"):
            try:
                d = datetime.strptime(text, fmt).date()
            except ValueError:
                continue
            year, month, day = d.year, d.month, d.day
            break
        else:
            return None
    if year is not None and year < 1800:
        year = None
    try:
        date(year or 2000, month, day)
    except ValueError:
        return None
    return {"kind": "birthday", "label": "", "month": month, "day": day, "year": year}


def _find_header(path: Path, lines: list[str]) -> int:
    """The index of the header row: the first line naming a column we know (skips LinkedIn's 'Notes:')."""
    for i, line in enumerate(lines[:20]):
        if not line.strip():
            continue
        delim = _sniff_delimiter(line)
        cols = {c.strip().strip('"').strip().lower() for c in line.split(delim)}
        if cols & KNOWN or any(_NUMBERED.match(c) for c in cols):
            return i
    first = next((ln for ln in lines if ln.strip()), "")[:120]
    raise ImportProblem(
        path,
        f"this CSV has columns netjournal does not recognise ({first!r}). Export your contacts from LinkedIn, "
        "Google, Outlook or Thunderbird, or rename the columns to e.g. 'First Name,Last Name,E-mail Address'.",
        line=1,
    )


def parse_csv(path: Path, text: str) -> Iterator[Record]:
    lines = text.split("\n")
    header_index = _find_header(path, lines)
    delim = _sniff_delimiter(lines[header_index])
    body = "\n".join(lines[header_index:])
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=delim, strict=True)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except csv.Error as exc:
        raise ImportProblem(path, f"the header row cannot be read ({exc}).", line=header_index + 1) from exc
    cols = set(header)
    layout = layout_name(cols)
    record = 0
    while True:
        line = header_index + reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise ImportProblem(
                path, f"this row cannot be read ({exc}); the file may be cut short.", record=record + 1, line=line
            ) from exc
        if not any(cell.strip() for cell in row):
            continue
        record += 1
        if len(row) > len(header) and any(cell.strip() for cell in row[len(header) :]):
            raise ImportProblem(
                path,
                f"this row has {len(row)} fields but the header has {len(header)}; is it the same layout?",
                record=record,
                line=line,
            )
        values = {h: row[i].strip() if i < len(row) else "" for i, h in enumerate(header) if h}
        yield _row_to_record(values, layout, record, line)


def _get(values: dict[str, str], names: tuple[str, ...]) -> str:
    for n in names:
        if values.get(n):
            return values[n]
    return ""


def _row_to_record(values: dict[str, str], layout: str, record: int, line: int) -> Record:
    data = PersonData(name="")
    data.given_name = clean(_get(values, GIVEN_COLS))
    data.family_name = clean(_get(values, FAMILY_COLS))
    middle = clean(_get(values, MIDDLE_COLS))
    data.nickname = clean(values.get("nickname", ""))
    data.organisation = clean(_get(values, ORG_COLS))
    data.role = clean(_get(values, ROLE_COLS))
    data.notes = _get(values, NOTE_COLS).strip()

    numbered: dict[tuple[str, str], dict[str, str]] = {}
    for key, value in values.items():
        m = _NUMBERED.match(key)
        if m and value:
            numbered.setdefault((m.group(1), m.group(2)), {})[m.group(3)] = value
    for col in EMAIL_COLS:
        for v in _split_multi(values.get(col, "")):
            data.emails.append(("", v))
    for col, label in PHONE_COLS.items():
        for v in _split_multi(values.get(col, "")):
            data.phones.append((label, v))
    for col, label in URL_COLS.items():
        v = values.get(col, "")
        if v:
            data.urls.append((label if layout.startswith("LinkedIn") else "", v))
    for (kind, _n), parts in sorted(numbered.items(), key=lambda kv: (kv[0][0], int(kv[0][1]))):
        label = (parts.get("type") or parts.get("label") or "").replace("*", "").strip().lower()
        label = label.split(MULTI.strip())[0].strip()
        if kind in ("e-mail", "email"):
            data.emails.extend((label, v) for v in _split_multi(parts.get("value", "")))
        elif kind == "phone":
            data.phones.extend((label, v) for v in _split_multi(parts.get("value", "")))
        elif kind == "website":
            data.urls.extend((label, v) for v in _split_multi(parts.get("value", "")))
        elif kind == "organization" and not data.organisation:
            data.organisation = clean(parts.get("name", ""))
            data.role = data.role or clean(parts.get("title", ""))
        elif kind == "address":
            street = parts.get("street", "") or ("" if parts.get("city") else parts.get("formatted", ""))
            data.addresses.append({
                "label": label, "street": street, "locality": parts.get("city", ""),
                "region": parts.get("region", ""), "postcode": parts.get("postal code", ""),
                "country": parts.get("country", ""),
            })  # fmt: skip
    groups = THUNDERBIRD_ADDRESS if layout.startswith("Thunderbird") else ADDRESS_GROUPS
    for label, names in groups.items():
        _address(data, values, label, names)

    birthday = _parse_date(_get(values, BIRTHDAY_COLS))
    if birthday is None and values.get("birth month") and values.get("birth day"):
        year = values.get("birth year", "")
        birthday = _parse_date(f"{year or '--'}-{values['birth month']}-{values['birth day']}")
    if birthday:
        data.dates.append(birthday)
    for col in TAG_COLS:
        for tag in re.split(r" ::: |;|,", values.get(col, "")):
            tag = tag.strip().lstrip("*").strip()
            if tag and tag.lower() not in _SKIP_TAGS and tag.lower() not in ("mycontacts", "starred"):
                data.tags.append(tag)
    if values.get("uid"):  # our own CSV export's column: the person's UID
        data.source_uid = clean_uid(values["uid"])
    if layout.startswith("LinkedIn"):
        connected = values.get("connected on", "")
        data.how_met = f"Connected on LinkedIn ({connected})" if connected else "Connected on LinkedIn"
        if values.get("url"):
            data.source_uid = values["url"][:500]

    name = clean(_get(values, NAME_COLS))
    if not name:
        name = clean(" ".join(x for x in (data.given_name, middle, data.family_name) if x))
    if not name:
        name = data.nickname or (data.emails[0][1] if data.emails else "") or (data.phones[0][1] if data.phones else "")
    if not name:
        why = "the row has no name, e-mail address or phone number"
        if layout.startswith("LinkedIn"):
            why += " (LinkedIn lists members who left or hid their profile this way)"
        return SkipRecord(record, line, f"row {record}", why)
    data.name = name[:300]
    return PersonRecord(record, line, data)


def _address(data: PersonData, values: dict[str, str], label: str, names: tuple[str, ...]) -> None:
    parts = [values.get(n, "") for n in names]
    if not any(parts):
        return
    data.addresses.append(
        {
            "label": label,
            "street": "\n".join(p for p in parts[:2] if p),
            "locality": parts[2],
            "region": parts[3],
            "postcode": parts[4],
            "country": parts[5],
        }
    )
