"""Opening the journal database: checks, automatic backups, migrations, sessions.

`open_journal(data_dir)` is the one entry point. It refuses (and never modifies) a database that is
corrupt, unreadable or written by a newer netjournal; it backs the file up before any migration; and it
gives back a `Journal` holding the engine and a session factory.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DatabaseError

# Re-exported: the UI types its database jobs with it and imports no sqlalchemy itself.
from sqlalchemy.orm import Session as Session
from sqlalchemy.orm import sessionmaker

from netjournal.core import cipher
from netjournal.core.cipher import JournalKey
from netjournal.core.clock import utcnow

# The file checks live in dbfile (no SQLAlchemy there, for the thin read path); re-exported here.
from netjournal.core.dbfile import (
    BUSY_TIMEOUT_MS,
    MIGRATIONS_DIR,
    latest_backup,
    quick_head_revision,
    reading_connection,
    reading_uri,
)
from netjournal.core.dbfile import SQLITE_HEADER as SQLITE_HEADER
from netjournal.core.dbfile import header_bytes as header_bytes
from netjournal.core.dbfile import precheck_file as _precheck_file
from netjournal.core.dbfile import side_files as side_files
from netjournal.core.errors import (
    CorruptDatabaseError,
    DatabaseBusyError,
    DataDirError,
    DiskFullError,
    NetjournalError,
    NewerSchemaError,
    ReadOnlyDatabaseError,
    UnreadableDatabaseError,
)
from netjournal.core.paths import DataDir

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from alembic.config import Config

# Alembic is imported only when a migration has to run (or its answer is needed): on an up-to-date
# journal, opening it reads the revision with one query and the head from the version files, which
# keeps ~0.3 s of imports off the start-up path.


def _config_value(value: str) -> str:
    # Alembic keeps its options in a configparser, which reads "%" as interpolation.
    return value.replace("%", "%%")


def alembic_config(url: str | URL) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", _config_value(str(MIGRATIONS_DIR)))
    rendered = url.render_as_string(hide_password=False) if isinstance(url, URL) else url
    cfg.set_main_option("sqlalchemy.url", _config_value(rendered))
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
    # Python's sqlite3 would start a transaction only at the first INSERT/UPDATE/DELETE, leaving the
    # reads and PRAGMAs before it outside the transaction (a read-then-write is not atomic, and
    # `PRAGMA defer_foreign_keys` is lost). netjournal issues BEGIN itself instead (see _on_begin).
    dbapi_conn.isolation_level = None


WRITE = "netjournal_write"  # execution option: this transaction will write (BEGIN IMMEDIATE)


def _on_begin(conn: Any) -> None:
    # A writing transaction takes the write lock up front (waiting up to busy_timeout for it), so it
    # never meets "database is locked" half-way when another process wrote since it started reading.
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(WRITE) else "BEGIN")


def make_engine(url: str | URL, *, key: JournalKey | None = None, path: Path | None = None) -> Engine:
    # hide_parameters: an error message or crash report never carries journal text (SQL parameters).
    if key is not None:
        assert path is not None, "an encrypted journal is opened by its path"
        # The sqlite dialect with SQLCipher's DB-API module: the key goes first on every connection.
        engine = create_engine(
            url, future=True, hide_parameters=True, module=cipher.sqlcipher(), creator=cipher.creator(path, key)
        )
    else:
        engine = create_engine(url, future=True, hide_parameters=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _on_connect)
        event.listen(engine, "begin", _on_begin)
    return engine


def _make_private(path: Path) -> None:
    if sys.platform != "win32" and path.exists():
        path.chmod(0o600)


def _create_private(path: Path) -> None:
    """Create an empty file readable by the user only, whatever the umask.

    SQLite gives its -wal and -shm side files the mode of the database file, so a database that is
    private from its first byte keeps its side files private too.
    """
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def _precheck_writable(path: Path, backups: Path) -> None:
    """Refuse, before touching anything, a journal this user cannot write (it would fail on the first save)."""
    if sys.platform == "win32":
        return
    folder = path.parent
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ReadOnlyDatabaseError(
            f"netjournal cannot write in the journal's folder {folder} (it is read-only for you), "
            "so it could not save anything. Check the folder's permissions. Nothing was changed.",
            path,
            latest_backup(backups),
        )
    for p in (path, *side_files(path)):
        if p.exists() and not os.access(p, os.W_OK):
            raise ReadOnlyDatabaseError(
                f"The journal file {p} is read-only for you, so netjournal could not save anything to it. "
                "Check the file's permissions (it should belong to you and be writable by you). "
                "It has been left exactly as it is.",
                path,
                latest_backup(backups),
            )


def known_problem(exc: DatabaseError, path: Path, backups: Path) -> NetjournalError | None:
    """The plain-language problem behind a database error from SQLite, or None for a bug."""
    text = str(exc.orig if getattr(exc, "orig", None) is not None else exc).lower()
    if "locked" in text or "busy" in text:
        return DatabaseBusyError(
            "Another netjournal window or command is writing to this journal right now. "
            "Nothing was changed; please try again in a moment."
        )
    if "disk is full" in text or "database or disk is full" in text:
        return DiskFullError(
            "The disk is full, so this was not saved. Nothing in your journal was changed; "
            "free up some space and try again."
        )
    if "readonly" in text or "read-only" in text:
        return ReadOnlyDatabaseError(
            f"The journal file {path} is read-only for you, so this was not saved. Nothing was changed; "
            "check the permissions of the file and its folder.",
            path,
            latest_backup(backups),
        )
    if "disk i/o error" in text:
        return NetjournalError(
            f"The disk reported an error while netjournal was using {path}, so this was not saved. "
            "Nothing was changed. The disk may be failing or was removed; a backup is a good idea."
        )
    if "malformed" in text or "not a database" in text or "corrupt" in text:
        return CorruptDatabaseError(
            f"The journal file {path} is damaged, so this was not saved. Nothing was changed; please restore a backup.",
            path,
            latest_backup(backups),
        )
    if "unable to open database file" in text:
        return UnreadableDatabaseError(
            f"netjournal could not open {path} (is its folder still there and yours?). Nothing was changed.",
            path,
            latest_backup(backups),
        )
    return None


def verify_integrity(path: Path, backups: Path, key: JournalKey | None = None) -> None:
    """Read every page (PRAGMA quick_check, ~0.1 s for a large journal). Raises CorruptDatabaseError."""
    try:
        with reading_connection(path, key) as con:
            rows = con.execute("PRAGMA quick_check").fetchall()
    except (cipher.WrongPassphraseError, *cipher.database_errors(key)) as exc:  # type: ignore[misc]
        rows = [(str(exc),)]
    if rows != [("ok",)]:
        detail = "; ".join(str(r[0]) for r in rows[:3])
        raise CorruptDatabaseError(
            f"The journal file {path} is damaged ({detail}). Your latest entries are still readable where "
            "possible; please restore a backup soon.",
            path,
            latest_backup(backups),
        )


def backup_database(source: Path, target: Path, key: JournalKey | None = None) -> Path:
    """A consistent copy of a live SQLite database (the online backup API), private to the user.

    The copy of an encrypted journal is encrypted with the same key (and opens with the same passphrase)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".part")
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()  # left by an interrupted backup
    _create_private(tmp)
    try:
        with reading_connection(source, key) as src:
            dst = sqlite3.connect(tmp) if key is None else cipher.sqlcipher().connect(str(tmp))
            try:
                if key is not None:
                    dst.execute(key.pragma)  # the copy opens with the journal's passphrase
                src.backup(dst)
                dst.execute("PRAGMA journal_mode=DELETE")  # a backup is one self-contained file
            finally:
                dst.close()
        _make_private(tmp)
        os.replace(tmp, target)
    except (OSError, cipher.WrongPassphraseError, *cipher.database_errors(key)) as exc:  # type: ignore[misc]
        with contextlib.suppress(OSError):
            tmp.unlink()  # never leave half a backup behind
        if isinstance(exc, OSError):
            raise
        raise OSError(f"could not write the backup {target}: {exc}") from exc
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


class JournalSession(Session):
    """A Session whose database errors from SQLite arrive as plain-language problems (see known_problem).

    Both `journal.session()` and `with journal.read() as s:` use it, so a damaged page met while
    reading gives the same clear message as one met while writing.
    """

    def __exit__(self, type_: Any, value: Any, traceback: Any) -> None:
        super().__exit__(type_, value, traceback)
        if isinstance(value, DatabaseError) and "database" in self.info:
            problem = known_problem(value, self.info["database"], self.info["backups"])
            if problem is not None:
                raise problem from value


@dataclass
class Journal:
    """An open journal: the engine and a session factory. Use `session()` for a transaction."""

    data_dir: DataDir
    engine: Engine
    sessions: sessionmaker[JournalSession]
    key: JournalKey | None = None  # set when the journal is encrypted (see core/cipher.py)
    read_only: bool = False  # opened by open_journal_for_reading on a journal that cannot be written
    _cleanup: contextlib.ExitStack = field(default_factory=contextlib.ExitStack, repr=False)

    @property
    def encrypted(self) -> bool:
        return self.key is not None

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: committed when the block ends normally, rolled back on any error."""
        if self.read_only:
            raise ReadOnlyDatabaseError(
                f"The journal {self.data_dir.database} is read-only for you, so netjournal can read it (people, "
                "search, export, backup) but not change it. Nothing was changed; check the permissions of the "
                "file and its folder, or restore a copy into a folder of yours.",
                self.data_dir.database,
            )
        with self.sessions() as session:
            try:
                with session.begin():
                    session.connection(execution_options={WRITE: True})
                    yield session
            except DatabaseError as exc:  # the transaction has been rolled back
                problem = known_problem(exc, self.data_dir.database, self.data_dir.backups)
                if problem is None:
                    raise
                raise problem from exc

    def read(self) -> Session:
        """A session for reading only (no transaction is kept open longer than needed)."""
        return self.sessions()

    def close(self) -> None:
        self.engine.dispose()
        self._cleanup.close()

    def change_protection(self, *, old_passphrase: str | None, new_passphrase: str | None) -> cipher.Conversion:
        """Encrypt, re-key or decrypt this open journal: its connections are closed for the conversion and
        opened again on the converted file (with the new key), so the same Journal object keeps working.
        Call it from the thread that owns the journal's connections (the GUI's database worker)."""
        self.engine.dispose()
        try:
            result = cipher.change_protection(
                self.data_dir, old_passphrase=old_passphrase, new_passphrase=new_passphrase
            )
        finally:
            path = self.data_dir.database
            key = cipher.key_for(path, new_passphrase) if new_passphrase and cipher.is_encrypted(path) else None
            if key is None and cipher.is_encrypted(path):
                key = self.key  # the conversion did not happen: the old key still opens it
            fresh = make_journal(self.data_dir, make_engine(self.data_dir.url, key=key, path=path), key)
            self.engine, self.sessions, self.key = fresh.engine, fresh.sessions, fresh.key
        return result


@contextlib.contextmanager
def _explained(path: Path, backups: Path, *, cleanup: Callable[[], object]) -> Iterator[None]:
    """Opening a journal: on any failure `cleanup` runs first, and a database error with a known cause
    becomes that plain problem (naming the file and the latest backup)."""
    try:
        yield
    except DatabaseError as exc:
        cleanup()
        problem = known_problem(exc, path, backups)
        if problem is None:
            raise
        raise problem from exc
    except BaseException:
        cleanup()
        raise


def _refuse_newer(rev: str | None, path: Path, backups: Path) -> None:
    """A journal of a schema this version does not know is left alone (NewerSchemaError)."""
    if rev is None or rev in known_revisions():
        return
    message = (
        f"The journal {path} was written by a newer version of netjournal (schema {rev}). "
        "Please update netjournal; the file has been left exactly as it is."
    )
    raise NewerSchemaError(message, path, latest_backup(backups))


def make_journal(data_dir: DataDir, engine: Engine, key: JournalKey | None = None) -> Journal:
    """The Journal for an engine on `data_dir` (every way out of open_journal goes through here)."""
    sessions = sessionmaker(
        engine,
        class_=JournalSession,
        expire_on_commit=False,
        info={"database": data_dir.database, "backups": data_dir.backups},
    )
    return Journal(data_dir, engine, sessions, key)


def open_journal(
    data_dir: DataDir,
    *,
    migrate: bool = True,
    now: datetime | None = None,
    passphrase: str | None = None,
    key: JournalKey | None = None,
) -> Journal:
    """Open (creating if needed) the journal in `data_dir`, migrating it to the current schema.

    Raises CorruptDatabaseError, UnreadableDatabaseError or NewerSchemaError with a message naming the
    file and the latest backup; in each case the file is left untouched. An encrypted journal needs its
    `passphrase` (or an already derived `key`): LockedJournalError without one, WrongPassphraseError
    for a wrong one.
    """
    data_dir.ensure()
    path = data_dir.database
    cipher.clean_leftovers(path)
    existed = path.exists() and path.stat().st_size > 0
    if existed and key is None:
        key = cipher.unlock(path, passphrase)
    if existed:
        _precheck_file(path, data_dir.backups, key)
    _precheck_writable(path, data_dir.backups)
    if not path.exists():
        _create_private(path)
    engine = make_engine(data_dir.url, key=key, path=path)
    with _explained(path, data_dir.backups, cleanup=engine.dispose):
        rev = current_revision(engine) if existed else None
        if migrate and rev is not None and rev == quick_head_revision():
            for p in (path, *side_files(path)):
                _make_private(p)
            return make_journal(data_dir, engine, key)
        _refuse_newer(rev, path, data_dir.backups)
        head = head_revision()
        if migrate and rev != head:
            if existed:
                stamp = (now or utcnow()).strftime("%Y%m%d-%H%M%S")
                target = data_dir.backups / f"pre-migration-{rev or 'unversioned'}-{stamp}.sqlite3"
                try:
                    backup_database(path, target, key)
                except OSError as exc:
                    raise UnreadableDatabaseError(
                        "netjournal needs to update the format of your journal and backs it up first, but the "
                        f"backup could not be written ({exc}). Nothing was changed; free up some space on the "
                        "disk and start netjournal again.",
                        path,
                        latest_backup(data_dir.backups),
                    ) from exc
                log.info("backed up the journal before migrating from %s to %s", rev, head)
                rotate_backups(data_dir.backups, "pre-migration-", keep=5)
            from alembic import command

            with engine.begin() as conn:
                cfg = alembic_config(data_dir.url)
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
        for p in (path, *side_files(path)):
            _make_private(p)
    return make_journal(data_dir, engine, key)


def open_journal_for_reading(
    data_dir: DataDir, *, passphrase: str | None = None, key: JournalKey | None = None
) -> Journal:
    """The journal for commands that only read (people, search, export, backup, prep sheets).

    Like open_journal; but a journal this user cannot write (a read-only file, folder or disk, say a
    copy being rescued) is opened read-only instead of refused: reading works, and any write is
    refused with a plain ReadOnlyDatabaseError.
    """
    try:
        return open_journal(data_dir, passphrase=passphrase, key=key)
    except (ReadOnlyDatabaseError, DataDirError):
        path = data_dir.database
        # A locked journal on a read-only disk is not read in place (SQLCipher would need to write beside it).
        if not path.is_file() or path.stat().st_size == 0 or not os.access(path, os.R_OK) or cipher.is_encrypted(path):
            raise
    return open_read_only(data_dir)


def open_read_only(data_dir: DataDir) -> Journal:
    """Open the journal without writing anything to it or beside it (see reading_uri)."""
    path = data_dir.database
    _precheck_file(path, data_dir.backups)
    stack = contextlib.ExitStack()
    with _explained(path, data_dir.backups, cleanup=stack.close):
        uri = stack.enter_context(reading_uri(path))
        engine = make_engine(URL.create("sqlite", database=uri, query={"uri": "true"}))
        stack.callback(engine.dispose)
        rev = current_revision(engine)
        _refuse_newer(rev, path, data_dir.backups)
        if rev != head_revision():
            raise ReadOnlyDatabaseError(
                f"The journal {path} was written by an older netjournal and needs updating before it can be "
                "read, but it is read-only for you. Copy its folder somewhere of yours and open the copy "
                "(or restore it). Nothing was changed.",
                path,
                latest_backup(data_dir.backups),
            )
    journal = make_journal(data_dir, engine)
    journal.read_only = True
    journal._cleanup = stack
    return journal
