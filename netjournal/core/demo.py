"""A realistic demo journal in its own profile, so a newcomer sees the app alive within a minute."""

from __future__ import annotations

import tempfile
from datetime import datetime, time, timedelta, tzinfo
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from netjournal.core import reconnect as rc
from netjournal.core.clock import utcnow
from netjournal.core.db import Journal
from netjournal.core.journal import (
    InteractionData,
    PersonData,
    add_commitment,
    create_person,
    log_interaction,
)
from netjournal.core.ladder import LadderData, StepData, add_attempt, create_ladder
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
from netjournal.core.prep import PlanData, create_plan, debrief, new_plan
from netjournal.core.when import week_start

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


# FORD for everyone: family, recreation, dreams (occupation is in PEOPLE).
FORD = {
    "Priya Raman": (
        "Partner Dev; a daughter starting school",
        "Training for a spring half marathon",
        "Wants to start a mentoring circle for women in infrastructure",
    ),
    "Jonas Weber": (
        "Two younger sisters in Hamburg",
        "Sails on the Rhine in summer",
        "Hopes to move the grid to 80% renewables in his region",
    ),
    "Amara Okafor": (
        "Mother is a nurse in Lagos",
        "Pottery on Tuesday evenings",
        "A book on inclusive design research",
    ),
    "Chen Wei (陈伟)": ("Newly married", "Bouldering, cooking Sichuan food", "Launch a product in Southeast Asia"),
    "Sofia Marquez": (
        "Two cats, Lola and Gato",
        "Reads three novels a month",
        "A free summer reading programme for teenagers",
    ),
    "Tomás Silva": ("Grew up in Porto; brother is a fisherman", "Free diving", "Map the seabed of the Azores"),
    "Hannah Becker": ("Twin boys, age 6", "Choir on Thursdays", "Shorter emergency-room waits across the country"),
    "Kwame Mensah": (
        "Family in Accra and Leeds",
        "Plays five-a-side football",
        "Fund climate start-ups in West Africa",
    ),
    "Aiko Tanaka": ("Lives with her grandmother", "Collects old picture books", "Her own picture book series"),
    "Lea Hoffmann": ("Engaged to Tom", "Hiking, board games", "Teach a year abroad in Chile"),
    "Marcus Johnson": (
        "Three kids; coaches his son's team",
        "Woodworking",
        "Become a VP of engineering who still codes",
    ),
    "Noor Haddad": ("Big family in Amman", "Long-distance cycling", "A facilitation school for community organisers"),
}


def demo_data_dir() -> DataDir:
    """The demo profile lives in the temp folder, well away from the user's journal."""
    return DataDir(Path(tempfile.gettempdir()) / "netjournal-demo")


def ensure_demo_journal(journal: Journal, now: datetime | None = None, tz: tzinfo | None = None) -> None:
    now = now or utcnow()
    with journal.session() as s:
        if s.scalar(select(func.count()).select_from(Person)):
            return
        build_demo(s, now, tz)


def build_demo(s: Session, now: datetime, tz: tzinfo | None = None) -> None:
    """Dates are relative to `now` and times are local (`tz`, else the computer's), so the demo always
    looks current: coffees in the morning, calls in the afternoon, events in the evening."""
    local_now = now.astimezone(tz)
    zone = local_now.tzinfo

    def at(days_ago: int, hh: int, mm: int) -> datetime:
        day = local_now.date() - timedelta(days=days_ago)
        when = datetime.combine(day, time(hh, mm), zone)
        return min(when, now - timedelta(hours=1)) if days_ago <= 0 else when

    def ahead(days: int, hh: int, mm: int) -> datetime:
        return datetime.combine(local_now.date() + timedelta(days=days), time(hh, mm), zone)

    people: dict[str, Person] = {}
    for i, (name, org, role, circle, how, tags, occupation) in enumerate(PEOPLE):
        slug = name.split()[0].lower()
        family, recreation, dreams = FORD[name]
        data = PersonData(
            name=name,
            organisation=org,
            role=role,
            circle=circle,
            how_met=how,
            tags=tags,
            ford_family=family,
            ford_occupation=occupation,
            ford_recreation=recreation,
            ford_dreams=dreams,
            emails=[("work", f"{slug}@example.org")],
            dates=[{"kind": "birthday", "month": (i % 12) + 1, "day": 3 + i}] if i % 3 == 0 else [],
        )
        people[name] = create_person(s, data, now=now)
    people["Kwame Mensah"].status = PersonStatus.WAITING
    people["Noor Haddad"].status = PersonStatus.DORMANT

    def met(name: str, when: datetime, channel: Channel, notes: str, warmth: int, **kw: Any) -> int:
        data = InteractionData(at=when, channel=channel, notes=notes, warmth=warmth, **kw)
        return log_interaction(s, [people[name].id], data, now=now).id

    # (name, days ago, hh, mm, channel, notes, warmth, extra): energy and liking ratings fill Insights.
    meetings: list[tuple[str, int, int, int, Channel, str, int, dict[str, Any]]] = [
        (
            "Priya Raman",
            9,
            8,
            40,
            Channel.COFFEE,
            "Talked about her move to the platform team and the Rust rewrite. "
            "She's training for a half marathon in spring.",
            5,
            {
                "energy_before": 5,
                "energy_after": 7,
                "i_gave": "Intro to Tomás",
                "initiated_by_me": True,
                "predicted_liking": 4,
                "perceived_liking": 6,
            },
        ),
        (
            "Priya Raman",
            70,
            17,
            30,
            Channel.VIDEO,
            "Mock interview practice; she suggested I write up the caching story.",
            4,
            {"energy_before": 4, "energy_after": 6},
        ),
        (
            "Jonas Weber",
            200,
            19,
            15,
            Channel.CALL,
            "Caught up on his new job at Stadtwerke. Wants to visit in summer.",
            4,
            {"initiated_by_me": True},
        ),
        (
            "Amara Okafor",
            40,
            18,
            30,
            Channel.EVENT,
            "Met again at the design meetup. She's looking for participants for a study on accessibility in forms.",
            3,
            {"group_size": 30, "energy_before": 4, "energy_after": 3, "predicted_liking": 3, "perceived_liking": 5},
        ),
        (
            "Chen Wei (陈伟)",
            330,
            15,
            10,
            Channel.IN_PERSON,
            "Hallway chat about onboarding flows; swapped cards.",
            4,
            {"group_size": 4, "energy_before": 5, "energy_after": 4},
        ),
        (
            "Sofia Marquez",
            25,
            10,
            0,
            Channel.COFFEE,
            "Reading circle plans for the winter; she asked if I could help with the website.",
            5,
            {
                "they_gave": "Invitation to the reading circle",
                "energy_before": 6,
                "energy_after": 8,
                "predicted_liking": 4,
                "perceived_liking": 6,
            },
        ),
        (
            "Tomás Silva",
            120,
            11,
            25,
            Channel.EMAIL,
            "Priya's intro. Short reply, friendly.",
            3,
            {"initiated_by_me": True},
        ),
        (
            "Hannah Becker",
            160,
            16,
            45,
            Channel.VIDEO,
            "She's presenting at the health-data conference in January.",
            4,
            {"energy_before": 5, "energy_after": 6, "initiated_by_me": True},
        ),
        (
            "Aiko Tanaka",
            400,
            14,
            20,
            Channel.EVENT,
            "Zine fest. Bought her new book for my niece.",
            4,
            {"group_size": 200},
        ),
        ("Marcus Johnson", 500, 12, 30, Channel.COFFEE, "Career advice. Suggested I speak at a meetup.", 5, {}),
        (
            "Noor Haddad",
            1300,
            9,
            30,
            Channel.EVENT,
            "Facilitation workshop; great exercises on listening.",
            4,
            {"group_size": 12},
        ),
        (
            "Lea Hoffmann",
            3,
            20,
            0,
            Channel.IN_PERSON,
            "Board-game night at hers; she's planning the wedding.",
            5,
            {"group_size": 5, "energy_before": 4, "energy_after": 7},
        ),
        (
            "Hannah Becker",
            100,
            12,
            15,
            Channel.EVENT,
            "Python user group: a lightning talk on wait-time models.",
            3,
            {"group_size": 40, "energy_before": 5, "energy_after": 3, "initiated_by_me": True},
        ),
        (
            "Marcus Johnson",
            220,
            8,
            15,
            Channel.CALL,
            "Quick call about speaking at the meetup; he'll review slides.",
            4,
            {"initiated_by_me": True, "energy_before": 4, "energy_after": 6},
        ),
        (
            "Jonas Weber",
            280,
            13,
            0,
            Channel.MESSAGE,
            "Sent him the heat-pump article; he replied with a voice note.",
            4,
            {"initiated_by_me": True},
        ),
    ]
    for name, days, hh, mm, channel, notes, warmth, extra in meetings:
        met(name, at(days, hh, mm), channel, notes, warmth, **extra)
    iid = met(
        "Kwame Mensah",
        at(12, 9, 5),
        Channel.EMAIL,
        "Asked if he'd have 20 minutes for advice on climate-tech roles.",
        3,
        initiated_by_me=True,
        awaiting_reply=True,
    )

    add_commitment(
        s,
        people["Priya Raman"].id,
        Direction.I_OWE,
        "Send her the article on Rust at scale",
        now=now,
        due_on=(local_now + timedelta(days=4)).date(),
    )
    add_commitment(
        s,
        people["Sofia Marquez"].id,
        Direction.I_OWE,
        "Sketch a simple page for the reading circle",
        now=now,
        due_on=(local_now + timedelta(days=10)).date(),
    )
    add_commitment(s, people["Amara Okafor"].id, Direction.THEY_OWE, "Share the study sign-up link", now=now)
    add_commitment(
        s, people["Kwame Mensah"].id, Direction.THEY_OWE, "Reply about a 20-minute chat", now=now, interaction_id=iid
    )

    # Coming up: coffee with Hannah, with a plan made for it.
    upcoming = InteractionData(
        at=ahead(3, 10, 30),
        channel=Channel.COFFEE,
        state=InteractionState.PLANNED,
        title="Coffee with Hannah",
        location="Café Linde",
        duration_min=45,
    )
    meeting = log_interaction(s, [people["Hannah Becker"].id], upcoming, now=now)
    plan = new_plan(s, now, meeting_id=meeting.id)
    plan.purpose = "Hear how the conference talk went and ask about data roles in health."
    plan.ask = "Would she introduce me to someone on the hospital analytics team?"
    plan.offers = ["Share my notes on the wait-time paper"]
    create_plan(s, plan, now=now)

    # Done and debriefed: the reading-circle evening with Sofia, planned and then looked back on.
    evening = PlanData(
        person_id=people["Sofia Marquez"].id,
        title="Reading circle evening",
        at=at(18, 18, 45),
        format="event",
        duration_min=90,
        situation="follow_up",
        purpose="Meet the other volunteers and see if the website help is welcome.",
        questions=[
            {"text": "What would make the circle easier to join?"},
            {"text": "Which book started it all for you?"},
        ],
        offers=["Help with the website"],
        exit_line="I'll head off, lovely to meet you.",
    )
    done = create_plan(s, evening, now=now)
    debrief(
        s,
        done.id,
        how_it_went="Warm group of eight; two asked about the website. Left after an hour, happy.",
        warmth=5,
        perceived_liking=6,
        follow_up_questions=3,
        now=now,
        energy_after=6,
        lesson="Arriving early made it easier: fewer people to walk in on.",
        at=at(18, 18, 45),
    )

    def reflection(kind: ReflectionKind, days: int, hh: int, **kw: Any) -> None:
        s.add(Reflection(kind=kind, occurred_at=at(days, hh, 0), created_at=now, updated_at=now, **kw))

    # Discomfort: what I expected vs what happened, over the months (the Insights gap chart).
    for days, title, person, pred, act, pl, al in [
        (40, "Going to the design meetup alone", "Amara Okafor", 75, 40, 3, 5),
        (100, "A lightning talk at the user group", "Hannah Becker", 85, 55, 3, 4),
        (150, "Calling Hannah after months", "Hannah Becker", 60, 25, 3, 6),
        (210, "Asking Marcus to review my slides", "Marcus Johnson", 55, 30, 4, 6),
        (260, "Messaging Jonas out of the blue", "Jonas Weber", 50, 20, 3, 5),
        (18, "Walking into the reading circle", "Sofia Marquez", 70, 35, 4, 6),
    ]:
        reflection(
            ReflectionKind.DISCOMFORT,
            days,
            21,
            person_id=people[person].id,
            title=title,
            situation=title,
            predicted_suds=pred,
            actual_suds=act,
            predicted_liking=pl,
            actual_liking=al,
            belief_before=pred - 5,
            belief_after=act,
            data={
                "prediction": "It will be awkward and I'll leave early",
                "safety_behaviour": "Staying on my phone",
                "learning": "It was easier than I expected once the first sentence was out.",
            },
        )
    # Rejection: attempts counted, not outcomes.
    reflection(
        ReflectionKind.REJECTION,
        5,
        20,
        person_id=people["Kwame Mensah"].id,
        title="No reply from Kwame yet",
        response="no_reply",
        data={
            "ask": "20 minutes of advice on climate-tech roles",
            "first_interpretation": "He thinks I'm not worth his time.",
            "distortions": ["mind_reading", "personalisation"],
            "alternatives": [
                "He's travelling this month",
                "It got buried under other email",
                "He's waiting until he has a proper answer",
            ],
            "self_talk": "You asked clearly and kindly. A week of silence is normal for busy people.",
            "next_attempt": "One friendly follow-up after ten days.",
        },
    )
    reflection(
        ReflectionKind.REJECTION,
        115,
        19,
        person_id=people["Tomás Silva"].id,
        title="Tomás said not right now",
        response="no",
        data={
            "ask": "A short call about working in marine robotics",
            "first_interpretation": "I was too pushy.",
            "distortions": ["personalisation"],
            "alternatives": ["They're fundraising", "It's about his time, not me", "He offered to try in spring"],
            "self_talk": "You asked once, politely. That's what a good ask looks like.",
            "next_attempt": "Ask again in spring, as he suggested.",
        },
    )

    # A gentle exposure ladder, with a few tries on its first steps.
    ladder = create_ladder(
        s,
        LadderData(
            goal="Feel at ease at meetups",
            steps=[
                StepData("Say hello to one person at a meetup", 40, done=True),
                StepData("Ask one open question and listen", 55),
                StepData("Introduce two people to each other", 70),
            ],
        ),
        now=now,
    )
    first, second = ladder.steps[0], ladder.steps[1]
    for days, step, before, peak, after in [(90, first, 45, 50, 20), (40, first, 35, 40, 15), (18, second, 50, 55, 25)]:
        add_attempt(s, step.id, at=at(days, 19, 30), suds_before=before, suds_peak=peak, suds_after=after)

    # This week's few suggestions, as if the weekly digest had just come: Today shows them at once.
    rules = rc.Rules.load(s)
    picked = rc.select_week(rc.candidates(s, now, tz=tz, rules=rules), rules.budget, rules.max_dormant)
    if picked:
        rc.record_delivery(s, rc.Surface("digest", picked), max(week_start(local_now), now - timedelta(minutes=1)))
