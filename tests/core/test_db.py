"""Opening, migrating and refusing databases."""

from __future__ import annotations

import shutil
import sqlite3
import stat
from pathlib import Path

import pytest
from sqlalchemy import func, select

from netjournal.core.db import head_revision, open_journal
from netjournal.core.errors import CorruptDatabaseError, NewerSchemaError
from netjournal.core.models import Interaction, Person
from netjournal.core.paths import DataDir
from tests.conftest import FIXTURES
from tests.factories import meeting, person


def test_new_journal_is_private_and_at_head(data_dir: DataDir) -> None:
    j = open_journal(data_dir)
    j.close()
    assert stat.S_IMODE(data_dir.database.stat().st_mode) == 0o600
    assert stat.S_IMODE(data_dir.root.stat().st_mode) == 0o700
    con = sqlite3.connect(data_dir.database)
    assert con.execute("SELECT version_num FROM alembic_version").fetchone() == (head_revision(),)
    assert con.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_foreign_keys_are_enforced(journal, now) -> None:
    with journal.session() as s:
        assert s.connection().exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("schema_*.sqlite3")), ids=lambda p: p.stem)
def test_every_released_schema_migrates_with_rows_intact(fixture: Path, data_dir: DataDir) -> None:
    shutil.copyfile(fixture, data_dir.database)
    before = sqlite3.connect(data_dir.database)
    people = before.execute("SELECT id, name FROM people ORDER BY id").fetchall()
    notes = before.execute("SELECT id, notes FROM interactions ORDER BY id").fetchall()
    before.close()
    assert people and notes  # the fixture holds real rows
    j = open_journal(data_dir)
    with j.read() as s:
        assert [(p.id, p.name) for p in s.scalars(select(Person).order_by(Person.id))] == people
        assert [(i.id, i.notes) for i in s.scalars(select(Interaction).order_by(Interaction.id))] == notes
    j.close()
    if fixture.stem != f"schema_{head_revision()}":
        assert list(data_dir.backups.glob("pre-migration-*.sqlite3")), "a backup is taken before migrating"


def test_newer_database_is_refused_and_untouched(data_dir: DataDir, now) -> None:
    open_journal(data_dir).close()
    con = sqlite3.connect(data_dir.database)
    con.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    con.commit()
    con.close()
    before = data_dir.database.read_bytes()
    with pytest.raises(NewerSchemaError, match="newer version of netjournal"):
        open_journal(data_dir)
    assert data_dir.database.read_bytes() == before


@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_corrupt_database_is_refused_with_the_backup_named(data_dir: DataDir, now, damage: str) -> None:
    j = open_journal(data_dir)
    with j.session() as s:
        for i in range(300):
            meeting(s, person(s, f"Person {i}", now, notes="x" * 500), now, notes="y" * 500)
    j.close()
    from netjournal.core.backup import daily_backup

    backup = daily_backup(data_dir, now=now)
    raw = data_dir.database.read_bytes()
    bad = b"this is not sqlite at all" * 100 if damage == "garbage" else raw[: len(raw) // 3]
    data_dir.database.write_bytes(bad)
    with pytest.raises(CorruptDatabaseError) as info:
        open_journal(data_dir)
    assert str(data_dir.database) in info.value.message
    assert info.value.latest_backup == backup
    assert data_dir.database.read_bytes() == bad, "the damaged file is kept exactly as it was"


def test_session_rolls_back_on_error(journal, now) -> None:
    with pytest.raises(RuntimeError), journal.session() as s:
        person(s, "Half written", now)
        raise RuntimeError("boom")
    with journal.read() as s:
        assert s.scalar(select(func.count()).select_from(Person)) == 0


def test_damage_inside_the_file_is_found_by_the_background_check(data_dir: DataDir, now) -> None:
    from netjournal.core.db import verify_integrity

    j = open_journal(data_dir)
    with j.session() as s:
        for i in range(400):
            meeting(s, person(s, f"Person {i}", now, notes="x" * 800), now, notes="y" * 800)
    j.close()
    verify_integrity(data_dir.database, data_dir.backups)  # healthy: no error
    raw = bytearray(data_dir.database.read_bytes())
    middle = len(raw) // 2
    raw[middle : middle + 8192] = b"\xff" * 8192
    data_dir.database.write_bytes(bytes(raw))
    with pytest.raises(CorruptDatabaseError, match="damaged"):
        verify_integrity(data_dir.database, data_dir.backups)
