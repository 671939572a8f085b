"""What the thin read path (core/reader.py) reads, for the tests that check it reads only what the models define."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable

import pytest

from netjournal.core.models import Base
from netjournal.core.paths import DataDir
from netjournal.core.reader import open_reader

Reads = Callable[[sqlite3.Connection], object]
ColumnsRead = Callable[[Reads], set[tuple[str, str]]]

# SQLite's own: the search index (search_sql.py, one definition for both paths) and FTS5's shadow tables
# (search_index_*), the catalogue and json_each (id lists); alembic_version is Alembic's, read to check the
# schema is current.
SQLITE_OWN = {"search_index", "sqlite_master", "json_each", "alembic_version"}


def is_sqlite_own(table: str) -> bool:
    return table in SQLITE_OWN or table.startswith("search_index_")


@pytest.fixture
def columns_read(data_dir: DataDir) -> ColumnsRead:
    """Run `reads` on a thin-path connection to the test's journal; every (table, column) its statements
    read, as SQLite's authorizer reports them (column "" for a table read as a whole)."""

    def run(reads: Reads) -> set[tuple[str, str]]:
        read: set[tuple[str, str]] = set()

        def authorizer(action: int, arg1: str | None, arg2: str | None, _db: str | None, _trigger: str | None) -> int:
            if action == sqlite3.SQLITE_READ and arg1 is not None:
                read.add((arg1, arg2 or ""))
            return sqlite3.SQLITE_OK

        con = open_reader(data_dir)
        try:
            con.set_authorizer(authorizer)
            reads(con)
        finally:
            con.close()
        return read

    return run


def not_in_the_models(read: Iterable[tuple[str, str]]) -> list[str]:
    """The tables and columns read that the models do not define ("table" or "table.column")."""
    tables = Base.metadata.tables
    out = []
    for table, column in sorted(read):
        if is_sqlite_own(table):
            continue
        if table not in tables:
            out.append(table)
        elif column and column not in tables[table].c:
            out.append(f"{table}.{column}")
    return out
