"""Backups on demand and restore. Restoring never destroys the journal it replaces."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import tempfile
from datetime import datetime
from pathlib import Path

from netjournal.core import cipher
from netjournal.core.cipher import JournalKey
from netjournal.core.clock import utcnow
from netjournal.core.db import backup_database, known_revisions, open_journal, rotate_backups
from netjournal.core.dbfile import private_copy, side_files
from netjournal.core.errors import NetjournalError
from netjournal.core.outputs import OutputProblem, check_output, write_output
from netjournal.core.paths import DB_FILENAME, DataDir
from netjournal.core.text import shown


def backup_to(data_dir: DataDir, target: Path | str, *, key: JournalKey | None = None) -> Path:
    """A consistent copy of the journal in `target` (a file, or a pipe / standard output as a stream);
    encrypted with the journal's key when the journal is."""
    if not data_dir.database.exists():
        raise NetjournalError(f"There is no journal in {shown(data_dir.root)} to back up.")
    try:
        out = check_output(target, data_dir, what="backup")
    except OutputProblem as exc:
        raise NetjournalError(exc.message) from exc
    try:
        if out.regular:
            assert out.path is not None
            return backup_database(data_dir.database, out.path, key)
        with tempfile.TemporaryDirectory(prefix="netjournal-backup-") as tmp:
            copy = backup_database(data_dir.database, Path(tmp) / "backup.sqlite3", key)
            with copy.open("rb") as src:
                write_output(out, lambda fh: shutil.copyfileobj(src, fh), data_dir, what="backup")
        return out.path if out.path is not None else Path(out.shown)
    except (OSError, sqlite3.Error) as exc:
        raise NetjournalError(f"Could not write the backup to {shown(out.shown)}: {exc}.") from exc


def daily_backup(
    data_dir: DataDir, *, now: datetime | None = None, keep: int = 7, key: JournalKey | None = None
) -> Path | None:
    """One automatic backup a day (taken at start-up), keeping the last `keep` days."""
    if not data_dir.database.exists():
        return None
    day = (now or utcnow()).strftime("%Y-%m-%d")
    target = data_dir.backups / f"daily-{day}.sqlite3"
    if target.exists():
        return target
    backup_database(data_dir.database, target, key)
    rotate_backups(data_dir.backups, "daily-", keep)
    return target


def _check_backup(path: Path, copy: Path, key: JournalKey | None) -> None:
    """Refuse a source that is damaged, not a netjournal database, or from a newer netjournal (read
    through its private `copy`, where SQLite may replay a copied write-ahead log)."""
    try:
        con = cipher.connect(copy, key)
        try:
            if con.execute("PRAGMA quick_check").fetchone() != ("ok",):
                raise NetjournalError(f"{shown(path)} is damaged; nothing was restored.")
            rev = con.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            con.close()
    except cipher.database_errors(key) as exc:
        raise NetjournalError(f"{shown(path)} is not a netjournal backup ({exc}); nothing was restored.") from exc
    if rev is None or rev[0] not in known_revisions():
        raise NetjournalError(
            f"{shown(path)} was written by a newer or unknown version of netjournal; nothing was restored."
        )


def _restore_source(source: Path) -> Path:
    """The database file to restore from: a backup file, a journal file, or a journal's folder."""
    source = source.expanduser()
    if source.is_dir() and (source / DB_FILENAME).is_file():
        source = source / DB_FILENAME
    if not source.is_file():
        raise NetjournalError(f"{shown(source)} does not exist or is not a file.")
    return source.resolve()


def journal_in_use(db: Path) -> bool:
    """True while another process (the app, a command) has the journal open.

    SQLite can take a journal out of WAL mode only when no other connection has it open, so asking
    for that is a reliable probe (and it folds the write-ahead log into the file as a bonus). A file
    too damaged to ask is not in use: netjournal refuses to open damaged files.
    """
    if not db.exists() or db.stat().st_size == 0:
        return False
    try:
        con = sqlite3.connect(db, timeout=1.0)
        try:
            row = con.execute("PRAGMA journal_mode=DELETE").fetchone()
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        text = str(exc).lower()
        return "locked" in text or "busy" in text
    return row is not None and str(row[0]).lower() == "wal"


def _keep_replaced(db: Path, backups: Path, stamp: str) -> Path:
    """Keep the journal about to be replaced: a consistent copy, or the damaged file byte for byte."""
    if cipher.is_encrypted(db):
        # Kept as it is, still locked with its own passphrase (restoring needs only the backup's).
        kept = backups / f"before-restore-{stamp}.sqlite3"
        shutil.copyfile(db, kept)
        os.chmod(kept, 0o600)
        return kept
    try:
        return backup_database(db, backups / f"before-restore-{stamp}.sqlite3")
    except OSError:
        # Too damaged to read: keep its bytes (and any side files) under a name that is never offered
        # as a backup to restore.
        kept = backups / f"before-restore-{stamp}.damaged"
        for suffix in ("", "-wal", "-shm"):
            part = db.with_name(db.name + suffix)
            if part.exists():
                target = kept.with_name(kept.name + suffix)
                shutil.copyfile(part, target)
                os.chmod(target, 0o600)
        return kept


def restore_from(
    data_dir: DataDir, source: Path, *, now: datetime | None = None, passphrase: str | None = None
) -> Path | None:
    """Replace the journal with `source`; returns where the replaced journal was kept (if any).

    The source is read through SQLite, never copied as bytes: a journal copied with its write-ahead
    log (after a crash, or a copy taken while netjournal was open) keeps the changes in that log.
    An encrypted backup needs its `passphrase`; the restored journal opens with it from then on.
    """
    source = _restore_source(source)
    key = None
    if cipher.is_encrypted(source):
        if passphrase is None:
            raise cipher.LockedJournalError(
                f"The backup {shown(source)} is protected with a passphrase; give it with --passphrase-file FILE, "
                "or run the command in a terminal to be asked for it. Nothing was restored."
            )
        key = cipher.key_for(source, passphrase)
    db = data_dir.database
    if db.exists() and os.path.samefile(source, db):
        raise NetjournalError(f"{shown(source)} is the journal itself; choose a backup file to restore from.")
    kept: Path | None = None
    data_dir.ensure()
    # A private copy of the source and its log (beside the journal, so on the same disk): SQLite replays
    # the log there, and the source is never touched (it may be read-only, or another journal's folder).
    with tempfile.TemporaryDirectory(prefix=".restoring-", dir=data_dir.root) as staging:
        try:
            copy = private_copy(source, Path(staging))
        except OSError as exc:
            raise NetjournalError(
                f"Could not read {shown(source)} ({exc.strerror or exc}); nothing was restored."
            ) from exc
        _check_backup(source, copy, key)
        if journal_in_use(db) or (cipher.is_encrypted(db) and any(p.exists() for p in side_files(db)[:2])):
            raise NetjournalError(
                "netjournal is open on this journal (the window, the tray or a command). Close it, then restore; "
                "nothing was changed."
            )
        if db.exists():
            stamp = (now or utcnow()).strftime("%Y%m%d-%H%M%S")
            try:
                kept = _keep_replaced(db, data_dir.backups, stamp)
            except OSError as exc:
                raise NetjournalError(
                    f"Could not keep a copy of the journal before restoring ({exc}); nothing was changed."
                ) from exc
        tmp = db.with_name(db.name + ".restoring")
        try:
            _copy_database(copy, key, tmp)
        except (OSError, *cipher.database_errors(key)) as exc:  # type: ignore[misc]
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise NetjournalError(
                f"Could not read {shown(source)} to restore it ({exc}); nothing was changed."
            ) from exc
    for suffix in ("-wal", "-shm"):
        side = db.with_name(db.name + suffix)
        if side.exists():
            side.unlink()
    os.replace(tmp, db)
    open_journal(data_dir, key=key).close()  # migrates an older backup forward (after its own safety copy)
    return kept


def _copy_database(copy: Path, key: JournalKey | None, target: Path) -> None:
    """A self-contained copy (no write-ahead log) of the database at `copy`, private to the user (and
    encrypted with the same key when it is)."""
    with contextlib.suppress(FileNotFoundError):
        target.unlink()
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)
    src = cipher.connect(copy, key)
    try:
        dst = sqlite3.connect(target) if key is None else cipher.sqlcipher().connect(str(target))
        try:
            if key is not None:
                dst.execute(key.pragma)
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    finally:
        src.close()
