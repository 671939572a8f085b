"""The journal file itself, without SQLAlchemy: the header checks, the schema head, the latest backup.

Shared by `db.open_journal` and the thin read path (`reader.py`) so both judge a file the same way
and the reading commands do not import SQLAlchemy to do it.
"""

from __future__ import annotations

import os
import re
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from netjournal.core.errors import CorruptDatabaseError, UnreadableDatabaseError

if TYPE_CHECKING:
    from netjournal.core.cipher import JournalKey

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
BUSY_TIMEOUT_MS = 10_000
SQLITE_HEADER = b"SQLite format 3\x00"


def precheck_file(path: Path, backups: Path, key: JournalKey | None = None) -> None:
    """Refuse a file that is not a readable SQLite database, before SQLAlchemy touches it."""
    latest = latest_backup(backups)
    if not os.access(path, os.R_OK):
        raise UnreadableDatabaseError(f"The journal file {path} cannot be read (check its permissions).", path, latest)
    size = path.stat().st_size
    if size == 0:
        return  # an empty file is a new database (SQLite treats it so)
    if key is not None:
        from netjournal.core import cipher

        cipher.connect(path, key, read_only=True).close()  # a wrong key says so plainly
        return
    with path.open("rb") as fh:
        header = fh.read(len(SQLITE_HEADER))
    if header != SQLITE_HEADER:
        raise CorruptDatabaseError(
            f"The journal file {path} is not a netjournal database, or it is damaged. "
            "It has been left exactly as it is.",
            path,
            latest,
        )
    # The header says how many pages the file should have: a shorter file was truncated. This is O(1);
    # the full page-by-page check (verify_integrity) runs in the background once the app is up.
    # Not when a write-ahead log is there: a checkpoint cut short (say by a full disk) leaves a header that
    # promises pages the file does not have yet while the log still holds them, and the journal is intact.
    head = header_bytes(path)
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    declared_pages = int.from_bytes(head[28:32], "big")
    header_valid = head[24:28] == head[92:96]  # SQLite trusts the size field only when these match
    wal = path.with_name(path.name + "-wal")
    wal_pending = wal.exists() and wal.stat().st_size > 0
    if page_size and declared_pages and header_valid and not wal_pending and size < page_size * declared_pages:
        raise CorruptDatabaseError(
            f"The journal file {path} is incomplete (it is shorter than it should be; it may have been "
            "cut off while copying). It has been left exactly as it is.",
            path,
            latest,
        )
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            con.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise CorruptDatabaseError(
            f"The journal file {path} is damaged ({exc}). It has been left exactly as it is.", path, latest
        ) from exc


def header_bytes(path: Path) -> bytes:
    with path.open("rb") as fh:
        return fh.read(100)


def latest_backup(backups: Path) -> Path | None:
    if not backups.is_dir():
        return None
    files = sorted(backups.glob("*.sqlite3"), key=lambda p: p.stat().st_mtime, reverse=True)
    return files[0] if files else None


_REVISION_RE = re.compile(r"^revision(?:: *str)? *= *[\"']([^\"']+)[\"'] *$", re.M)
_DOWN_RE = re.compile(r"^down_revision(?:: *[^=]+)? *= *(?:None|[\"']([^\"']+)[\"']) *$", re.M)


def quick_head_revision() -> str | None:
    """The head read straight from the version files, or None when they are not a simple chain
    (then the caller asks Alembic)."""
    revisions: set[str] = set()
    downs: set[str] = set()
    for script in (MIGRATIONS_DIR / "versions").glob("*.py"):
        source = script.read_text(encoding="utf-8")
        rev, down = _REVISION_RE.search(source), _DOWN_RE.search(source)
        if rev is None or down is None:
            return None
        revisions.add(rev.group(1))
        if down.group(1):
            downs.add(down.group(1))
    heads = revisions - downs
    return heads.pop() if len(heads) == 1 and len(revisions) == len(downs) + 1 else None
