"""Opening the journal database: checks, automatic backups, migrations, sessions.

`open_journal(data_dir)` is the one entry point. It refuses (and never modifies) a database that is
corrupt, unreadable or written by a newer netjournal; it backs the file up before any migration; and it
gives back a `Journal` holding the engine and a session factory.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import sqlite3
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from netjournal.core.clock import utcnow
from netjournal.core.errors import (
    CorruptDatabaseError,
    DatabaseBusyError,
    NewerSchemaError,
    UnreadableDatabaseError,
)
from netjournal.core.paths import DataDir

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from alembic.config import Config

# Alembic is imported only when a migration has to run (or its answer is needed): on an up-to-date
# journal, opening it reads the revision with one query and the head from the version files, which
# keeps ~0.3 s of imports off the start-up path.

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
BUSY_TIMEOUT_MS = 10_000
SQLITE_HEADER = b"SQLite format 3\x00"


def alembic_config(url: str) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", url)
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    assert head is not None
    return head


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    return {rev.revision for rev in script.walk_revisions()}


def _on_connect(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    # WAL keeps readers and the one writer out of each other's way; a killed process loses nothing
    # that was committed. busy_timeout makes a second process wait instead of failing at once.
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cur.close()


def make_engine(url: str) -> Engine:
    engine = create_engine(url, future=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _on_connect)
    return engine


def _make_private(path: Path) -> None:
    if sys.platform != "win32" and path.exists():
        path.chmod(0o600)


def _precheck_file(path: Path, backups: Path) -> None:
    """Refuse a file that is not a readable SQLite database, before SQLAlchemy touches it."""
    latest = latest_backup(backups)
    if not os.access(path, os.R_OK):
        raise UnreadableDatabaseError(f"The journal file {path} cannot be read (check its permissions).", path, latest)
    size = path.stat().st_size
    if size == 0:
        return  # an empty file is a new database (SQLite treats it so)
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
    page_size = int.from_bytes(header_bytes(path)[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    declared_pages = int.from_bytes(header_bytes(path)[28:32], "big")
    if page_size and declared_pages and size < page_size * declared_pages:
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


def verify_integrity(path: Path, backups: Path) -> None:
    """Read every page (PRAGMA quick_check, ~0.1 s for a large journal). Raises CorruptDatabaseError."""
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            rows = con.execute("PRAGMA quick_check").fetchall()
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        rows = [(str(exc),)]
    if rows != [("ok",)]:
        detail = "; ".join(str(r[0]) for r in rows[:3])
        raise CorruptDatabaseError(
            f"The journal file {path} is damaged ({detail}). Your latest entries are still readable where "
            "possible; please restore a backup soon.",
            path,
            latest_backup(backups),
        )


def latest_backup(backups: Path) -> Path | None:
    if not backups.is_dir():
        return None
    files = sorted(backups.glob("*.sqlite3"), key=lambda p: p.stat().st_mtime, reverse=True)
    return files[0] if files else None


def backup_database(source: Path, target: Path) -> Path:
    """A consistent copy of a live SQLite database (the online backup API), private to the user."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".part")
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        dst = sqlite3.connect(tmp)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")  # a backup is one self-contained file
        finally:
            dst.close()
    finally:
        src.close()
    _make_private(tmp)
    os.replace(tmp, target)
    return target


def rotate_backups(backups: Path, prefix: str, keep: int) -> None:
    files = sorted(backups.glob(f"{prefix}*.sqlite3"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in files[keep:]:
        with contextlib.suppress(OSError):
            old.unlink()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        has_table = conn.execute(
            text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'")
        ).first()
        if has_table is None:
            return None
        row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
        return str(row[0]) if row is not None else None


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


@dataclass
class Journal:
    """An open journal: the engine and a session factory. Use `session()` for a transaction."""

    data_dir: DataDir
    engine: Engine
    sessions: sessionmaker[Session]

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: committed when the block ends normally, rolled back on any error."""
        with self.sessions() as session:
            try:
                with session.begin():
                    yield session
            except OperationalError as exc:
                if "locked" in str(exc).lower() or "busy" in str(exc).lower():
                    raise DatabaseBusyError(
                        "Another netjournal window or command is writing to this journal right now. "
                        "Nothing was changed; please try again in a moment."
                    ) from exc
                raise

    def read(self) -> Session:
        """A session for reading only (no transaction is kept open longer than needed)."""
        return self.sessions()

    def close(self) -> None:
        self.engine.dispose()


def open_journal(data_dir: DataDir, *, migrate: bool = True, now: datetime | None = None) -> Journal:
    """Open (creating if needed) the journal in `data_dir`, migrating it to the current schema.

    Raises CorruptDatabaseError, UnreadableDatabaseError or NewerSchemaError with a message naming the
    file and the latest backup; in each case the file is left untouched.
    """
    data_dir.ensure()
    path = data_dir.database
    existed = path.exists() and path.stat().st_size > 0
    if existed:
        _precheck_file(path, data_dir.backups)
    engine = make_engine(data_dir.url)
    try:
        rev = current_revision(engine) if existed else None
        if migrate and rev is not None and rev == quick_head_revision():
            _make_private(path)
            return Journal(data_dir, engine, sessionmaker(engine, expire_on_commit=False))
        if rev is not None and rev not in known_revisions():
            raise NewerSchemaError(
                f"The journal {path} was written by a newer version of netjournal (schema {rev}). "
                "Please update netjournal; the file has been left exactly as it is.",
                path,
                latest_backup(data_dir.backups),
            )
        head = head_revision()
        if migrate and rev != head:
            if existed:
                stamp = (now or utcnow()).strftime("%Y%m%d-%H%M%S")
                target = data_dir.backups / f"pre-migration-{rev or 'unversioned'}-{stamp}.sqlite3"
                backup_database(path, target)
                log.info("backed up the journal before migrating from %s to %s", rev, head)
                rotate_backups(data_dir.backups, "pre-migration-", keep=5)
            from alembic import command

            with engine.begin() as conn:
                cfg = alembic_config(data_dir.url)
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
        _make_private(path)
    except BaseException:
        engine.dispose()
        raise
    return Journal(data_dir, engine, sessionmaker(engine, expire_on_commit=False))
