"""What the reconnect rule reads: the recent suggestion history, everyone who could be suggested with their
last contact, the important dates and promises coming up, and the user's social energy."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import String, func, or_, select, type_coerce
from sqlalchemy.orm import Session

from netjournal.core.models import (
    Channel,
    Commitment,
    CommitmentStatus,
    ContactStat,
    Direction,
    EnergyLog,
    ImportantDate,
    Interaction,
    InteractionState,
    Person,
    PersonStatus,
    SuggestionEvent,
    interaction_people,
)
from netjournal.core.today import DELIVERED
from netjournal.core.when import day_start, week_start

RECENT_CONTACT_DAYS = 7
FATIGUE_DAYS = 90
ENERGY_WINDOW = timedelta(hours=48)
LOW_BATTERY = 3
BUSY_EVENTS = 2
# Interactions that spend social energy (a message or an email does not count as an event).
SOCIAL_CHANNELS = (Channel.COFFEE, Channel.IN_PERSON, Channel.EVENT, Channel.VIDEO, Channel.CALL)


@dataclass
class _Person:
    id: int
    name: str
    first: str
    circle: int | None
    cadence_days: int | None
    status: str
    consecutive_snoozes: int
    last_suggested_at: datetime | None  # naive UTC, like every datetime in this record (speed)
    created_at: Any  # as stored; parsed only when needed (someone never met)
    last_at: datetime | None  # last contact
    warmth: int | None  # of that last contact


@dataclass
class _History:
    """What suggestion_events say about the recent past (a small table: read it whole for 90 days)."""

    delivered_week: dict[int, SuggestionEvent]
    dormant_this_week: int
    nudged_today: bool
    digest_this_week: bool
    digest_today: bool
    acted_at: dict[int, datetime]
    responded_week: set[int]
    deliveries_90d: dict[int, list[datetime]]
    responses_90d: dict[int, list[datetime]]


def _history(session: Session, now: datetime, local: datetime) -> _History:
    wk = week_start(local)
    today = day_start(local)
    rows = session.scalars(
        select(SuggestionEvent)
        .where(SuggestionEvent.at > now - timedelta(days=FATIGUE_DAYS), SuggestionEvent.at <= now)
        .order_by(SuggestionEvent.at)
    ).all()
    h = _History({}, 0, False, False, False, {}, set(), defaultdict(list), defaultdict(list))
    for ev in rows:
        if ev.event in DELIVERED:
            h.deliveries_90d[ev.person_id].append(ev.at)
            if ev.at >= wk:
                if ev.person_id not in h.delivered_week:
                    h.delivered_week[ev.person_id] = ev
                    if (ev.data or {}).get("dormant"):
                        h.dormant_this_week += 1
                if ev.event == "digest":
                    h.digest_this_week = True
                    h.digest_today = h.digest_today or ev.at >= today
                if ev.event == "nudged" and ev.at >= today:
                    h.nudged_today = True
        else:
            if ev.event in ("acted", "snoozed"):
                h.responses_90d[ev.person_id].append(ev.at)
            if ev.event == "acted":
                h.acted_at[ev.person_id] = ev.at
            if ev.at >= wk:
                h.responded_week.add(ev.person_id)
    return h


def _dt(value: Any) -> datetime | None:
    """A stored UTC datetime read raw, as a naive UTC datetime (per-row type processing dominated at 5,000
    rows; naive arithmetic is cheaper too)."""
    if value is None:
        return None
    if isinstance(value, str):
        return datetime.fromisoformat(value)
    assert isinstance(value, datetime)
    return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo is not None else value


def _people(session: Session, now: datetime) -> list[_Person]:
    """Everyone who could be suggested, with their last contact: one joined read. The cheap hard filters
    (trash, archived, don't suggest, ended badly, snoozed, contacted this week) are applied in SQL."""
    recent = now - timedelta(days=RECENT_CONTACT_DAYS)
    stmt = (
        select(
            Person.id,
            Person.name,
            Person.given_name,
            Person.nickname,
            Person.circle,
            Person.cadence_days,
            type_coerce(Person.status, String),
            Person.consecutive_snoozes,
            type_coerce(Person.last_suggested_at, String),
            type_coerce(Person.created_at, String),
            type_coerce(ContactStat.last_contact_at, String),
            ContactStat.last_warmth,
        )
        .outerjoin(ContactStat, ContactStat.person_id == Person.id)
        .where(
            Person.deleted_at.is_(None),
            Person.status.not_in([PersonStatus.ARCHIVED, PersonStatus.DO_NOT_SUGGEST]),
            Person.ended_badly.is_(False),
            or_(Person.snooze_until.is_(None), Person.snooze_until <= now),
            or_(
                ContactStat.last_contact_at.is_(None),
                ContactStat.last_contact_at <= recent,
                ContactStat.last_contact_at > now,
            ),
        )
    )
    out: list[_Person] = []
    later: dict[int, _Person] = {}
    now_n = now.astimezone(UTC).replace(tzinfo=None)
    for pid, name, given, nick, circle, cadence, status, snoozes, suggested, created, last, warmth in session.execute(
        stmt
    ):
        words = name.split()
        p = _Person(
            pid,
            name,
            (nick or given or (words[0] if words else name)).strip() or name,
            circle,
            cadence,
            status,
            snoozes or 0,
            _dt(suggested),
            created,
            _dt(last),
            warmth,
        )
        out.append(p)
        if p.last_at is not None and p.last_at > now_n:
            later[pid] = p
    if session.get_bind().dialect.name != "sqlite":
        # contact_stats is kept by SQLite triggers only: elsewhere aggregate the interactions.
        later = {p.id: p for p in out}
        chunks: list[list[int] | None] = [None]
    else:
        ids = list(later)
        chunks = [ids[i : i + 500] for i in range(0, len(ids), 500)]
    for chunk in chunks:
        found = _aggregate_contacts(session, now, chunk)
        for pid in chunk if chunk is not None else list(later):
            at, w = found.get(pid, (None, None))
            later[pid].last_at, later[pid].warmth = _dt(at), w
    return out


def last_contacts_with_warmth(session: Session, now: datetime) -> dict[int, tuple[datetime, int | None]]:
    """For each person: when they were last in touch (a done interaction, not in the trash, not after
    `now`) and how warm that last interaction felt.

    On SQLite this reads `contact_stats`, which triggers keep current (one 5,000-row read instead of
    aggregating 100,000 interactions); people whose stored last contact lies after `now` (a look at a
    past moment, or something logged ahead of time) are computed from the interactions.
    """
    if session.get_bind().dialect.name != "sqlite":
        return _aggregate_contacts(session, now, None)
    out: dict[int, tuple[datetime, int | None]] = {}
    later: list[int] = []
    rows = session.execute(
        select(ContactStat.person_id, ContactStat.last_contact_at, ContactStat.last_warmth).where(
            ContactStat.last_contact_at.is_not(None)
        )
    )
    for pid, at, warmth in rows:
        if at is None:
            continue
        if at > now:
            later.append(pid)
        else:
            out[pid] = (at, warmth)
    for i in range(0, len(later), 500):
        out.update(_aggregate_contacts(session, now, later[i : i + 500]))
    return out


def _aggregate_contacts(
    session: Session, now: datetime, person_ids: list[int] | None
) -> dict[int, tuple[datetime, int | None]]:
    ip = interaction_people
    stmt = (
        select(ip.c.person_id, Interaction.at, Interaction.warmth)
        .join(Interaction, Interaction.id == ip.c.interaction_id)
        .where(
            Interaction.state == InteractionState.DONE,
            Interaction.deleted_at.is_(None),
            Interaction.at <= now,
        )
    )
    if person_ids is not None:
        stmt = stmt.where(ip.c.person_id.in_(person_ids))
    out: dict[int, tuple[datetime, int | None]] = {}
    for pid, at, warmth in session.execute(stmt):
        if at is not None and (pid not in out or at > out[pid][0]):
            out[pid] = (at, warmth)
    return out


def _as_utc(value: Any) -> datetime:
    if isinstance(value, str):  # func.max over a TypeDecorator column can come back raw on SQLite
        value = datetime.fromisoformat(value)
    assert isinstance(value, datetime)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def _next_occurrence(month: int, day: int, year: int | None, recurring: bool, today: date) -> date | None:
    def make(y: int) -> date:
        try:
            return date(y, month, day)
        except ValueError:  # 29 February in a common year: the 28th
            return date(y, month, 28)

    if not recurring:
        if year is None:
            return None
        d = make(year)
        return d if d >= today else None
    d = make(today.year)
    return d if d >= today else make(today.year + 1)


def _dates(session: Session, today: date) -> dict[int, tuple[int, str]]:
    """person_id -> (days until the nearest important date within a week, what it is)."""
    months = {today.month, (today + timedelta(days=7)).month}
    stmt = select(
        ImportantDate.person_id,
        ImportantDate.kind,
        ImportantDate.label,
        ImportantDate.month,
        ImportantDate.day,
        ImportantDate.year,
        ImportantDate.recurring,
    ).where(ImportantDate.month.in_(months))
    out: dict[int, tuple[int, str]] = {}
    for pid, kind, label, month, day, year, recurring in session.execute(stmt):
        nxt = _next_occurrence(month, day, year, recurring, today)
        if nxt is None:
            continue
        days = (nxt - today).days
        if 0 <= days <= 7 and (pid not in out or days < out[pid][0]):
            what = "birthday" if kind == "birthday" else "anniversary" if kind == "anniversary" else (label or "date")
            out[pid] = (days, what)
    return out


def _loops(session: Session, today: date) -> dict[int, Commitment]:
    """person_id -> their most pressing promise I made (due within 14 days, or already due)."""
    stmt = (
        select(Commitment)
        .where(
            Commitment.status == CommitmentStatus.OPEN,
            Commitment.direction == Direction.I_OWE,
            Commitment.deleted_at.is_(None),
            Commitment.due_on.is_not(None),
            Commitment.due_on <= today + timedelta(days=14),
        )
        .order_by(Commitment.due_on)
    )
    out: dict[int, Commitment] = {}
    for c in session.scalars(stmt):
        out.setdefault(c.person_id, c)
    return out


def low_energy(session: Session, now: datetime) -> str:
    """Why nudges should wait (empty when they need not): a low social battery or a busy two days."""
    since = now - ENERGY_WINDOW
    battery = session.scalar(
        select(EnergyLog.battery).where(EnergyLog.at <= now, EnergyLog.at > since).order_by(EnergyLog.at.desc())
    )
    if battery is not None and battery <= LOW_BATTERY:
        return "your social battery was low"
    events = session.scalar(
        select(func.count(Interaction.id)).where(
            Interaction.state == InteractionState.DONE,
            Interaction.deleted_at.is_(None),
            Interaction.at > since,
            Interaction.at <= now,
            Interaction.channel.in_(SOCIAL_CHANNELS),
        )
    )
    if (events or 0) >= BUSY_EVENTS:
        return "you've had a busy couple of days"
    return ""
