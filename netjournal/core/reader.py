"""The thin read path: a plain `sqlite3` connection for commands that only read (search, people).

SQLAlchemy, Alembic and the models take ~0.4 s to import, far longer than the queries these commands
run. `open_reader` gives a read-only connection when the journal is there, passes the same file checks
as `db.open_journal` and is at the current schema (read with one query, the head from the version
files). Otherwise (no journal yet, one to migrate, a newer or damaged one) it goes through
`db.open_journal` first, which creates, migrates or explains exactly as for every other command.

The queries themselves are not written here: each lives once in the core module it belongs to
(`search.py`, `people_list.py`), which takes either this connection or an ORM session.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Union

from netjournal.core import cipher
from netjournal.core.cipher import JournalKey
from netjournal.core.dbfile import BUSY_TIMEOUT_MS, precheck_file, quick_head_revision, reading_connection
from netjournal.core.errors import DataDirError, ReadOnlyDatabaseError
from netjournal.core.paths import DataDir

if TYPE_CHECKING:
    from sqlalchemy.orm import Session
    from typing_extensions import TypeIs


def _revision(con: sqlite3.Connection) -> str | None:
    if con.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'").fetchone() is None:
        return None
    row = con.execute("SELECT version_num FROM alembic_version").fetchone()
    return str(row[0]) if row is not None else None


def _connect(data_dir: DataDir, key: JournalKey | None) -> sqlite3.Connection:
    # An encrypted journal gets SQLCipher's connection (the same DB-API), keyed before anything else.
    con: sqlite3.Connection = cipher.connect(data_dir.database, key, read_only=True, timeout=BUSY_TIMEOUT_MS / 1000)
    con.execute("PRAGMA query_only = ON")
    return con


def open_current(data_dir: DataDir, key: JournalKey | None) -> sqlite3.Connection | None:
    """A read-only connection when the journal is there, passes the file checks and is at the current
    schema; None when it is not there yet or needs `db.open_journal` first (to be created or migrated).

    Opens nothing else and writes nothing: the app's start reads Today through it while the journal is
    opened the usual way beside it. Raises what `dbfile.precheck_file` raises for a damaged file."""
    path = data_dir.database
    if not path.exists() or path.stat().st_size == 0:
        return None
    precheck_file(path, data_dir.backups, key)
    con = _connect(data_dir, key)
    try:
        head = quick_head_revision()
        if head is not None and _revision(con) == head:
            return con
    except cipher.database_errors(key):
        pass  # open_journal says what is wrong, in the words every command uses
    con.close()
    return None


def open_reader(data_dir: DataDir, passphrase: str | None = None) -> sqlite3.Connection:
    """A read-only connection to the journal in `data_dir`, at the current schema.

    Raises the same NetjournalError as `db.open_journal` for a journal that cannot be opened (an
    encrypted one without its `passphrase` included).
    """
    key = cipher.unlock(data_dir.database, passphrase)
    con = open_current(data_dir, key)
    if con is not None:
        return con
    from netjournal.core.db import open_journal

    open_journal(data_dir, key=key).close()
    return _connect(data_dir, key)


@contextlib.contextmanager
def reading(data_dir: DataDir, passphrase: str | None = None) -> Iterator[sqlite3.Connection]:
    """`open_reader` for a `with` block: closed at the end; a database error met while reading
    becomes the same plain-language problem as on the ORM path (db.known_problem).

    A plain journal this user cannot write (a read-only file, folder or disk, say a copy being rescued)
    is read as it is, through dbfile.reading_connection, which writes nothing beside it."""
    with contextlib.ExitStack() as stack:
        try:
            con = open_reader(data_dir, passphrase)
            stack.callback(con.close)
        except (ReadOnlyDatabaseError, DataDirError):
            path = data_dir.database
            if not path.is_file() or cipher.is_encrypted(path):
                raise
            con = stack.enter_context(reading_connection(path))
            if _revision(con) != quick_head_revision():
                from netjournal.core.db import open_read_only

                open_read_only(data_dir).close()  # says plainly why it cannot be read as it is
            con.execute("PRAGMA query_only = ON")
        errors = cipher.connection_errors(con)
        try:
            yield con
        except errors as exc:
            from netjournal.core.db import known_problem

            error: Any = exc  # known_problem reads only the message
            problem = known_problem(error, data_dir.database, data_dir.backups)
            if problem is None:
                raise
            raise problem from exc


Source = Union["Session", sqlite3.Connection]
Rows = Callable[[str, Mapping[str, Any]], Sequence[Sequence[Any]]]


def is_dbapi(source: Source) -> TypeIs[sqlite3.Connection]:
    """True for sqlite3's or SQLCipher's own connection (the thin path), False for an ORM session."""
    return not type(source).__module__.startswith("sqlalchemy")


def rows_of(source: Source) -> Rows:
    """Run SQL text (named :params) on either an ORM session or a plain sqlite3 connection.

    Each query is written once and runs unchanged on both: the app and the writing commands pass
    a session, the reading commands the connection from `open_reader`.
    """
    if is_dbapi(source):
        con = source
        return lambda sql, params: con.execute(sql, dict(params)).fetchall()
    from sqlalchemy import text

    session = source
    return lambda sql, params: session.execute(text(sql), dict(params)).all()


def id_list(ids: Iterable[int]) -> str:
    # An id list as one JSON parameter (`IN (SELECT value FROM json_each(:ids))`): the same SQL text on
    # both paths, however many ids, and SQLite still looks each one up by primary key.
    return json.dumps(sorted(set(ids)))
