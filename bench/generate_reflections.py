"""Add 2,000 reflections and a few exposure ladders with tries to a generated journal.

Used as an `extra` step of bench.generate.generate():

    generate(data_dir, extra=[add_reflections])

or on its own, generating the whole large journal:

    python -m bench.generate_reflections DIR [--reflections 2000]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path

from sqlalchemy import insert
from sqlalchemy.orm import Session

from bench.generate import generate
from netjournal.core import ladder as ld
from netjournal.core import reflections as rf
from netjournal.core.models import Reflection, ReflectionKind
from netjournal.core.paths import DataDir

SITUATIONS = [
    "Design meetup where I knew nobody",
    "Asking a question at the all-hands",
    "Coffee with someone from the conference",
    "Introducing myself to the new team lead",
    "Conference drinks on the first evening",
    "Calling an old colleague after two years",
]
ASKS = ["20 minutes of advice", "an intro to their manager", "a coffee next week", "feedback on my portfolio"]
PREDICTIONS = ["It'll be awkward and I'll leave early", "They'll think I'm boring", "I'll freeze when asked"]
LEARNING = ["It was easier than I thought.", "They asked me questions too.", "Nobody noticed my nerves."]


def add_reflections(
    session: Session, rng: random.Random, person_ids: list[int], now: datetime, *, count: int = 2000
) -> None:
    """Bulk-insert `count` reflections (60% discomfort, 30% rejection, 10% thought records) and 3 ladders."""
    rows = []
    for i in range(count):
        at = now - timedelta(days=rng.uniform(0, 3 * 365))
        kind = rng.choices(list(ReflectionKind), weights=[60, 30, 10])[0]
        person = rng.choice(person_ids) if person_ids and rng.random() < 0.6 else None
        pred = rng.randint(40, 95)
        row = {
            "kind": kind,
            "occurred_at": at,
            "person_id": person,
            "created_at": at,
            "updated_at": at,
            "is_draft": rng.random() < 0.03,
            "counts_as_attempt": kind is ReflectionKind.REJECTION,
        }
        if kind is ReflectionKind.DISCOMFORT:
            form: rf.ReflectionForm = rf.DiscomfortForm(
                situation=rng.choice(SITUATIONS),
                prediction=rng.choice(PREDICTIONS),
                predicted_suds=pred,
                actual_suds=max(0, pred - rng.randint(-5, 40)),
                predicted_liking=rng.randint(2, 5),
                actual_liking=rng.randint(3, 7),
                belief_before=rng.randint(50, 90),
                belief_after=rng.randint(10, 60),
                learning=rng.choice(LEARNING),
                safety_behaviour="Staying on my phone",
            )
        elif kind is ReflectionKind.REJECTION:
            form = rf.RejectionForm(
                ask=rng.choice(ASKS),
                to_whom="a contact",
                response=rng.choice(list(rf.RESPONSES)),
                first_interpretation="They don't think I'm worth their time.",
                distortions=rng.sample(["mind_reading", "personalisation", "fortune_telling", "catastrophising"], 2),
                alternatives=rng.sample(list(rf.ALTERNATIVE_EXAMPLES), 3),
                actual_suds=rng.randint(20, 80),
                self_talk="You asked clearly and kindly.",
                next_attempt="One friendly follow-up in ten days.",
            )
        else:
            form = rf.ThoughtRecordForm(
                situation=rng.choice(SITUATIONS),
                emotions=[rf.Emotion("anxious", rng.randint(50, 90), 30)],
                thoughts=[rf.AutomaticThought("They find me boring", rng.randint(50, 90), True)],
                evidence_for="A long pause",
                evidence_against="They asked a follow-up question",
                balanced_thought="One pause says little",
                belief_after=rng.randint(40, 80),
            )
            form.sync_columns()
        cols = form.columns()
        row.update(title=f"Reflection {i}", situation=form.situation, data=form.data())
        for name in rf.TYPED_COLUMNS:
            row[name] = cols.get(name)
        rows.append(row)
    session.execute(insert(Reflection), rows)
    for n in range(3):
        ladder = ld.create_starter_ladder(session, now=now - timedelta(days=300 - n * 60))
        for step in ladder.steps[: rng.randint(3, 8)]:
            for k in range(rng.randint(2, 6)):
                peak = max(0, step.suds_expected + rng.randint(-25, 10) - 3 * k)
                at = now - timedelta(days=rng.uniform(0, 300))
                ld.add_attempt(
                    session,
                    step.id,
                    at=at,
                    suds_before=peak - 5 if peak >= 5 else 0,
                    suds_peak=peak,
                    suds_after=max(0, peak - 20),
                )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate the large journal with reflections and ladders.")
    parser.add_argument("dir", type=Path)
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--interactions", type=int, default=100_000)
    parser.add_argument("--reflections", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    dd = DataDir(args.dir)
    if dd.database.exists():
        print(f"{dd.database} exists; remove it first", file=sys.stderr)
        return 1
    start = time.perf_counter()
    extra = partial(add_reflections, count=args.reflections)
    generate(dd, people=args.people, interactions=args.interactions, seed=args.seed, extra=[extra]).close()
    print(f"generated the journal with {args.reflections} reflections in {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
