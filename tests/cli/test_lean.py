"""Reading commands start lean: they import only what they use, and still migrate an old journal."""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from netjournal import cli
from netjournal.core.db import head_revision, open_journal
from netjournal.core.paths import DataDir
from tests.factories import person

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

PROBE = """
import sys
from netjournal.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
heavy = ("sqlalchemy", "alembic", "icalendar", "vobject", "netjournal.core.models", "netjournal.core.importers",
         "PySide6")
print("imported:", " ".join(sorted(m for m in sys.modules if m.split(".")[0] in heavy or m.startswith(heavy))))
"""


def _imported(*argv: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", PROBE, *argv], capture_output=True, text=True, timeout=120, check=True)
    line = next(x for x in out.stdout.splitlines() if x.startswith("imported:"))
    return set(line.split()[1:])


@pytest.fixture
def seeded(data_dir: DataDir, now) -> DataDir:  # type: ignore[no-untyped-def]
    journal = open_journal(data_dir)
    with journal.session() as s:
        person(s, "Ana Müller", now, organisation="Acme Robotics", emails=[("work", "ana@acme.example")])
    journal.close()
    return data_dir


@pytest.mark.parametrize(
    "argv",
    [["--version"], ["--help"], ["search", "ana"], ["people"], ["people", "--json"], ["search", "--help"]],
)
def test_reading_commands_import_neither_the_orm_nor_the_importers(seeded: DataDir, argv: list[str]) -> None:
    assert _imported("--data-dir", str(seeded.root), *argv) == set()


def test_suggest_does_not_import_the_importers_or_alembic(seeded: DataDir) -> None:
    mods = _imported("--data-dir", str(seeded.root), "suggest")
    assert not {m for m in mods if m.startswith(("netjournal.core.importers", "icalendar", "vobject", "alembic"))}


def test_the_lean_search_finds_what_the_journal_holds(seeded: DataDir, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--data-dir", str(seeded.root), "search", "acme"]) == 0
    assert "Ana Müller" in capsys.readouterr().out
    assert cli.main(["--data-dir", str(seeded.root), "people"]) == 0
    assert "Ana Müller  (Acme Robotics, ana@acme.example)" in capsys.readouterr().out


def test_search_says_it_shows_the_first_n_of_all(seeded: DataDir, capsys: pytest.CaptureFixture[str], now) -> None:  # type: ignore[no-untyped-def]
    journal = open_journal(seeded)
    with journal.session() as s:
        for i in range(7):
            person(s, f"Acme Person {i}", now, organisation="Acme Robotics")
    journal.close()
    assert cli.main(["--data-dir", str(seeded.root), "search", "acme", "--limit", "3"]) == 0
    out = capsys.readouterr().out
    assert "The first 3 of 8 matches" in out


def test_a_journal_that_needs_migrating_is_migrated_by_the_lean_search(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dd = DataDir(tmp_path / "old").ensure()
    shutil.copy(FIXTURES / "schema_0001.sqlite3", dd.database)
    assert cli.main(["--data-dir", str(dd.root), "search", "anything"]) == 0
    con = sqlite3.connect(dd.database)
    try:
        assert con.execute("SELECT version_num FROM alembic_version").fetchone() == (head_revision(),)
    finally:
        con.close()
    assert list(dd.backups.glob("pre-migration-*.sqlite3")), "backed up before migrating, as every open does"


def test_a_damaged_journal_is_a_plain_message_on_the_lean_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dd = DataDir(tmp_path / "bad").ensure()
    dd.database.write_bytes(b"this is not a database" * 100)
    assert cli.main(["--data-dir", str(dd.root), "people"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "damaged" in err


def test_the_command_list_says_what_each_command_says_of_itself() -> None:
    full = cli.build_parser()  # every command registered by its own module
    sub = next(a for a in full._actions if isinstance(a, argparse._SubParsersAction))
    registered = {a.dest: a.help for a in sub._choices_actions}
    assert registered == {name: summary for name, (_module, summary) in cli.COMMANDS.items()}
