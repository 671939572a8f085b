"""`netjournal prep` through the real entry point: a PDF, or one clear line and no file."""

from __future__ import annotations

import os
import re
from pathlib import Path

from netjournal.core import prep
from netjournal.core.db import open_journal
from netjournal.core.paths import DataDir
from netjournal.ui.prep_sheet import pdf_page_count
from tests.cli.test_cli import run
from tests.conftest import NOW
from tests.factories import meeting, person

NO_DISPLAY = {"DISPLAY": "", "WAYLAND_DISPLAY": ""}


def _journal(tmp_path: Path) -> tuple[Path, int, int]:
    data = tmp_path / "data"
    j = open_journal(DataDir(data).ensure())
    with j.session() as s:
        p = person(s, "Søren <b>Kierkegaard</b>", NOW, role="Philosopher")
        meeting(s, p, NOW, days_ago=10, notes="Long walks")
        other = person(s, "Regine Olsen", NOW)
        plan = prep.create_plan(s, prep.new_plan(s, NOW, person_id=p.id), now=NOW)
        pid, plan_id = p.id, plan.id
        assert other.id != pid
    j.close()
    return data, pid, plan_id


def test_prep_writes_a_one_page_pdf_without_a_display(tmp_path: Path) -> None:
    data, _pid, plan_id = _journal(tmp_path)
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    env.update(NO_DISPLAY)
    out = tmp_path / "sheet.pdf"
    proc = run("prep", "søren", "-o", str(out), data_dir=data, env=env)
    assert f"plan {plan_id}" in proc.stdout and str(out) in proc.stdout
    content = out.read_bytes()
    assert content.startswith(b"%PDF") and pdf_page_count(content) == 1
    out2 = tmp_path / "plan.pdf"
    run("prep", "--plan", str(plan_id), "-o", str(out2), "--page-size", "Letter", data_dir=data)
    assert re.search(rb"/MediaBox \[0 0 612(\.0+)? 792(\.0+)?\]", out2.read_bytes())


def test_prep_for_someone_without_a_plan_suggests_one(tmp_path: Path) -> None:
    data, _pid, _plan = _journal(tmp_path)
    out = tmp_path / "regine.pdf"
    proc = run("prep", "Regine", "-o", str(out), "--job-search", data_dir=data)
    assert "suggestions from the journal" in proc.stdout and out.stat().st_size > 1000


def test_prep_problems_exit_1_with_one_line_and_no_file(tmp_path: Path) -> None:
    data, _pid, plan_id = _journal(tmp_path)
    cases = [
        (("prep", "Nobody Atall", "-o", str(tmp_path / "a.pdf")), "No one called"),
        (("prep", "--plan", "999", "-o", str(tmp_path / "b.pdf")), "no plan with id 999"),
        (("prep", "Regine", "--plan", str(plan_id), "-o", str(tmp_path / "c.pdf")), "not a plan for Regine"),
        (("prep", "søren", "-o", str(tmp_path / "missing" / "d.pdf")), "does not exist"),
        (("prep", "-o", str(tmp_path / "e.pdf")), "Say who"),
    ]
    for args, message in cases:
        proc = run(*args, data_dir=data, check=False)
        assert proc.returncode == 1, (args, proc.stderr)
        assert message in proc.stderr and "Traceback" not in proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]
