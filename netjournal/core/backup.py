"""Backups on demand and restore. Restoring never destroys the journal it replaces."""

from __future__ import annotations

import os
import shutil
import sqlite3
from datetime import datetime
from pathlib import Path

from netjournal.core import cipher
from netjournal.core.cipher import JournalKey
from netjournal.core.clock import utcnow
from netjournal.core.db import backup_database, known_revisions, open_journal, rotate_backups, side_files
from netjournal.core.errors import NetjournalError
from netjournal.core.paths import DataDir


def backup_to(data_dir: DataDir, target: Path, *, key: JournalKey | None = None) -> Path:
    """A copy of the journal at `target`: encrypted with the journal's key when the journal is."""
    if not data_dir.database.exists():
        raise NetjournalError(f"There is no journal in {data_dir.root} to back up.")
    target = target.expanduser().resolve()
    if target in (data_dir.database.resolve(), *(p.resolve() for p in side_files(data_dir.database))):
        raise NetjournalError(f"{target} is the journal itself; choose another file name for the backup.")
    if target.is_dir():
        raise NetjournalError(f"{target} is a folder; give a file name for the backup.")
    if not target.parent.is_dir():
        raise NetjournalError(f"The folder {target.parent} does not exist.")
    try:
        return backup_database(data_dir.database, target, key)
    except (OSError, sqlite3.Error) as exc:
        raise NetjournalError(f"Could not write the backup to {target}: {exc}.") from exc


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


def _check_backup(path: Path, key: JournalKey | None = None) -> None:
    if not path.is_file():
        raise NetjournalError(f"{path} does not exist or is not a file.")
    try:
        con = cipher.connect(path, key, read_only=True)
        try:
            if con.execute("PRAGMA quick_check").fetchone() != ("ok",):
                raise NetjournalError(f"{path} is damaged; nothing was restored.")
            rev = con.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            con.close()
    except cipher.database_errors(key) as exc:
        raise NetjournalError(f"{path} is not a netjournal backup ({exc}); nothing was restored.") from exc
    if rev is None or rev[0] not in known_revisions():
        raise NetjournalError(f"{path} was written by a newer or unknown version of netjournal; nothing was restored.")


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

    An encrypted backup needs its `passphrase`; the restored journal opens with it from then on."""
    source = source.expanduser().resolve()
    key = None
    if source.is_file() and cipher.is_encrypted(source):
        if passphrase is None:
            raise cipher.LockedJournalError(
                f"The backup {source} is protected with a passphrase; give it with --passphrase-file FILE, or "
                "run the command in a terminal to be asked for it. Nothing was restored."
            )
        key = cipher.key_for(source, passphrase)
    _check_backup(source, key)
    data_dir.ensure()
    kept: Path | None = None
    db = data_dir.database
    if source == db.resolve():
        raise NetjournalError(f"{source} is the journal itself; choose a backup file to restore from.")
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
    shutil.copyfile(source, tmp)
    os.chmod(tmp, 0o600)
    for suffix in ("-wal", "-shm"):
        side = db.with_name(db.name + suffix)
        if side.exists():
            side.unlink()
    os.replace(tmp, db)
    open_journal(data_dir, key=key).close()  # migrates an older backup forward (after its own safety copy)
    return kept
