"""What every importer shares: the problem type, decoded text, and the records parsers produce."""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Literal

from netjournal.core.errors import NetjournalError
from netjournal.core.journal import PersonData
from netjournal.core.models import CIRCLES, Channel, InteractionState, PersonStatus


class ImportProblem(NetjournalError):
    """A file (or one record in it) cannot be imported. Nothing from the import was kept."""

    def __init__(self, path: Path | str, why: str, *, record: int | None = None, line: int | None = None) -> None:
        where = str(path)
        if record is not None:
            where += f", record {record}"
        if line is not None:
            where += f" (line {line})"
        super().__init__(f"{where}: {why} Nothing was imported.")
        self.path = Path(path)
        self.record = record
        self.line = line
        self.why = why


@dataclass
class PersonRecord:
    """One contact read from a file."""

    record: int
    line: int
    data: PersonData
    photo: bytes | None = None


@dataclass
class EventRecord:
    """One calendar event read from a file."""

    record: int
    line: int
    uid: str
    at: datetime
    title: str
    state: InteractionState
    channel: Channel = Channel.OTHER
    location: str = ""
    notes: str = ""
    duration_min: int | None = None
    emails: list[str] = field(default_factory=list)  # organizer and attendees


@dataclass
class SkipRecord:
    """A record that is read fine but is not something to import (with the reason why)."""

    record: int
    line: int
    label: str
    reason: str


Record = PersonRecord | EventRecord | SkipRecord
Format = Literal["vcard", "ics", "csv"]

_NEWLINES = re.compile(r"\r*\n|\r")


def decode_text(path: Path, raw: bytes) -> str:
    """Bytes to text: UTF-8 (with or without BOM) or UTF-16; anything else is a clear problem.

    Line endings become "\\n" (CRLF, and the CRCRLF some Windows tools write).
    """
    if not raw.strip():
        raise ImportProblem(path, "the file is empty.")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    elif raw[:2000].count(b"\x00") > len(raw[:2000]) // 4:  # UTF-16 without a byte order mark
        encoding = "utf-16-le" if raw[1:2] == b"\x00" else "utf-16-be"
    else:
        encoding = "utf-8-sig"
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ImportProblem(
            path,
            f"this is not UTF-8 text (byte {raw[exc.start]:#04x} at line {line}); "
            "it may be a binary file, or text saved in another encoding. "
            "Export it again as UTF-8, or open it in a text editor and save it as UTF-8.",
        ) from exc
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise ImportProblem(path, f"the file holds binary data (a NUL character at line {line}).")
    return _NEWLINES.sub("\n", text)


def detect_format(path: Path, text: str) -> Format:
    """vCard, iCalendar or CSV, judged by the content (the extension is only a hint)."""
    head = text.lstrip()[:4000]
    first = head.split("\n", 1)[0].strip().upper()
    if first.startswith("BEGIN:VCARD"):
        return "vcard"
    if first.startswith("BEGIN:VCALENDAR"):
        return "ics"
    lines = [ln for ln in head.split("\n")[:12] if ln.strip()]
    if any(ln.count(",") + ln.count(";") + ln.count("\t") >= 1 for ln in lines):
        return "csv"
    raise ImportProblem(
        path,
        "this is not a file netjournal can import: expected a vCard (.vcf), an iCalendar file (.ics) "
        "or a contacts CSV (LinkedIn, Google, Outlook, Thunderbird).",
    )


# What netjournal knows about a person beyond the standard vCard properties, as the X- properties its
# vCard export writes and its importer reads back (other apps keep or ignore them).
X_PROPERTIES = {
    "how_met": "x-netjournal-how-met",
    "met_on": "x-netjournal-met-on",
    "circle": "x-netjournal-circle",
    "cadence_days": "x-netjournal-cadence-days",
    "status": "x-netjournal-status",
    "ford_family": "x-netjournal-ford-family",
    "ford_occupation": "x-netjournal-ford-occupation",
    "ford_recreation": "x-netjournal-ford-recreation",
    "ford_dreams": "x-netjournal-ford-dreams",
}


def read_back_fields(data: PersonData, values: dict[str, str]) -> None:
    """Fields only netjournal's own exports carry (how you met, circle, cadence, status, FORD notes),
    keyed by PersonData field name; a value that does not make sense is left out, not guessed."""
    for name in ("how_met", "ford_family", "ford_occupation", "ford_recreation", "ford_dreams"):
        if values.get(name):
            setattr(data, name, values[name])
    with contextlib.suppress(ValueError):
        data.met_on = date.fromisoformat(values.get("met_on", ""))
    circle = values.get("circle", "")
    if circle.isascii() and circle.isdigit() and int(circle) in CIRCLES:
        data.circle = int(circle)
    cadence = values.get("cadence_days", "")
    if cadence.isascii() and cadence.isdigit() and 1 <= int(cadence) <= 3650:
        data.cadence_days = int(cadence)
    with contextlib.suppress(ValueError):
        data.status = PersonStatus(values.get("status") or "active")


def clean(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return " ".join(clean(v) for v in value if clean(v))
    return " ".join(str(value).replace("\x00", "").split()) if "\n" not in str(value) else str(value).strip()
