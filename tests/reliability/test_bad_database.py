"""A journal that cannot be used as it is: a clear message, the file kept exactly, the backup offered.

Covers damaged and foreign files, a file from a newer netjournal, read-only files and folders, a
full disk, backup rotation and an exact `backup` / `restore` round trip. Everything a user would
see is checked through the real command line (a subprocess), where a traceback would show.
"""

from __future__ import annotations

import contextlib
import os
import random
import resource
import signal
import sqlite3
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import event, func, select

from netjournal.core.backup import daily_backup
from netjournal.core.db import open_journal, rotate_backups
from netjournal.core.demo import build_demo
from netjournal.core.drafts import save_draft
from netjournal.core.errors import DiskFullError
from netjournal.core.journal import PersonData, create_person, trash
from netjournal.core.models import Interaction, Person
from netjournal.core.paths import DataDir
from tests.conftest import NOW, require
from tests.factories import meeting, person
from tests.reliability.helpers import assert_plain_refusal, give_to_nobody, is_root, nj, table_dump

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions and resource limits")
PHOTO = bytes(range(256)) * 40


def seed(dd: DataDir) -> None:
    j = open_journal(dd)
    with j.session() as s:
        build_demo(s, NOW)
        p = create_person(s, PersonData(name="Zoë <b>Ångström</b>", notes="Ümlauts & émojis 🌱"), now=NOW)
        p.photo = PHOTO
        save_draft(s, "quicklog", {"note": "half a thought…"}, now=NOW)
        for i in range(40):
            meeting(s, person(s, f"Filler {i}", NOW, notes="n" * 300), NOW, days_ago=i, notes="m" * 300)
    j.close()


@pytest.fixture
def seeded(tmp_path: Path) -> DataDir:
    dd = DataDir(tmp_path / "journal").ensure()
    seed(dd)
    daily_backup(dd, now=NOW)
    return dd


@pytest.fixture
def shared_tmp() -> Iterator[Path]:
    """A folder that `nobody` can reach too (pytest's own tmp folders are private to root)."""
    path = Path(tempfile.mkdtemp(prefix="netjournal-ro-"))
    path.chmod(0o755)
    try:
        yield path
    finally:
        for p in [path, *path.rglob("*")]:
            with contextlib.suppress(OSError):
                p.chmod(0o700 if p.is_dir() else 0o600)
        import shutil

        shutil.rmtree(path, ignore_errors=True)


def _garble_middle(raw: bytes) -> bytes:
    rng = random.Random(5)
    page = 4096
    out = bytearray(raw)
    for start in range(2 * page, len(raw) - page, page):
        out[start : start + page] = rng.randbytes(page)
    return bytes(out)


DAMAGE = {
    "truncated": lambda raw: raw[: len(raw) // 3],
    "garbage": lambda raw: b"this is not a journal at all\n" * 500,
    "garbled-pages": _garble_middle,
    "header-only": lambda raw: raw[:100],
}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_damaged_journal_is_refused_kept_and_the_backup_offered(seeded: DataDir, damage: str) -> None:
    db = seeded.database
    bad = DAMAGE[damage](db.read_bytes())
    db.write_bytes(bad)
    backup = str(seeded.backups / "daily-2026-03-16.sqlite3")
    proc = nj("log", "Priya", "--channel", "coffee", "--note", "private words", data_dir=seeded.root)
    err = assert_plain_refusal(proc, str(db), backup)
    assert "private words" not in err
    assert db.read_bytes() == bad, "the damaged file is kept exactly as it was"
    smoke = nj("--smoke", data_dir=seeded.root)
    if damage == "garbled-pages":
        # The window opens on a file whose header is fine; the background check then shows the
        # problem in the window (see test_window_warns_about_a_damaged_journal). No traceback either way.
        assert "Traceback" not in smoke.stderr
    else:
        assert_plain_refusal(smoke, str(db), backup)
    assert db.read_bytes() == bad
    # Following the advice in the message brings the journal back, and keeps the damaged file as it was.
    saved = table_dump(Path(backup))
    restore = nj("restore", backup, data_dir=seeded.root)
    assert restore.returncode == 0, restore.stderr
    assert table_dump(db) == saved
    (kept,) = [p for p in seeded.backups.glob("before-restore-*") if not p.name.endswith(("-wal", "-shm"))]
    assert kept.read_bytes() == bad
    assert nj("log", "Priya", "--channel", "coffee", data_dir=seeded.root).returncode == 0


def test_journal_from_a_newer_netjournal_is_refused_and_kept(seeded: DataDir) -> None:
    con = sqlite3.connect(seeded.database)
    con.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    con.commit()
    con.close()
    before = seeded.database.read_bytes()
    for args in (["people"], ["--smoke"]):
        assert_plain_refusal(nj(*args, data_dir=seeded.root), "newer version of netjournal", "daily-2026-03-16")
    assert seeded.database.read_bytes() == before


def test_window_warns_about_a_damaged_journal(qtbot, seeded: DataDir, monkeypatch) -> None:
    # The database problem dialog: plain text, the restore command with the latest backup in it.
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox

    from netjournal import startup
    from netjournal.core.errors import CorruptDatabaseError

    shown: list[QMessageBox] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda self: shown.append(self) or 0)
    backup = seeded.backups / "daily-2026-03-16.sqlite3"
    startup.database_problem_dialog(
        CorruptDatabaseError(f"The journal file {seeded.database} is <b>damaged</b>.", seeded.database, backup)
    )
    (box,) = shown
    assert box.textFormat() == Qt.TextFormat.PlainText
    assert "<b>damaged</b>" in box.text() and str(backup) in box.text()
    assert f'netjournal restore "{backup}"' in box.informativeText()


# ----------------------------------------------------------------------------------- permissions


@posix_only
@pytest.mark.parametrize("what", ["file", "folder", "side-file"])
def test_read_only_journal_is_refused_clearly(shared_tmp: Path, what: str) -> None:
    dd = DataDir(shared_tmp / "journal").ensure()
    seed(dd)
    daily_backup(dd, now=NOW)
    give_to_nobody(shared_tmp)
    before = dd.database.read_bytes()
    if what == "file":
        dd.database.chmod(0o400)
    elif what == "folder":
        dd.root.chmod(0o500)
    else:  # a -shm left read-only (e.g. by a copy as another user): SQLite could not write through it
        shm = dd.database.with_name("journal.sqlite3-shm")
        shm.write_bytes(b"\0" * 32768)
        give_to_nobody(shm)
        shm.chmod(0o400)
    proc = nj("log", "Priya", "--channel", "coffee", "--note", "x", data_dir=dd.root, unprivileged=True)
    assert_plain_refusal(proc, "read-only")
    assert "Check" in proc.stderr  # says what to do about it
    proc = nj("--smoke", data_dir=dd.root, unprivileged=True)
    assert_plain_refusal(proc, "read-only")
    dd.root.chmod(0o700)
    assert dd.database.read_bytes() == before
    assert stat.S_IMODE(dd.database.stat().st_mode) == (0o400 if what == "file" else 0o600)


# ------------------------------------------------------------------------------------- disk full


def _limit_pages(journal, extra_pages: int) -> None:
    """Make SQLite report SQLITE_FULL once the file would grow by more than `extra_pages` pages."""
    with journal.read() as s:
        pages = s.connection().exec_driver_sql("PRAGMA page_count").scalar()

    @event.listens_for(journal.engine, "connect")
    def _cap(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_conn.execute(f"PRAGMA max_page_count={pages + extra_pages}")

    journal.engine.dispose()  # new connections get the cap


def test_disk_full_write_rolls_back_with_a_plain_message(seeded: DataDir) -> None:
    j = open_journal(seeded)
    before = table_dump(seeded.database)
    _limit_pages(j, 2)
    with pytest.raises(DiskFullError, match="The disk is full") as info, j.session() as s:
        p = create_person(s, PersonData(name="Big notes", notes="long " * 50_000), now=NOW)
        meeting(s, p, NOW, notes="also long " * 50_000)
    assert "Nothing in your journal was changed" in info.value.message
    j.close()
    assert table_dump(seeded.database) == before, "nothing half-written"
    j = open_journal(seeded)  # with room again, the same write works
    with j.session() as s:
        create_person(s, PersonData(name="Big notes", notes="long " * 50_000), now=NOW)
    with j.read() as s:
        assert s.scalar(select(func.count()).where(Person.name == "Big notes")) == 1
    j.close()


def test_disk_full_in_the_command_line_is_one_plain_line(seeded: DataDir, monkeypatch, capsys) -> None:
    from netjournal import cli
    from netjournal.core import db

    real = db._on_connect

    def capped(dbapi_conn, record) -> None:  # type: ignore[no-untyped-def]
        real(dbapi_conn, record)
        pages = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
        dbapi_conn.execute(f"PRAGMA max_page_count={pages + 1}")

    monkeypatch.setattr(db, "_on_connect", capped)
    before = table_dump(seeded.database)
    code = cli.main(["--data-dir", str(seeded.root), "log", "Priya", "--channel", "coffee", "--note", "w " * 40_000])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("netjournal: The disk is full") and err.count("\n") == 1, err
    assert table_dump(seeded.database) == before


@posix_only
def test_write_error_from_the_disk_is_plain_and_loses_nothing(seeded: DataDir) -> None:
    # RLIMIT_FSIZE makes the kernel refuse to grow files past a size, as a nearly full disk does.
    def small_files() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (65536, resource.RLIM_INFINITY))

    before = table_dump(seeded.database)
    proc = nj("log", "Priya", "--channel", "coffee", "--note", "z" * 120_000, data_dir=seeded.root, preexec=small_files)
    err = assert_plain_refusal(proc, "not saved", "Nothing was changed")
    assert "z" * 50 not in err
    assert table_dump(seeded.database) == before
    ok = nj("log", "Priya", "--channel", "coffee", "--note", "z" * 120_000, data_dir=seeded.root)
    assert ok.returncode == 0, ok.stderr


@pytest.fixture
def tiny_disk() -> Iterator[Path]:
    """A real 4 MB file system (tmpfs), where a write fails with ENOSPC. Needs root; skipped otherwise."""
    if not sys.platform.startswith("linux"):
        pytest.skip("a tiny tmpfs is how Linux gives a full disk")
    require(is_root(), "mounting a tiny tmpfs needs root", "run as root, as CI does")
    mnt = Path(tempfile.mkdtemp(prefix="netjournal-full-"))
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m,mode=0700", "tmpfs", str(mnt)]).returncode != 0:
        mnt.rmdir()
        require(False, "cannot mount a tmpfs here", "a container needs the SYS_ADMIN capability")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)
        mnt.rmdir()


def _fill(folder: Path, leave: int) -> None:
    free = os.statvfs(folder).f_bavail * os.statvfs(folder).f_frsize
    with (folder / "filler").open("wb") as fh, contextlib.suppress(OSError):
        fh.write(b"\0" * max(0, free - leave))


@pytest.mark.slow
def test_really_full_disk(tiny_disk: Path) -> None:
    dd = DataDir(tiny_disk / "journal").ensure()
    j = open_journal(dd)
    with j.session() as s:
        meeting(s, person(s, "Priya Raman", NOW), NOW, notes="first")
    j.close()
    backup = daily_backup(dd, now=NOW)
    _fill(tiny_disk, leave=8192)
    before = table_dump(dd.database)
    proc = nj("log", "Priya", "--channel", "coffee", "--note", "q" * 120_000, data_dir=dd.root)
    assert_plain_refusal(proc, "The disk is full")
    assert table_dump(dd.database) == before
    # The next day's automatic backup does not fit: it fails cleanly, leaving no half file behind.
    with pytest.raises(OSError):
        daily_backup(dd, now=NOW + timedelta(days=1))
    assert sorted(p.name for p in dd.backups.iterdir()) == [backup.name]
    # The app still starts on a full disk (reading works); the skipped backup is only logged.
    smoke = nj("--smoke", data_dir=dd.root)
    assert smoke.returncode == 0 and "Traceback" not in smoke.stderr, smoke.stderr
    (tiny_disk / "filler").unlink()
    assert nj("log", "Priya", "--channel", "coffee", "--note", "fits now", data_dir=dd.root).returncode == 0


# ------------------------------------------------------------------------------- backups, restore


def test_daily_backups_rotate_keeping_seven(seeded: DataDir) -> None:
    for day in range(1, 12):
        daily_backup(seeded, now=NOW + timedelta(days=day))
        daily_backup(seeded, now=NOW + timedelta(days=day, hours=3))  # once a day only
    names = sorted(p.name for p in seeded.backups.glob("daily-*.sqlite3"))
    assert names == [f"daily-{(NOW + timedelta(days=d)).date()}.sqlite3" for d in range(5, 12)]
    for p in seeded.backups.iterdir():
        assert stat.S_IMODE(p.stat().st_mode) == 0o600
        assert sqlite3.connect(p).execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_pre_migration_backups_keep_five_and_leave_others_alone(seeded: DataDir) -> None:
    for i in range(8):
        target = seeded.backups / f"pre-migration-000{i}-2026031{i}-000000.sqlite3"
        target.write_bytes(b"x")
        os.utime(target, (1_700_000_000 + i, 1_700_000_000 + i))
        rotate_backups(seeded.backups, "pre-migration-", keep=5)
    left = sorted(p.name for p in seeded.backups.glob("pre-migration-*"))
    assert left == [f"pre-migration-000{i}-2026031{i}-000000.sqlite3" for i in range(3, 8)]
    assert (seeded.backups / "daily-2026-03-16.sqlite3").exists()


def test_backup_and_restore_round_trip_every_table_exactly(seeded: DataDir, tmp_path: Path) -> None:
    saved = table_dump(seeded.database)
    out = tmp_path / "my backup.sqlite3"
    assert nj("backup", "-o", str(out), data_dir=seeded.root).returncode == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    j = open_journal(seeded)  # change things after the backup
    with j.session() as s:
        create_person(s, PersonData(name="Added after"), now=NOW)
        trash(s, "interaction", s.scalar(select(func.min(Interaction.id))), now=NOW)
        save_draft(s, "quicklog", {"note": "newer"}, now=NOW)
    j.close()
    changed = table_dump(seeded.database)
    assert changed != saved
    proc = nj("restore", str(out), data_dir=seeded.root)
    assert proc.returncode == 0, proc.stderr
    restored = table_dump(seeded.database)
    assert restored.keys() == saved.keys()
    for table in saved:
        assert restored[table] == saved[table], table
    with sqlite3.connect(seeded.database) as con:
        assert con.execute("SELECT photo FROM people WHERE photo IS NOT NULL").fetchone() == (PHOTO,)
    kept = sorted(seeded.backups.glob("before-restore-*.sqlite3"))
    assert len(kept) == 1 and table_dump(kept[0]) == changed, "the replaced journal is kept"
    assert stat.S_IMODE(seeded.database.stat().st_mode) == 0o600


def test_restore_refuses_a_damaged_backup_and_keeps_the_journal(seeded: DataDir, tmp_path: Path) -> None:
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"SQLite format 3\x00" + b"\xff" * 5000)
    before = table_dump(seeded.database)
    assert_plain_refusal(nj("restore", str(bad), data_dir=seeded.root), "nothing was restored")
    assert table_dump(seeded.database) == before


def test_damage_met_while_reading_is_a_plain_problem(seeded: DataDir) -> None:
    from netjournal.core.errors import CorruptDatabaseError

    j = open_journal(seeded)
    j.engine.dispose()  # no cached pages: the next read goes to the file
    seeded.database.write_bytes(_garble_middle(seeded.database.read_bytes()))
    with pytest.raises(CorruptDatabaseError, match="damaged") as info, j.read() as s:
        s.scalars(select(Interaction.notes)).all()
    assert info.value.latest_backup == seeded.backups / "daily-2026-03-16.sqlite3"
    j.close()


def test_restore_waits_until_the_journal_is_closed(seeded: DataDir, tmp_path: Path) -> None:
    # Replacing the file under a running app would send its later saves into the replaced file.
    backup = str(seeded.backups / "daily-2026-03-16.sqlite3")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            (
                "import sys, time\n"
                "from netjournal.core.db import open_journal\n"
                "from netjournal.core.paths import DataDir\n"
                "j = open_journal(DataDir.at(sys.argv[1]))\n"
                "with j.read() as s: s.connection().exec_driver_sql('SELECT count(*) FROM people').scalar()\n"
                "print('open', flush=True)\n"
                "sys.stdin.readline()\n"
            ),
            str(seeded.root),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        before = table_dump(seeded.database)
        proc = nj("restore", backup, data_dir=seeded.root)
        assert_plain_refusal(proc, "netjournal is open on this journal", "nothing was changed")
        assert table_dump(seeded.database) == before
    finally:
        holder.communicate("bye\n", timeout=30)
    assert nj("restore", backup, data_dir=seeded.root).returncode == 0
