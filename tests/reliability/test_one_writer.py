"""One writer: a second window never opens the journal; commands running at once wait or refuse clearly."""

from __future__ import annotations

import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from netjournal.core.db import open_journal
from netjournal.core.journal import PersonData, create_person
from netjournal.core.paths import DataDir
from tests.conftest import NOW
from tests.reliability.helpers import ROOT, nj
from tests.reliability.writer import ACK_KINDS, check_journal


def seed_ann(root: Path) -> DataDir:
    dd = DataDir(root)
    j = open_journal(dd)
    with j.session() as s:
        create_person(s, PersonData(name="Ann Example"), now=NOW)
    j.close()
    return dd


def _env() -> dict[str, str]:
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}


@pytest.mark.skipif(sys.platform == "win32", reason="local socket path and signals are POSIX here")
def test_second_window_brings_the_first_forward_and_never_opens_the_journal(tmp_path: Path) -> None:
    from netjournal.instance import server_name

    dd = seed_ann(tmp_path / "journal")
    socket_path = Path(tempfile.gettempdir()) / server_name(DataDir(dd.root.resolve()))
    first = subprocess.Popen(
        [sys.executable, "-m", "netjournal", "--data-dir", str(dd.root)],
        env=_env(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not socket_path.exists():
            assert first.poll() is None, first.communicate()
            assert time.monotonic() < deadline, "the first window never started listening"
            time.sleep(0.1)
        time.sleep(0.5)  # let it settle into its event loop
        strace = shutil.which("strace")
        trace = tmp_path / "second.trace"
        wrapper = [strace, "-f", "-qq", "-e", "trace=open,openat", "-o", str(trace)] if strace else None
        second = nj(data_dir=dd.root, wrapper=wrapper, timeout=60)
        assert second.returncode == 0, second.stderr
        assert "already open on this journal; brought its window forward" in second.stderr
        if strace and trace.exists():
            calls = trace.read_text()
            assert "netjournal.log" in calls, "the trace saw the second instance open its log (so it traced)"
            opened = [ln for ln in calls.splitlines() if "journal.sqlite3" in ln]
            assert opened == [], "the second instance opened the journal"
        assert first.poll() is None, "the first window is still running"
    finally:
        first.send_signal(signal.SIGKILL)  # as if it crashed: its socket is left behind
        first.wait(timeout=30)
    # After a crash, the stale socket must not lock the user out of their journal.
    smoke = nj("--smoke", data_dir=dd.root, timeout=60)
    assert smoke.returncode == 0 and "smoke test passed" in smoke.stdout, smoke.stderr


@pytest.mark.slow
def test_commands_writing_at_once_wait_their_turn_and_lose_nothing(tmp_path: Path) -> None:
    dd = seed_ann(tmp_path / "journal")
    writers = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.reliability.writer", "child", str(dd.root), str(seed), "25"],
            env=_env(),
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for seed in (1, 2, 3)
    ]
    logs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "netjournal",
                "--data-dir",
                str(dd.root),
                "log",
                "Ann",
                "--channel",
                "call",
                "--note",
                f"at-once-{i}",
            ],
            env=_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(5)
    ]
    acks: list[str] = []
    for w in writers:
        out, err = w.communicate(timeout=240)
        assert w.returncode == 0, out[-2000:] + err[-2000:]
        acks += [ln for ln in out.splitlines() if ln.split(" ", 1)[0] in ACK_KINDS]
    logged: dict[int, str] = {}
    for i, p in enumerate(logs):
        out, err = p.communicate(timeout=240)
        assert p.returncode == 0, err  # all waited for the lock (10 s at most) rather than failing
        assert "Traceback" not in err and "locked" not in err
        logged[int(re.search(r"\(#(\d+)\)", out).group(1))] = f"at-once-{i}"  # type: ignore[union-attr]
    assert len(acks) == 3 * 25
    lost, problems = check_journal(dd.root, acks)
    assert lost == [] and problems == []
    con = sqlite3.connect(dd.database)
    present = dict(con.execute("SELECT id, notes FROM interactions WHERE notes LIKE 'at-once-%'").fetchall())
    con.close()
    assert present == logged, "every acknowledged log is there, with its own note"


def test_a_command_waits_for_a_writer_holding_the_lock(tmp_path: Path) -> None:
    dd = seed_ann(tmp_path / "journal")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            (
                "import sys, time\n"
                "from datetime import UTC, datetime\n"
                "from netjournal.core.db import open_journal\n"
                "from netjournal.core.journal import PersonData, create_person\n"
                "from netjournal.core.paths import DataDir\n"
                "j = open_journal(DataDir.at(sys.argv[1]))\n"
                "with j.session() as s:\n"
                "    create_person(s, PersonData(name='Held Writer'), now=datetime.now(UTC))\n"
                "    s.flush()\n"
                "    print('holding', flush=True)\n"
                "    time.sleep(2.5)\n"
                "print('committed', flush=True)\n"
            ),
            str(dd.root),
        ],
        env=_env(),
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "holding"
    t0 = time.monotonic()
    proc = nj("log", "Ann", "--channel", "coffee", "--note", "after the wait", data_dir=dd.root)
    waited = time.monotonic() - t0
    assert holder.wait(timeout=30) == 0
    assert proc.returncode == 0, proc.stderr
    assert waited > 1.0, "it waited for the other writer"
    con = sqlite3.connect(dd.database)
    assert con.execute("SELECT count(*) FROM people WHERE name = 'Held Writer'").fetchone() == (1,)
    assert con.execute("SELECT count(*) FROM interactions WHERE notes = 'after the wait'").fetchone() == (1,)
    con.close()


def test_a_lock_held_too_long_is_a_plain_refusal_not_a_traceback(tmp_path: Path, monkeypatch, capsys) -> None:
    from netjournal import cli
    from netjournal.core import db

    dd = seed_ann(tmp_path / "journal")
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 300)  # instead of waiting the real 10 s
    holder = sqlite3.connect(dd.database, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("UPDATE people SET notes = 'held' WHERE id = 1")
    try:
        code = cli.main(["--data-dir", str(dd.root), "log", "Ann", "--channel", "coffee", "--note", "blocked"])
    finally:
        holder.execute("COMMIT")
        holder.close()
    err = capsys.readouterr().err
    assert code == 1
    assert err == (
        "netjournal: Another netjournal window or command is writing to this journal right now. "
        "Nothing was changed; please try again in a moment.\n"
    )
    con = sqlite3.connect(dd.database)
    assert con.execute("SELECT count(*) FROM interactions").fetchone() == (0,)
    con.close()
