"""Locking a journal from the command line, through the real entry point."""

from __future__ import annotations

from pathlib import Path

import pytest

from netjournal.core import cipher
from tests.cli.test_cli import run

PASS = "a quiet harbour at dawn"


@pytest.fixture
def journal_dir(tmp_path: Path) -> Path:
    d = tmp_path / "journal"
    card = tmp_path / "imogen.vcf"
    card.write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Imogen Thistlewood\r\nEMAIL:imogen@example.org\r\nEND:VCARD\r\n")
    run("import", str(card), data_dir=d)
    run("log", "Imogen Thistlewood", "--channel", "coffee", "--note", "talked about her kiln", data_dir=d)
    return d


@pytest.fixture
def pw(tmp_path: Path) -> Path:
    f = tmp_path / "pass.txt"
    f.write_text(PASS + "\n")
    return f


def grep(folder: Path, *needles: str) -> list[str]:
    return [f"{f}: {n}" for f in folder.rglob("*") if f.is_file() for n in needles if n.encode() in f.read_bytes()]


def test_encrypt_then_every_command_needs_the_passphrase(journal_dir: Path, pw: Path, tmp_path: Path) -> None:
    assert grep(journal_dir, "Thistlewood"), "the journal is plain before"
    out = run("encrypt", "--passphrase-file", str(pw), data_dir=journal_dir)
    assert "cannot be recovered" in out.stderr and "not touched" in out.stderr
    assert cipher.is_encrypted(journal_dir / "journal.sqlite3")
    assert grep(journal_dir, "Thistlewood", "kiln") == []

    locked = run("search", "kiln", data_dir=journal_dir, check=False)
    assert locked.returncode == 1 and "protected with a passphrase" in locked.stderr
    assert "Traceback" not in locked.stderr and "hmac" not in locked.stderr

    bad = tmp_path / "bad.txt"
    bad.write_text("not the passphrase\n")
    wrong = run("search", "kiln", "--passphrase-file", str(bad), data_dir=journal_dir, check=False)
    assert wrong.returncode == 1 and "does not open" in wrong.stderr
    assert "ERROR CORE" not in wrong.stderr, "SQLCipher's own log lines stay out of the user's terminal"

    found = run("search", "kiln", env={"NETJOURNAL_PASSPHRASE_FILE": str(pw)}, data_dir=journal_dir)
    assert "Thistlewood" in found.stdout
    run(
        "log",
        "Imogen",
        "--channel",
        "call",
        "--note",
        "a second secret",
        "--passphrase-file",
        str(pw),
        data_dir=journal_dir,
    )
    assert grep(journal_dir, "second secret", "Thistlewood") == []

    backup = tmp_path / "copy.sqlite3"
    said = run("backup", "-o", str(backup), "--passphrase-file", str(pw), data_dir=journal_dir)
    assert "protected" in said.stdout and cipher.is_encrypted(backup)
    assert grep(backup.parent, "Thistlewood") == [str(backup.parent / "imogen.vcf") + ": Thistlewood"]


def test_change_passphrase_and_decrypt(journal_dir: Path, pw: Path, tmp_path: Path) -> None:
    run("encrypt", "--passphrase-file", str(pw), data_dir=journal_dir)
    new = tmp_path / "new.txt"
    new.write_text("another long passphrase\n")
    run("passphrase", "--passphrase-file", str(pw), "--new-passphrase-file", str(new), data_dir=journal_dir)
    assert run("people", "--passphrase-file", str(pw), data_dir=journal_dir, check=False).returncode == 1
    assert "Thistlewood" in run("people", "--passphrase-file", str(new), data_dir=journal_dir).stdout
    run("decrypt", "--passphrase-file", str(new), data_dir=journal_dir)
    assert not cipher.is_encrypted(journal_dir / "journal.sqlite3")
    assert "Thistlewood" in run("people", data_dir=journal_dir).stdout


def test_restore_of_an_encrypted_backup_asks_for_its_passphrase(journal_dir: Path, pw: Path, tmp_path: Path) -> None:
    run("encrypt", "--passphrase-file", str(pw), data_dir=journal_dir)
    backup = tmp_path / "copy.sqlite3"
    run("backup", "-o", str(backup), "--passphrase-file", str(pw), data_dir=journal_dir)
    other = tmp_path / "other"
    refused = run("restore", str(backup), data_dir=other, check=False)
    assert refused.returncode == 1 and "protected with a passphrase" in refused.stderr
    run("restore", str(backup), "--passphrase-file", str(pw), data_dir=other)
    assert "Thistlewood" in run("people", "--passphrase-file", str(pw), data_dir=other).stdout


def test_no_passphrase_on_the_command_line(journal_dir: Path) -> None:
    # There is deliberately no option that takes the passphrase itself.
    proc = run("encrypt", "--passphrase", PASS, data_dir=journal_dir, check=False)
    assert proc.returncode == 2
    help_text = run("encrypt", "--help").stdout
    assert "--passphrase-file" in help_text and "--passphrase " not in help_text


def test_encrypt_without_a_terminal_or_file_refuses_plainly(journal_dir: Path) -> None:
    proc = run("encrypt", data_dir=journal_dir, check=False)
    assert proc.returncode == 1 and "new passphrase is needed" in proc.stderr
    assert not cipher.is_encrypted(journal_dir / "journal.sqlite3")
