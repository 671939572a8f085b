"""Killing a writer with SIGKILL in the middle of its work loses nothing it had reported as saved.

See tests/reliability/writer.py for the harness; bench/crash_kill.py runs longer campaigns.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pytest

from netjournal.core.db import open_journal
from netjournal.core.journal import PersonData, create_person
from netjournal.core.paths import DataDir
from tests.conftest import NOW
from tests.reliability.writer import campaign, check_journal, run_worker

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL and fork are POSIX")

KILLS = 200


@pytest.mark.slow
def test_sigkill_mid_write_loses_no_acknowledged_write(tmp_path: Path, capsys) -> None:
    # Each kill follows a counted number of acknowledged writes (tests/reliability/writer.py), not a
    # moment of time, so the campaign sees the same real work however busy the machine is.
    tally = campaign(tmp_path, kills=KILLS, workers=2, seed=7)
    with capsys.disabled():
        print(
            f"\ncrash safety: {tally.kills} SIGKILLs, {tally.acks} acknowledged writes "
            f"({tally.bundles} multi-row, {tally.imports} file imports), "
            f"{len(tally.lost)} lost, {len(tally.problems)} problems"
        )
    assert tally.problems == []
    assert tally.lost == []
    assert tally.kills == KILLS, "every writer was killed mid-run, none ran out of work"
    assert tally.acks > KILLS // 2, "the writers got real work done between kills"
    assert tally.bundles > 0


def test_the_checker_notices_a_lost_write_and_a_half_written_transaction(tmp_path: Path) -> None:
    # The campaign above can only prove something if its checker fails on real damage.
    root = tmp_path / "j"
    tally = run_worker(root, kills=3, seed=3)
    assert tally.lost == [] and tally.problems == [] and tally.acks > 0
    con = sqlite3.connect(root / "journal.sqlite3")
    (iid,) = con.execute("SELECT max(id) FROM interactions").fetchone()
    con.close()
    iid = iid or 0  # the three writers may all have been killed before logging an interaction
    lost, problems = check_journal(root, [f"interaction {iid + 5} t1x1", "draft quicklog:9 99:1"])
    assert lost == [f"interaction {iid + 5} t1x1", "draft quicklog:9 99:1 (found None)"]
    assert problems == []
    journal = open_journal(DataDir(root))
    with journal.session() as s:
        create_person(s, PersonData(name="Half", notes="bundle:t0x0"), now=NOW)
    journal.close()
    _, problems = check_journal(root, [])
    assert problems == ["half-written transaction bundle:t0x0: {'people': 1}"]
    open_journal(DataDir(root)).close()
