"""An import in one transaction (`run_import`), a dry run that keeps nothing, and loading a netjournal JSON
backup in place of contact files."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from netjournal.core.db import Journal
from netjournal.core.importers.apply import apply_files, read_checked
from netjournal.core.importers.base import (
    ImportProblem,
    read_bytes,
)
from netjournal.core.importers.report import FileReport, ImportReport, Progress, RecordResult

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
        parsed = read_checked(paths, now=now, circle=circle, progress=progress, skip_invalid=skip_invalid)
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
