"""Reading import files completely before anything is written: the text and its encoding, the format,
the records, and the refusal of a file with unreadable records (unless they are to be skipped)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from netjournal.core.importers.base import (
    MAX_RECORDS,
    BadRecord,
    ImportProblem,
    Record,
    decode_text,
    detect_format,
    read_bytes,
)
from netjournal.core.importers.parallel import parse_vcards_parallel
from netjournal.core.importers.report import Progress


def load_text(path: Path) -> tuple[str, str, str]:
    """The file's kind ("vcard", "ics" or "csv"), its text and the encoding it was read as.

    Raises ImportProblem (also for a file over the size limit, found while reading, so an endless
    input such as /dev/zero stops there).
    """
    raw = read_bytes(path)
    text, encoding = decode_text(path, raw)
    del raw  # the bytes are not needed past here; a 50 MB file should not be held twice
    return detect_format(path, text), text, encoding


def estimate_records(kind: str, text: str) -> int:
    """Roughly how many records a file holds (for the progress bar before it is read)."""
    if kind in ("vcard", "ics"):
        word = "VCARD" if kind == "vcard" else "VEVENT"
        return sum(1 for _ in re.finditer(rf"^BEGIN:{word}", text, re.IGNORECASE | re.MULTILINE))
    return max(0, text.count("\n") - 1)


def parse_text(path: Path, kind: str, text: str, *, now: datetime) -> tuple[str, Iterator[Record]]:
    """(format description, records as they are read)."""
    if kind == "vcard":
        return "vCard", parse_vcards_parallel(path, text)  # on every core when the file is large
    # The other readers (icalendar among them) are imported only for their own files.
    if kind == "ics":
        from netjournal.core.importers.ics import parse_ics

        return "iCalendar", parse_ics(path, text, now=now)
    from netjournal.core.importers.csvfile import parse_csv

    return _csv_layout(text), parse_csv(path, text)


@dataclass
class ParsedFile:
    """One file read and checked completely (before any write)."""

    path: Path
    format: str
    encoding: str
    records: list[Record]

    @property
    def bad(self) -> list[BadRecord]:
        return [r for r in self.records if isinstance(r, BadRecord)]


def read_file(path: Path, *, now: datetime) -> tuple[str, list[Record]]:
    """Read and check one file completely: (format description, records). Raises ImportProblem."""
    parsed = read_files([path], now=now)[0]
    return parsed.format, parsed.records


def read_files(
    paths: Sequence[Path], *, now: datetime, skip_invalid: bool = False, progress: Progress | None = None
) -> list[ParsedFile]:
    """Read every file completely, touching no database (so no lock is held while parsing).

    Without `skip_invalid`, a record that cannot be read raises ImportProblem naming its file,
    record and line (after the whole file is read, so the message can say how many more there are).
    """
    parsed: list[ParsedFile] = []
    done = 0
    for p in paths:
        path = Path(p)
        kind, text, encoding = load_text(path)
        estimate = estimate_records(kind, text)
        if kind != "csv" and estimate > MAX_RECORDS:  # exact for these: refuse before parsing builds them all
            raise ImportProblem(path, _too_many())
        total = max(1, 2 * estimate)
        fmt, records_iter = parse_text(path, kind, text, now=now)
        records: list[Record] = []
        for rec in records_iter:
            records.append(rec)
            done += 1
            if progress is not None and done % 50 == 0:
                progress(min(done, total - 1), total)
            if len(records) > MAX_RECORDS:
                raise ImportProblem(path, _too_many())
        del text
        parsed.append(ParsedFile(path, fmt, encoding, records))
    if not skip_invalid:
        for f in parsed:
            if f.bad:
                first = f.bad[0]
                more = len(f.bad) - 1
                why = first.reason
                if more:
                    why += f" ({more} more record{'s' if more > 1 else ''} in this file cannot be read either.)"
                raise ImportProblem(f.path, why, record=first.record, line=first.line, invalid=len(f.bad))
    return parsed


def _too_many() -> str:
    return (
        f"the file holds more than {MAX_RECORDS:,} records, the most netjournal imports from one file. "
        "Split it into smaller files and import them one after another."
    )


def _csv_layout(text: str) -> str:
    from netjournal.core.importers.csvfile import _find_header, _header_columns, layout_name

    lines = text[:50_000].split("\n")[:20]
    try:
        index = _find_header(Path("csv"), lines)
    except ImportProblem:
        return "CSV"
    cols, language = _header_columns(lines[index])
    return f"CSV: {layout_name(cols)}" + (f", {language} column names" if language else "")
