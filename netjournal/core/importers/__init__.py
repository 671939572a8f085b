"""Importing contacts and meetings: vCard, CSV (LinkedIn, Google, Outlook, Thunderbird) and iCalendar.

    report = run_import(journal, [path, ...], now=now, dry_run=True)   # a preview, nothing kept
    report = run_import(journal, [path, ...], now=now)                 # for real

The whole import is one transaction: every file is read and checked first (before the write lock
is taken), then applied; any bad record raises `ImportProblem` (naming the file, record and line)
and the journal stays exactly as it was, unless `skip_invalid` asks to leave such records out (each
is listed in the report). Each record ends up created, updated or skipped, with the reason in the
report. Files are read in chunks up to MAX_FILE_BYTES and MAX_RECORDS (see base.py), which keeps
memory bounded and stops endless inputs.

Who is who is decided by one rule, `netjournal.core.matching.match_cards` (UID, then e-mail or phone
with compatible names, then the exact name when nothing conflicts), for all the files' contacts at
once, so the order of records never changes the outcome. A contact matched to someone already in the
journal only fills empty fields and adds new addresses, numbers and tags; anything else becomes a new
person, and what it shares with others is reported as a possible duplicate.
Meetings match people by the e-mail addresses of the organizer and attendees; an address several
people share (a team mailbox) links none of them.
"""

from __future__ import annotations

import copy
import re
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from netjournal.core.db import Journal
from netjournal.core.identity import normalize_email, normalize_phone
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
from netjournal.core.importers.parallel import parse_vcards_parallel
from netjournal.core.journal import (
    InteractionData,
    PersonData,
    get_person,
    log_interaction,
    people_names,
    update_person,
)
from netjournal.core.matching import Card, Decision, canonical_order, load_known, match_cards
from netjournal.core.models import CIRCLES, Interaction, Person

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


@dataclass
class _Target:
    """One person an import writes: someone in the journal (person_id) or new (person_id None)."""

    data: PersonData
    photo: bytes | None
    person_id: int | None
    changed: dict[int, list[str]]  # record index -> what that record added
    first: int  # the record (in file order) that creates or first updates it
    written: bool = False


class _PeoplePlan:
    """Where every contact of an import goes, decided before anything is written."""

    def __init__(self, session: Session, records: list[PersonRecord]) -> None:
        self.records = records
        self.index = {id(r): i for i, r in enumerate(records)}
        known = load_known(session)
        self.known_uid = {pid: c.uids for pid, c in known.items()}
        cards = [Card.of(r.data) for r in records]
        self.decisions: list[Decision] = match_cards(known, cards, lambda i: repr(records[i].data))
        groups: dict[tuple[str, int], list[int]] = defaultdict(list)
        for i, d in enumerate(self.decisions):
            groups[("p", d.person_id) if d.person_id is not None else ("g", d.group)].append(i)
        existing_ids = sorted(d.person_id for d in self.decisions if d.person_id is not None)
        held = {p.id: p for p in _load_people(session, existing_ids)}  # one query per 500
        self.targets: dict[tuple[str, int], _Target] = {}
        self.target_of: list[tuple[str, int]] = [("", 0)] * len(records)
        for key, members in groups.items():
            # Filled in a fixed order (not the file's), so any order of records gives the same person.
            order = [members[j] for j in canonical_order([records[i].data for i in members])]
            if key[0] == "p":
                person = held.get(key[1]) or get_person(session, key[1])
                data = PersonData.from_person(person)
                photo = None  # a photo to add; theirs is read only if a record brings one (it is deferred)
                start = 0
            else:
                # A copy only when other records merge into it (most groups are one record).
                first = records[order[0]].data
                data = copy.deepcopy(first) if len(order) > 1 else first
                photo = records[order[0]].photo
                start = 1
            changed: dict[int, list[str]] = {order[0]: []} if start else {}
            for i in order[start:]:
                incoming = records[i].data
                if key[0] == "p" and incoming.source_uid in self.known_uid.get(key[1], frozenset()):
                    incoming = copy.copy(incoming)
                    incoming.source_uid = None  # our own UID coming back from an export: nothing new
                changed[i] = merge_person_data(data, incoming)
                if photo is None and records[i].photo and (key[0] == "g" or person.photo is None):
                    photo = records[i].photo
                    changed[i].append("photo")
            self.targets[key] = _Target(data, photo, key[1] if key[0] == "p" else None, changed, min(members))
            for i in members:
                self.target_of[i] = key
        self.new_ids: dict[int, int] = {}  # group -> the new person's id, once written
        # Who has which e-mail address once the import is written (meetings are matched by it).
        self.email_keys: dict[str, set[tuple[str, int]]] = defaultdict(set)
        for pid, card in known.items():
            for e in card.emails:
                self.email_keys[e].add(("p", pid))
        for key, target in self.targets.items():
            for _, value in target.data.emails:
                self.email_keys[normalize_email(value)].add(key)
        wanted = {p.person_id for d in self.decisions for p in d.possible if p.person_id is not None}
        self.names = people_names(session, wanted, include_deleted=True)

    def email_owners(self, e: str) -> set[int]:
        owners = set()
        for kind, n in self.email_keys.get(e, ()):
            pid = n if kind == "p" else self.new_ids.get(n)
            if pid is not None:
                owners.add(pid)
        return owners

    def names_of(self, d: Decision) -> str:
        """ "possible duplicate of Sam Lee (same phone), Ann Ng (same name)" or ""."""
        bits = []
        for p in d.possible:
            if p.person_id is not None:
                target = self.targets.get(("p", p.person_id))
                name = target.data.name if target else self.names.get(p.person_id, f"#{p.person_id}")
            else:
                assert p.record is not None
                name = self.targets[("g", self.decisions[p.record].group)].data.name
            bits.append(f"{name} ({p.why})")
        return f"possible duplicate of {', '.join(bits)}" if bits else ""


def _load_people(session: Session, ids: list[int]) -> list[Person]:
    opts = [selectinload(getattr(Person, r)) for r in ("contact_points", "addresses", "dates", "tags")]
    found: list[Person] = []
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        found += session.scalars(select(Person).where(Person.id.in_(chunk)).options(*opts)).all()
    return found


def _why(d: Decision) -> str:
    return f"{d.why} {d.detail}".strip() if d.why else "the same person as another record"


def merge_person_data(current: PersonData, incoming: PersonData) -> list[str]:
    """Fill `current`'s empty fields from `incoming` and add what it lacks. Returns what changed."""
    changed: list[str] = []
    for f in (
        "given_name",
        "family_name",
        "nickname",
        "organisation",
        "role",
        "how_met",
        "met_on",
        "ford_family",
        "ford_occupation",
        "ford_recreation",
        "ford_dreams",
        "notes",
        "source_uid",
        "circle",
        "cadence_days",
    ):
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
    contacts = [r for f in parsed for r in f.records if isinstance(r, PersonRecord)]
    if circle is not None:
        for r in contacts:
            r.data.circle = circle
    plan = _PeoplePlan(session, contacts)
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
        for rec in records:
            try:
                if skip_invalid and not isinstance(rec, BadRecord):
                    # A savepoint, so a record refused half-way leaves nothing behind.
                    with session.begin_nested():
                        fr.results.append(_apply(session, rec, plan, bulk, seen_uids, now=now))
                else:
                    fr.results.append(_apply(session, rec, plan, bulk, seen_uids, now=now))
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
    plan: _PeoplePlan,
    bulk: BulkPeople,
    seen_uids: set[str | None],
    *,
    now: datetime,
) -> RecordResult:
    if isinstance(rec, SkipRecord):
        return RecordResult(rec.record, rec.line, "skipped", "other", rec.label, rec.reason)
    if isinstance(rec, BadRecord):  # only here with skip_invalid (read_files refuses the file otherwise)
        return RecordResult(rec.record, rec.line, "skipped", "invalid", rec.label, rec.reason)
    if isinstance(rec, PersonRecord):
        return _apply_person(session, rec, plan, bulk, now=now)
    assert isinstance(rec, EventRecord)
    if rec.uid in seen_uids:
        return RecordResult(rec.record, rec.line, "skipped", "meeting", rec.title, "already imported")
    people: list[int] = []
    shared: list[str] = []
    for e in dict.fromkeys(normalize_email(e) for e in rec.emails):
        owners = plan.email_owners(e)
        if len(owners) == 1:
            people.append(next(iter(owners)))
        elif owners:
            shared.append(e)
    people = list(dict.fromkeys(people))
    if not people:
        if shared:
            reason = f"{', '.join(shared)} belongs to several people in your journal; link it by hand"
        elif rec.emails:
            reason = "no one at it is in your journal (matched by e-mail)"
        else:
            reason = "no attendees to match to people"
        return RecordResult(rec.record, rec.line, "skipped", "meeting", rec.title, reason)
    event = InteractionData(
        at=rec.at,
        channel=rec.channel,
        state=rec.state,
        title=rec.title,
        location=rec.location,
        duration_min=rec.duration_min,
        notes=rec.notes,
        source_uid=rec.uid,
    )
    # An imported calendar entry says nothing about replies: keep each person's status as it was.
    statuses = {p.id: p.status for p in session.scalars(select(Person).where(Person.id.in_(people)))}
    interaction = log_interaction(session, people, event, now=now)
    for p in interaction.people:
        p.status = statuses.get(p.id, p.status)
    seen_uids.add(rec.uid)
    what = "upcoming meeting" if rec.state.value == "planned" else "meeting"
    if shared:
        what += f" (not linked to {', '.join(shared)}: several people share it)"
    return RecordResult(rec.record, rec.line, "created", "meeting", rec.title, what, interaction.id)


def _apply_person(
    session: Session, rec: PersonRecord, plan: _PeoplePlan, bulk: BulkPeople, *, now: datetime
) -> RecordResult:
    i = plan.index[id(rec)]
    d = plan.decisions[i]
    key = plan.target_of[i]
    target = plan.targets[key]
    maybe = plan.names_of(d)
    first = i == target.first
    added = target.changed.get(i, [])
    if target.person_id is None:  # a new person
        if first:
            pid = bulk.add(target.data, target.photo)
            plan.new_ids[d.group] = pid
            reason = "; ".join(x for x in ("not in the journal yet", maybe) if x)
            return RecordResult(rec.record, rec.line, "created", "person", target.data.name, reason, pid)
        pid = plan.new_ids[d.group]
        earlier = plan.records[target.first].record
        if not added:
            return RecordResult(
                rec.record,
                rec.line,
                "skipped",
                "person",
                target.data.name,
                f"a duplicate of record {earlier} in this import ({_why(d)})",
                pid,
            )
        return RecordResult(
            rec.record,
            rec.line,
            "updated",
            "person",
            target.data.name,
            f"{_why(d)} as record {earlier} in this import; added {', '.join(added)}",
            pid,
        )
    pid = target.person_id
    if not target.written and any(target.changed.values()):
        if target.photo is not None:  # only set when they had none
            get_person(session, pid).photo = target.photo
        update_person(session, pid, target.data, now=now)
        target.written = True
    if not added:
        return RecordResult(
            rec.record,
            rec.line,
            "skipped",
            "person",
            target.data.name,
            f"already in the journal ({_why(d)}), nothing new",
            pid,
        )
    return RecordResult(
        rec.record, rec.line, "updated", "person", target.data.name, f"{_why(d)}; added {', '.join(added)}", pid
    )


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
