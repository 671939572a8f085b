"""Converting a journal (encrypt, decrypt) killed at random moments leaves one whole journal, never neither."""

from __future__ import annotations

import random
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from netjournal.core import cipher
from netjournal.core.db import open_journal
from netjournal.core.models import Interaction, Person
from netjournal.core.paths import DataDir
from tests.factories import meeting, person

PASS = "kill me softly please"
PEOPLE = 60

CONVERT = """
import sys
from netjournal.core.cipher import change_protection
from netjournal.core.paths import DataDir
dd = DataDir(__import__("pathlib").Path(sys.argv[1]))
old = sys.argv[2] or None
new = sys.argv[3] or None
change_protection(dd, old_passphrase=old, new_passphrase=new)
"""


def counts(dd: DataDir) -> tuple[bool, int, int]:
    """(encrypted, people, interactions) of the journal as it opens now; raises if it opens as neither."""
    encrypted = cipher.is_encrypted(dd.database)
    j = open_journal(dd, passphrase=PASS if encrypted else None)
    try:
        with j.read() as s:
            return (
                encrypted,
                s.scalar(select(func.count()).select_from(Person)) or 0,
                s.scalar(select(func.count()).select_from(Interaction)) or 0,
            )
    finally:
        j.close()


@pytest.mark.slow
def test_conversion_killed_at_random_moments_keeps_one_whole_journal(data_dir: DataDir, now: datetime) -> None:
    j = open_journal(data_dir)
    with j.session() as s:
        for n in range(PEOPLE):
            p = person(s, f"Person {n}", now)
            meeting(s, p, now, days_ago=n, notes="x" * 2000)
    j.close()
    want = (PEOPLE, PEOPLE)

    def start(encrypted: bool) -> subprocess.Popen[bytes]:
        old, new = (PASS, "") if encrypted else ("", PASS)
        return subprocess.Popen(
            [sys.executable, "-c", CONVERT, str(data_dir.root), old, new],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    # How long one conversion takes here, to spread the kills over it.
    t0 = time.perf_counter()
    assert start(False).wait(60) == 0
    span = time.perf_counter() - t0
    rng = random.Random(1234)
    states = set()
    for _ in range(24):
        encrypted, *rest = counts(data_dir)
        assert tuple(rest) == want
        proc = start(encrypted)
        time.sleep(rng.uniform(0, span * 1.5))  # some kills land after it finished
        proc.kill()
        proc.wait(30)
        after, *rest = counts(data_dir)  # opens as plain or as encrypted, with everything in it
        assert tuple(rest) == want
        states.add(after != encrypted)
    assert states == {True, False}, "some kills landed before the swap and some after"
    assert not Path(str(data_dir.database) + cipher.CONVERTING_SUFFIX).exists()
