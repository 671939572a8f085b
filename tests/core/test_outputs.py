"""The one output guard, the read-only opening of a journal, and the text helpers (no Qt here)."""

from __future__ import annotations

import os
import sys
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netjournal.core import dbfile as dbfile_module
from netjournal.core.db import Journal, open_journal, open_read_only
from netjournal.core.errors import ReadOnlyDatabaseError
from netjournal.core.journal import PersonData, create_person, live_people
from netjournal.core.outputs import OutputProblem, check_output, write_output
from netjournal.core.paths import DataDir, sqlite_uri
from netjournal.core.text import csv_cell, csv_uncell, md_text, shown

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX links and descriptors")


@posix_only
def test_the_guard_knows_the_journal_by_inode_not_by_name(journal: Journal, tmp_path: Path) -> None:
    dd = journal.data_dir
    os.link(dd.database, tmp_path / "hard")
    (tmp_path / "sym").symlink_to(dd.database)
    (tmp_path / "backups-link").symlink_to(dd.backups, target_is_directory=True)
    targets = [
        dd.database,
        tmp_path / "hard",
        tmp_path / "sym",
        tmp_path / "backups-link" / "new.json",
        dd.root / "journal.sqlite3-shm",
        dd.root / "journal.sqlite3-journal",
        dd.logs / "x.txt",
    ]
    for target in targets:
        with pytest.raises(OutputProblem, match="journal's own files"):
            check_output(target, dd)
    # An open descriptor onto the journal (say `> journal.sqlite3` from a shell).
    with open(dd.database, "rb+") as fh, pytest.raises(OutputProblem, match="journal's own files"):
        check_output(f"/dev/fd/{fh.fileno()}", dd)
    assert check_output(dd.root / "export.json", dd).regular  # beside the journal is fine
    assert check_output(tmp_path / "sym", None).path == dd.database.resolve()  # without a journal: written through


def test_a_failed_write_leaves_the_old_file_and_no_part(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("old")

    def broken(fh):  # type: ignore[no-untyped-def]
        fh.write(b"half")
        raise OSError(28, "No space left on device")

    with pytest.raises(OutputProblem, match="No space left"):
        write_output(target, broken, None, what="export")
    assert target.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["out.csv"]


@posix_only
def test_devices_are_written_in_place(tmp_path: Path) -> None:
    out = write_output("/dev/null", lambda fh: fh.write(b"x" * 100), None)
    assert not out.regular and Path("/dev/null").is_char_device()
    with pytest.raises(OutputProblem, match="not open"):
        check_output("/dev/fd/987", None)


# ------------------------------------------------------------------------------- read-only opening


def _journal_with(dd: DataDir, now: datetime, *, keep_log: bool) -> Journal | None:
    j = open_journal(dd)
    with j.session() as s:
        create_person(s, PersonData(name="Ada"), now=now)
    if keep_log:
        return j  # still open: the change is in the write-ahead log only
    j.close()
    return None


@pytest.mark.parametrize("keep_log", [False, True], ids=["no log", "changes in the log"])
def test_a_journal_sqlite_cannot_open_read_only_is_still_read(
    data_dir: DataDir, now: datetime, monkeypatch: pytest.MonkeyPatch, keep_log: bool
) -> None:
    # As an unprivileged user with a read-only folder and no -shm, SQLite refuses mode=ro on a WAL
    # journal; root cannot be refused, so make the probe fail the way it does there.
    writer = _journal_with(data_dir, now, keep_log=keep_log)
    try:
        if keep_log:
            import shutil

            copy = DataDir(data_dir.root.parent / "copy").ensure()
            for name in ("journal.sqlite3", "journal.sqlite3-wal"):
                shutil.copyfile(data_dir.root / name, copy.root / name)
            data_dir = copy
        import sqlite3

        real_probe = dbfile_module._probe_error
        refused = sqlite3.OperationalError("unable to open database file")
        plain_ro = lambda uri: "mode=ro" in uri and "immutable" not in uri  # noqa: E731
        monkeypatch.setattr(dbfile_module, "_probe_error", lambda uri: refused if plain_ro(uri) else real_probe(uri))
        before = sorted(p.name for p in data_dir.root.iterdir())
        j = open_read_only(data_dir)
        try:
            with j.read() as s:
                assert [p.name for p in s.scalars(live_people())] == ["Ada"]
            with pytest.raises(ReadOnlyDatabaseError, match="read-only"), j.session():
                pass
        finally:
            j.close()
        assert sorted(p.name for p in data_dir.root.iterdir()) == before  # no -shm made beside it
    finally:
        if writer is not None:
            writer.close()


def test_sqlite_uris_keep_odd_folder_names(tmp_path: Path) -> None:
    odd = tmp_path / "Journal #1 ? 50% ü" / "journal.sqlite3"
    odd.parent.mkdir()
    import sqlite3

    con = sqlite3.connect(sqlite_uri(odd, mode="rwc"), uri=True)
    con.execute("CREATE TABLE t (x)")
    con.close()
    assert odd.exists() and sorted(p.name for p in odd.parent.iterdir()) == ["journal.sqlite3"]
    url = DataDir(odd.parent).url
    assert url.database == str(odd)


# ------------------------------------------------------------------------------------ text helpers


def test_shown_escapes_every_control_character() -> None:
    assert shown("a\x1b[31mb\x07c\x9bd\u202ee\x7f") == "a\\x1b[31mb\\x07c\\u009bd\\u202ee\\u007f"
    assert shown("line\nnext\ttab", keep="\n\t") == "line\nnext\ttab"
    assert shown("Zoë 山田 🌱") == "Zoë 山田 🌱"


@given(st.text())
def test_csv_cells_never_start_a_formula_and_read_back(text: str) -> None:
    cell = csv_cell(text)
    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert csv_uncell(cell) == text


def test_markdown_text_cannot_become_markup() -> None:
    assert md_text("# Ann <b>x</b> [a](http://e) *b* `c` ![i](j) | t") == (
        "\\# Ann \\<b\\>x\\</b\\> \\[a\\](http\\://e) \\*b\\* \\`c\\` \\!\\[i\\](j) \\| t"
    )
    assert md_text("- item\n1. one\n> quote", one_line=False) == "\\- item\n1\\. one\n\\> quote"
    assert md_text("http://e.invalid www.e.invalid a@b.invalid") == "http\\://e.invalid www\\.e.invalid a\\@b.invalid"
