"""Importing contacts and meetings: vCard, CSV (LinkedIn, Google, Outlook, Thunderbird) and iCalendar.

    report = run_import(journal, [path, ...], now=now, dry_run=True)   # a preview, nothing kept
    report = run_import(journal, [path, ...], now=now)                 # for real

The whole import is one transaction: every file is read and checked first, then applied; any
bad record raises `ImportProblem` (naming the file, record and line) and the journal stays exactly
as it was. Each record ends up created, updated or skipped, with the reason in the report.

A contact is recognised as someone already in the journal by e-mail, then phone, then exact name
(case-insensitive); then only empty fields are filled and new addresses, numbers and tags added.
Meetings match people by the e-mail addresses of the organizer and attendees.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from netjournal.core.db import Journal
from netjournal.core.importers.base import (
    EventRecord,
    ImportProblem,
    PersonRecord,
    Record,
    SkipRecord,
    decode_text,
    detect_format,
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
MAX_FILE_BYTES = 200_000_000


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


def load_text(path: Path) -> tuple[str, str]:
    """The file's text and its kind ("vcard", "ics" or "csv"). Raises ImportProblem."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ImportProblem(path, "the file is larger than 200 MB; split it into smaller files.")
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise ImportProblem(path, "there is no such file.") from exc
    except IsADirectoryError as exc:
        raise ImportProblem(path, "this is a folder, not a file.") from exc
    except OSError as exc:
        raise ImportProblem(path, f"the file cannot be read ({exc.strerror or exc}).") from exc
    text = decode_text(path, raw)
    return detect_format(path, text), text


def estimate_records(kind: str, text: str) -> int:
    """Roughly how many records a file holds (for the progress bar before it is read)."""
    if kind == "vcard":
        return text.upper().count("BEGIN:VCARD")
    if kind == "ics":
        return text.upper().count("BEGIN:VEVENT")
    return max(0, text.count("\n") - 1)


def parse_text(path: Path, kind: str, text: str, *, now: datetime) -> tuple[str, Iterator[Record]]:
    """(format description, records as they are read)."""
    if kind == "vcard":
        return "vCard", parse_vcards_parallel(path, text)  # on every core when the file is large
    if kind == "ics":
        return "iCalendar", parse_ics(path, text, now=now)
    return _csv_layout(text), parse_csv(path, text)


def read_file(path: Path, *, now: datetime) -> tuple[str, list[Record]]:
    """Read and check one file completely: (format description, records). Raises ImportProblem."""
    kind, text = load_text(path)
    fmt, records = parse_text(path, kind, text, now=now)
    return fmt, list(records)


def _csv_layout(text: str) -> str:
    from netjournal.core.importers.csvfile import KNOWN, _sniff_delimiter, layout_name

    for line in text.split("\n")[:20]:
        cols = {c.strip().strip('"').strip().lower() for c in line.split(_sniff_delimiter(line))}
        if cols & KNOWN:
            return f"CSV: {layout_name(cols)}"
    return "CSV"


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
) -> ImportReport:
    """Import into `session` (the caller owns the transaction). Raises ImportProblem on bad input."""
    if circle is not None and circle not in CIRCLES:
        raise ImportProblem(paths[0] if paths else "import", f"circle must be one of {', '.join(map(str, CIRCLES))}.")
    # Progress: reading a record and writing it count one step each.
    texts = [(Path(p), *load_text(Path(p))) for p in paths]
    estimate = sum(estimate_records(kind, text) for _, kind, text in texts)
    total = max(1, 2 * estimate)
    done = 0
    parsed: list[tuple[Path, str, list[Record]]] = []
    for path, kind, text in texts:
        fmt, records_iter = parse_text(path, kind, text, now=now)
        records = []
        for rec in records_iter:
            records.append(rec)
            done += 1
            if progress is not None and done % 50 == 0:
                progress(min(done, total - 1), total)
        parsed.append((path, fmt, records))
    count = sum(len(r) for _, _, r in parsed)
    total = max(1, done + count)
    report = ImportReport()
    matcher = _Matcher(session)
    # People first (from every file), so meetings in a calendar find people from a vCard of the same import.
    order = sorted(range(len(parsed)), key=lambda i: parsed[i][1] == "iCalendar")
    file_reports: dict[int, FileReport] = {}
    bulk = BulkPeople(session)
    seen_uids = set(session.scalars(select(Interaction.source_uid).where(Interaction.source_uid.is_not(None))).all())
    for i in order:
        path, fmt, records = parsed[i]
        fr = FileReport(path, fmt)
        file_reports[i] = fr
        if fmt == "iCalendar":
            bulk.flush(now)  # meetings link to people: they must be written first
        else:
            held = _preload_matches(session, records, matcher, bulk)  # noqa: F841  (keeps them in the session)
        for rec in records:
            try:
                fr.results.append(_apply(session, rec, matcher, bulk, seen_uids, now=now, circle=circle))
            except ImportProblem:
                raise
            except Exception as exc:  # a validation error names the record
                msg = getattr(exc, "message", None) or str(exc)
                raise ImportProblem(path, msg, record=rec.record, line=rec.line) from exc
            done += 1
            if progress is not None and (done % 50 == 0 or done == total):
                progress(done, total)
    try:
        bulk.flush(now)
    except Exception as exc:
        msg = getattr(exc, "message", None) or str(exc)
        raise ImportProblem(parsed[-1][0] if parsed else "import", msg) from exc
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


class _DryRun(Exception):
    pass


def is_json_backup(path: Path) -> bool:
    try:
        with Path(path).open("rb") as fh:
            head = fh.read(400)
    except OSError:
        return False
    return head.lstrip().startswith(b"{") and b'"netjournal-backup"' in head


def _restore_backup(session: Session, path: Path) -> FileReport:
    import json

    from netjournal.core.exporters import import_json_backup

    data = path.read_bytes()
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
) -> ImportReport:
    """Import files in one transaction; with dry_run, report what would happen and keep nothing."""
    holder: list[ImportReport] = []
    backups = [p for p in paths if is_json_backup(Path(p))]
    if backups and len(paths) > 1:
        raise ImportProblem(backups[0], "a netjournal JSON backup is loaded on its own; import it without other files.")
    try:
        with journal.session() as session:
            if backups:
                holder.append(ImportReport(files=[_restore_backup(session, Path(backups[0]))]))
            else:
                holder.append(import_files(session, paths, now=now, circle=circle, progress=progress))
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    report = holder[0]
    report.dry_run = dry_run
    return report
