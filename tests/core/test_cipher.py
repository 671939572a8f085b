"""A journal locked with a passphrase: converting both ways, wrong keys, nothing readable at rest."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from netjournal.core import cipher
from netjournal.core.backup import backup_to, daily_backup
from netjournal.core.cipher import LockedJournalError, WrongPassphraseError, change_protection
from netjournal.core.db import open_journal, verify_integrity
from netjournal.core.errors import NetjournalError
from netjournal.core.models import Interaction, Person
from netjournal.core.paths import DataDir
from netjournal.core.search import search
from tests.conftest import FIXTURES
from tests.factories import meeting, person

PASS = "correct horse battery"
SECRET_NAME = "Zebulon Quarrington"
SECRET_NOTE = "afraid of the conference dinner"


def plain_text_in(folder: Path, *needles: str) -> list[str]:
    """Every file below `folder` holding one of `needles` as bytes (what `grep -r` would find)."""
    hits = []
    for f in folder.rglob("*"):
        if f.is_file():
            data = f.read_bytes()
            hits += [f"{f.name}: {n}" for n in needles if n.encode() in data]
    return hits


def seed(dd: DataDir, now: datetime) -> None:
    j = open_journal(dd)
    try:
        with j.session() as s:
            p = person(s, SECRET_NAME, now, organisation="Lighthouse Trust")
            meeting(s, p, now, days_ago=3, notes=SECRET_NOTE)
    finally:
        j.close()


@pytest.fixture
def seeded(data_dir: DataDir, now: datetime) -> DataDir:
    seed(data_dir, now)
    daily_backup(data_dir, now=now)  # a plain automatic copy, which encrypting must not leave readable
    return data_dir


def test_encrypt_leaves_no_journal_text_anywhere_in_the_folder(seeded: DataDir, now: datetime) -> None:
    assert plain_text_in(seeded.root, SECRET_NAME), "the check itself must see plain text before"
    result = change_protection(seeded, old_passphrase=None, new_passphrase=PASS)
    assert result.encrypted and result.copies_left == []
    assert cipher.is_encrypted(seeded.database)
    assert plain_text_in(seeded.root, SECRET_NAME, SECRET_NOTE, "Lighthouse") == []

    # New writes stay encrypted (WAL and shared memory included, while open), and everything works.
    j = open_journal(seeded, passphrase=PASS)
    try:
        with j.session() as s:
            meeting(s, s.scalars(select(Person)).one(), now, notes="second coffee with Zebulon")
        assert plain_text_in(seeded.root, "second coffee", SECRET_NAME) == []
        with j.read() as s:
            assert s.scalar(select(func.count()).select_from(Interaction)) == 2
            hits = search(s, "conference dinner")
            assert hits, "full-text search works on an encrypted journal"
        verify_integrity(seeded.database, seeded.backups, j.key)
        out = backup_to(seeded, seeded.root.parent / "my-backup.sqlite3", key=j.key)
    finally:
        j.close()
    assert cipher.is_encrypted(out)
    assert plain_text_in(seeded.root, "second coffee", SECRET_NAME) == []
    assert plain_text_in(out.parent, SECRET_NAME) == []


def test_a_locked_journal_needs_its_passphrase_and_a_wrong_one_changes_nothing(seeded: DataDir) -> None:
    change_protection(seeded, old_passphrase=None, new_passphrase=PASS)
    before = {p.name: p.read_bytes() for p in seeded.root.rglob("*") if p.is_file()}
    with pytest.raises(LockedJournalError, match="protected with a passphrase"):
        open_journal(seeded)
    with pytest.raises(WrongPassphraseError, match="does not open"):
        open_journal(seeded, passphrase="not the passphrase")
    after = {p.name: p.read_bytes() for p in seeded.root.rglob("*") if p.is_file()}
    assert after == before


def test_change_passphrase_then_decrypt_round_trip(seeded: DataDir) -> None:
    change_protection(seeded, old_passphrase=None, new_passphrase=PASS)
    with pytest.raises(WrongPassphraseError):
        change_protection(seeded, old_passphrase="wrong one!", new_passphrase="another passphrase")
    change_protection(seeded, old_passphrase=PASS, new_passphrase="a new passphrase")
    with pytest.raises(WrongPassphraseError):
        open_journal(seeded, passphrase=PASS)
    open_journal(seeded, passphrase="a new passphrase").close()
    # The automatic copies follow the journal: they open with the new passphrase.
    for copy in cipher.copies(seeded.backups):
        cipher.key_for(copy, "a new passphrase")

    result = change_protection(seeded, old_passphrase="a new passphrase", new_passphrase=None)
    assert not result.encrypted and not cipher.is_encrypted(seeded.database)
    j = open_journal(seeded)
    try:
        with j.read() as s:
            assert s.scalars(select(Person.name)).all() == [SECRET_NAME]
    finally:
        j.close()


def test_refusals_are_plain(seeded: DataDir, data_dir: DataDir, tmp_path: Path) -> None:
    with pytest.raises(NetjournalError, match="at least 8"):
        change_protection(seeded, old_passphrase=None, new_passphrase="short")
    with pytest.raises(NetjournalError, match="not protected"):
        change_protection(seeded, old_passphrase=PASS, new_passphrase=None)
    change_protection(seeded, old_passphrase=None, new_passphrase=PASS)
    with pytest.raises(NetjournalError, match="already protected"):
        change_protection(seeded, old_passphrase=None, new_passphrase=PASS)
    empty = DataDir(tmp_path / "nothing")
    with pytest.raises(NetjournalError, match="no journal"):
        change_protection(empty, old_passphrase=None, new_passphrase=PASS)


def test_conversion_refused_while_the_journal_is_open(seeded: DataDir) -> None:
    j = open_journal(seeded)
    try:
        with j.read() as s:
            s.scalars(select(Person)).all()
        with pytest.raises(NetjournalError, match="is open on this journal"):
            change_protection(seeded, old_passphrase=None, new_passphrase=PASS)
    finally:
        j.close()
    assert not cipher.is_encrypted(seeded.database)


def test_an_encrypted_journal_of_an_older_schema_migrates_with_an_encrypted_backup(tmp_path: Path) -> None:
    dd = DataDir(tmp_path / "old").ensure()
    shutil.copyfile(FIXTURES / "schema_0001.sqlite3", dd.database)
    names = sorted(r[0] for r in sqlite3.connect(dd.database).execute("SELECT name FROM people"))
    # Encrypt the old file as it is (an older netjournal would not have done this; conversion is schema-blind).
    cipher.convert_file(dd.database, None, PASS)
    j = open_journal(dd, passphrase=PASS)  # migrates to head, after a pre-migration copy
    try:
        with j.read() as s:
            assert sorted(s.scalars(select(Person.name)).all()) == names
    finally:
        j.close()
    copies = list(dd.backups.glob("pre-migration-*.sqlite3"))
    assert copies and all(cipher.is_encrypted(c) for c in copies)
    assert plain_text_in(dd.root, *names[:3]) == []


def test_copies_written_while_encrypted_are_encrypted(seeded: DataDir, now: datetime) -> None:
    change_protection(seeded, old_passphrase=None, new_passphrase=PASS)
    # Copies written while encrypted (the daily one of another day) are encrypted too.
    j = open_journal(seeded, passphrase=PASS)
    try:
        copy = daily_backup(seeded, now=now + timedelta(days=1), key=j.key)
    finally:
        j.close()
    assert copy is not None and cipher.is_encrypted(copy)
    cipher.key_for(copy, PASS)


def test_key_derivation_matches_sqlcipher_passphrase_keying(tmp_path: Path) -> None:
    # A file keyed by SQLCipher itself with the passphrase opens with netjournal's derived raw key.
    module = cipher.sqlcipher()
    path = tmp_path / "made-by-sqlcipher.db"
    con = module.connect(str(path))
    con.execute("PRAGMA key = 'horse staple battery'")
    con.execute("CREATE TABLE t (x)")
    con.execute("INSERT INTO t VALUES ('hello')")
    con.commit()
    con.close()
    key = cipher.key_for(path, "horse staple battery")
    con = cipher.connect(path, key, read_only=True)
    assert con.execute("SELECT x FROM t").fetchall() == [("hello",)]
    con.close()
