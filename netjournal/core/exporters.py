"""Exporting the journal: a complete JSON backup, vCard 3.0, CSV and a readable Markdown journal.

Every export is written atomically (a temporary file beside the target, then renamed) and is
readable by the user only (mode 0600): an export holds private notes. Standard output (`-`) and
pipes are written to as streams; the journal's own files are never a target (netjournal.core.outputs).

JSON backup format (``format_version`` 1)
------------------------------------------
One UTF-8 JSON object::

    {
      "format": "netjournal-backup",
      "format_version": 1,
      "app_version": "0.1.0",
      "schema_revision": "<alembic revision of the database>",
      "exported_at": "2026-03-16T10:00:00+00:00",
      "tables": {
        "<table name>": [ {"<column>": <value>, ...}, ... ],
        ...
      }
    }

``tables`` holds every table of the journal (people, contact_points, addresses, important_dates,
tags, person_tags, interactions, interaction_people, commitments, energy_logs, plans,
question_entries, reflections, ladders, ladder_steps, ladder_attempts, suggestion_events,
settings, drafts), each row with every column under its database name, trashed rows included
(``deleted_at`` set). Values: date-times are ISO 8601 in UTC with an offset, dates are
``YYYY-MM-DD``, binary values (photos) are base64 strings, JSON columns are nested JSON, enums are
their string values, everything else is a JSON string, number, boolean or null. Tables are listed
parents first, so the rows can be inserted in that order. `import_json_backup` reads it back into
an empty journal.
"""

from __future__ import annotations

import base64
import csv
import json
from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Any, Literal, TextIO

import vobject
from sqlalchemy import Date, DateTime, LargeBinary, Table, func, select
from sqlalchemy.orm import Session, selectinload

from netjournal import __version__
from netjournal.core.errors import NetjournalError
from netjournal.core.importers.base import X_PROPERTIES
from netjournal.core.journal import CHANNEL_LABELS, CIRCLE_LABELS, STATUS_LABELS, live_people
from netjournal.core.models import (
    Base,
    Commitment,
    CommitmentStatus,
    Direction,
    EnergyLog,
    Interaction,
    Ladder,
    Person,
    Plan,
    QuestionEntry,
    Reflection,
    interaction_people,
)
from netjournal.core.outputs import Output, OutputProblem, write_text_output
from netjournal.core.paths import DataDir
from netjournal.core.text import csv_cell, md_text

FORMAT_NAME = "netjournal-backup"
FORMAT_VERSION = 1
ExportFormat = Literal["json", "vcard", "csv", "markdown"]
FORMATS: tuple[str, ...] = ("json", "vcard", "csv", "markdown")
SUFFIXES = {"json": ".json", "vcard": ".vcf", "csv": ".csv", "markdown": ".md"}


class ExportProblem(NetjournalError):
    pass


def write_atomic(target: Path, write: Callable[[TextIO], None], data_dir: DataDir | None = None) -> Path:
    """Write a UTF-8 text file all at once (temp file + rename), readable by the user only; a pipe or
    standard output is written to as a stream (see netjournal.core.outputs)."""
    try:
        out = write_text_output(target, write, data_dir, what="export")
    except OutputProblem as exc:
        raise ExportProblem(exc.message) from exc
    return out.path if out.path is not None else Path(target)


# ---------------------------------------------------------------------------------------------- JSON


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, Enum):
        return value.value
    return value


def _schema_revision(session: Session) -> str | None:
    from sqlalchemy import text

    try:
        return session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except Exception:
        return None


def journal_tables() -> list[Table]:
    return [t for t in Base.metadata.sorted_tables]


def export_json(session: Session, out: TextIO, *, now: datetime) -> None:
    """The complete backup, streamed table by table (memory stays small on a large journal)."""
    head = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "app_version": __version__,
        "schema_revision": _schema_revision(session),
        "exported_at": now.isoformat(),
    }
    out.write("{\n")
    for key, value in head.items():
        out.write(f" {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)},\n")
    out.write(' "tables": {')
    for t, table in enumerate(journal_tables()):
        out.write(("," if t else "") + f"\n  {json.dumps(table.name)}: [")
        order = [c for c in table.primary_key.columns]
        rows = session.execute(select(table).order_by(*order)).mappings()
        for i, row in enumerate(rows):
            item = {k: _json_value(v) for k, v in row.items()}
            out.write(("," if i else "") + "\n   " + json.dumps(item, ensure_ascii=False))
        out.write("\n  ]")
    out.write("\n }\n}\n")


def _from_json(column: Any, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(column.type, DateTime) or getattr(column.type, "impl", None) is DateTime:
        return datetime.fromisoformat(value)
    if hasattr(column.type, "impl") and isinstance(column.type.impl, DateTime):
        return datetime.fromisoformat(value)
    if isinstance(column.type, Date):
        return date.fromisoformat(value)
    if isinstance(column.type, LargeBinary):
        return base64.b64decode(value)
    return value


def import_json_backup(session: Session, data: bytes, *, source: str = "backup") -> int:
    """Load a JSON backup into an empty journal. Returns the number of rows loaded."""
    from netjournal.core.search import rebuild_index

    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ExportProblem(f"{source} is not a netjournal JSON backup ({exc}).") from exc
    if not isinstance(doc, dict) or doc.get("format") != FORMAT_NAME:
        raise ExportProblem(f"{source} is not a netjournal JSON backup.")
    if doc.get("format_version") != FORMAT_VERSION:
        raise ExportProblem(f"{source} has backup format {doc.get('format_version')}; this netjournal reads 1.")
    for model in (Person, Interaction, Reflection, Plan, Ladder, QuestionEntry, EnergyLog):
        if session.scalar(select(func.count()).select_from(model)):
            raise ExportProblem("A JSON backup can only be loaded into an empty journal (nothing was changed).")
    total = 0
    tables = doc.get("tables") or {}
    for table in journal_tables():
        rows = tables.get(table.name) or []
        if not rows:
            continue
        cols = {c.name: c for c in table.columns}
        clean = [{k: _from_json(cols[k], v) for k, v in row.items() if k in cols} for row in rows]
        session.execute(table.delete())
        session.execute(table.insert(), clean)
        total += len(clean)
    rebuild_index(session)
    return total


# -------------------------------------------------------------------------------------------- people


def _people(session: Session) -> list[Person]:
    opts = [selectinload(getattr(Person, r)) for r in ("contact_points", "addresses", "dates", "tags")]
    return list(session.scalars(live_people().options(*opts).order_by(Person.sort_name, Person.id)))


def _vcard_date(d: Any) -> str:
    return f"{d.year:04d}-{d.month:02d}-{d.day:02d}" if d.year else f"--{d.month:02d}-{d.day:02d}"


def person_vcard(p: Person) -> Any:
    card = vobject.vCard()
    card.add("fn").value = p.name
    card.add("n").value = vobject.vcard.Name(family=p.family_name, given=p.given_name)
    if p.nickname:
        card.add("nickname").value = p.nickname
    if p.organisation:
        card.add("org").value = [p.organisation]
    if p.role:
        card.add("title").value = p.role
    for cp in p.contact_points:
        if cp.kind not in ("email", "phone", "url"):
            continue
        line = card.add({"email": "email", "phone": "tel", "url": "url"}[cp.kind])
        line.value = cp.value
        if cp.label and cp.label.replace("-", "").replace(" ", "").isalnum():
            line.type_param = cp.label
    for a in p.addresses:
        line = card.add("adr")
        line.value = vobject.vcard.Address(
            street=a.street, city=a.locality, region=a.region, code=a.postcode, country=a.country
        )
        if a.label and a.label.isalnum():
            line.type_param = a.label
    for d in p.dates:
        if d.kind == "birthday":
            card.add("bday").value = _vcard_date(d)
        elif d.kind == "anniversary":
            card.add("x-anniversary").value = _vcard_date(d)
    if p.notes:
        card.add("note").value = p.notes
    if p.tags:
        card.add("categories").value = [t.name for t in p.tags]
    for prop, value in netjournal_properties(p).items():
        card.add(prop).value = value
    # The person's own UID (unique across journals); a re-import, or a sync, matches it first.
    card.add("uid").value = p.uid
    return card


def netjournal_properties(p: Person) -> dict[str, str]:
    values: dict[str, str] = {}
    for field_name, prop in X_PROPERTIES.items():
        value = getattr(p, field_name)
        if field_name == "status" and value is not None and value.value == "active":
            continue  # the default needs no line
        if value is None or value == "":
            continue
        values[prop] = value.isoformat() if isinstance(value, date) else str(getattr(value, "value", value))
    return values


def export_vcard(session: Session, out: TextIO, *, now: datetime) -> None:
    for p in _people(session):
        out.write(person_vcard(p).serialize())


CSV_COLUMNS = [
    "Name",
    "Given Name",
    "Family Name",
    "Nickname",
    "Organization",
    "Job Title",
    "E-mail Address",
    "Phone",
    "Web Page",
    "Birthday",
    "Address",
    "Circle",
    "Status",
    "Labels",
    "Cadence (days)",
    "How We Met",
    "Met On",
    "Last Contact",
    "Family",
    "Occupation",
    "Recreation",
    "Dreams",
    "Notes",
    "UID",
]


def _last_contacts(session: Session) -> dict[int, datetime]:
    from netjournal.core.journal import last_contacts

    return last_contacts(session)


class _SafeCells:
    """A csv writer whose cells a spreadsheet shows as text, never runs as a formula (see csv_cell)."""

    def __init__(self, out: TextIO) -> None:
        self.writer = csv.writer(out, lineterminator="\r\n")

    def writerow(self, row: list[Any]) -> None:
        self.writer.writerow([csv_cell(v) for v in row])


def export_csv(session: Session, out: TextIO, *, now: datetime) -> None:
    """One row per person; the column names are ones our importer (and Google's) read back.

    A cell that starts like a formula (=, +, -, @, tab, CR) gets a leading `'` (OWASP's advice against
    CSV injection); netjournal's importer recognises its own export and takes that `'` off again.
    """
    out.write("\ufeff")  # a byte order mark, so spreadsheet programs read the file as UTF-8
    w = _SafeCells(out)
    w.writerow(CSV_COLUMNS)
    last = _last_contacts(session)
    for p in _people(session):
        points = defaultdict(list)
        for cp in p.contact_points:
            points[cp.kind].append(cp.value)
        bday = next((_vcard_date(d) for d in p.dates if d.kind == "birthday"), "")
        addresses = [
            ", ".join(x for x in (a.street.replace("\n", ", "), a.postcode, a.locality, a.region, a.country) if x)
            for a in p.addresses
        ]
        w.writerow(
            [
                p.name,
                p.given_name,
                p.family_name,
                p.nickname,
                p.organisation,
                p.role,
                " ::: ".join(points["email"]),
                " ::: ".join(points["phone"]),
                " ::: ".join(points["url"]),
                bday,
                " | ".join(addresses),
                p.circle or "",
                p.status.value,
                " ::: ".join(t.name for t in p.tags),
                p.cadence_days or "",
                p.how_met,
                p.met_on.isoformat() if p.met_on else "",
                last[p.id].date().isoformat() if p.id in last else "",
                p.ford_family,
                p.ford_occupation,
                p.ford_recreation,
                p.ford_dreams,
                p.notes,
                p.uid,
            ]
        )


# ------------------------------------------------------------------------------------------ markdown


def _md_block(text: str, indent: str = "") -> list[str]:
    """User text as a Markdown quote with its markup escaped: nothing in it becomes a heading, a list,
    a link or HTML."""
    if not text.strip():
        return []
    return [f"{indent}> {line}".rstrip() for line in md_text(text.strip(), one_line=False).splitlines()]


def export_markdown(session: Session, out: TextIO, *, now: datetime) -> None:
    people = _people(session)
    meetings: dict[int, list[Any]] = defaultdict(list)
    rows = session.execute(
        select(
            interaction_people.c.person_id,
            Interaction.at,
            Interaction.state,
            Interaction.channel,
            Interaction.title,
            Interaction.notes,
        )
        .join(Interaction, Interaction.id == interaction_people.c.interaction_id)
        .where(Interaction.deleted_at.is_(None))
        .order_by(Interaction.at.desc())
    )
    for pid, *meeting in rows:
        meetings[pid].append(meeting)
    promises: dict[int, list[Commitment]] = defaultdict(list)
    for c in session.scalars(
        select(Commitment).where(Commitment.deleted_at.is_(None)).order_by(Commitment.due_on, Commitment.id)
    ):
        promises[c.person_id].append(c)

    lines = ["# My netjournal", "", f"Exported {now:%Y-%m-%d %H:%M} UTC. {len(people)} people.", ""]
    for p in people:
        out.write("\n".join(lines) + ("\n" if lines else ""))
        lines = [f"## {md_text(p.name)}", ""]
        facts = [
            ("Organisation", " · ".join(x for x in (p.role, p.organisation) if x)),
            ("Circle", CIRCLE_LABELS.get(p.circle, "") if p.circle else ""),
            ("Status", STATUS_LABELS[p.status] if p.status.value != "active" else ""),
            ("How we met", p.how_met),
            ("E-mail", ", ".join(c.value for c in p.contact_points if c.kind == "email")),
            ("Phone", ", ".join(c.value for c in p.contact_points if c.kind == "phone")),
            ("Links", ", ".join(c.value for c in p.contact_points if c.kind == "url")),
            ("Dates", ", ".join(f"{d.kind} {_vcard_date(d).lstrip('-')}" for d in p.dates)),
            ("Tags", ", ".join(t.name for t in p.tags)),
            ("Family", p.ford_family),
            ("Occupation", p.ford_occupation),
            ("Recreation", p.ford_recreation),
            ("Dreams", p.ford_dreams),
        ]
        lines += [f"- **{k}:** {md_text(v)}" for k, v in facts if v]
        if p.notes.strip():
            lines += ["", *_md_block(p.notes)]
        open_ones = [c for c in promises.get(p.id, []) if c.status is CommitmentStatus.OPEN]
        if open_ones:
            lines += ["", "### Open promises", ""]
            for c in open_ones:
                who = "I owe" if c.direction is Direction.I_OWE else "They owe"
                due = f" (by {c.due_on:%Y-%m-%d})" if c.due_on else ""
                lines.append(f"- {who}: {md_text(c.text)}{due}")
        if meetings.get(p.id):
            lines += ["", "### Meetings", ""]
            for at, state, channel, title, notes in meetings[p.id]:
                planned = {"planned": " (planned)", "cancelled": " (cancelled)"}.get(state.value, "")
                heading = f" — {md_text(title)}" if title else ""
                lines.append(f"- {at:%Y-%m-%d}: {CHANNEL_LABELS[channel]}{heading}{planned}")
                lines += _md_block(notes, "  ")
        lines.append("")

    reflections = list(
        session.scalars(select(Reflection).where(Reflection.deleted_at.is_(None)).order_by(Reflection.occurred_at))
    )
    if reflections:
        lines += ["# Reflections", ""]
        for r in reflections:
            lines += [f"## {r.occurred_at:%Y-%m-%d} — {md_text(r.title or r.kind.value.replace('_', ' '))}", ""]
            lines += _md_block(r.situation)
            lines.append("")
    plans = list(session.scalars(select(Plan).where(Plan.deleted_at.is_(None)).order_by(Plan.id)))
    if plans:
        lines += ["# Plans", ""]
        for pl in plans:
            when = f"{pl.at:%Y-%m-%d} — " if pl.at else ""
            lines += [f"## {when}{md_text(pl.title or 'Plan')}", ""]
            if pl.purpose:
                lines += [f"- **Purpose:** {md_text(pl.purpose)}"]
            if pl.ask:
                lines += [f"- **My ask:** {md_text(pl.ask)}"]
            lines.append("")
    out.write("\n".join(lines))


EXPORTERS: dict[str, Callable[..., None]] = {
    "json": export_json,
    "vcard": export_vcard,
    "csv": export_csv,
    "markdown": export_markdown,
}


def export_to(
    session: Session, fmt: str, target: Path | Output, *, now: datetime, data_dir: DataDir | None = None
) -> Path:
    """Write the export; `data_dir` is the journal's folder, which an export never overwrites."""
    exporter = EXPORTERS.get(fmt)
    if exporter is None:
        raise ExportProblem(f"Unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}.")
    if isinstance(target, Output):
        write_text_output(target, lambda out: exporter(session, out, now=now), data_dir, what="export")
        return target.path if target.path is not None else Path(target.shown)
    return write_atomic(target, lambda out: exporter(session, out, now=now), data_dir)
