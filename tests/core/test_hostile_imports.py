"""Imports that are hostile, huge or foreign: endless rules, huge properties, endless inputs, Windows
code pages and localised Outlook columns, files with a few bad records, and the write lock."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from netjournal.core import db
from netjournal.core.db import Journal, open_journal
from netjournal.core.importers import ImportProblem, run_import
from netjournal.core.importers.base import MAX_FILE_BYTES, MB
from netjournal.core.journal import live_people
from netjournal.core.models import Interaction, InteractionState, Person
from netjournal.core.paths import DataDir
from tests.conftest import FIXTURES, ROOT
from tests.factories import person

OWN = FIXTURES / "import"
CLI = [sys.executable, "-m", "netjournal"]


def _names(journal: Journal) -> dict[str, Person]:
    with journal.read() as s:
        opts = [selectinload(Person.contact_points), selectinload(Person.addresses)]
        return {p.name: p for p in s.scalars(live_people().options(*opts))}


def _calendar(*events: str) -> str:
    return "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//EN\n" + "".join(events) + "END:VCALENDAR\n"


def _event(uid: str, start: str, rule: str = "", extra: str = "") -> str:
    rrule = f"RRULE:{rule}\n" if rule else ""
    return (
        f"BEGIN:VEVENT\nUID:{uid}\nDTSTAMP:20200101T000000Z\nDTSTART:{start}\nDURATION:PT30M\n"
        f"SUMMARY:{uid}\n{rrule}{extra}ORGANIZER:mailto:ana@example.com\nEND:VEVENT\n"
    )


# ------------------------------------------------------------------------------------ endless rules


@pytest.mark.timeout(60)
def test_an_endless_secondly_rule_is_imported_in_seconds(journal: Journal, now: datetime, tmp_path: Path) -> None:
    with journal.session() as s:
        person(s, "Ana Lima", now, emails=[("", "ana@example.com")])
    cal = tmp_path / "endless.ics"
    cal.write_text(
        _calendar(
            _event("every-second", "20200101T090000Z", "FREQ=SECONDLY"),
            _event("every-minute", "19700101T090000Z", "FREQ=MINUTELY;INTERVAL=7"),
        ),
        encoding="utf-8",
    )
    started = time.monotonic()
    report = run_import(journal, [cal], now=now)
    assert time.monotonic() - started < 20  # it took more than 15 minutes before
    results = report.files[0].results
    assert [r.action for r in results] == ["created", "created"]
    assert all("repeats too often" in r.reason for r in results)
    with journal.read() as s:
        starts = sorted(i.at.year for i in s.scalars(select(Interaction)))
    assert starts == [1970, 2020]  # imported once each, at its start


def test_a_weekly_series_is_imported_at_its_next_occurrence_not_an_excluded_one(
    journal: Journal, now: datetime, tmp_path: Path
) -> None:
    # now is Monday 2026-03-16 10:00 UTC; the series meets on Tuesdays; the next Tuesday is cancelled.
    with journal.session() as s:
        person(s, "Ana Lima", now, emails=[("", "ana@example.com")])
    cal = tmp_path / "weekly.ics"
    cal.write_text(
        _calendar(_event("weekly", "20250107T150000Z", "FREQ=WEEKLY", "EXDATE:20260317T150000Z\n")), encoding="utf-8"
    )
    report = run_import(journal, [cal], now=now)
    assert report.created == 1
    with journal.read() as s:
        meeting = s.scalars(select(Interaction)).one()
    assert meeting.state == InteractionState.PLANNED
    assert meeting.at.replace(tzinfo=None) == datetime(2026, 3, 24, 15, 0)


def test_an_ended_series_is_imported_at_its_start_and_year_9999_is_skipped(
    journal: Journal, now: datetime, tmp_path: Path
) -> None:
    with journal.session() as s:
        person(s, "Ana Lima", now, emails=[("", "ana@example.com")])
    cal = tmp_path / "odd.ics"
    cal.write_text(
        _calendar(
            _event("ended", "20200106T090000Z", "FREQ=DAILY;UNTIL=20200110T090000Z"),
            _event("year-9999", "99991231T230000Z", "FREQ=YEARLY"),
        ),
        encoding="utf-8",
    )
    report = run_import(journal, [cal], now=now)
    assert [r.action for r in report.files[0].results] == ["created", "skipped"]
    assert "(9999-12-31) is too far from today" in report.files[0].results[1].reason
    with journal.read() as s:
        years = sorted(i.at.year for i in s.scalars(select(Interaction)))
    assert years == [2020]


def test_a_huge_calendar_property_or_too_many_events_are_refused_before_parsing(
    journal: Journal, now: datetime, tmp_path: Path
) -> None:
    from netjournal.core.importers.ics import MAX_EVENTS

    huge = tmp_path / "huge.ics"
    folded = "DESCRIPTION:" + "x" * 74 + "\n" + (" " + "x" * 74 + "\n") * 60_000
    huge.write_text(_calendar(_event("big", "20250110T090000Z", extra=folded)), encoding="utf-8")
    with pytest.raises(ImportProblem) as err:
        run_import(journal, [huge], now=now)
    assert "huge.ics, record 1: the DESCRIPTION property at line" in err.value.message
    assert "larger than 4 MB" in err.value.message
    many = tmp_path / "many.ics"
    many.write_text(_calendar(*(_event(f"e{i}", "20250110T090000Z") for i in range(MAX_EVENTS + 1))), "utf-8")
    with pytest.raises(ImportProblem) as err:
        run_import(journal, [many], now=now)
    assert f"many.ics: the calendar holds {MAX_EVENTS + 1:,} events" in err.value.message


# ------------------------------------------------------------------------------- size and memory


def _peak_import(tmp_path: Path, *args: str, stdin: bytes | None = None) -> tuple[int, str, float]:
    """Run the real CLI in a child process: (exit code, stderr + stdout, the child's peak memory in MB)."""
    probe = (
        "import resource, subprocess, sys\n"
        "p = subprocess.run(sys.argv[1:], stdin=sys.stdin, capture_output=True, text=True)\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "sys.stdout.write(p.stderr + p.stdout + f'\\nPEAK {peak}\\n')\n"
        "sys.exit(p.returncode)\n"
    )
    env = {**os.environ, "NETJOURNAL_DATA_DIR": str(tmp_path / "journal"), "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-c", probe, *CLI, "import", *args]
    done = subprocess.run(cmd, input=stdin, capture_output=True, env=env, timeout=300, check=False)
    out = done.stdout.decode("utf-8", "replace")
    assert "Traceback" not in out + done.stderr.decode("utf-8", "replace"), out
    peak_kb = int(out.rsplit("PEAK ", 1)[1].split()[0])
    return done.returncode, out, peak_kb / 1024


def _huge_card(path: Path, name: str, size: int, *, prop: str = "PHOTO;ENCODING=b;TYPE=JPEG") -> Path:
    """A card with one property of about `size` characters, folded at 75 columns as exporters do."""
    chunk = ("QUJDRA" * 13)[:74]
    lines = [f"{prop}:{chunk}"] + [" " + chunk] * (size // 77)  # 77 bytes a line with CRLF
    body = "\r\n".join(["BEGIN:VCARD", "VERSION:3.0", f"FN:{name}", "EMAIL:big@example.com", *lines, "END:VCARD"])
    path.write_text(body + "\r\n", encoding="utf-8")
    return path


@pytest.mark.timeout(300)
@pytest.mark.parametrize("name", ["Big Photo", "Big 😀 Photo"])  # an emoji makes Python keep 4 bytes a character
def test_a_file_just_under_the_cap_with_one_huge_photo_stays_under_300_mb(tmp_path: Path, name: str) -> None:
    big = _huge_card(tmp_path / "photo.vcf", name, MAX_FILE_BYTES - 100_000)
    assert big.stat().st_size <= MAX_FILE_BYTES
    code, out, peak = _peak_import(tmp_path, str(big))
    assert code == 0, out
    assert "Imported: 1 new" in out and "photo left out (larger than 4 MB)" in out
    assert peak < 300, f"peak memory {peak:.0f} MB"


@pytest.mark.timeout(300)
def test_a_huge_note_is_refused_naming_the_card_and_the_limit(tmp_path: Path) -> None:
    big = _huge_card(tmp_path / "note.vcf", "Big Note", 20_000_000, prop="NOTE")
    code, out, peak = _peak_import(tmp_path, str(big))
    assert code == 1
    assert "note.vcf, record 1" in out and "NOTE property at line 5 is larger than 4 MB" in out
    assert peak < 300, f"peak memory {peak:.0f} MB"


@pytest.mark.timeout(120)
def test_a_file_over_the_cap_is_refused_at_once_naming_the_file_and_the_cap(tmp_path: Path) -> None:
    big = tmp_path / "huge.vcf"
    with big.open("wb") as fh:  # sparse: over the cap without writing 50 MB
        fh.truncate(MAX_FILE_BYTES + 1)
    code, out, _peak = _peak_import(tmp_path, str(big))
    assert code == 1 and f"huge.vcf: the file is larger than {MAX_FILE_BYTES // MB} MB" in out


@pytest.mark.timeout(120)
@pytest.mark.parametrize("source", ["/dev/zero", "endless pipe"])
def test_endless_inputs_are_stopped_at_the_cap_while_reading(tmp_path: Path, source: str) -> None:
    if source == "/dev/zero":
        code, out, peak = _peak_import(tmp_path, "/dev/zero")
        name = "/dev/zero"
    else:
        env = {**os.environ, "NETJOURNAL_DATA_DIR": str(tmp_path / "journal"), "PYTHONPATH": str(ROOT)}
        yes = subprocess.Popen(["yes", "BEGIN:VCARD"], stdout=subprocess.PIPE)
        try:
            done = subprocess.run(
                [*CLI, "import", "-"], stdin=yes.stdout, capture_output=True, env=env, timeout=100, check=False
            )
        finally:
            yes.kill()
            yes.wait()
        code, out, peak, name = done.returncode, done.stderr.decode(), 0.0, "-"
    assert code == 1 and f"{name}: the file is larger than {MAX_FILE_BYTES // MB} MB" in out
    assert "stopped reading" in out
    assert "Traceback" not in out
    assert peak < 300


def test_a_file_with_more_records_than_the_limit_is_refused(journal: Journal, now: datetime, tmp_path: Path) -> None:
    from netjournal.core.importers.base import MAX_RECORDS

    many = tmp_path / "many.csv"
    many.write_text("Name,E-mail\n" + "".join(f"P{i},\n" for i in range(MAX_RECORDS + 1)), encoding="utf-8")
    with pytest.raises(ImportProblem) as err:
        run_import(journal, [many], now=now)
    assert "many.csv: the file holds more than 30,000 records" in err.value.message


def test_a_vcard_can_be_read_from_a_pipe(tmp_path: Path) -> None:
    card = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Piped Person\r\nEMAIL:pipe@example.com\r\nEND:VCARD\r\n"
    for name in ("-", "/dev/stdin"):
        code, out, _peak = _peak_import(tmp_path / name.strip("/-").replace("/", "_"), name, stdin=card)
        assert code == 0 and "Imported: 1 new" in out and "Piped Person" in out, out


# ---------------------------------------------------------------------- Windows code pages, Outlook


@pytest.mark.parametrize(
    ("fixture", "encoding", "language", "names"),
    [
        ("outlook_de_cp1252.csv", "Windows-1252", "German", ["Björn Weiß", "Jürgen Müller"]),
        ("outlook_fr_cp1252.csv", "Windows-1252", "French", ["François Dupré", "Hélène Lefèvre"]),
        ("outlook_es_cp1252.csv", "Windows-1252", "Spanish", ["José Núñez Peña", "María Ibáñez"]),
        ("outlook_cz_cp1250.csv", "Windows-1250", "", ["Jiří Dvořák", "Zdeněk Šťastný", "Łukasz Wróbel"]),
    ],
)
def test_classic_outlook_ansi_exports_import_with_accents_right(
    journal: Journal, now: datetime, fixture: str, encoding: str, language: str, names: list[str]
) -> None:
    report = run_import(journal, [OWN / fixture], now=now)
    f = report.files[0]
    assert f.encoding_name.startswith(encoding)
    assert f.format.startswith("CSV: Outlook contacts")
    assert (f"{language} column names" in f.format) if language else "column names" not in f.format
    found = _names(journal)
    assert sorted(found) == names
    first = found[names[0]]
    assert [c.value for c in first.contact_points if c.kind == "email"]  # the e-mail column was recognised
    if fixture.startswith("outlook_de"):
        jurgen = found["Jürgen Müller"]
        assert jurgen.organisation == "Bäckerei Groß GmbH" and jurgen.role == "Geschäftsführer"
        assert jurgen.addresses[0].locality == "Köln" and jurgen.notes == "Trifft sich gern zum Frühstück"
    if fixture.startswith("outlook_cz"):
        assert found["Łukasz Wróbel"].organisation == "Żabka Łódź"


def test_the_cli_report_names_the_encoding_it_assumed(tmp_path: Path) -> None:
    code, out, _peak = _peak_import(tmp_path, str(OWN / "outlook_fr_cp1252.csv"))
    assert code == 0 and "read as Windows-1252 (Western European)" in out and "Hélène Lefèvre" in out


# ---------------------------------------------------------------------------- a few bad records

MIXED = (
    "BEGIN:VCARD\nVERSION:3.0\nFN:Ana Lima\nEND:VCARD\n"
    "BEGIN:VCARD\nVERSION:3.0\nthis is no property\nEND:VCARD\n"
    "BEGIN:VCARD\nVERSION:3.0\nFN:Bo Kim\nEND:VCARD\n"
    "BEGIN:VCARD\nVERSION:3.0\nFN:No End\n"
    "BEGIN:VCARD\nVERSION:3.0\nFN:Cy Oh\nEND:VCARD\n"
)
MIXED_CSV = "First Name,Last Name,E-mail Address\nDee,Ray,dee@example.com\nEd,Fox,ed@example.com,surprise\n"


def _mixed(tmp_path: Path) -> list[Path]:
    (tmp_path / "mixed.vcf").write_text(MIXED, encoding="utf-8")
    (tmp_path / "mixed.csv").write_text(MIXED_CSV, encoding="utf-8")
    return [tmp_path / "mixed.vcf", tmp_path / "mixed.csv"]


def test_by_default_a_bad_record_refuses_everything_and_names_it(
    journal: Journal, now: datetime, tmp_path: Path
) -> None:
    with pytest.raises(ImportProblem) as err:
        run_import(journal, _mixed(tmp_path), now=now)
    msg = err.value.message
    assert "mixed.vcf, record 2 (line 7)" in msg and "1 more record in this file" in msg
    assert "Nothing was imported" in msg
    assert not _names(journal)


def test_skip_invalid_imports_the_rest_in_one_go_and_lists_each_skipped_record(
    journal: Journal, now: datetime, tmp_path: Path
) -> None:
    report = run_import(journal, _mixed(tmp_path), now=now, skip_invalid=True)
    assert sorted(_names(journal)) == ["Ana Lima", "Bo Kim", "Cy Oh", "Dee Ray"]
    skipped = [(p.name, r.record, r.line, r.reason) for p, r in report.invalid]
    assert [s[:3] for s in skipped] == [("mixed.vcf", 2, 7), ("mixed.vcf", 4, 13), ("mixed.csv", 2, 3)]
    assert "cannot be read" in skipped[0][3] and "no END:VCARD" in skipped[1][3] and "4 fields" in skipped[2][3]


def test_skip_invalid_on_the_command_line_lists_file_record_line_and_reason(tmp_path: Path) -> None:
    paths = [str(p) for p in _mixed(tmp_path)]
    code, out, _peak = _peak_import(tmp_path, *paths)
    assert code == 1 and "Run again with --skip-invalid" in out
    code, out, _peak = _peak_import(tmp_path, *paths, "--skip-invalid")
    assert code == 0, out
    assert "Left out 3 record(s) that cannot be imported:" in out
    assert f"{paths[0]}, record 4 (line 13): this card has no END:VCARD" in out
    assert "Imported: 4 new" in out


# --------------------------------------------------------------------------------- the write lock


@pytest.fixture
def short_busy_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 300)  # a writer waits 0.3 s for the lock, not 10 s


@pytest.mark.timeout(60)
def test_a_log_during_a_long_import_succeeds(
    tmp_path: Path, now: datetime, monkeypatch: pytest.MonkeyPatch, short_busy_timeout: None
) -> None:
    from netjournal.cli import main
    from netjournal.core.importers import vcard

    data_dir = DataDir(tmp_path / "journal").ensure()
    journal = open_journal(data_dir)
    with journal.session() as s:
        person(s, "Ana Lima", now)
    parsing, release = threading.Event(), threading.Event()
    real_split = vcard.split_cards

    def slow_split(path: Path, text: str) -> Iterator[vcard.Card]:
        for card in real_split(path, text):
            parsing.set()
            assert release.wait(30)  # the import is "parsing a big file" until the log is done
            yield card

    monkeypatch.setattr(vcard, "split_cards", slow_split)
    big = tmp_path / "big.vcf"
    big.write_text("BEGIN:VCARD\nVERSION:3.0\nFN:Bo Kim\nEND:VCARD\n", encoding="utf-8")
    outcome: list[object] = []
    importer = threading.Thread(target=lambda: outcome.append(run_import(journal, [big], now=now)))
    importer.start()
    try:
        assert parsing.wait(10)
        started = time.monotonic()
        code = main(["--data-dir", str(data_dir.root), "log", "Ana Lima", "--channel", "call"])
        took = time.monotonic() - started
    finally:
        release.set()
        importer.join(30)
    journal.close()
    assert code == 0 and took < 9  # it failed after the busy timeout before
    assert outcome and getattr(outcome[0], "created", None) == 1


def test_parsing_happens_before_the_transaction(journal: Journal, now: datetime, tmp_path: Path) -> None:
    # A file that fails to parse never opens a write transaction (so it cannot have held the lock).
    bad = tmp_path / "bad.vcf"
    bad.write_text("BEGIN:VCARD\nVERSION:3.0\nFN:Cut\n", encoding="utf-8")
    opened: list[int] = []
    real = journal.session

    def counting():  # type: ignore[no-untyped-def]
        opened.append(1)
        return real()

    journal.session = counting  # type: ignore[method-assign]
    with pytest.raises(ImportProblem):
        run_import(journal, [bad], now=now)
    assert opened == []


def test_read_bytes_never_reads_unbounded(tmp_path: Path) -> None:
    from netjournal.core.importers import base

    sizes: list[int] = []

    class Spy:
        def __init__(self) -> None:
            self.left = 5 * base.MB

        def read(self, n: int = -1) -> bytes:
            sizes.append(n)
            assert n > 0
            step = min(n, self.left)
            self.left -= step
            return b"x" * step

    assert len(base._read_limited(Spy(), base.MAX_FILE_BYTES, tmp_path, "")) == 5 * base.MB
    assert max(sizes) <= base._CHUNK
