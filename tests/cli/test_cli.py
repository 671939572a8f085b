"""The command line through its real entry point (a subprocess, like a user or a script)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from netjournal import __version__


def run(
    *args: str, data_dir: Path | None = None, env: dict[str, str] | None = None, check: bool = True
) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **(env or {})}
    cmd = [sys.executable, "-m", "netjournal", *args]
    if data_dir is not None:
        cmd[3:3] = ["--data-dir", str(data_dir)]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=full_env, timeout=120, stdin=subprocess.DEVNULL)
    if check and proc.returncode != 0:
        raise AssertionError(f"exit {proc.returncode}\nstdout:{proc.stdout}\nstderr:{proc.stderr}")
    return proc


def test_version() -> None:
    assert run("--version").stdout.strip() == f"netjournal {__version__}"


def test_no_display_gives_one_clear_line_not_a_qt_abort(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    proc = subprocess.run(
        [sys.executable, "-m", "netjournal", "--data-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 2
    assert "no display" in proc.stderr
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_smoke_starts_the_whole_app(tmp_path: Path) -> None:
    proc = run("--smoke", data_dir=tmp_path / "d", env={"QT_QPA_PLATFORM": "offscreen"})
    assert "smoke test passed" in proc.stdout
    assert (tmp_path / "d" / "journal.sqlite3").exists()
    assert (tmp_path / "d" / "logs" / "netjournal.log").exists()


def test_data_dir_env_and_option(tmp_path: Path) -> None:
    run("people", env={"NETJOURNAL_DATA_DIR": str(tmp_path / "env")})
    assert (tmp_path / "env" / "journal.sqlite3").exists()
    run("people", data_dir=tmp_path / "opt")
    assert (tmp_path / "opt" / "journal.sqlite3").exists()


def test_log_and_people_json(tmp_path: Path) -> None:
    from netjournal.core.db import open_journal
    from netjournal.core.paths import DataDir
    from tests.conftest import NOW
    from tests.factories import person

    j = open_journal(DataDir(tmp_path))
    with j.session() as s:
        person(s, "Søren Kierkegaard", NOW, emails=[("", "soren@example.dk")], phones=[("", "+45 1234 5678")])
    j.close()
    out = run(
        "log",
        "søren",
        "--channel",
        "coffee",
        "--note",
        "Talked about <b>walks</b>",
        "--at",
        "2026-03-01T09:30",
        "--warmth",
        "4",
        data_dir=tmp_path,
    )
    assert "Logged coffee with Søren Kierkegaard" in out.stdout
    people = json.loads(run("people", "--json", data_dir=tmp_path).stdout)
    assert people[0]["name"] == "Søren Kierkegaard"
    assert people[0]["emails"] == ["soren@example.dk"] and people[0]["phones"] == ["+45 1234 5678"]


@pytest.mark.parametrize(
    "args, message",
    [
        (["log", "Nobody", "--channel", "call"], "No one called 'Nobody'"),
        (["log", "X", "--channel", "call", "--at", "yesterday-ish"], "is not a date and time"),
        (["restore", "/nonexistent/backup.sqlite3"], "does not exist"),
    ],
)
def test_bad_input_gets_a_message_not_a_traceback(tmp_path: Path, args: list[str], message: str) -> None:
    proc = run(*args, data_dir=tmp_path, check=False)
    assert proc.returncode == 1
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr


def test_backup_and_restore_round_trip(tmp_path: Path) -> None:
    d = tmp_path / "j"
    run("people", data_dir=d)
    from netjournal.core.db import open_journal
    from netjournal.core.paths import DataDir
    from tests.conftest import NOW
    from tests.factories import person

    j = open_journal(DataDir(d))
    with j.session() as s:
        person(s, "Before backup", NOW)
    j.close()
    run("backup", "-o", str(tmp_path / "b.sqlite3"), data_dir=d)
    j = open_journal(DataDir(d))
    with j.session() as s:
        person(s, "After backup", NOW)
    j.close()
    out = run("restore", str(tmp_path / "b.sqlite3"), data_dir=d)
    assert "is kept at" in out.stdout
    names = [p["name"] for p in json.loads(run("people", "--json", data_dir=d).stdout)]
    assert names == ["Before backup"]


def test_corrupt_database_message_names_file(tmp_path: Path) -> None:
    (tmp_path / "journal.sqlite3").write_bytes(b"garbage" * 1000)
    proc = run("people", data_dir=tmp_path, check=False)
    assert proc.returncode == 1
    assert str(tmp_path / "journal.sqlite3") in proc.stderr
    assert (tmp_path / "journal.sqlite3").read_bytes() == b"garbage" * 1000


def test_window_with_an_unusable_data_folder_says_why(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a folder")
    proc = run("--smoke", data_dir=tmp_path / "file" / "journal", env={"QT_QPA_PLATFORM": "offscreen"}, check=False)
    assert proc.returncode == 1
    assert "cannot create the folder" in proc.stderr and "Traceback" not in proc.stderr
