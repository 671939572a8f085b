"""Importing contacts and meetings: vCard, CSV (LinkedIn, Google, Outlook, Thunderbird) and iCalendar.

    report = run_import(journal, [path, ...], now=now, dry_run=True)   # a preview, nothing kept
    report = run_import(journal, [path, ...], now=now)                 # for real

The whole import is one transaction: every file is read and checked first (before the write lock
is taken), then applied; any bad record raises `ImportProblem` (naming the file, record and line)
and the journal stays exactly as it was, unless `skip_invalid` asks to leave such records out (each
is listed in the report). Each record ends up created, updated or skipped, with the reason in the
report. Files are read in chunks up to MAX_FILE_BYTES and MAX_RECORDS (see base.py), which keeps
memory bounded and stops endless inputs.

A contact is recognised as someone already in the journal by e-mail, then phone, then exact name
(case-insensitive); then only empty fields are filled and new addresses, numbers and tags added.
Meetings match people by the e-mail addresses of the organizer and attendees.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from netjournal.core.db import Journal
from netjournal.core.importers.base import (
    ENCODING_NAMES,
    MAX_RECORDS,
    BadRecord,
    EventRecord,
    ImportProblem,
    PersonRecord,
    Record,
    SkipRecord,
    decode_text,
    detect_format,
    read_bytes,
)
from netjournal.core.importers.bulk import BulkPeople
from netjournal.core.importers.csvfile import parse_csv
from netjournal.core.importers.ics import parse_ics
from netjournal.core.importers.parallel import parse_vcards_parallel
from netjournal.core.journal import (
    InteractionData,
    PersonData,
    get_person,
    log_interaction,
    normalize_email,
    normalize_phone,
    sort_key,
    update_person,
)
from netjournal.core.models import CIRCLES, ContactPoint, Interaction, Person

__all__ = ["FileReport", "ImportProblem", "ImportReport", "RecordResult", "import_files", "read_file", "run_import"]

Action = Literal["created", "updated", "skipped"]
Progress = Callable[[int, int], None]


@dataclass
class RecordResult:
    record: int
    line: int
    action: Action
    kind: str  # person | meeting | other
    name: str
    reason: str = ""
    item_id: int | None = None


@dataclass
class FileReport:
    path: Path
    format: str
    results: list[RecordResult] = field(default_factory=list)
    encoding: str = "utf-8"  # what the text was read as (a Windows code page for classic Outlook CSVs)

    @property
    def encoding_name(self) -> str:
        return ENCODING_NAMES.get(self.encoding, self.encoding)

    @property
    def invalid(self) -> list[RecordResult]:
        """The records left out because they cannot be read (only with skip_invalid)."""
        return [r for r in self.results if r.kind == "invalid"]

    def count(self, action: Action) -> int:
        return sum(1 for r in self.results if r.action == action)


@dataclass
class ImportReport:
    files: list[FileReport] = field(default_factory=list)
    dry_run: bool = False

    def count(self, action: Action) -> int:
        return sum(f.count(action) for f in self.files)

    @property
    def created(self) -> int:
        return self.count("created")

    @property
    def updated(self) -> int:
        return self.count("updated")

    @property
    def skipped(self) -> int:
        return self.count("skipped")

    @property
    def invalid(self) -> list[tuple[Path, RecordResult]]:
        return [(f.path, r) for f in self.files for r in f.invalid]


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
    if kind == "ics":
        return "iCalendar", parse_ics(path, text, now=now)
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


class _Matcher:
    """Finds people already in the journal (or created earlier in this import) by email, phone, name."""

    def __init__(self, session: Session) -> None:
        self.by_email: dict[str, int] = {}
        self.by_phone: dict[str, int] = {}
        self.by_name: dict[str, int] = {}
        self.by_uid: dict[str, int] = {}
        rows = session.execute(
            select(ContactPoint.kind, ContactPoint.normalized, ContactPoint.person_id)
            .join(Person, Person.id == ContactPoint.person_id)
            .where(Person.deleted_at.is_(None), ContactPoint.kind.in_(("email", "phone")))
        )
        for kind, norm, pid in rows:
            (self.by_email if kind == "email" else self.by_phone).setdefault(norm, pid)
        for pid, key, uid in session.execute(
            select(Person.id, Person.sort_name, Person.source_uid).where(Person.deleted_at.is_(None))
        ):
            self.by_name.setdefault(key, pid)
            if uid:
                self.by_uid.setdefault(uid, pid)

    def find(self, data: PersonData) -> tuple[int | None, str]:
        if data.source_uid and data.source_uid in self.by_uid:
            return self.by_uid[data.source_uid], "same contact id"
        for _, value in data.emails:
            pid = self.by_email.get(normalize_email(value))
            if pid is not None:
                return pid, f"same e-mail {value}"
        for _, value in data.phones:
            norm = normalize_phone(value)
            pid = self.by_phone.get(norm) if len(norm) >= 6 else None
            if pid is not None:
                return pid, f"same phone {value}"
        pid = self.by_name.get(sort_key(data.name))
        return (pid, "same name") if pid is not None else (None, "")

    def remember(self, pid: int, data: PersonData) -> None:
        for _, value in data.emails:
            self.by_email.setdefault(normalize_email(value), pid)
        for _, value in data.phones:
            if len(normalize_phone(value)) >= 6:
                self.by_phone.setdefault(normalize_phone(value), pid)
        self.by_name.setdefault(sort_key(data.name), pid)
        if data.source_uid:
            self.by_uid.setdefault(data.source_uid, pid)


def merge_person_data(current: PersonData, incoming: PersonData) -> list[str]:
    """Fill `current`'s empty fields from `incoming` and add what it lacks. Returns what changed."""
    changed: list[str] = []
    for f in ("given_name", "family_name", "nickname", "organisation", "role", "how_met", "met_on",
              "ford_family", "ford_occupation", "ford_recreation", "ford_dreams", "notes", "source_uid",
              "circle", "cadence_days"):  # fmt: skip
        if not getattr(current, f) and getattr(incoming, f):
            setattr(current, f, getattr(incoming, f))
            changed.append(f.replace("_", " "))
    for kind, norm in (("emails", normalize_email), ("phones", normalize_phone), ("urls", str.lower)):
        have = {norm(v) for _, v in getattr(current, kind)}
        for label, value in getattr(incoming, kind):
            if norm(value) not in have:
                getattr(current, kind).append((label, value))
                have.add(norm(value))
                changed.append(kind[:-1])
    if incoming.addresses and not current.addresses:
        current.addresses = list(incoming.addresses)
        changed.append("address")
    have_dates = {d.get("kind") for d in current.dates}
    for d in incoming.dates:
        if d.get("kind") not in have_dates:
            current.dates.append(d)
            have_dates.add(d.get("kind"))
            changed.append(str(d.get("kind")))
    have_tags = {t.casefold() for t in current.tags}
    for t in incoming.tags:
        if t.casefold() not in have_tags:
            current.tags.append(t)
            have_tags.add(t.casefold())
            changed.append("tag")
    return list(dict.fromkeys(changed))


def import_files(
    session: Session,
    paths: Sequence[Path],
    *,
    now: datetime,
    circle: int | None = None,
    progress: Progress | None = None,
    skip_invalid: bool = False,
) -> ImportReport:
    """Read and import into `session` (the caller owns the transaction). Raises ImportProblem on bad input."""
    _check_circle(paths, circle)
    parsed = read_files(paths, now=now, skip_invalid=skip_invalid, progress=progress)
    return apply_files(session, parsed, now=now, circle=circle, progress=progress, skip_invalid=skip_invalid)


def _check_circle(paths: Sequence[Path], circle: int | None) -> None:
    if circle is not None and circle not in CIRCLES:
        raise ImportProblem(paths[0] if paths else "import", f"circle must be one of {', '.join(map(str, CIRCLES))}.")


def apply_files(
    session: Session,
    parsed: list[ParsedFile],
    *,
    now: datetime,
    circle: int | None = None,
    progress: Progress | None = None,
    skip_invalid: bool = False,
) -> ImportReport:
    """Write records read by `read_files` (the caller owns the transaction)."""
    # Progress: reading a record and writing it count one step each; reading is done.
    count = sum(len(f.records) for f in parsed)
    done = count
    total = max(1, 2 * count)
    report = ImportReport()
    matcher = _Matcher(session)
    # People first (from every file), so meetings in a calendar find people from a vCard of the same import.
    order = sorted(range(len(parsed)), key=lambda i: parsed[i].format == "iCalendar")
    file_reports: dict[int, FileReport] = {}
    bulk = BulkPeople(session)
    seen_uids = set(session.scalars(select(Interaction.source_uid).where(Interaction.source_uid.is_not(None))).all())
    for i in order:
        path, fmt, records = parsed[i].path, parsed[i].format, parsed[i].records
        fr = FileReport(path, fmt, encoding=parsed[i].encoding)
        file_reports[i] = fr
        if fmt == "iCalendar":
            bulk.flush(now)  # meetings link to people: they must be written first
        else:
            held = _preload_matches(session, records, matcher, bulk)  # noqa: F841  (keeps them in the session)
        for rec in records:
            try:
                if skip_invalid and not isinstance(rec, BadRecord):
                    # A savepoint, so a record refused half-way leaves nothing behind.
                    with session.begin_nested():
                        fr.results.append(_apply(session, rec, matcher, bulk, seen_uids, now=now, circle=circle))
                else:
                    fr.results.append(_apply(session, rec, matcher, bulk, seen_uids, now=now, circle=circle))
                if getattr(rec, "note", "") and fr.results[-1].action != "skipped":
                    fr.results[-1].reason += f"; {rec.note}"  # type: ignore[union-attr]
            except ImportProblem:
                raise
            except Exception as exc:  # a validation error names the record
                msg = getattr(exc, "message", None) or str(exc)
                if not skip_invalid:
                    raise ImportProblem(path, msg, record=rec.record, line=rec.line) from exc
                label = rec.data.name if isinstance(rec, PersonRecord) else getattr(rec, "title", "")
                fr.results.append(RecordResult(rec.record, rec.line, "skipped", "invalid", label, msg))
            done += 1
            if progress is not None and (done % 50 == 0 or done == total):
                progress(done, total)
    try:
        bulk.flush(now)
    except Exception as exc:
        msg = getattr(exc, "message", None) or str(exc)
        raise ImportProblem(parsed[-1].path if parsed else "import", msg) from exc
    report.files = [file_reports[i] for i in range(len(parsed))]
    if progress is not None:
        progress(total, total)
    return report


def _apply(
    session: Session,
    rec: Record,
    matcher: _Matcher,
    bulk: BulkPeople,
    seen_uids: set[str | None],
    *,
    now: datetime,
    circle: int | None,
) -> RecordResult:
    if isinstance(rec, SkipRecord):
        return RecordResult(rec.record, rec.line, "skipped", "other", rec.label, rec.reason)
    if isinstance(rec, BadRecord):  # only here with skip_invalid (read_files refuses the file otherwise)
        return RecordResult(rec.record, rec.line, "skipped", "invalid", rec.label, rec.reason)
    if isinstance(rec, PersonRecord):
        data = rec.data
        if circle is not None:
            data.circle = circle
        pid, why = matcher.find(data)
        if pid is None:
            pid = bulk.add(data, rec.photo)
            matcher.remember(pid, data)
            return RecordResult(rec.record, rec.line, "created", "person", data.name, "not in the journal yet", pid)
        pending = bulk.get(pid)
        if pending is not None:  # someone created earlier in this same import
            changed = merge_person_data(pending, data)
            if not changed:
                return RecordResult(
                    rec.record, rec.line, "skipped", "person", pending.name,
                    f"a duplicate of an earlier record in this import ({why})", pid,
                )  # fmt: skip
            matcher.remember(pid, pending)
            return RecordResult(
                rec.record, rec.line, "updated", "person", pending.name,
                f"{why} as an earlier record in this import; added {', '.join(changed)}", pid,
            )  # fmt: skip
        existing = get_person(session, pid)
        current = PersonData.from_person(existing)
        changed = merge_person_data(current, data)
        if rec.photo and existing.photo is None:
            existing.photo = rec.photo
            changed.append("photo")
        if not changed:
            return RecordResult(
                rec.record, rec.line, "skipped", "person", existing.name,
                f"already in the journal ({why}), nothing new", pid,
            )  # fmt: skip
        update_person(session, pid, current, now=now)
        matcher.remember(pid, current)
        return RecordResult(
            rec.record, rec.line, "updated", "person", existing.name, f"{why}; added {', '.join(changed)}", pid
        )
    assert isinstance(rec, EventRecord)
    if rec.uid in seen_uids:
        return RecordResult(rec.record, rec.line, "skipped", "meeting", rec.title, "already imported")
    people = list(dict.fromkeys(pid for e in rec.emails if (pid := matcher.by_email.get(e)) is not None))
    if not people:
        reason = (
            "no one at it is in your journal (matched by e-mail)" if rec.emails else "no attendees to match to people"
        )
        return RecordResult(rec.record, rec.line, "skipped", "meeting", rec.title, reason)
    event = InteractionData(
        at=rec.at, channel=rec.channel, state=rec.state, title=rec.title, location=rec.location,
        duration_min=rec.duration_min, notes=rec.notes, source_uid=rec.uid,
    )  # fmt: skip
    # An imported calendar entry says nothing about replies: keep each person's status as it was.
    statuses = {p.id: p.status for p in session.scalars(select(Person).where(Person.id.in_(people)))}
    interaction = log_interaction(session, people, event, now=now)
    for p in interaction.people:
        p.status = statuses.get(p.id, p.status)
    seen_uids.add(rec.uid)
    what = "upcoming meeting" if rec.state.value == "planned" else "meeting"
    return RecordResult(rec.record, rec.line, "created", "meeting", rec.title, what, interaction.id)


def _preload_matches(session: Session, records: list[Record], matcher: _Matcher, bulk: BulkPeople) -> list[Person]:
    """Load everyone this file will match, in a few queries (a re-import then needs no query per record)."""
    ids = set()
    for rec in records:
        if isinstance(rec, PersonRecord):
            pid, _ = matcher.find(rec.data)
            if pid is not None and bulk.get(pid) is None:
                ids.add(pid)
    opts = [selectinload(getattr(Person, r)) for r in ("contact_points", "addresses", "dates", "tags")]
    found: list[Person] = []
    ordered = sorted(ids)
    for start in range(0, len(ordered), 500):
        chunk = ordered[start : start + 500]
        found += session.scalars(select(Person).where(Person.id.in_(chunk)).options(*opts)).all()
    return found


# A JSON backup holds the whole journal (notes, reflections): it may be larger than any contacts file.
MAX_BACKUP_BYTES = 1024 * 1024 * 1024


class _DryRun(Exception):
    pass


def is_json_backup(path: Path) -> bool:
    if str(path) == "-" or not Path(path).is_file():
        return False  # a pipe is read once, by the importer: peeking would lose its first bytes
    try:
        with Path(path).open("rb") as fh:
            head = fh.read(400)
    except OSError:
        return False
    return head.lstrip().startswith(b"{") and b'"netjournal-backup"' in head


def _restore_backup(session: Session, path: Path, data: bytes) -> FileReport:
    import json

    from netjournal.core.exporters import import_json_backup

    try:
        import_json_backup(session, data, source=str(path))
    except ImportProblem:
        raise
    except Exception as exc:
        msg = getattr(exc, "message", None) or f"the backup cannot be loaded ({exc})."
        raise ImportProblem(path, msg) from exc
    people = json.loads(data.decode("utf-8-sig"))["tables"].get("people", [])
    report = FileReport(path, "netjournal JSON backup")
    for i, row in enumerate(people, start=1):
        note = "restored (in the trash)" if row.get("deleted_at") else "restored"
        report.results.append(RecordResult(i, 0, "created", "person", str(row.get("name", "")), note, row.get("id")))
    return report


def run_import(
    journal: Journal,
    paths: Sequence[Path],
    *,
    now: datetime,
    dry_run: bool = False,
    circle: int | None = None,
    progress: Progress | None = None,
    skip_invalid: bool = False,
) -> ImportReport:
    """Import files in one transaction; with dry_run, report what would happen and keep nothing.

    Every file is read and checked before the transaction begins, so the journal's write lock is
    held only for the writing: the app and other commands can save while a large file is parsed.
    With skip_invalid, records that cannot be read or are not valid are left out and listed in the
    report (as kind "invalid"); the rest is still imported in one transaction.
    """
    holder: list[ImportReport] = []
    backups = [p for p in paths if is_json_backup(Path(p))]
    if backups and len(paths) > 1:
        raise ImportProblem(backups[0], "a netjournal JSON backup is loaded on its own; import it without other files.")
    if backups:
        backup_data = bytes(read_bytes(Path(backups[0]), limit=MAX_BACKUP_BYTES))
    else:
        _check_circle(paths, circle)
        parsed = read_files(paths, now=now, skip_invalid=skip_invalid, progress=progress)
    try:
        with journal.session() as session:
            if backups:
                holder.append(ImportReport(files=[_restore_backup(session, Path(backups[0]), backup_data)]))
            else:
                holder.append(
                    apply_files(session, parsed, now=now, circle=circle, progress=progress, skip_invalid=skip_invalid)
                )
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    report = holder[0]
    report.dry_run = dry_run
    return report
