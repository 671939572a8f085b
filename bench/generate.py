"""Generate a large, realistic journal for benchmarks: 5,000 people, 100,000 interactions, promises.

    python -m bench.generate DIR [--people 5000] [--interactions 100000] [--seed 7]

People are created through core.journal (the same path as the app); interactions, their links and
promises go in bulk through the project's own models (one transaction), which is how an import of
that size would write them. Deterministic for a given seed. Later features extend this with their
own data (reflections, plans) through `generate(..., extra=[callable])`.
"""

from __future__ import annotations

import argparse
import itertools
import random
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert
from sqlalchemy.orm import Session

from netjournal.core.db import Journal, open_journal
from netjournal.core.journal import PersonData, create_person
from netjournal.core.models import (
    CIRCLES,
    Channel,
    Commitment,
    CommitmentStatus,
    Direction,
    Interaction,
    InteractionState,
    PersonStatus,
    interaction_people,
)
from netjournal.core.paths import DataDir

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

GIVEN = [
    "Priya",
    "Jonas",
    "Amara",
    "Wei",
    "Sofia",
    "Tomás",
    "Hannah",
    "Kwame",
    "Aiko",
    "Lea",
    "Marcus",
    "Noor",
    "Olga",
    "Rafael",
    "Mei",
    "Ingrid",
    "Dmitri",
    "Fatima",
    "Liam",
    "Chloé",
    "Anders",
    "Yuki",
    "Siobhan",
    "Mateo",
    "Zanele",
    "Björn",
    "Ana",
    "Kenji",
    "Élodie",
    "Arjun",
    "Nadia",
    "Søren",
    "Camila",
    "Tariq",
    "Greta",
    "Hyun-woo",
    "Lucía",
    "Emeka",
    "Astrid",
    "Ravi",
]
FAMILY = [
    "Raman",
    "Weber",
    "Okafor",
    "Chen",
    "Marquez",
    "Silva",
    "Becker",
    "Mensah",
    "Tanaka",
    "Hoffmann",
    "Johnson",
    "Haddad",
    "Ivanova",
    "Costa",
    "Lindqvist",
    "Novak",
    "Rahman",
    "O'Brien",
    "García",
    "Nakamura",
    "Dubois",
    "Kowalski",
    "Müller",
    "Andersen",
    "Kim",
    "Patel",
    "Rossi",
    "Nguyen",
    "Schmidt",
    "Ferreira",
    "Yılmaz",
    "Adeyemi",
    "Sato",
    "Jensen",
    "Moreau",
    "Brennan",
    "Papadopoulos",
    "Horvat",
    "Lund",
    "Ito",
]
ORGS = [
    "Northwind Labs",
    "Blue Harbor",
    "Ocean Robotics",
    "Open Health",
    "Greenfield Ventures",
    "Studio Kumo",
    "City Library",
    "Acme Corp",
    "Fieldwork Coop",
    "Stadtwerke Köln",
    "Helix Bio",
    "Paper Lantern Press",
    "Tidewater Energy",
    "Quietly Software",
    "Atlas Logistics",
    "Maple & Finch",
    "Riverbank School",
    "Lumen Analytics",
    "Harbor Health",
    "Civic Data Lab",
]
ROLES = [
    "Engineer",
    "Product manager",
    "Designer",
    "Researcher",
    "Data scientist",
    "Founder",
    "Teacher",
    "Community manager",
    "Analyst",
    "Engineering manager",
    "Recruiter",
    "Consultant",
    "Writer",
    "Nurse",
]
TOPICS = [
    "the new job",
    "a half marathon",
    "moving flats",
    "the conference talk",
    "their startup's funding",
    "a book on habits",
    "hiring juniors",
    "remote work",
    "the kids starting school",
    "a trip to Lisbon",
    "learning Rust",
    "burnout and rest",
    "the open-source project",
    "a career change into design",
    "volunteering at the food bank",
    "the research grant",
    "a podcast episode",
    "pottery classes",
    "the team reorganisation",
    "climate tech jobs",
    "their thesis",
    "mentoring",
    "a new puppy",
]
VERBS = [
    "Talked about",
    "Caught up on",
    "She mentioned",
    "He told me about",
    "They asked about",
    "We laughed about",
    "Got advice on",
    "Shared notes on",
    "Swapped stories about",
]
AFTER = [
    "Promised to send the article.",
    "Felt easier than I expected.",
    "Ran out of time, want to continue.",
    "They suggested I talk to someone on their team.",
    "Good energy, short and warm.",
    "I asked three follow-up questions and it helped.",
    "A bit tired afterwards, but glad I went.",
    "Left with a book recommendation.",
    "Agreed to meet again after the holidays.",
]


def _text(rng: random.Random, sentences: int) -> str:
    parts = []
    for _ in range(sentences):
        parts.append(f"{rng.choice(VERBS)} {rng.choice(TOPICS)}, and {rng.choice(TOPICS)}.")
        parts.append(rng.choice(AFTER))
    return " ".join(parts)


def generate(
    data_dir: DataDir,
    *,
    people: int = 5000,
    interactions: int = 100_000,
    seed: int = 7,
    now: datetime = NOW,
    extra: list[Callable[[Session, random.Random, list[int], datetime], None]] | None = None,
) -> Journal:
    rng = random.Random(seed)
    journal = open_journal(data_dir)
    with journal.session() as s:
        ids: list[int] = []
        for i in range(people):
            given, family = rng.choice(GIVEN), rng.choice(FAMILY)
            data = PersonData(
                name=f"{given} {family}" + (f" {i}" if i >= len(GIVEN) * len(FAMILY) else ""),
                given_name=given,
                family_name=family,
                organisation=rng.choice(ORGS),
                role=rng.choice(ROLES),
                circle=rng.choices([*CIRCLES, None], weights=[1, 3, 8, 25, 40, 23])[0],
                status=rng.choices(list(PersonStatus), weights=[85, 5, 6, 3, 1])[0],
                how_met=f"Met at {rng.choice(TOPICS)} meetup",
                ford_occupation=rng.choice(ROLES),
                ford_recreation=rng.choice(TOPICS),
                notes=_text(rng, 1),
                emails=[("work", f"{given.lower()}.{family.lower()}.{i}@example.org")],
                phones=[("mobile", f"+44 7700 {900000 + i}")] if rng.random() < 0.6 else [],
                tags=rng.sample(["python", "design", "mentor", "climate", "health", "community", "startup"], 2),
                dates=[{"kind": "birthday", "month": rng.randint(1, 12), "day": rng.randint(1, 28)}]
                if rng.random() < 0.3
                else [],
            )
            ids.append(create_person(s, data, now=now).id)
        s.flush()
        # Interactions in bulk: most people have a few, some have hundreds (a long friendship).
        cum_weights = list(itertools.accumulate(rng.paretovariate(1.2) for _ in ids))
        channels = list(Channel)
        rows, links = [], []
        first_id = 1
        for n in range(interactions):
            pid = rng.choices(ids, cum_weights=cum_weights)[0] if n % 1000 else ids[n % len(ids)]
            at = now - timedelta(days=rng.uniform(0, 6 * 365))
            rows.append(
                {
                    "id": first_id + n,
                    "at": at,
                    "state": InteractionState.DONE,
                    "channel": rng.choice(channels),
                    "title": "",
                    "location": "",
                    "notes": _text(rng, rng.randint(1, 4)),
                    "topics": rng.choice(TOPICS),
                    "warmth": rng.randint(1, 5),
                    "initiated_by_me": rng.random() < 0.5,
                    "energy_before": rng.randint(2, 9),
                    "energy_after": rng.randint(2, 9),
                    "group_size": rng.choice([None, 1, 1, 2, 5, 30]),
                    "i_gave": rng.choice(["", "", "an intro", "feedback on their CV"]),
                    "they_gave": rng.choice(["", "", "a book tip", "advice"]),
                    "awaiting_reply": False,
                    "created_at": at,
                    "updated_at": at,
                }
            )
            links.append({"interaction_id": first_id + n, "person_id": pid})
        for chunk in range(0, len(rows), 20_000):
            s.execute(insert(Interaction), rows[chunk : chunk + 20_000])
            s.execute(insert(interaction_people), links[chunk : chunk + 20_000])
        promises = []
        for _ in range(people // 2):
            pid = rng.choice(ids)
            due = (now + timedelta(days=rng.randint(-30, 60))).date()
            promises.append(
                {
                    "person_id": pid,
                    "direction": rng.choice(list(Direction)),
                    "text": rng.choice(AFTER),
                    "due_on": due if rng.random() < 0.7 else None,
                    "status": rng.choices(list(CommitmentStatus), weights=[40, 55, 5])[0],
                    "created_at": now,
                    "updated_at": now,
                }
            )
        s.execute(insert(Commitment), promises)
        for fn in extra or []:
            fn(s, rng, ids, now)
    return journal


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir", type=Path)
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--interactions", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    dd = DataDir(args.dir)
    if dd.database.exists():
        print(f"{dd.database} exists; remove it first", file=sys.stderr)
        return 1
    start = time.perf_counter()
    generate(dd, people=args.people, interactions=args.interactions, seed=args.seed).close()
    size = dd.database.stat().st_size / 1e6
    print(
        f"generated {args.people} people, {args.interactions} interactions in "
        f"{time.perf_counter() - start:.1f} s ({size:.0f} MB) at {dd.database}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
