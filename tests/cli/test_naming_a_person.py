"""Naming a person on the command line never guesses: namesakes are listed, an e-mail or #id says which."""

from __future__ import annotations

import json
from pathlib import Path

from netjournal.core.db import open_journal
from netjournal.core.paths import DataDir
from tests.cli.test_cli import run
from tests.conftest import NOW
from tests.factories import person


def _two_sams(d: Path) -> tuple[int, int]:
    j = open_journal(DataDir(d).ensure())
    try:
        with j.session() as s:
            a = person(s, "Sam Lee", NOW, organisation="Acme", emails=[("", "sam@acme.example")])
            b = person(s, "Sam Lee", NOW, organisation="Beta", emails=[("", "sam.lee@beta.example")])
            return a.id, b.id
    finally:
        j.close()


def _logged_with(d: Path) -> list[str]:
    j = open_journal(DataDir(d))
    try:
        with j.read() as s:
            from sqlalchemy import select

            from netjournal.core.models import Interaction

            return [f"{p.organisation}:{i.notes}" for i in s.scalars(select(Interaction)) for p in i.people]
    finally:
        j.close()


def test_log_with_a_namesake_lists_both_and_logs_nothing(tmp_path: Path) -> None:
    d = tmp_path / "j"
    a, b = _two_sams(d)
    proc = run("log", "Sam Lee", "--channel", "coffee", data_dir=d, check=False)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "matches several people" in proc.stderr
    assert f"Sam Lee · Acme · sam@acme.example · #{a}" in proc.stderr
    assert f"Sam Lee · Beta · sam.lee@beta.example · #{b}" in proc.stderr
    assert _logged_with(d) == []


def test_log_accepts_an_email_or_an_id_instead(tmp_path: Path) -> None:
    d = tmp_path / "j"
    _, b = _two_sams(d)
    run("log", "SAM.LEE@beta.example", "--channel", "coffee", "--note", "by e-mail", data_dir=d)
    run("log", f"#{b}", "--channel", "call", "--note", "by id", data_dir=d)
    assert sorted(_logged_with(d)) == ["Beta:by e-mail", "Beta:by id"]


def test_an_id_in_other_digits_is_not_an_id(tmp_path: Path) -> None:
    d = tmp_path / "j"
    j = open_journal(DataDir(d).ensure())
    with j.session() as s:
        for i in range(12):
            person(s, f"Person {i + 1}", NOW)
    j.close()
    proc = run("log", "#١٢", "--channel", "coffee", data_dir=d, check=False)
    assert proc.returncode == 1 and "No one called '#١٢'" in proc.stderr and "Traceback" not in proc.stderr
    proc = run("log", "#99999999999999999999999", "--channel", "coffee", data_dir=d, check=False)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert _logged_with(d) == []


def test_prep_with_a_namesake_lists_both(tmp_path: Path) -> None:
    d = tmp_path / "j"
    a, b = _two_sams(d)
    proc = run("prep", "sam lee", "-o", str(tmp_path / "s.pdf"), data_dir=d, check=False)
    assert proc.returncode == 1 and f"#{a}" in proc.stderr and f"#{b}" in proc.stderr
    assert not (tmp_path / "s.pdf").exists()
    run("prep", "sam@acme.example", "-o", str(tmp_path / "s.pdf"), data_dir=d)
    assert (tmp_path / "s.pdf").stat().st_size > 0


def test_people_lists_namesakes_with_what_tells_them_apart(tmp_path: Path) -> None:
    d = tmp_path / "j"
    _two_sams(d)
    rows = json.loads(run("people", "--json", data_dir=d).stdout)
    assert sorted((r["organisation"], r["emails"][0]) for r in rows) == [
        ("Acme", "sam@acme.example"),
        ("Beta", "sam.lee@beta.example"),
    ]
