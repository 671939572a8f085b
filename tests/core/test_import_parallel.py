"""A large vCard file read on several processes gives exactly what reading it card by card gives."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from netjournal.core.db import Journal
from netjournal.core.importers import ImportProblem, run_import
from netjournal.core.importers.parallel import MIN_CARDS, parse_vcards_parallel, worker_count
from netjournal.core.importers.vcard import parse_vcards
from netjournal.core.models import Person

CARDS = MIN_CARDS * 2


def _cards(n: int, *, bad_at: int | None = None, tail: str = "") -> str:
    out = []
    for i in range(1, n + 1):
        lines = [
            "BEGIN:VCARD",
            "VERSION:3.0",
            f"FN:Zoë Ångström {i}",
            f"N:Ångström;Zoë {i};;;",
            f"EMAIL;TYPE=WORK:z{i}@example.org",
            f"NOTE:card {i}\\, with a comma",
        ]
        if i == bad_at:
            lines.append("BDAY;VALUE=date:not a date\x00")
            lines.append("N:;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;\x00")
            lines.append(":::")
        lines.append("END:VCARD")
        out.append("\r\n".join(lines))
    return "\r\n".join(out) + "\r\n" + tail


def _outline(records: list[object]) -> list[tuple[str, int, int, str]]:
    """What a user is told of each record: its kind, number, line and (for a bad one) why."""
    return [(type(r).__name__, r.record, r.line, getattr(r, "reason", "")) for r in records]  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _two_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NETJOURNAL_IMPORT_WORKERS", "2")
    monkeypatch.setattr("netjournal.core.importers.parallel.threading.active_count", lambda: 1)


def test_records_come_back_complete_and_in_file_order(tmp_path: Path) -> None:
    path = tmp_path / "many.vcf"
    text = _cards(CARDS)
    assert worker_count(CARDS) == 2
    assert list(parse_vcards_parallel(path, text)) == list(parse_vcards(path, text))


def test_a_bad_card_late_in_the_file_is_named_as_reading_in_order_names_it(tmp_path: Path) -> None:
    path = tmp_path / "bad.vcf"
    text = _cards(CARDS, bad_at=CARDS - 3)  # read by the worker, not by this process
    serial = _outline(list(parse_vcards(path, text)))
    bad = [r for r in serial if r[0] == "BadRecord"]
    assert [r[1] for r in bad] == [CARDS - 3]
    assert _outline(list(parse_vcards_parallel(path, text))) == serial


def test_the_first_problem_in_the_file_wins(tmp_path: Path) -> None:
    path = tmp_path / "two-problems.vcf"
    text = _cards(CARDS, bad_at=CARDS - 3, tail="some stray text\r\n")
    with pytest.raises(ImportProblem) as serial:
        list(parse_vcards(path, text))
    with pytest.raises(ImportProblem) as parallel:
        list(parse_vcards_parallel(path, text))
    assert parallel.value.message == serial.value.message


def test_a_bad_card_read_in_parallel_keeps_nothing(journal: Journal, tmp_path: Path, now: datetime) -> None:
    path = tmp_path / "bad.vcf"
    path.write_text(_cards(CARDS, bad_at=CARDS - 1), encoding="utf-8")
    with pytest.raises(ImportProblem):
        run_import(journal, [path], now=now)
    with journal.read() as s:
        assert s.scalar(select(func.count(Person.id))) == 0
    good = tmp_path / "good.vcf"
    good.write_text(_cards(CARDS), encoding="utf-8")
    report = run_import(journal, [good], now=now)
    assert report.created == CARDS
    with journal.read() as s:
        names = list(s.scalars(select(Person.name).order_by(Person.id)).all())
    assert names == [f"Zoë Ångström {i}" for i in range(1, CARDS + 1)]  # ids follow the file's order


def test_small_files_and_threaded_processes_read_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    assert worker_count(MIN_CARDS - 1) == 1
    monkeypatch.delenv("NETJOURNAL_IMPORT_WORKERS")
    monkeypatch.setattr("netjournal.core.importers.parallel.os.sched_getaffinity", lambda _pid: {0, 1})
    monkeypatch.setattr("netjournal.core.importers.parallel.others_running", lambda: 0)
    assert worker_count(CARDS) == 2  # two idle cores
    monkeypatch.setattr("netjournal.core.importers.parallel.others_running", lambda: 2)
    assert worker_count(CARDS) == 1  # both busy with other work: a second process would only slow it down
    monkeypatch.setattr("netjournal.core.importers.parallel.threading.active_count", lambda: 3)
    assert worker_count(CARDS) == 1  # the app: forking next to other threads is not safe


def test_busy_cores_are_counted_now_not_as_a_minute_ago(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from netjournal.core.importers import parallel

    stat = tmp_path / "stat"
    monkeypatch.setattr(parallel, "PROC_STAT", stat)
    monkeypatch.setattr(parallel.os, "getloadavg", lambda: (1.9, 1.0, 0.5))  # the command before this one
    stat.write_text("cpu  1 2 3\nprocs_running 1\nprocs_blocked 0\n", encoding="ascii")
    assert parallel.others_running() == 0  # only this process runs now
    stat.write_text("cpu  1 2 3\nprocs_running 3\nprocs_blocked 0\n", encoding="ascii")
    assert parallel.others_running() == 2
    stat.unlink()  # not Linux: the load average, rounded
    assert parallel.others_running() == 2
