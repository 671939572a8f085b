"""Contact CSV files: LinkedIn Connections.csv, Google (legacy and current), Outlook, Thunderbird.

The layout is recognised from the header row; columns are matched by name (case-insensitive), so
reordered or partial exports work. A header with none of the columns we know is an error, not a
silent import of nothing.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from netjournal.core.identity import clean_uid
from netjournal.core.importers.base import (
    BadRecord,
    ImportProblem,
    PersonRecord,
    Record,
    SkipRecord,
    clean,
    read_back_fields,
)
from netjournal.core.journal import PersonData
from netjournal.core.text import csv_uncell

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
    "e-mail address",
    "e-mail 2 address",
    "e-mail 3 address",
    "email address",
    "email",
    "e-mail",
    "primary email",
    "secondary email",
    "email 2 address",
    "email 3 address",
)
PHONE_COLS = {
    "mobile phone": "mobile",
    "mobile number": "mobile",
    "primary phone": "",
    "business phone": "work",
    "business phone 2": "work",
    "home phone": "home",
    "home phone 2": "home",
    "work phone": "work",
    "other phone": "other",
    "company main phone": "work",
    "car phone": "car",
    "phone": "",
    "phone number": "",
}
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
        "business street",
        "business street 2",
        "business city",
        "business state",
        "business postal code",
        "business country/region",
    ),
}
THUNDERBIRD_ADDRESS = {
    "home": ("home address", "home address 2", "home city", "home state", "home zipcode", "home country"),
    "work": ("work address", "work address 2", "work city", "work state", "work zipcode", "work country"),
}
# Classic Outlook writes its column names in the language of Office. Each localised name (lower case)
# maps to the English column it stands for; names shared with English (Notes, Position) need none.
LOCALISED: dict[str, dict[str, str]] = {
    "German": {
        "vorname": "first name",
        "weitere vornamen": "middle name",
        "nachname": "last name",
        "anzeigename": "display name",
        "spitzname": "nickname",
        "firma": "company",
        "organisation": "company",
        "position": "job title",
        "e-mail-adresse": "e-mail address",
        "e-mail 2: adresse": "e-mail 2 address",
        "e-mail 3: adresse": "e-mail 3 address",
        "mobiltelefon": "mobile phone",
        "haupttelefon": "primary phone",
        "telefon geschäftlich": "business phone",
        "telefon geschäftlich 2": "business phone 2",
        "telefon privat": "home phone",
        "telefon privat 2": "home phone 2",
        "weiteres telefon": "other phone",
        "autotelefon": "car phone",
        "notizen": "notes",
        "kategorien": "categories",
        "geburtstag": "birthday",
        "webseite": "web page",
        "straße geschäftlich": "business street",
        "ort geschäftlich": "business city",
        "region geschäftlich": "business state",
        "postleitzahl geschäftlich": "business postal code",
        "land geschäftlich": "business country/region",
        "straße privat": "home street",
        "ort privat": "home city",
        "region privat": "home state",
        "postleitzahl privat": "home postal code",
        "land privat": "home country/region",
    },
    "French": {
        "prénom": "first name",
        "deuxième prénom": "middle name",
        "nom": "last name",
        "nom à afficher": "display name",
        "surnom": "nickname",
        "société": "company",
        "profession": "job title",
        "adresse de messagerie": "e-mail address",
        "adresse de messagerie 2": "e-mail 2 address",
        "adresse de messagerie 3": "e-mail 3 address",
        "tél. mobile": "mobile phone",
        "téléphone principal": "primary phone",
        "téléphone (bureau)": "business phone",
        "téléphone 2 (bureau)": "business phone 2",
        "téléphone (domicile)": "home phone",
        "téléphone 2 (domicile)": "home phone 2",
        "téléphone (autre)": "other phone",
        "téléphone (voiture)": "car phone",
        "catégories": "categories",
        "anniversaire": "birthday",
        "page web": "web page",
        "rue (bureau)": "business street",
        "ville (bureau)": "business city",
        "dép/région (bureau)": "business state",
        "code postal (bureau)": "business postal code",
        "pays/région (bureau)": "business country/region",
        "rue (domicile)": "home street",
        "ville (domicile)": "home city",
        "dép/région (domicile)": "home state",
        "code postal (domicile)": "home postal code",
        "pays/région (domicile)": "home country/region",
    },
    "Spanish": {
        "nombre": "first name",
        "segundo nombre": "middle name",
        "apellidos": "last name",
        "nombre en pantalla": "display name",
        "apodo": "nickname",
        "organización": "company",
        "compañía": "company",
        "puesto": "job title",
        "dirección de correo electrónico": "e-mail address",
        "dirección de correo electrónico 2": "e-mail 2 address",
        "dirección de correo electrónico 3": "e-mail 3 address",
        "dirección del correo electrónico 2": "e-mail 2 address",
        "dirección del correo electrónico 3": "e-mail 3 address",
        "teléfono móvil": "mobile phone",
        "teléfono principal": "primary phone",
        "teléfono del trabajo": "business phone",
        "particular": "home phone",
        "otro teléfono": "other phone",
        "notas": "notes",
        "categorías": "categories",
        "cumpleaños": "birthday",
        "página web": "web page",
        "calle del trabajo": "business street",
        "ciudad de trabajo": "business city",
        "provincia o estado de trabajo": "business state",
        "código postal del trabajo": "business postal code",
        "país o región del trabajo": "business country/region",
        "país o región del domicilio": "home country/region",
    },
}
# Words that mark a header as Outlook's in that language even when they would also be English ("Notes").
_MARKERS = {
    lang: {k for k in names if k not in ("position", "organisation", "particular")} for lang, names in LOCALISED.items()
}

KNOWN = (
    set(NAME_COLS + GIVEN_COLS + FAMILY_COLS + EMAIL_COLS + ORG_COLS + ROLE_COLS)
    | set(PHONE_COLS)
    | {"connected on", "primary email"}
)


# The columns only netjournal's own CSV export has (see exporters.CSV_COLUMNS).
NETJOURNAL_COLS = {"how we met", "circle", "family", "occupation", "recreation", "dreams"}
NETJOURNAL_LAYOUT = "netjournal export"


def layout_name(cols: set[str]) -> str:
    if cols >= NETJOURNAL_COLS:
        return NETJOURNAL_LAYOUT
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


def _column(name: str, language: str | None) -> str:
    """A header cell as the English column name we match on."""
    key = name.strip().strip('"').strip().lower()
    return LOCALISED[language].get(key, key) if language else key


def _language(cells: list[str]) -> str | None:
    """The language of Outlook's localised column names in this header, or None for English."""
    keys = {c.strip().strip('"').strip().lower() for c in cells}
    best = max(LOCALISED, key=lambda lang: len(keys & _MARKERS[lang]))
    return best if len(keys & _MARKERS[best]) >= 2 else None


def _header_columns(line: str) -> tuple[set[str], str | None]:
    cells = line.split(_sniff_delimiter(line))
    language = _language(cells)
    return {_column(c, language) for c in cells}, language


def _find_header(path: Path, lines: list[str]) -> int:
    """The index of the header row: the first line naming a column we know (skips LinkedIn's 'Notes:')."""
    for i, line in enumerate(lines[:20]):
        if not line.strip():
            continue
        cols, _language = _header_columns(line)
        if cols & KNOWN or any(_NUMBERED.match(c) for c in cols):
            return i
    first = next((ln for ln in lines if ln.strip()), "")[:120]
    raise ImportProblem(
        path,
        f"this CSV has columns netjournal does not recognise ({first!r}). Export your contacts from LinkedIn, "
        "Google, Outlook or Thunderbird, or rename the columns to e.g. 'First Name,Last Name,E-mail Address'.",
        line=1,
    )


def _lines_from(text: str, first: int) -> Iterator[str]:
    """The lines of `text` from line index `first`, each with its "\\n", one at a time (no copy of the file)."""
    start, index = 0, 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end + 1
        if index >= first:
            yield text[start:end]
        start, index = end, index + 1


def parse_csv(path: Path, text: str) -> Iterator[Record]:
    head = text[:200_000].split("\n")[:21]
    header_index = _find_header(path, head)
    delim = _sniff_delimiter(head[header_index])
    reader = csv.reader(_lines_from(text, header_index), delimiter=delim, strict=True)
    try:
        cells = next(reader)
        language = _language(cells)
        header = [_column(h, language) for h in cells]
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
            why = f"this row has {len(row)} fields but the header has {len(header)}; is it the same layout?"
            yield BadRecord(record, line, f"row {record}", why)
            continue
        values = {h: row[i].strip() if i < len(row) else "" for i, h in enumerate(header) if h}
        if layout == NETJOURNAL_LAYOUT:  # our own export: take off the ' that kept formulas from running
            values = {h: csv_uncell(v) for h, v in values.items()}
        yield _row_to_record(values, layout, record, line)


def _get(values: dict[str, str], names: tuple[str, ...]) -> str:
    for n in names:
        if values.get(n):
            return values[n]
    return ""


def _row_to_record(values: dict[str, str], layout: str, record: int, line: int) -> Record:  # noqa: C901  (a table: one branch per column family of the export)
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
            data.addresses.append(
                {
                    "label": label,
                    "street": street,
                    "locality": parts.get("city", ""),
                    "region": parts.get("region", ""),
                    "postcode": parts.get("postal code", ""),
                    "country": parts.get("country", ""),
                }
            )
    groups = THUNDERBIRD_ADDRESS if layout.startswith("Thunderbird") else ADDRESS_GROUPS
    for label, names in groups.items():
        _address(data, values, label, names)

    birthday = _parse_date(_get(values, BIRTHDAY_COLS))
    if birthday is None and values.get("birth month") and values.get("birth day"):
        year = values.get("birth year", "")
        birthday = _parse_date(f"{year or '--'}-{values['birth month']}-{values['birth day']}")
    if birthday:
        data.dates.append(birthday)
    own = layout == NETJOURNAL_LAYOUT
    if own:
        read_back_fields(data, {f: values.get(col, "") for col, f in NETJOURNAL_FIELDS.items()})
    for col in TAG_COLS:
        for tag in re.split(r" ::: " if own else r" ::: |;|,", values.get(col, "")):
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


# netjournal's own CSV columns and the PersonData fields they hold.
NETJOURNAL_FIELDS = {
    "how we met": "how_met",
    "met on": "met_on",
    "circle": "circle",
    "cadence (days)": "cadence_days",
    "status": "status",
    "family": "ford_family",
    "occupation": "ford_occupation",
    "recreation": "ford_recreation",
    "dreams": "ford_dreams",
}


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
