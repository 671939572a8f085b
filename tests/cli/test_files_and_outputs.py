"""Files, paths and outputs, through the real command line (a subprocess, as a user or a script runs it).

- No command writes over the journal (export, prep, backup), whatever name leads to its files.
- Standard output, /dev/stdout and pipes are written to; symlinks are written through.
- A folder named like `Journal #1 ? 50% ü` works for the whole life cycle.
- Restore keeps what is in a copied write-ahead log.
- A read-only journal can be read (people, search, export, backup); writes are refused plainly.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from netjournal.core.backup import daily_backup
from netjournal.core.db import open_journal
from netjournal.core.journal import PersonData, create_person
from netjournal.core.models import PersonStatus
from netjournal.core.paths import DataDir
from tests.conftest import FIXTURES, NOW
from tests.factories import meeting, person
from tests.reliability.helpers import ROOT, assert_plain_refusal, give_to_nobody, nj, table_dump

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX pipes, links and permissions")
ODD = "Journal #1 ? 50% ü"


def seed(dd: DataDir, extra: int = 0) -> None:
    j = open_journal(dd)
    with j.session() as s:
        priya = person(s, "Priya Raman", NOW, organisation="Northwind", notes="Likes climbing")
        meeting(s, priya, NOW, days_ago=3, notes="Talked about the climbing gym")
        for i in range(extra):
            person(s, f"Filler {i}", NOW, notes="n" * 400)
    j.close()


@pytest.fixture
def seeded(tmp_path: Path) -> DataDir:
    dd = DataDir(tmp_path / "journal").ensure()
    seed(dd)
    daily_backup(dd, now=NOW)
    return dd


# ---------------------------------------------------------------------------- never over the journal


def _targets(dd: DataDir, tmp: Path) -> dict[str, Path]:
    (tmp / "links").mkdir(exist_ok=True)
    sym = tmp / "links" / "sym.out"
    if not sym.is_symlink():
        sym.symlink_to(dd.database)
    hard = tmp / "links" / "hard.out"
    if not hard.exists():
        os.link(dd.database, hard)
    return {
        "the database": dd.database,
        "a symlink to it": sym,
        "a hard link to it": hard,
        "its write-ahead log's name": dd.database.with_name("journal.sqlite3-wal"),
        "a backup": dd.backups / "daily-2026-03-16.sqlite3",
        "a new file in the backups folder": dd.backups / "mine.sqlite3",
        "the log": dd.log_file,
    }


COMMANDS = {
    "export json": ["export", "--format", "json", "-o"],
    "export csv": ["export", "--format", "csv", "-o"],
    "prep": ["prep", "Priya Raman", "-o"],
    "backup": ["backup", "-o"],
}
# Every writer goes through the one guard (netjournal.core.outputs): one command meets every kind of
# target, the others a few each, to keep the subprocesses down.
CASES = {
    "export json": None,  # all of them
    "export csv": ["the database", "a new file in the backups folder"],
    "prep": ["the database", "a symlink to it"],
    "backup": ["a hard link to it", "its write-ahead log's name", "the log"],
}


@posix_only
@pytest.mark.parametrize("command", COMMANDS)
def test_no_command_writes_over_the_journal(seeded: DataDir, tmp_path: Path, command: str) -> None:
    nj("people", data_dir=seeded.root)  # creates the log file
    rows = table_dump(seeded.database)  # (a read-only look, which leaves an empty -wal beside it)
    targets = _targets(seeded, tmp_path)
    chosen = CASES[command] or list(targets)
    before = {name: (p.read_bytes() if p.exists() else None) for name, p in targets.items()}
    for name in chosen:
        target = targets[name]
        proc = nj(*COMMANDS[command], str(target), data_dir=seeded.root)
        assert_plain_refusal(proc, "journal's own files", "Nothing was written")
        assert str(target) in proc.stderr, name
        now = target.read_bytes() if target.exists() else None
        if name == "its write-ahead log's name":  # SQLite itself may have made or removed an empty log
            assert now in (None, b""), f"{command} wrote onto {name}"
        else:
            assert now == before[name], f"{command} wrote onto {name}"
    assert table_dump(seeded.database) == rows
    assert not list(seeded.root.glob(".*.part")) and not list(seeded.backups.glob("*.part"))


# ----------------------------------------------------------------------- pipes, stdout and symlinks


@posix_only
def test_export_to_standard_output_and_a_pipe(tmp_path: Path) -> None:
    dd = DataDir(tmp_path / "journal").ensure()
    seed(dd, extra=400)  # far more than a pipe holds, so `head` closes it while we still write
    cmd = f'{sys.executable} -m netjournal --data-dir "{dd.root}" export --format csv -o - | head -n 2'
    proc = subprocess.run(["bash", "-o", "pipefail", "-c", cmd], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.lstrip("\ufeff").startswith("Name,Given Name,Family Name")
    assert len(proc.stdout.splitlines()) == 2
    assert "Traceback" not in proc.stderr and "Exception ignored" not in proc.stderr, proc.stderr
    assert not (ROOT / "-").exists()

    for name in ("-", "/dev/stdout"):
        proc = nj("export", "--format", "json", "-o", name, data_dir=dd.root)
        assert proc.returncode == 0, proc.stderr
        doc = json.loads(proc.stdout)  # the confirmation went to stderr, not into the export
        assert any(p["name"] == "Priya Raman" for p in doc["tables"]["people"])
        assert "Exported the journal (json) to standard output." in proc.stderr
    assert Path("/dev/stdout").is_symlink() or not Path("/dev/stdout").is_file()

    raw = subprocess.run(
        [sys.executable, "-m", "netjournal", "--data-dir", str(dd.root), "backup", "-o", "-"],
        capture_output=True,
        cwd=ROOT,
        timeout=120,
    )
    assert raw.returncode == 0 and raw.stderr.startswith(b"Backed up"), raw.stderr
    assert raw.stdout.startswith(b"SQLite format 3\x00")


@posix_only
def test_a_named_pipe_is_written_to_and_a_symlink_written_through(seeded: DataDir, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    proc = nj("export", "--format", "vcard", "-o", str(fifo), data_dir=seeded.root)
    replaced = not stat.S_ISFIFO(fifo.lstat().st_mode)
    reader.join(timeout=2 if replaced else 60)  # (a daemon: it may wait forever on a pipe renamed over)
    assert proc.returncode == 0, proc.stderr
    assert not replaced, "the named pipe was replaced by a file"
    assert got and b"FN:Priya Raman" in got[0]

    real = tmp_path / "exports" / "people.csv"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "latest.csv"
    link.symlink_to(real)
    assert nj("export", "--format", "csv", "-o", str(link), data_dir=seeded.root).returncode == 0
    assert link.is_symlink() and link.resolve() == real  # the link stays a link ...
    assert "Priya Raman" in real.read_text(encoding="utf-8-sig")  # ... and its target holds the export
    assert sorted(p.name for p in real.parent.iterdir()) == ["people.csv"]


# ------------------------------------------------------------------------------- any folder name


def test_a_folder_named_with_hash_question_mark_percent_and_umlaut_works(tmp_path: Path) -> None:
    odd = tmp_path / ODD
    odd.mkdir()
    dd = DataDir(odd / "data")
    dd.root.mkdir()
    # An old journal in the odd folder: opening it migrates it (after a safety copy in backups/).
    shutil.copyfile(FIXTURES / "schema_0001.sqlite3", dd.database)
    assert nj("people", data_dir=dd.root).returncode == 0
    assert list(dd.backups.glob("pre-migration-*.sqlite3"))
    j = open_journal(dd)
    with j.session() as s:
        person(s, "Zoë Ünal", NOW, how_met="At #pycon?", circle=15)
    j.close()
    assert nj("log", "Zoë Ünal", "--channel", "coffee", "--note", "50% sure", data_dir=dd.root).returncode == 0
    assert daily_backup(dd, now=NOW) is not None  # the automatic backup

    backup = odd / "backup #2 ?.sqlite3"
    assert nj("backup", "-o", str(backup), data_dir=dd.root).returncode == 0
    exports = {fmt: odd / f"export 50% #{fmt}?.{fmt}" for fmt in ("json", "csv", "vcard")}
    for fmt, target in exports.items():
        proc = nj("export", "--format", fmt, "-o", str(target), data_dir=dd.root)
        assert proc.returncode == 0 and str(target) in proc.stdout, proc.stderr

    restored = DataDir(odd / "restored ü #3")
    proc = nj("restore", str(backup), data_dir=restored.root)
    assert proc.returncode == 0, proc.stderr
    again = nj("restore", str(dd.backups / "daily-2026-03-16.sqlite3"), data_dir=restored.root)
    assert again.returncode == 0 and "kept at" in again.stdout, again.stderr
    assert "Zoë Ünal" in nj("search", "sure", data_dir=restored.root).stdout

    for fmt in ("csv", "vcard"):
        fresh = odd / f"imported {fmt} ?#%"
        proc = nj("import", str(exports[fmt]), data_dir=fresh)
        assert proc.returncode == 0, proc.stderr
        assert "Zoë Ünal" in nj("people", data_dir=fresh).stdout


# -------------------------------------------------------------------------- restore keeps the WAL


def _copy_while_open(tmp_path: Path) -> Path:
    """A journal folder copied while netjournal had it open: its newest change is only in the -wal."""
    dd = DataDir(tmp_path / "live").ensure()
    seed(dd)
    j = open_journal(dd)
    try:
        with j.session() as s:
            create_person(s, PersonData(name="Only In The Log"), now=NOW)
        copy = tmp_path / "copy"
        copy.mkdir()
        for name in ("journal.sqlite3", "journal.sqlite3-wal"):
            shutil.copyfile(dd.root / name, copy / name)
    finally:
        j.close()
    assert (copy / "journal.sqlite3-wal").stat().st_size > 0
    return copy


def test_restore_keeps_the_changes_in_a_copied_write_ahead_log(tmp_path: Path) -> None:
    copy = _copy_while_open(tmp_path)
    wal_bytes = (copy / "journal.sqlite3-wal").read_bytes()
    for i, source in enumerate((copy / "journal.sqlite3", copy)):  # the file, or the folder
        target = tmp_path / f"restored-{i}"
        proc = nj("restore", str(source), data_dir=target)
        assert proc.returncode == 0, proc.stderr
        people = nj("people", data_dir=target).stdout
        assert "Only In The Log" in people and "Priya Raman" in people
    assert (copy / "journal.sqlite3-wal").read_bytes() == wal_bytes  # the source was not touched
    assert sorted(p.name for p in copy.iterdir()) == ["journal.sqlite3", "journal.sqlite3-wal"]


# ----------------------------------------------------------------------------- read-only journals


@pytest.fixture
def shared_tmp() -> Iterator[Path]:
    """A folder that `nobody` can reach too (pytest's own tmp folders are private to root)."""
    path = Path(tempfile.mkdtemp(prefix="netjournal-ro-"))
    path.chmod(0o755)
    try:
        yield path
    finally:
        for p in [path, *path.rglob("*")]:
            if not p.is_symlink():
                p.chmod(0o700 if p.is_dir() else 0o600)
        shutil.rmtree(path, ignore_errors=True)


@posix_only
@pytest.mark.parametrize("with_log", [False, True], ids=["closed cleanly", "copied while open"])
def test_a_read_only_journal_can_still_be_read(shared_tmp: Path, with_log: bool) -> None:
    if with_log:
        folder = _copy_while_open(shared_tmp)
    else:
        folder = shared_tmp / "journal"
        seed(DataDir(folder).ensure())
        create = open_journal(DataDir(folder))
        with create.session() as s:
            create_person(s, PersonData(name="Only In The Log"), now=NOW)
        create.close()
    out = shared_tmp / "out"
    out.mkdir()
    give_to_nobody(shared_tmp)
    files = sorted(p.name for p in folder.iterdir())
    for p in folder.iterdir():
        if p.is_file():
            p.chmod(0o400)
    folder.chmod(0o500)
    before = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}

    people = nj("people", data_dir=folder, unprivileged=True)
    assert people.returncode == 0, people.stderr
    assert "Priya Raman" in people.stdout and "Only In The Log" in people.stdout
    found = nj("search", "climbing", data_dir=folder, unprivileged=True)
    assert found.returncode == 0 and "Priya Raman" in found.stdout, found.stderr
    exported = nj("export", "--format", "csv", "-o", "-", data_dir=folder, unprivileged=True)
    assert exported.returncode == 0 and "Only In The Log" in exported.stdout, exported.stderr
    backup = out / "rescued.sqlite3"
    proc = nj("backup", "-o", str(backup), data_dir=folder, unprivileged=True)
    assert proc.returncode == 0, proc.stderr
    con = sqlite3.connect(backup)
    try:
        assert ("Only In The Log",) in con.execute("SELECT name FROM people").fetchall()
    finally:
        con.close()

    refused = nj("log", "Priya Raman", "--channel", "call", data_dir=folder, unprivileged=True)
    assert_plain_refusal(refused, "read-only")
    assert sorted(p.name for p in folder.iterdir()) == files  # nothing created beside it (no -shm)
    assert {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()} == before


# ------------------------------------------------------------------------- user text stays text


def test_terminal_output_shows_control_characters_escaped(tmp_path: Path) -> None:
    dd = DataDir(tmp_path / "journal").ensure()
    evil = "Mallory\x1b]0;owned\x07\x1b[2J\u202eevil"
    j = open_journal(dd)
    with j.session() as s:
        meeting(s, person(s, evil, NOW, organisation="\x1b[31mRed Corp"), NOW, notes="climbing \x1b[5mblink")
    j.close()
    card = tmp_path / "card\x1b[1m.vcf"
    card.write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Eve\x1b[8m Hidden\r\nEND:VCARD\r\n", encoding="utf-8")
    runs = [
        nj("people", data_dir=dd.root),
        nj("search", "climbing", data_dir=dd.root),
        nj("search", "Mallory", data_dir=dd.root),
        nj("import", "--dry-run", str(card), data_dir=dd.root),
        nj("import", str(tmp_path / "missing\x1b[31m.vcf"), data_dir=dd.root, env={"X": "1"}),
        nj("export", "--format", "csv", "-o", str(tmp_path / "nowhere\x1b[31m" / "x.csv"), data_dir=dd.root),
    ]
    for proc in runs:
        text = proc.stdout + proc.stderr
        assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text, text
        assert "Traceback" not in text, text
    assert "Mallory\\x1b]0;owned\\x07\\x1b[2J\\u202eevil" in runs[0].stdout
    assert "\\x1b[31mRed Corp" in runs[0].stdout
    assert "Eve\\x1b[8m Hidden" in runs[3].stdout
    assert "missing\\x1b[31m.vcf" in runs[4].stderr
    assert "nowhere\\x1b[31m" in runs[5].stderr
    # --json stays valid JSON with the name intact
    assert json.loads(nj("people", "--json", data_dir=dd.root).stdout)[0]["name"] == evil


FORMULAS = [
    '=HYPERLINK("http://example.invalid","click")',
    "+1 555 0100",
    "-2+3",
    "@SUM(A1:A9)",
    "\tTabbed",
    "=cmd|' /C calc'!A0",
]


def test_csv_export_neutralises_formulas_and_reads_them_back(tmp_path: Path) -> None:
    dd = DataDir(tmp_path / "journal").ensure()
    j = open_journal(dd)
    with j.session() as s:
        person(
            s,
            FORMULAS[0],
            NOW,
            organisation=FORMULAS[1],
            role=FORMULAS[2],
            notes=FORMULAS[3],
            how_met=FORMULAS[4],
            tags=[FORMULAS[5]],
        )
    j.close()
    out = tmp_path / "people.csv"
    assert nj("export", "--format", "csv", "-o", str(out), data_dir=dd.root).returncode == 0
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    for cell in (c for row in rows for c in row):
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    assert "'" + FORMULAS[0] in rows[1]

    fresh = tmp_path / "fresh"
    assert nj("import", str(out), data_dir=fresh).returncode == 0
    [p] = json.loads(nj("people", "--json", data_dir=fresh).stdout)
    assert (p["name"], p["organisation"], p["role"], p["tags"]) == (
        FORMULAS[0],
        FORMULAS[1],
        FORMULAS[2],
        [FORMULAS[5]],
    )
    j = open_journal(DataDir(fresh))
    with j.read() as s:
        from netjournal.core.models import Person

        again = s.query(Person).one()
        assert again.notes == FORMULAS[3] and again.how_met == FORMULAS[4]
    j.close()


# -------------------------------------------------------------- exports carry what import reads back


def test_csv_and_vcard_exports_round_trip_how_met_circle_ford_and_tags(tmp_path: Path) -> None:
    dd = DataDir(tmp_path / "journal").ensure()
    j = open_journal(dd)
    fields = dict(
        how_met="At PyCon, Berlin; the hallway track",
        met_on=date(2024, 5, 17),
        circle=15,
        cadence_days=45,
        status=PersonStatus.WAITING,
        ford_family="Two kids, Ana & Luís",
        ford_occupation="SRE; on call",
        ford_recreation="Bouldering\nand sourdough",
        ford_dreams="Sail to Madeira",
    )
    with j.session() as s:
        person(s, "Zoë Ångström", NOW, tags=["climbing, indoor", "PyCon 2024"], **fields)
        person(s, "Sam Lee", NOW, circle=150)
    j.close()
    for fmt in ("csv", "vcard"):
        out = tmp_path / f"people.{fmt}"
        assert nj("export", "--format", fmt, "-o", str(out), data_dir=dd.root).returncode == 0
        fresh = DataDir(tmp_path / f"fresh-{fmt}")
        proc = nj("import", str(out), data_dir=fresh.root)
        assert proc.returncode == 0 and "2 new" in proc.stdout, proc.stdout + proc.stderr
        j = open_journal(fresh)
        with j.read() as s:
            from netjournal.core.models import Person

            zoe = s.query(Person).filter_by(name="Zoë Ångström").one()
            got = {k: getattr(zoe, k) for k in fields}
            assert got == fields, fmt
            assert sorted(t.name for t in zoe.tags) == ["PyCon 2024", "climbing, indoor"], fmt
            assert s.query(Person).filter_by(name="Sam Lee").one().circle == 150
        j.close()
