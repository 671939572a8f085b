"""Writing what `read_files` read: people first (new ones in bulk), then meetings linked by e-mail, each
record's outcome in the report."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from netjournal.core.identity import normalize_email
from netjournal.core.importers.base import (
    BadRecord,
    EventRecord,
    ImportProblem,
    PersonRecord,
    Record,
    SkipRecord,
)
from netjournal.core.importers.bulk import BulkPeople
from netjournal.core.importers.plan import _load_people, _PeoplePlan, _why
from netjournal.core.importers.reading import ParsedFile, read_files
from netjournal.core.importers.report import Action, FileReport, ImportReport, Progress, RecordResult
from netjournal.core.journal import (
    InteractionData,
    get_person,
    log_interaction,
    update_person,
)
from netjournal.core.models import CIRCLES, Interaction, Person


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
    parsed = read_checked(paths, now=now, circle=circle, progress=progress, skip_invalid=skip_invalid)
    return apply_files(session, parsed, now=now, circle=circle, progress=progress, skip_invalid=skip_invalid)


def read_checked(
    paths: Sequence[Path], *, now: datetime, circle: int | None, progress: Progress | None, skip_invalid: bool
) -> list[ParsedFile]:
    """`read_files`, after refusing a circle that does not exist (before any file is read)."""
    if circle is not None and circle not in CIRCLES:
        raise ImportProblem(paths[0] if paths else "import", f"circle must be one of {', '.join(map(str, CIRCLES))}.")
    return read_files(paths, now=now, skip_invalid=skip_invalid, progress=progress)


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
    held: list[Person] = []
    seen_uids = set(session.scalars(select(Interaction.source_uid).where(Interaction.source_uid.is_not(None))).all())
    for i in order:
        path, fmt, records = parsed[i].path, parsed[i].format, parsed[i].records
        fr = FileReport(path, fmt, encoding=parsed[i].encoding)
        file_reports[i] = fr
        if fmt == "iCalendar":
            bulk.flush(now)  # meetings link to people: they must be written first
            # Everyone the meetings link to, loaded in a few queries and held here (the session keeps
            # only weak references): each meeting then finds its people without a query of its own.
            held += _load_people(
                session, sorted({p for r in records if isinstance(r, EventRecord) for p in _linked(r, plan)[0]})
            )
        for rec in records:
            try:
                # With skip_invalid, a savepoint, so a record refused half-way leaves nothing behind.
                savepoint = skip_invalid and not isinstance(rec, BadRecord)
                with session.begin_nested() if savepoint else contextlib.nullcontext():
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
    people, shared = _linked(rec, plan)
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
    statuses = {pid: get_person(session, pid).status for pid in people}
    interaction = log_interaction(session, people, event, now=now)
    for p in interaction.people:
        p.status = statuses.get(p.id, p.status)
    seen_uids.add(rec.uid)
    what = "upcoming meeting" if rec.state.value == "planned" else "meeting"
    if shared:
        what += f" (not linked to {', '.join(shared)}: several people share it)"
    return RecordResult(rec.record, rec.line, "created", "meeting", rec.title, what, interaction.id)


def _linked(rec: EventRecord, plan: _PeoplePlan) -> tuple[list[int], list[str]]:
    """The people a meeting links to (an address only one person has), and the addresses several share."""
    people: list[int] = []
    shared: list[str] = []
    for e in dict.fromkeys(normalize_email(e) for e in rec.emails):
        owners = plan.email_owners(e)
        if len(owners) == 1:
            people.append(next(iter(owners)))
        elif owners:
            shared.append(e)
    return list(dict.fromkeys(people)), shared


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

    def result(action: Action, reason: str, pid: int) -> RecordResult:
        return RecordResult(rec.record, rec.line, action, "person", target.data.name, reason, pid)

    if target.person_id is None:  # a new person
        if first:
            pid = bulk.add(target.data, target.photo)
            plan.new_ids[d.group] = pid
            reason = "; ".join(x for x in ("not in the journal yet", maybe) if x)
            return result("created", reason, pid)
        pid = plan.new_ids[d.group]
        earlier = plan.records[target.first].record
        if not added:
            return result("skipped", f"a duplicate of record {earlier} in this import ({_why(d)})", pid)
        return result("updated", f"{_why(d)} as record {earlier} in this import; added {', '.join(added)}", pid)
    pid = target.person_id
    if not target.written and any(target.changed.values()):
        if target.photo is not None:  # only set when they had none
            get_person(session, pid).photo = target.photo
        update_person(session, pid, target.data, now=now)
        target.written = True
    if not added:
        return result("skipped", f"already in the journal ({_why(d)}), nothing new", pid)
    return result("updated", f"{_why(d)}; added {', '.join(added)}", pid)
