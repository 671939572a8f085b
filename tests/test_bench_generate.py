"""The benchmark generator keeps working (small sizes; benchmarks themselves are not timed tests)."""

from __future__ import annotations

from sqlalchemy import func, select

from bench.generate import generate
from netjournal.core.journal import last_contacts
from netjournal.core.models import Commitment, Interaction, Person


def test_generator_writes_a_consistent_journal(data_dir) -> None:
    j = generate(data_dir, people=40, interactions=500, seed=3)
    with j.read() as s:
        assert s.scalar(select(func.count()).select_from(Person)) == 40
        assert s.scalar(select(func.count()).select_from(Interaction)) == 500
        assert s.scalar(select(func.count()).select_from(Commitment)) == 20
        assert len(last_contacts(s)) >= 30
    j.close()
