"""A journal locked with a passphrase: SQLCipher through the `sqlcipher3` binding.

The whole database file is encrypted (pages, the write-ahead log, backups), so search, sorting and every
feature work as on a plain journal. A plain SQLite file starts with "SQLite format 3"; an encrypted one
starts with its random salt, which is how netjournal tells them apart without a marker file.

The passphrase is stretched once per opening with SQLCipher 4's own key derivation (PBKDF2-HMAC-SHA512,
256,000 rounds, the file's salt); every connection after that uses the derived raw key, so the worker,
the maintenance thread and a backup do not pay for the derivation again. A file made with
`PRAGMA key = '<passphrase>'` opens with the derived key and the other way round.

Converting (encrypt, decrypt, change the passphrase) writes the new file beside the old one with
`sqlcipher_export`, verifies it (integrity check and the row count of every table), fsyncs it and swaps
it in with one rename: a crash at any moment leaves the old journal or the new one, whole. Then every
copy netjournal made (automatic backups, pre-migration copies) is converted the same way.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from netjournal.core.dbfile import SQLITE_HEADER
from netjournal.core.errors import NetjournalError, ValidationError
from netjournal.core.paths import ENV_PASSPHRASE_FILE, DataDir
from netjournal.core.text import shown

KDF_ITERATIONS = 256_000  # SQLCipher 4's default; keep in step with the library's defaults
KEY_BYTES = 32
SALT_BYTES = 16
CONVERTING_SUFFIX = ".converting"
MIN_PASSPHRASE = 8


class LockedJournalError(NetjournalError):
    """The journal is encrypted and no passphrase was given."""


class WrongPassphraseError(NetjournalError):
    """The passphrase does not open this journal (or the file is damaged)."""


class EncryptionUnavailableError(NetjournalError):
    """The sqlcipher3 binding is not installed."""


@dataclass(frozen=True)
class JournalKey:
    """A derived raw key for one encrypted file. Its text never appears in a repr or a log."""

    hex: str = field(repr=False)
    salt: str = field(repr=False)  # the file's salt: a new file keyed with this opens with the passphrase too

    @property
    def pragma(self) -> str:
        # Raw key and salt (96 hex digits): no key derivation per connection, and a backup written with it
        # carries the same salt, so it opens with the same passphrase.
        return f"PRAGMA key = \"x'{self.hex}{self.salt}'\""


def sqlcipher() -> ModuleType:
    try:
        import sqlcipher3.dbapi2 as module  # type: ignore[import-not-found,unused-ignore]
    except ImportError as exc:  # pragma: no cover - the dependency is declared; a broken install
        raise EncryptionUnavailableError(
            "This journal is protected with a passphrase, but the encryption library (sqlcipher3) is not "
            "installed with this copy of netjournal. Reinstall netjournal."
        ) from exc
    return module  # type: ignore[no-any-return,unused-ignore]


def database_errors(key: JournalKey | None) -> tuple[type[Exception], ...]:
    """What a DB-API connection from `connect(path, key)` raises for database problems."""
    if key is None:
        return (sqlite3.Error,)
    module = sqlcipher()
    return (sqlite3.Error, module.Error)


def connection_errors(con: Any) -> tuple[type[Exception], ...]:
    """What `con` (sqlite3's or SQLCipher's connection) raises for database problems."""
    return (sqlite3.Error,) if type(con) is sqlite3.Connection else database_errors(JournalKey("", ""))


def unlock(path: Path, passphrase: str | None) -> JournalKey | None:
    """The key for an encrypted journal file, None for a plain one; LockedJournalError without a passphrase."""
    if not is_encrypted(path):
        return None
    if passphrase is None:
        raise LockedJournalError(
            f"The journal {path} is protected with a passphrase. Give it with --passphrase-file FILE "
            f"(or ${ENV_PASSPHRASE_FILE}), or run the command in a terminal to be asked for it."
        )
    return key_for(path, passphrase)


def is_encrypted(path: Path) -> bool:
    """True for a file that looks like SQLCipher's: not plain SQLite, and whole pages (a multiple of 512
    bytes). Anything else that is not SQLite is treated as damaged, never as 'locked'."""
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(len(SQLITE_HEADER))
    except OSError:
        return False
    return size >= 512 and size % 512 == 0 and head != SQLITE_HEADER


def derive_key(passphrase: str, salt: bytes) -> JournalKey:
    raw = hashlib.pbkdf2_hmac("sha512", passphrase.encode("utf-8"), salt, KDF_ITERATIONS, KEY_BYTES)
    return JournalKey(raw.hex(), salt.hex())


def key_for(path: Path, passphrase: str) -> JournalKey:
    """The key that opens `path` if `passphrase` is right (checked by reading the schema)."""
    with path.open("rb") as fh:
        salt = fh.read(SALT_BYTES)
    key = derive_key(passphrase, salt)
    con = connect(path, key, read_only=True)
    con.close()
    return key


class KeyAhead:
    """The key from a passphrase file, stretched on its own thread from the first moment of start-up.

    hashlib lets go of Python's lock while it stretches, so this runs beside Qt starting up instead of
    after it (startup.py). `key()` waits for it: None when the journal is not locked or the file could
    not be read. The key is not checked yet: a wrong one fails when the journal is opened with it.
    """

    def __init__(self, path: Path, passphrase_file: str) -> None:
        import threading

        self._path = path
        self._file = passphrase_file
        self._key: JournalKey | None = None
        self._thread = threading.Thread(target=self._run, name="netjournal-key", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            if is_encrypted(self._path):
                passphrase = read_passphrase_file(self._file)
                with self._path.open("rb") as fh:
                    self._key = derive_key(passphrase, fh.read(SALT_BYTES))
        except (NetjournalError, OSError):
            self._key = None  # the usual unlock reads the file again and says what is wrong

    def key(self) -> JournalKey | None:
        self._thread.join()
        return self._key


def _quiet(con: Any) -> None:
    # SQLCipher writes its own "hmac check failed" lines to stderr on a wrong key; the user gets one
    # plain message from netjournal instead.
    with contextlib.suppress(Exception):
        con.execute("PRAGMA cipher_log_level = NONE")


def connect(path: Path, key: JournalKey | None, *, read_only: bool = False, timeout: float = 10.0) -> Any:
    """A DB-API connection to `path`: sqlite3 for a plain journal, sqlcipher3 with the key set first."""
    if key is None:
        if read_only:
            return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=timeout)
        return sqlite3.connect(path, timeout=timeout)
    module = sqlcipher()
    con = (
        module.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=timeout)
        if read_only
        else module.connect(str(path), timeout=timeout)
    )
    _quiet(con)
    con.execute(key.pragma)
    try:
        con.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except module.DatabaseError as exc:
        con.close()
        raise WrongPassphraseError(
            f"That passphrase does not open the journal {path}. Nothing was changed; please try again. "
            "(If the passphrase is surely right, the file may be damaged: a backup can be restored.)"
        ) from exc
    return con


def creator(path: Path, key: JournalKey) -> Callable[[], Any]:
    """A connection factory for SQLAlchemy: the key is the first statement on every new connection."""

    def make() -> Any:
        module = sqlcipher()
        con = module.connect(str(path), check_same_thread=False)
        _quiet(con)
        con.execute(key.pragma)
        return con

    return make


# --- reading a passphrase (the command line) -------------------------------------------------------------


def read_passphrase_file(path: str | os.PathLike[str], what: str = "passphrase") -> str:
    """The first line of a file holding a secret (a trailing newline is not part of it).

    `what` names the secret in messages: "passphrase" (the journal's), "password" (a sync account's).
    At most 4 KiB is read, so a device or an endless pipe named by mistake cannot hang the command."""
    p = Path(path).expanduser()
    try:
        with p.open("rb") as fh:
            data = fh.read(4096)
    except (OSError, ValueError) as exc:
        why = getattr(exc, "strerror", None) or exc
        raise ValidationError(f"Could not read the {what} file {shown(p)} ({why}).") from exc
    try:
        text = data.decode("utf-8").splitlines()[0] if data.strip() else ""
    except UnicodeDecodeError as exc:
        raise ValidationError(f"The {what} file {shown(p)} is not UTF-8 text.") from exc
    if not text:
        raise ValidationError(f"The {what} file {shown(p)} is empty.")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in text):
        raise ValidationError(f"The {what} file {shown(p)} holds control characters, not a {what}.")
    return text


def check_new_passphrase(passphrase: str) -> str:
    if len(passphrase) < MIN_PASSPHRASE:
        raise NetjournalError(
            f"Please choose a passphrase of at least {MIN_PASSPHRASE} characters (a few words are easy to "
            "remember and hard to guess)."
        )
    return passphrase


# --- converting -------------------------------------------------------------------------------------------


def _tables(con: Any) -> list[str]:
    rows = con.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    ).fetchall()
    return [str(r[0]) for r in rows]


def _counts(con: Any, schema: str = "main") -> dict[str, int]:
    counts = {}
    for name in _tables(con) if schema == "main" else []:
        counts[name] = int(con.execute(f'SELECT count(*) FROM {schema}."{name}"').fetchone()[0])
    return counts


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every platform can open a folder
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def export_copy(source: Path, old: JournalKey | None, target: Path, new_passphrase: str | None) -> None:
    """Write `source` (plain, or opened with `old`) to `target` encrypted with `new_passphrase`, or plain
    when it is None; verify the copy; never leave half a file behind."""
    module = sqlcipher()
    with contextlib.suppress(FileNotFoundError):
        target.unlink()  # left by an interrupted conversion
    os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    try:
        con = module.connect(str(source), isolation_level=None, timeout=10.0)
        try:
            _quiet(con)
            if old is not None:
                con.execute(old.pragma)
            expected = _counts(con)
            con.execute("ATTACH DATABASE ? AS converted KEY ?", (str(target), new_passphrase or ""))
            con.execute("BEGIN IMMEDIATE")  # no writer slips in while the copy is made
            con.execute("SELECT sqlcipher_export('converted')").fetchall()
            con.execute("COMMIT")
            con.execute("DETACH DATABASE converted")
        finally:
            con.close()
        new_key = key_for(target, new_passphrase) if new_passphrase else None
        check = connect(target, new_key, read_only=True)
        try:
            ok = check.execute("PRAGMA quick_check").fetchall() == [("ok",)]
            got = _counts(check)
        finally:
            check.close()
        if not ok or got != expected:
            raise NetjournalError(
                "The converted copy of the journal did not match the original, so nothing was changed. "
                "Please report this (the journal itself is untouched)."
            )
        _fsync(target)
    except BaseException:
        with contextlib.suppress(OSError):
            target.unlink()
        raise


def _fold_log(path: Path, key: JournalKey | None) -> None:
    """Fold the write-ahead log into the file and leave rollback-journal mode, so nothing of the journal
    lives beside it while it is swapped. SQLite refuses this while another connection has it open."""
    con = connect(path, key, timeout=1.0)
    try:
        row = con.execute("PRAGMA journal_mode=DELETE").fetchone()
    except database_errors(key) as exc:
        if "locked" not in str(exc).lower() and "busy" not in str(exc).lower():
            raise
        row = None
    finally:
        con.close()
    if row is None or str(row[0]).lower() != "delete":
        raise NetjournalError(
            "netjournal is open on this journal (the window, the tray or a command). Close it, then try "
            "again; nothing was changed."
        )


def convert_file(path: Path, old: JournalKey | None, new_passphrase: str | None) -> None:
    """Replace `path` by its converted copy in one rename (the old version of the file is gone after)."""
    _fold_log(path, old)
    tmp = path.with_name(path.name + CONVERTING_SUFFIX)
    export_copy(path, old, tmp, new_passphrase)
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def copies(backups: Path) -> Iterator[Path]:
    """Every database file netjournal keeps in the backups folder (daily, pre-migration, before-restore)."""
    if backups.is_dir():
        yield from sorted(backups.glob("*.sqlite3"))


def convert_copies(backups: Path, passphrase: str | None, *, old_passphrase: str | None) -> list[Path]:
    """Bring every automatic copy to the journal's new state: encrypted with `passphrase` (or plain when
    None). A copy that cannot be opened with either passphrase is left alone and returned, so the
    caller can say so; a plain copy of an encrypted journal is never left behind readable."""
    left: list[Path] = []
    for copy in copies(backups):
        old: JournalKey | None = None
        if is_encrypted(copy):
            if passphrase is not None and _opens(copy, passphrase):
                continue  # already in the wanted state
            if old_passphrase is None or not _opens(copy, old_passphrase):
                left.append(copy)
                continue
            old = key_for(copy, old_passphrase)
        elif passphrase is None:
            continue  # plain and meant to be plain
        try:
            convert_file(copy, old, passphrase)
        except (NetjournalError, sqlite3.Error, OSError):
            if passphrase is not None and not is_encrypted(copy):
                # A plain copy that cannot be converted (damaged) must not stay readable.
                with contextlib.suppress(OSError):
                    copy.unlink()
            else:
                left.append(copy)
    return left


def _opens(path: Path, passphrase: str) -> bool:
    try:
        key_for(path, passphrase)
    except (WrongPassphraseError, OSError):
        return False
    return True


def clean_leftovers(db: Path) -> None:
    """Remove the half-written copy an interrupted conversion left beside the journal."""
    with contextlib.suppress(FileNotFoundError):
        db.with_name(db.name + CONVERTING_SUFFIX).unlink()


@dataclass(frozen=True)
class Conversion:
    """What a change of protection did: the journal itself, and the automatic copies it could not convert."""

    encrypted: bool
    copies_left: list[Path]


def change_protection(data_dir: DataDir, *, old_passphrase: str | None, new_passphrase: str | None) -> Conversion:
    """Encrypt (old None), change the passphrase (both given) or decrypt (new None) the journal in
    `data_dir` and every copy netjournal keeps of it. Refuses while the journal is open elsewhere."""
    db = data_dir.database
    if not db.exists() or db.stat().st_size == 0:
        raise NetjournalError(f"There is no journal in {data_dir.root} yet; open it once, then protect it.")
    clean_leftovers(db)
    encrypted = is_encrypted(db)
    if old_passphrase is None and encrypted:
        raise NetjournalError("This journal is already protected with a passphrase; nothing was changed.")
    if old_passphrase is not None and not encrypted:
        raise NetjournalError("This journal is not protected with a passphrase; nothing was changed.")
    if new_passphrase is not None:
        check_new_passphrase(new_passphrase)
    old_key = key_for(db, old_passphrase) if old_passphrase is not None else None
    convert_file(db, old_key, new_passphrase)
    left = convert_copies(data_dir.backups, new_passphrase, old_passphrase=old_passphrase)
    return Conversion(encrypted=new_passphrase is not None, copies_left=left)
