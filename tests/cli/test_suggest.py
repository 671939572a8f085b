"""`netjournal suggest` through the real entry point."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import func, select

from netjournal.core.db import open_journal
from netjournal.core.journal import add_commitment
from netjournal.core.models import Direction, SuggestionEvent
from netjournal.core.paths import DataDir
from tests.cli.test_cli import run
from tests.conftest import NOW
from tests.factories import meeting, person

MONDAY = "2026-03-16T10:30+00:00"


def _journal(path: Path) -> None:
    j = open_journal(DataDir(path))
    with j.session() as s:
        jonas = person(s, "Jonas Weber", NOW, circle=50)
        meeting(s, jonas, NOW, days_ago=250, warmth=5)
        priya = person(s, "Priya <b>Raman</b>", NOW, circle=15)
        meeting(s, priya, NOW, days_ago=3)
        add_commitment(s, priya.id, Direction.I_OWE, "Send Priya the article", now=NOW, due_on=NOW.date())
    j.close()


def _events(path: Path) -> int:
    j = open_journal(DataDir(path))
    with j.read() as s:
        n = s.scalar(select(func.count(SuggestionEvent.id)))
    j.close()
    return int(n or 0)


def test_suggest_json_is_a_look_not_a_delivery(tmp_path: Path) -> None:
    _journal(tmp_path)
    out = json.loads(run("suggest", "--at", MONDAY, "--json", data_dir=tmp_path, env={"TZ": "UTC"}).stdout)
    assert [o["name"] for o in out] == ["Jonas Weber"]
    assert out[0]["reason"] == "It's been eight months; you meant to be in touch about twice a year."
    assert out[0]["surface"] == "digest"
    # Asking twice gives the same answer: nothing was recorded.
    assert json.loads(run("suggest", "--at", MONDAY, "--json", data_dir=tmp_path, env={"TZ": "UTC"}).stdout) == out
    assert _events(tmp_path) == 0


def test_suggest_text_deliver_and_quiet_hours(tmp_path: Path) -> None:
    _journal(tmp_path)
    night = run("suggest", "--at", "2026-03-16T22:00+00:00", data_dir=tmp_path, env={"TZ": "UTC"}).stdout
    assert night.startswith("Nothing to suggest right now.") and "Quiet time" in night
    text = run("suggest", "--at", MONDAY, "--deliver", data_dir=tmp_path, env={"TZ": "UTC"}).stdout
    assert "This week's suggestions:" in text and "Jonas Weber" in text and "Hi Jonas" in text
    assert _events(tmp_path) == 1
    after = run("suggest", "--at", "2026-03-16T11:00+00:00", "--json", data_dir=tmp_path, env={"TZ": "UTC"})
    assert json.loads(after.stdout) == []


def test_suggest_bad_moment_is_one_line(tmp_path: Path) -> None:
    proc = run("suggest", "--at", "next tuesday", data_dir=tmp_path, check=False)
    assert proc.returncode == 1 and "is not a date and time" in proc.stderr and "Traceback" not in proc.stderr
