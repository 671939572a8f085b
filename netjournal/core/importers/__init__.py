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

The rooms: `reading` (files to records), `plan` (who each contact is), `apply` (the writing),
`run` (the transaction, dry runs, JSON backups) and `report`; the readers of each format are `vcard`,
`csvfile` and `ics` over `base`. Callers use this package's names.
"""

from __future__ import annotations

from netjournal.core.importers.apply import (
    apply_files,
    import_files,
)
from netjournal.core.importers.base import ImportProblem
from netjournal.core.importers.plan import (
    merge_person_data,
)
from netjournal.core.importers.reading import (
    ParsedFile,
    estimate_records,
    load_text,
    parse_text,
    read_file,
    read_files,
)
from netjournal.core.importers.report import (
    Action,
    FileReport,
    ImportReport,
    Progress,
    RecordResult,
)
from netjournal.core.importers.run import (
    MAX_BACKUP_BYTES,
    is_json_backup,
    run_import,
)

__all__ = [
    "MAX_BACKUP_BYTES",
    "Action",
    "FileReport",
    "ImportProblem",
    "ImportReport",
    "ParsedFile",
    "Progress",
    "RecordResult",
    "apply_files",
    "estimate_records",
    "import_files",
    "is_json_backup",
    "load_text",
    "merge_person_data",
    "parse_text",
    "read_file",
    "read_files",
    "run_import",
]
