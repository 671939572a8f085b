"""A transaction holds everything done in it: reads, PRAGMAs and writes (one BEGIN for all of it)."""

from __future__ import annotations

from sqlalchemy import select

from netjournal.core.db import open_journal
from netjournal.core.journal import PersonData, create_person
from netjournal.core.models import ContactPoint, Person
from tests.conftest import NOW


def test_importing_into_an_existing_journal_works(data_dir, tmp_path) -> None:
    # Bulk imports write children before parents under `PRAGMA defer_foreign_keys`. Python's sqlite3
    # used to run that PRAGMA outside the transaction (it began only at the first INSERT), so on any
    # journal opened afresh (every `netjournal import`, every app start) the import failed with
    # "FOREIGN KEY constraint failed".
    from netjournal.core.importers import run_import

    open_journal(data_dir).close()
    journal = open_journal(data_dir)  # opened afresh, as a command or the app does
    card = tmp_path / "one.vcf"
    card.write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann Example\r\nEMAIL:ann@example.org\r\nEND:VCARD\r\n")
    try:
        assert run_import(journal, [card], now=NOW).created == 1
        with journal.read() as s:
            assert s.scalar(select(ContactPoint.value)) == "ann@example.org"
    finally:
        journal.close()


def test_a_write_transaction_holds_the_lock_from_its_first_statement(journal, data_dir) -> None:
    import sqlite3

    import pytest

    with journal.session() as s:
        s.scalar(select(Person.id).limit(1))  # only a read so far
        other = sqlite3.connect(data_dir.database, timeout=0, isolation_level=None)
        try:
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")  # someone else cannot start writing in between
        finally:
            other.close()
        create_person(s, PersonData(name="Written"), now=NOW)
