"""A realistic demo journal in its own profile, so a newcomer sees the app alive within a minute."""

from __future__ import annotations

import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from netjournal.core.clock import utcnow
from netjournal.core.db import Journal
from netjournal.core.journal import (
    InteractionData,
    PersonData,
    add_commitment,
    create_person,
    log_interaction,
)
from netjournal.core.models import (
    Channel,
    Direction,
    InteractionState,
    Person,
    PersonStatus,
    Reflection,
    ReflectionKind,
)
from netjournal.core.paths import DataDir

# (name, organisation, role, circle, how met, tags, FORD occupation)
PEOPLE = [
    (
        "Priya Raman",
        "Northwind Labs",
        "Staff engineer",
        15,
        "PyCon sprint table, 2023",
        ["python", "mentor"],
        "Leads the data platform team",
    ),
    (
        "Jonas Weber",
        "Stadtwerke Köln",
        "Energy analyst",
        50,
        "Friend of Lea's from university",
        ["energy"],
        "Forecasting models for the grid",
    ),
    (
        "Amara Okafor",
        "Freelance",
        "UX researcher",
        50,
        "Design meetup in March",
        ["design", "research"],
        "Runs usability studies for NGOs",
    ),
    (
        "Chen Wei (陈伟)",
        "Blue Harbor",
        "Product manager",
        150,
        "Conference hallway, Berlin",
        ["product"],
        "Mobile banking for small businesses",
    ),
    (
        "Sofia Marquez",
        "City Library",
        "Community manager",
        15,
        "Volunteered together at the book fair",
        ["community"],
        "Organises the reading circles",
    ),
    (
        "Tomás Silva",
        "Ocean Robotics",
        "CTO",
        150,
        "Introduced by Priya",
        ["robotics", "startup"],
        "Underwater drones for marine research",
    ),
    (
        "Hannah Becker",
        "Open Health",
        "Data scientist",
        50,
        "Former colleague at Acme",
        ["python", "health"],
        "Hospital wait-time models",
    ),
    (
        "Kwame Mensah",
        "Greenfield Ventures",
        "Associate",
        500,
        "Panel Q&A at the climate summit",
        ["climate", "investing"],
        "Early-stage climate investments",
    ),
    (
        "Aiko Tanaka",
        "Studio Kumo",
        "Illustrator",
        150,
        "Shared a table at the zine fest",
        ["art"],
        "Children's books and zines",
    ),
    ("Lea Hoffmann", "", "Friend", 5, "School", ["friends"], "Teacher"),
    (
        "Marcus Johnson",
        "Acme Corp",
        "Engineering manager",
        150,
        "My first manager",
        ["mentor"],
        "Platform engineering",
    ),
    (
        "Noor Haddad",
        "Fieldwork Coop",
        "Organiser",
        500,
        "Workshop on facilitation",
        ["community"],
        "Facilitation trainings",
    ),
]


def demo_data_dir() -> DataDir:
    """The demo profile lives in the temp folder, well away from the user's journal."""
    return DataDir(Path(tempfile.gettempdir()) / "netjournal-demo")


def ensure_demo_journal(journal: Journal, now: datetime | None = None) -> None:
    now = now or utcnow()
    with journal.session() as s:
        if s.scalar(select(func.count()).select_from(Person)):
            return
        build_demo(s, now)


def build_demo(s: Session, now: datetime) -> None:
    """Dates are relative to `now`, so the demo always looks current."""
    people: dict[str, Person] = {}
    for i, (name, org, role, circle, how, tags, occupation) in enumerate(PEOPLE):
        slug = name.split()[0].lower()
        data = PersonData(
            name=name, organisation=org, role=role, circle=circle, how_met=how, tags=tags,
            ford_occupation=occupation, emails=[("work", f"{slug}@example.org")],
            dates=[{"kind": "birthday", "month": (i % 12) + 1, "day": 3 + i}] if i % 3 == 0 else [],
        )  # fmt: skip
        people[name] = create_person(s, data, now=now)
    people["Kwame Mensah"].status = PersonStatus.WAITING
    people["Noor Haddad"].status = PersonStatus.DORMANT

    def met(name: str, days_ago: int, channel: Channel, notes: str, warmth: int, **kw: Any) -> int:
        data = InteractionData(
            at=now - timedelta(days=days_ago, hours=3), channel=channel, notes=notes, warmth=warmth, **kw
        )
        return log_interaction(s, [people[name].id], data, now=now).id

    met(
        "Priya Raman",
        9,
        Channel.COFFEE,
        "Talked about her move to the platform team and the Rust rewrite. "
        "She's training for a half marathon in spring.",
        5,
        energy_before=5,
        energy_after=7,
        i_gave="Intro to Tomás",
    )
    met(
        "Priya Raman",
        70,
        Channel.VIDEO,
        "Mock interview practice; she suggested I write up the caching story.",
        4,
    )
    met(
        "Jonas Weber",
        200,
        Channel.CALL,
        "Caught up on his new job at Stadtwerke. Wants to visit in summer.",
        4,
    )
    met(
        "Amara Okafor",
        40,
        Channel.EVENT,
        "Met again at the design meetup. She's looking for participants for a study on accessibility in forms.",
        3,
        group_size=30,
        energy_before=4,
        energy_after=3,
    )
    met("Chen Wei (陈伟)", 330, Channel.IN_PERSON, "Hallway chat about onboarding flows; swapped cards.", 4)
    met(
        "Sofia Marquez",
        25,
        Channel.COFFEE,
        "Reading circle plans for the winter; she asked if I could help with the website.",
        5,
        they_gave="Invitation to the reading circle",
    )
    met("Tomás Silva", 120, Channel.EMAIL, "Priya's intro. Short reply, friendly.", 3)
    met("Hannah Becker", 160, Channel.VIDEO, "She's presenting at the health-data conference in January.", 4)
    iid = met(
        "Kwame Mensah",
        12,
        Channel.EMAIL,
        "Asked if he'd have 20 minutes for advice on climate-tech roles.",
        3,
        initiated_by_me=True,
        awaiting_reply=True,
    )
    met("Aiko Tanaka", 400, Channel.EVENT, "Zine fest. Bought her new book for my niece.", 4, group_size=200)
    met("Marcus Johnson", 500, Channel.COFFEE, "Career advice. Suggested I speak at a meetup.", 5)
    met(
        "Noor Haddad",
        1300,
        Channel.EVENT,
        "Facilitation workshop; great exercises on listening.",
        4,
        group_size=12,
    )

    add_commitment(
        s,
        people["Priya Raman"].id,
        Direction.I_OWE,
        "Send her the article on Rust at scale",
        now=now,
        due_on=(now + timedelta(days=4)).date(),
    )
    add_commitment(
        s,
        people["Sofia Marquez"].id,
        Direction.I_OWE,
        "Sketch a simple page for the reading circle",
        now=now,
        due_on=(now + timedelta(days=10)).date(),
    )
    add_commitment(s, people["Amara Okafor"].id, Direction.THEY_OWE, "Share the study sign-up link", now=now)
    add_commitment(
        s,
        people["Kwame Mensah"].id,
        Direction.THEY_OWE,
        "Reply about a 20-minute chat",
        now=now,
        interaction_id=iid,
    )

    upcoming = InteractionData(at=now + timedelta(days=3, hours=2), channel=Channel.COFFEE,
                               state=InteractionState.PLANNED, title="Coffee with Hannah", location="Café Linde",
                               duration_min=45)  # fmt: skip
    log_interaction(s, [people["Hannah Becker"].id], upcoming, now=now)

    s.add(Reflection(
        kind=ReflectionKind.DISCOMFORT, occurred_at=now - timedelta(days=40), person_id=people["Amara Okafor"].id,
        title="Going to the design meetup alone", situation="Design meetup, didn't know anyone but Amara",
        predicted_suds=75, actual_suds=40, predicted_liking=3, actual_liking=5, belief_before=70, belief_after=35,
        data={"prediction": "I'll stand by the wall and leave after 10 minutes",
              "safety_behaviour": "Staying on my phone", "learning": "Two people started talking to me first."},
        created_at=now, updated_at=now,
    ))  # fmt: skip
    s.add(Reflection(
        kind=ReflectionKind.REJECTION, occurred_at=now - timedelta(days=5), person_id=people["Kwame Mensah"].id,
        title="No reply from Kwame yet", response="no_reply",
        data={"ask": "20 minutes of advice on climate-tech roles",
              "first_interpretation": "He thinks I'm not worth his time.",
              "distortions": ["mind_reading", "personalisation"],
              "alternatives": ["He's travelling this month", "It got buried under other email",
                               "He's waiting until he has a proper answer"],
              "self_talk": "You asked clearly and kindly. A week of silence is normal for busy people.",
              "next_attempt": "One friendly follow-up after ten days."},
        created_at=now, updated_at=now,
    ))  # fmt: skip
