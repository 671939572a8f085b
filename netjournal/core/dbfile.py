"""The journal file itself, without SQLAlchemy: the header checks, the schema head, the latest backup.

Shared by `db.open_journal` and the thin read path (`reader.py`) so both judge a file the same way
and the reading commands do not import SQLAlchemy to do it.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from netjournal.core.errors import CorruptDatabaseError, UnreadableDatabaseError
from netjournal.core.paths import sqlite_uri

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
    problem = _probe_error(sqlite_uri(path, mode="ro"))
    if problem is not None:  # perhaps only because it is read-only here: try the ways reading_uri knows
        with reading_uri(path) as uri:
            problem = _probe_error(uri)
    if problem is not None:
        raise CorruptDatabaseError(
            f"The journal file {path} is damaged ({problem}). It has been left exactly as it is.", path, latest
        ) from problem


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


SIDE_SUFFIXES = ("-wal", "-shm", "-journal")


def side_files(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in SIDE_SUFFIXES]


def _probe_error(uri: str) -> sqlite3.Error | None:
    """Why the database at `uri` cannot be read (None when it can)."""
    try:
        con = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            con.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            con.close()
    except sqlite3.Error as exc:
        return exc
    return None


def _probe(uri: str) -> bool:
    return _probe_error(uri) is None


def _has_log(path: Path) -> bool:
    """True when a write-ahead log (or a rollback journal) beside `path` may hold changes."""
    return any(p.exists() and p.stat().st_size > 0 for p in (side_files(path)[0], side_files(path)[2]))


@contextlib.contextmanager
def reading_uri(path: Path) -> Iterator[str]:
    """A `file:` URI that reads the database at `path` as it is, changes in its write-ahead log
    included, and writes nothing beside it (so a read-only file, folder or disk can be read).

    SQLite reads a WAL database read-only only when it can use (or create) the -shm index next to
    it. When it cannot: without a log, the file alone is the whole database (`immutable=1`); with
    one, the file and its log are copied to a private temporary folder where SQLite replays the log.
    """
    uri = sqlite_uri(path, mode="ro")
    if _probe(uri):
        yield uri
        return
    if not _has_log(path):
        yield sqlite_uri(path, mode="ro", immutable="1")
        return
    with tempfile.TemporaryDirectory(prefix="netjournal-read-") as tmp:
        yield sqlite_uri(private_copy(path, Path(tmp)))


def private_copy(path: Path, folder: Path) -> Path:
    """Copy a database and its logs (never the -shm index, which SQLite rebuilds) into `folder`."""
    copy = folder / path.name
    for suffix in ("", "-wal", "-journal"):
        part = path.with_name(path.name + suffix)
        if part.exists():
            shutil.copyfile(part, copy.with_name(copy.name + suffix))
            os.chmod(copy.with_name(copy.name + suffix), 0o600)
    return copy


@contextlib.contextmanager
def reading_connection(path: Path, key: JournalKey | None = None) -> Iterator[Any]:
    """A DB-API connection that only reads `path`: through reading_uri for a plain journal (so a read-only
    file, folder or disk works), SQLCipher's keyed connection for an encrypted one."""
    if key is None:
        with reading_uri(path) as uri:
            con = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
            try:
                yield con
            finally:
                con.close()
        return
    from netjournal.core import cipher

    con = cipher.connect(path, key, read_only=True, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        yield con
    finally:
        con.close()
