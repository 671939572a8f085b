"""No argument of any command gives a traceback: each is driven through the real entry point with
hostile values and must end with one clear line and a non-zero exit (or work, where the value is valid)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from netjournal.cli import COMMANDS, main
from netjournal.core.db import Journal
from tests.conftest import NOW, ROOT
from tests.factories import person

NUMBERS = ["#١٢", "١٢", "١", "99999999999999999999999", "9223372036854775808", "-1", "0", "1e309", "nan", "", "  ", "²"]
DATES = [
    "9999-12-31T23:59:59-12:00",
    "9999-12-31T23:59:59+14:00",
    "9999-12-31",
    "0001-01-01T00:00:00+14:00",
    "0001-01-01",
    "2026-02-30",
    "２０２６-０３-１４",
    "1e309",
]
TEXTS = ["\udcff\udcfe", "Ana\udc80", "x\x00y"]  # argv bytes that were not UTF-8, a NUL
PEOPLE = ["#١٢", "#99999999999999999999999", "99999999999999999999", "#-1", "#0", *TEXTS]
BAD_PATHS = ["x\x00y", "", "/proc/self/no/such/dir/out.file", "/proc/version"]
PASSPHRASE_FILES = ["x\x00y", "", "/proc/self/no/such/file", "/dev/null", "/dev/zero", "{tmp}", "{tmp}/latin1.txt"]

# (command words with {} where the value goes) for every argument that takes a value.
ADD = ["account", "add", "home", "--username", "ana"]
SLOTS: list[tuple[str, list[str], list[str]]] = [
    ("log person", ["log", "{}", "--channel", "call"], PEOPLE),
    ("log --at", ["log", "Ana Lima", "--channel", "call", "--at", "{}"], DATES),
    ("log --warmth", ["log", "Ana Lima", "--channel", "call", "--warmth", "{}"], NUMBERS),
    ("log --note", ["log", "Ana Lima", "--channel", "call", "--note", "{}"], TEXTS),
    ("log --channel", ["log", "Ana Lima", "--channel", "{}"], ["call\udcff", "", "１"]),
    ("suggest --at", ["suggest", "--at", "{}"], DATES),
    ("search query", ["search", "{}"], TEXTS),
    ("search --limit", ["search", "x", "--limit", "{}"], NUMBERS),
    ("prep person", ["prep", "{}", "-o", "{tmp}/sheet.pdf"], PEOPLE),
    ("prep --plan", ["prep", "--plan", "{}", "-o", "{tmp}/sheet.pdf"], NUMBERS),
    ("prep -o", ["prep", "Ana Lima", "-o", "{}"], BAD_PATHS),
    ("export -o", ["export", "-f", "json", "-o", "{}"], BAD_PATHS),
    ("backup -o", ["backup", "-o", "{}"], BAD_PATHS),
    ("restore file", ["restore", "{}"], [*BAD_PATHS, "/dev/null"]),
    ("import file", ["import", "{}"], [*BAD_PATHS, "/dev/null", "/proc/self/mem"]),
    ("import --circle", ["import", "{tmp}/a.vcf", "--circle", "{}"], NUMBERS),
    ("people --data-dir", ["people", "--data-dir", "{}"], ["x\x00y", "", "/proc/version", "/proc/self/no/such"]),
    # A passphrase file that is no passphrase (empty, endless, a folder, bytes that are not text) is refused.
    ("encrypt --passphrase-file", ["encrypt", "--passphrase-file", "{}"], PASSPHRASE_FILES),
    ("decrypt --passphrase-file", ["decrypt", "--passphrase-file", "{}"], PASSPHRASE_FILES),
    ("passphrase --new-passphrase-file", ["passphrase", "--new-passphrase-file", "{}"], PASSPHRASE_FILES),
    ("calendar add name", ["calendar", "add", "{}", "https://calendar.example.org/x.ics"], [*TEXTS, "", "x" * 101]),
    (
        "calendar add url",
        ["calendar", "add", "work", "{}"],
        [
            *TEXTS,
            "",
            "ftp://calendar.example.org/x.ics",
            "http://calendar.example.org/x.ics",
            "webcal://",
            "https://",
            "calendar.example.org/x.ics",
        ],
    ),
    ("calendar remove name", ["calendar", "remove", "{}"], [*TEXTS, "", "nobody"]),
    # Sync accounts: refused before any connection is tried (the no-network guard would fail the test).
    (
        "account add --password-file",
        [*ADD, "--url", "https://dav.example.org/", "--password-file", "{}"],
        PASSPHRASE_FILES,
    ),
    (
        "account add --url",
        [*ADD, "--password-file", "/dev/null", "--url", "{}"],
        ["", "ftp://dav.example.org/", "http://dav.example.org/", "https://", "https://x:99999999/", *TEXTS],
    ),
    (
        "account add name",
        [
            "account",
            "add",
            "{}",
            "--username",
            "ana",
            "--url",
            "https://dav.example.org/",
            "--password-file",
            "/dev/null",
        ],
        ["", "  ", "a\nb", "x" * 101, "\udcff"],
    ),
    (
        "account add --circles",
        [*ADD, "--url", "https://dav.example.org/", "--password-file", "/dev/null", "--circles", "{}"],
        ["", "x", "9", "1,,b", "١"],
    ),
    ("account remove name", ["account", "remove", "{}"], ["nobody", *TEXTS]),
    ("sync name", ["sync", "{}"], ["nobody", *TEXTS]),
]
CASES = [(name, words, value) for name, words, values in SLOTS for value in values]


def test_every_command_has_hostile_cases() -> None:
    named = {words[0] for _, words, _ in SLOTS}
    assert named >= {c.rstrip("_") for c in COMMANDS} | {"restore"}


@pytest.fixture(autouse=True)
def _a_qt_application(qapp):  # type: ignore[no-untyped-def]
    # `prep` runs in this process here and makes a QGuiApplication when there is none; a later widget
    # test in the same process would then abort ("Cannot create a QWidget without QApplication").
    return qapp


@pytest.fixture
def hostile_journal(journal: Journal, tmp_path: Path) -> Callable[[list[str]], list[str]]:
    with journal.session() as s:
        person(s, "Ana Lima", NOW)
    (tmp_path / "a.vcf").write_text("BEGIN:VCARD\nVERSION:3.0\nFN:Bo Kim\nEND:VCARD\n", encoding="utf-8")
    (tmp_path / "latin1.txt").write_bytes("caf\u00e9 au lait, bitte\n".encode("latin-1"))
    data = ["--data-dir", str(journal.data_dir.root)]

    def argv(words: list[str]) -> list[str]:
        return [w.replace("{tmp}", str(tmp_path)) for w in words] + (data if "--data-dir" not in words else [])

    return argv


@pytest.mark.parametrize(("slot", "words", "value"), CASES, ids=[f"{n}={v!r}" for n, _, v in CASES])
def test_a_hostile_argument_gives_one_clear_line_and_a_non_zero_exit(
    slot: str, words: list[str], value: str, hostile_journal, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = hostile_journal([value if w == "{}" else w for w in words])
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse's usage errors
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert code != 0, f"{slot}={value!r} was accepted: {out}"
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("netjournal"), err
    if "١" in value or "٢" in value:
        assert "#12" not in out and "Ana" not in out  # never read as the ASCII number


def test_an_arabic_indic_id_never_means_that_number(hostile_journal, capsys: pytest.CaptureFixture[str]) -> None:
    # person #1 exists; "#١" must not find them
    assert main(hostile_journal(["log", "#1", "--channel", "call"])) == 0
    assert main(hostile_journal(["log", "#١", "--channel", "call"])) == 1
    assert "No one called '#١'" in capsys.readouterr().err


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Etc/GMT+12"])
@pytest.mark.parametrize("when", ["9999-12-31T23:59:59", "0001-01-01T00:00:00", "2199-12-31T23:59:59"])
def test_local_dates_at_the_ends_of_the_calendar_in_any_time_zone(
    zone: str, when: str, hostile_journal, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TZ", zone)
    time.tzset()
    try:
        code = main(hostile_journal(["suggest", "--at", when]))
    finally:
        monkeypatch.undo()
        time.tzset()
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert code == (0 if when.startswith("2199") else 1), err


def _cli(args: list[bytes], data_dir: Path, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "NETJOURNAL_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT), "LC_ALL": "C.UTF-8"}
    cmd = [sys.executable.encode(), b"-m", b"netjournal", *args]
    return subprocess.run(cmd, capture_output=True, env=env, cwd=cwd, timeout=60, check=False)


def test_argv_that_is_not_utf8_through_the_real_process(tmp_path: Path) -> None:
    data = tmp_path / "journal"
    card = b"BEGIN:VCARD\nVERSION:3.0\nFN:Ana Lima\nEND:VCARD\n"
    odd = tmp_path.as_posix().encode() + b"/caf\xe9.vcf"  # a Latin-1 file name: valid on Linux
    Path(os.fsdecode(odd)).write_bytes(card)
    done = _cli([b"import", odd], data, tmp_path)
    assert done.returncode == 0 and b"Traceback" not in done.stderr, done.stderr
    assert b"caf\\xe9.vcf" in done.stdout  # printed escaped, not refused
    done = _cli([b"log", b"Ana \xff", b"--channel", b"call"], data, tmp_path)
    assert done.returncode == 2 and b"Traceback" not in done.stderr
    assert b"is not valid UTF-8 text" in done.stderr and len(done.stderr.strip().splitlines()) == 1
