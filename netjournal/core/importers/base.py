"""What every importer shares: the problem type, decoded text, and the records parsers produce."""

from __future__ import annotations

import contextlib
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

from netjournal.core.errors import NetjournalError
from netjournal.core.journal import PersonData
from netjournal.core.models import CIRCLES, Channel, InteractionState, PersonStatus


class ImportProblem(NetjournalError):
    """A file (or one record in it) cannot be imported. Nothing from the import was kept."""

    def __init__(
        self, path: Path | str, why: str, *, record: int | None = None, line: int | None = None, invalid: int = 0
    ) -> None:
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
        self.invalid = invalid  # how many records of the file cannot be read (0: the file as a whole)


@dataclass
class PersonRecord:
    """One contact read from a file."""

    record: int
    line: int
    data: PersonData
    photo: bytes | None = None
    note: str = ""  # something left out of it, told in the report (e.g. a photo that is too large)


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
    note: str = ""  # told in the report (e.g. a rule that repeats too often to expand)


@dataclass
class SkipRecord:
    """A record that is read fine but is not something to import (with the reason why)."""

    record: int
    line: int
    label: str
    reason: str


@dataclass
class BadRecord:
    """A record that cannot be read; the rest of its file can (see `--skip-invalid`)."""

    record: int
    line: int
    label: str
    reason: str


Record = PersonRecord | EventRecord | SkipRecord | BadRecord
Format = Literal["vcard", "ics", "csv"]


MB = 1024 * 1024
# The most netjournal reads from one file. Parsing keeps the whole text and every record in memory
# (so that a bad record anywhere refuses the file before anything is written); at this size the
# import of any file stays well under 300 MB of memory. Larger address books can be split.
MAX_FILE_BYTES = 40 * MB
# Per file: every record is held in memory until the file is checked (about 7 KB each while it is
# written). Google keeps at most 25,000 contacts and LinkedIn 30,000 connections.
MAX_RECORDS = 30_000
_CHUNK = 1 * MB


def read_bytes(path: Path, limit: int = MAX_FILE_BYTES) -> bytearray:
    """The file's bytes, read in chunks and stopped at `limit` (so /dev/zero or an endless pipe ends).

    "-" means standard input. Raises ImportProblem with the file's name and the limit.
    """
    too_big = (
        f"the file is larger than {limit // MB} MB, the most netjournal reads from one file "
        "(it stopped reading there). Split it into smaller files and import them together."
    )
    try:
        if str(path) == "-":
            return _read_limited(sys.stdin.buffer, limit, path, too_big)
        if path.is_file() and path.stat().st_size > limit:
            raise ImportProblem(path, too_big)
        with path.open("rb") as fh:
            return _read_limited(fh, limit, path, too_big)
    except FileNotFoundError as exc:
        raise ImportProblem(path, "there is no such file.") from exc
    except IsADirectoryError as exc:
        raise ImportProblem(path, "this is a folder, not a file.") from exc
    except OSError as exc:
        raise ImportProblem(path, f"the file cannot be read ({exc.strerror or exc}).") from exc


def _read_limited(fh: Any, limit: int, path: Path, too_big: str) -> bytearray:
    data = bytearray()
    while chunk := fh.read(_CHUNK):
        data += chunk
        if len(data) > limit:
            raise ImportProblem(path, too_big)
    return data


# Windows "ANSI" code pages. Classic Outlook writes its CSV exports in the system code page and cannot
# write UTF-8, so a file that is not UTF-8 is read as one of these two; which one is decided by the
# letters each gives for the bytes above 127 (see guess_legacy_encoding).
LEGACY_NAMES = {"cp1252": "Windows-1252 (Western European)", "cp1250": "Windows-1250 (Central European)"}
ENCODING_NAMES = {"utf-8": "UTF-8", "utf-16": "UTF-16", **LEGACY_NAMES}
# How plausible a letter is in a name in the languages that use each code page: 2 common, 1 rare.
# Letters that both code pages give for the same byte (á é í ó ú ä ö ü ß š ž ...) decide nothing, so
# only the ones that differ matter; a symbol (¹ ³ £ ¿ ...) where the other gives a letter scores 0.
_PLAUSIBLE = {
    "cp1252": dict.fromkeys("àèòùñåãçêÀÈÒÙÑÅÃÇÊ", 2) | dict.fromkeys("ìøõæœëïÿâîôûðþÌØÕÆŒËÏŸÂÎÔÛÐÞ", 1),
    "cp1250": dict.fromkeys("ąćęłńśźżčďěňřťůőűĄĆĘŁŃŚŹŻČĎĚŇŘŤŮŐŰ", 2) | dict.fromkeys("ĺľŕăţşđĹĽŔĂŢŞĐ", 1),
}


_ASCII = bytes(range(128))


def guess_legacy_encoding(raw: bytes | bytearray) -> str | None:
    """cp1252 or cp1250 for text that is not UTF-8, or None when neither decodes it.

    Each code page that decodes the bytes scores the letters it gives for the bytes above 127; the
    higher score wins, a tie goes to cp1252 (Western Europe, the more common). Small and simple: the
    import report names the encoding it assumed, so a wrong guess is seen.
    """
    counts = Counter(bytes(raw).translate(None, delete=_ASCII))  # only the bytes above 127, counted
    high = bytes(sorted(counts))
    scores: dict[str, float] = {}
    for enc in ("cp1252", "cp1250"):
        try:
            high.decode(enc)
        except UnicodeDecodeError:
            continue
        table = _PLAUSIBLE[enc]
        scores[enc] = sum(n * table.get(bytes([b]).decode(enc), 0) for b, n in counts.items())
    if not scores:
        return None
    return max(scores, key=lambda enc: (scores[enc], enc == "cp1252"))


def decode_text(path: Path, raw: bytes | bytearray) -> tuple[str, str]:
    """Bytes to (text, encoding): UTF-8 (with or without BOM), UTF-16, else Windows-1252 or -1250.

    Line endings become "\\n" (CRLF, and the CRCRLF some Windows tools write). A bytearray is
    consumed (emptied once decoded), so a large file is not held twice.
    """
    if not raw or raw.isspace():
        raise ImportProblem(path, "the file is empty.")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ["utf-16"]
    elif raw[:2000].count(b"\x00") > len(raw[:2000]) // 4:  # UTF-16 without a byte order mark
        encodings = ["utf-16-le" if raw[1:2] == b"\x00" else "utf-16-be"]
    else:
        encodings = ["utf-8-sig"]
    if not encodings[0].startswith("utf-16"):  # in these encodings CR and LF are single bytes
        original, raw = raw, _unify_newlines(raw)
        if raw is not original and isinstance(original, bytearray):
            original.clear()  # the caller's copy: free it now, before the text is made
    try:
        text = raw.decode(encodings[0])
        encoding = "utf-16" if encodings[0].startswith("utf-16") else "utf-8"
    except UnicodeDecodeError as exc:
        legacy = guess_legacy_encoding(raw) if encodings[0] == "utf-8-sig" else None
        if legacy is None:
            line = raw[: exc.start].count(b"\n") + 1
            raise ImportProblem(
                path,
                f"this is not text netjournal can read (byte {raw[exc.start]:#04x} at line {line} is neither "
                "UTF-8 nor a Windows code page); it may be a binary file. "
                "Export it again as UTF-8, or open it in a text editor and save it as UTF-8.",
            ) from exc
        text, encoding = raw.decode(legacy), legacy
    if isinstance(raw, bytearray):
        raw.clear()
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise ImportProblem(path, f"the file holds binary data (a NUL character at line {line}).")
    if "\r" in text:
        text = _unify_text_newlines(text)
    return text, encoding


def _unify_newlines(data: bytes | bytearray) -> bytes | bytearray:
    """CRLF, CRCRLF and lone CR as LF (replace() is one C pass each, no list of lines)."""
    if b"\r" not in data:
        return data
    while b"\r\n" in data:
        data = data.replace(b"\r\n", b"\n")
    return data.replace(b"\r", b"\n")


def _unify_text_newlines(text: str) -> str:
    while "\r\n" in text:
        text = text.replace("\r\n", "\n")
    return text.replace("\r", "\n")


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
