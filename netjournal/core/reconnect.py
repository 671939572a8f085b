"""Gentle reconnection suggestions: scoring, filters, selection and anti-nagging.

Everything here is computed from the database and a `now` passed in, so a restart, a sleep or a clock
change neither loses nor repeats anything: what was delivered, snoozed or acted on is read back from
`suggestion_events` and the person's reconnection columns.

The public entry points:
- `what_to_surface(session, now)` -> `Surface`: what to deliver at this moment (a weekly digest, one
  time-sensitive nudge, or nothing, with a plain note saying why nothing).
- `record_delivery(session, surface, now)`: remember that a surface was shown to the user.
- `this_week(session, now)`: the suggestions delivered this week that are still open (the Today view).
- `snooze`, `not_now`, `acted`, `pause`, `change_cadence`: what the user does with a suggestion.

Design defaults beyond the domain text (each is a product choice, noted where it is made):
- Weak ties (the 500 circle) and birthdays alone never reach the 0.30 threshold; they come up through the
  reserved open-loop slot, the dormant slot, or a time-sensitive nudge.
- A promise is an open loop when *I* owe it; what they owe me is shown in Today but never nudged.
- A due promise or a waiting-for-reply follow-up may take the reserved loop slot below the threshold.
- Low energy holds back nudges (not the weekly digest, which is the calm summary).
- No nudge on a day that already had the digest.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any, Literal

from sqlalchemy import String, func, or_, select, type_coerce
from sqlalchemy.orm import Session

from netjournal.core import phrasing
from netjournal.core import settings as settings_mod
from netjournal.core.errors import NotFoundError, ValidationError
from netjournal.core.models import (
    CIRCLES,
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
from netjournal.core.paths import resources_dir
from netjournal.core.phrasing import promise_sentence
from netjournal.core.suggestions import Suggestion as Suggestion
from netjournal.core.today import DELIVERED, SNOOZES_BEFORE_ASKING
from netjournal.core.today import this_week as _this_week
from netjournal.core.when import day_start as day_start
from netjournal.core.when import day_words as day_words
from netjournal.core.when import first_name as first_name
from netjournal.core.when import parse_moment
from netjournal.core.when import to_local as to_local
from netjournal.core.when import week_start as week_start

log = logging.getLogger(__name__)

THRESHOLD = 0.30
WEIGHTS = {"due": 0.35, "loop": 0.20, "date": 0.15, "layer": 0.10, "warm": 0.10, "dormant": 0.10}
LAYER = {5: 1.0, 15: 0.8, 50: 0.6, 150: 0.4, 500: 0.2}
DORMANT_DAYS = 1095
RECENT_CONTACT_DAYS = 7
RESURFACE_DAYS = 14
FATIGUE_DAYS = 90
ENERGY_WINDOW = timedelta(hours=48)
LOW_BATTERY = 3
BUSY_EVENTS = 2
# Interactions that spend social energy (a message or an email does not count as an event).
SOCIAL_CHANNELS = (Channel.COFFEE, Channel.IN_PERSON, Channel.EVENT, Channel.VIDEO, Channel.CALL)

SNOOZE_CHOICES = {"week": 7, "month": 30, "three_months": 91}

SurfaceKind = Literal["digest", "nudge", "none"]


# ------------------------------------------------------------------------------------------- settings


def _parse_hhmm(value: Any, default: str) -> time:
    for text in (value, default):
        try:
            hh, mm = str(text).split(":")
            return time(int(hh), int(mm))
        except (TypeError, ValueError):
            continue
    return time(0, 0)


@dataclass(frozen=True)
class Rules:
    """The reconnect settings, read once per computation."""

    budget: int = 3
    cadences: dict[int, int | None] = field(default_factory=lambda: {5: 7, 15: 30, 50: 180, 150: 365, 500: None})
    circle5_opt_in: bool = False
    max_dormant: int = 1
    quiet_start: time = time(20, 0)
    quiet_end: time = time(9, 0)
    quiet_weekends: bool = True
    digest_weekday: int = 0
    digest_time: time = time(10, 0)
    waiting_days: int = 10
    paused_until: datetime | None = None

    @classmethod
    def load(cls, session: Session) -> Rules:
        v = settings_mod.all_settings(session)
        d = settings_mod.DEFAULTS

        def num(key: str, low: int, high: int) -> int:
            try:
                return max(low, min(high, int(v[key])))
            except (TypeError, ValueError):
                return int(d[key])

        cadences: dict[int, int | None] = {}
        for c in CIRCLES:
            raw = v.get(f"reconnect.cadence.{c}")
            try:
                cadences[c] = max(1, int(raw)) if raw else None
            except (TypeError, ValueError):
                cadences[c] = d[f"reconnect.cadence.{c}"]
        return cls(
            budget=num("reconnect.weekly_budget", 1, 5),
            cadences=cadences,
            circle5_opt_in=bool(v["reconnect.circle5_opt_in"]),
            max_dormant=num("reconnect.max_dormant_per_week", 0, 5),
            quiet_start=_parse_hhmm(v["reconnect.quiet_start"], d["reconnect.quiet_start"]),
            quiet_end=_parse_hhmm(v["reconnect.quiet_end"], d["reconnect.quiet_end"]),
            quiet_weekends=bool(v["reconnect.quiet_weekends"]),
            digest_weekday=num("reconnect.digest_weekday", 0, 6),
            digest_time=_parse_hhmm(v["reconnect.digest_time"], d["reconnect.digest_time"]),
            waiting_days=num("reconnect.waiting_follow_up_days", 1, 365),
            paused_until=parse_moment(v["reconnect.paused_until"]),
        )


# ------------------------------------------------------------------------------------------- time


def is_quiet(local: datetime, rules: Rules) -> bool:
    if rules.quiet_weekends and local.weekday() >= 5:
        return True
    t, start, end = local.time(), rules.quiet_start, rules.quiet_end
    if start == end:
        return False
    if start < end:  # e.g. 12:00-14:00
        return start <= t < end
    return t >= start or t < end  # across midnight, e.g. 20:00-09:00


def digest_slot(local: datetime, rules: Rules) -> datetime:
    """When this week's digest is due (local time)."""
    return week_start(local) + timedelta(
        days=rules.digest_weekday, hours=rules.digest_time.hour, minutes=rules.digest_time.minute
    )


# ------------------------------------------------------------------------------------------- words

_NUMBERS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]


def _n(value: int) -> str:
    return _NUMBERS[value] if 0 <= value < len(_NUMBERS) else str(value)


def elapsed_words(days: int) -> str:
    """'nine days', 'three weeks', 'seven months', 'about two years' (the one wording: core/phrasing.py)."""
    return phrasing.elapsed(days)


def cadence_words(cadence: int) -> str:
    """'every week', 'about once a month', 'about twice a year'."""
    if cadence == 7:
        return "every week"
    if cadence < 14:
        return f"every {_n(cadence)} days"
    if cadence < 25:
        return "every couple of weeks" if cadence in (14, 15) else f"every {_n(round(cadence / 7))} weeks"
    if cadence <= 35:
        return "about once a month"
    if cadence < 75:
        return "every couple of months"
    if 170 <= cadence <= 190:
        return "about twice a year"
    if 340 <= cadence <= 390:
        return "about once a year"
    if cadence < 340:
        return f"about every {_n(round(cadence / 30.44))} months"
    return f"about every {_n(round(cadence / 365.25))} years"


# ------------------------------------------------------------------------------------------- templates

_FALLBACK_TEMPLATES = {
    "check_in": ["Hi {first_name}, you came to mind today. How have things been with you lately?"],
}
_templates_cache: dict[str, list[str]] | None = None


def templates() -> dict[str, list[str]]:
    """Message templates by kind, from resources/reconnect/templates.json."""
    global _templates_cache
    if _templates_cache is None:
        path = resources_dir() / "reconnect" / "templates.json"
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            _templates_cache = {k: [str(t) for t in v] for k, v in raw.items() if isinstance(v, list) and v}
        except (OSError, ValueError) as exc:
            log.warning("message templates unavailable (%s); using the built-in one", exc)
            _templates_cache = dict(_FALLBACK_TEMPLATES)
        _templates_cache.setdefault("check_in", _FALLBACK_TEMPLATES["check_in"])
    return _templates_cache


def template_for(kind: str, person_id: int, first: str) -> str:
    bank = templates()
    options = bank.get(kind) or bank["check_in"]
    return options[person_id % len(options)].replace("{first_name}", first)


# ------------------------------------------------------------------------------------------- model


@dataclass
class Surface:
    kind: SurfaceKind
    suggestions: list[Suggestion] = field(default_factory=list)
    note: str = ""  # why nothing is surfaced, in plain words
    after_meetings: str = ""  # the digest's one line about meetings that ended (core/after_meetings)

    def __bool__(self) -> bool:
        return self.kind != "none" and bool(self.suggestions)


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


# ------------------------------------------------------------------------------------------- loading


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


# ------------------------------------------------------------------------------------------- scoring


def clamp(x: float, low: float = 0.0, high: float = 1.0) -> float:
    return max(low, min(high, x))


def score_parts(
    *,
    days_since: float,
    cadence: int | None,
    loop: float,
    date_: float,
    circle: int,
    warmth: int | None,
    dormant: bool,
    ignored_90d: int,
) -> tuple[float, dict[str, float]]:
    """The domain.md §3 formula. Returns (score, the weighted terms before fatigue)."""
    due = clamp((days_since / cadence - 0.75) / 1.25) if cadence else 0.0
    warm = max(0.5, ((warmth if warmth is not None else 1) - 1) / 4)
    terms = {
        "due": due,
        "loop": loop,
        "date": date_,
        "layer": LAYER.get(circle, 0.2),
        "warm": warm,
        "dormant": 1.0 if dormant else 0.0,
    }
    weighted = {k: WEIGHTS[k] * v for k, v in terms.items()}
    score = sum(weighted.values()) * 0.5 ** min(ignored_90d, 3)
    return score, weighted


def effective_circle(p: _Person, has_met: bool) -> int:
    """The circle to score with: the chosen one; else 150 for someone met, 500 for a bare import."""
    if p.circle is not None:
        return p.circle
    return 150 if has_met else 500


def _ignored(deliveries: list[datetime], responses: list[datetime], last_contact: datetime | None) -> int:
    count = 0
    for at in deliveries:
        if last_contact is not None and last_contact > at:
            continue
        if any(r >= at for r in responses):
            continue
        count += 1
    return count


def candidates(
    session: Session,
    now: datetime,
    *,
    tz: tzinfo | None = None,
    rules: Rules | None = None,
    history: _History | None = None,
) -> list[Suggestion]:
    """Everyone who passes the hard filters, scored, best first (before the weekly selection)."""
    rules = rules or Rules.load(session)
    local = to_local(now, tz)
    today = local.date()
    h = history or _history(session, now, local)
    people = _people(session, now)
    dates = _dates(session, today)
    loops = _loops(session, today)
    out: list[Suggestion] = []
    now_n = now.astimezone(UTC).replace(tzinfo=None)  # naive UTC, like the rows (see _dt)
    recent, resurface = timedelta(days=RECENT_CONTACT_DAYS), timedelta(days=RESURFACE_DAYS)
    dormant_status, waiting_status = PersonStatus.DORMANT.value, PersonStatus.WAITING.value
    acted_at = {pid: at.replace(tzinfo=None) for pid, at in h.acted_at.items()}
    for p in people:
        if p.id in h.delivered_week:
            continue
        last_n, warmth = p.last_at, p.warmth
        if last_n is not None and now_n - last_n < recent:
            continue
        if p.last_suggested_at is not None and now_n - p.last_suggested_at < resurface:
            acted = acted_at.get(p.id)
            if acted is None or acted < p.last_suggested_at:
                continue
        circle = effective_circle(p, last_n is not None)
        if circle == 5 and not rules.circle5_opt_in:
            continue
        cadence = p.cadence_days or rules.cadences.get(circle)
        since = last_n or _dt(p.created_at) or now_n
        days_since = max(0.0, (now_n - since).total_seconds() / 86400)
        dormant = p.status == dormant_status or (last_n is not None and days_since >= DORMANT_DAYS)
        if (
            not dormant
            and p.status != waiting_status
            and p.id not in loops
            and p.id not in dates
            and (not cadence or days_since < 0.75 * cadence)
        ):
            continue  # nothing would make a reason: skip the scoring
        last_at = last_n.replace(tzinfo=UTC) if last_n is not None else None

        waiting = False
        if p.status == waiting_status:
            # One gentle follow-up after the patient interval, then back off until something changes
            # (a new interaction, or the user moves them out of "waiting").
            followed_up = (
                last_n is not None
                and p.last_suggested_at is not None
                and p.last_suggested_at > last_n
                and p.consecutive_snoozes == 0
            )
            if followed_up or days_since < rules.waiting_days:
                continue
            waiting = True

        commitment = loops.get(p.id)
        loop = 0.0
        if commitment is not None and commitment.due_on is not None:
            loop = 1.0 if commitment.due_on <= today else 0.5
        if waiting:
            loop = max(loop, 1.0)
        d = dates.get(p.id)
        date_ = 0.0 if d is None else (1.0 if d[0] <= 3 else 0.5)
        ignored = _ignored(h.deliveries_90d.get(p.id, []), h.responses_90d.get(p.id, []), last_at)
        score, parts = score_parts(
            days_since=days_since,
            cadence=cadence,
            loop=loop,
            date_=date_,
            circle=circle,
            warmth=warmth,
            dormant=dormant,
            ignored_90d=ignored,
        )
        kind, reason = _reason(
            p, now, today, days_since, cadence, commitment, d, waiting, dormant, parts, last_at is not None, warmth
        )
        if not kind:
            continue
        out.append(
            Suggestion(
                person_id=p.id,
                name=p.name,
                kind=kind,
                reason=reason,
                score=score,
                time_sensitive=(loop >= 1.0 and not waiting) or date_ >= 1.0,
                loop=loop,
                warmth=warmth,
                template=template_for(_template_kind(kind, d), p.id, p.first),
                last_contact=last_at,
                dormant=dormant,
                offer_cadence_change=p.consecutive_snoozes >= SNOOZES_BEFORE_ASKING,
                parts=parts,
            )
        )
    out.sort(key=_rank)
    return out


def _rank(s: Suggestion) -> tuple[float, datetime]:
    # Best score first; ties go to the person not heard from the longest (never = the oldest).
    return (-round(s.score, 6), s.last_contact or datetime.min.replace(tzinfo=UTC))


def _template_kind(kind: str, d: tuple[int, str] | None) -> str:
    if kind == "date":
        return "birthday" if d is not None and d[1] == "birthday" else "date"
    return {"due": "check_in"}.get(kind, kind)


def _reason(
    p: _Person,
    now: datetime,
    today: date,
    days_since: float,
    cadence: int | None,
    commitment: Commitment | None,
    d: tuple[int, str] | None,
    waiting: bool,
    dormant: bool,
    parts: dict[str, float],
    met: bool,
    warmth: int | None,
) -> tuple[str, str]:
    """The main reason in plain words, from the term that weighs most. ('', '') when nothing applies."""
    days = int(days_since)
    extra = ""
    if d is not None:
        extra = f"{p.first}'s {d[1]} is {'on ' if d[0] > 1 else ''}{day_words(today + timedelta(days=d[0]), today)}."
    if waiting:
        return "waiting", (
            f"You wrote to {p.first} {elapsed_words(days)} ago and haven't heard back yet. "
            "That's normal for busy people; one friendly follow-up is fine."
        )
    if commitment is not None and commitment.due_on is not None and parts["loop"] >= parts["date"]:
        when = day_words(commitment.due_on, today)
        tail = f"due {when}" if commitment.due_on >= today else f"that was for {when}"
        reason = f"{promise_sentence(Direction.I_OWE, commitment.text)} — {tail}."
        return "loop", reason + (f" {extra}" if extra else "")
    if d is not None and parts["date"] > parts["due"] and not dormant:
        return "date", extra
    if dormant:
        base = (
            f"You haven't been in touch with {p.first} for {elapsed_words(days)}."
            if met
            else (f"You haven't been in touch with {p.first} for a long time.")
        )
        warm = " Last time felt warm." if warmth is not None and warmth >= 4 else ""
        return "dormant", base + warm + " Old ties are often glad to hear from you." + (f" {extra}" if extra else "")
    if cadence and parts["due"] > 0:
        if met:
            reason = f"It's been {elapsed_words(days)}; you meant to be in touch {cadence_words(cadence)}."
        else:
            reason = (
                f"You haven't logged anything with {p.first} yet; you meant to be in touch {cadence_words(cadence)}."
            )
        return "due", reason + (f" {extra}" if extra else "")
    if d is not None:
        return "date", extra
    return "", ""


# ------------------------------------------------------------------------------------------- selection


def select_week(cands: list[Suggestion], slots: int, dormant_left: int) -> list[Suggestion]:
    """Top `slots` among scores >= THRESHOLD, keeping one slot for an open loop, at most `dormant_left`
    dormant ties, and letting a warm dormant tie take the dormant slot under the threshold."""
    if slots <= 0:
        return []
    picked: list[Suggestion] = []
    loops = [c for c in cands if c.loop >= 1.0 or (c.loop > 0 and c.score >= THRESHOLD)]
    if loops:
        picked.append(loops[0])  # cands are ranked, so this is the best open loop
        if loops[0].dormant:
            dormant_left -= 1
    for c in cands:
        if len(picked) >= slots:
            break
        if c.score < THRESHOLD or c in picked:
            continue
        if c.dormant:
            if dormant_left <= 0:
                continue
            dormant_left -= 1
        picked.append(c)
    if len(picked) < slots and dormant_left > 0:
        # The dormant slot: a tie whose last interaction was warm (>= 3) may take it under the threshold.
        for c in cands:
            if c.dormant and c not in picked and c.warmth is not None and c.warmth >= 3:
                picked.append(c)
                break
    picked.sort(key=_rank)
    return picked


def what_to_surface(session: Session, now: datetime, *, tz: tzinfo | None = None) -> Surface:
    """What to deliver at this moment: this week's digest, one time-sensitive nudge, or nothing."""
    rules = Rules.load(session)
    if rules.paused_until is not None and rules.paused_until > now:
        return Surface("none", note=f"Reminders are paused until {to_local(rules.paused_until, tz):%a %d %b %H:%M}.")
    local = to_local(now, tz)
    if is_quiet(local, rules):
        return Surface("none", note="Quiet time (evenings and weekends stay free of reminders).")
    h = _history(session, now, local)
    slots = rules.budget - len(h.delivered_week)
    if slots <= 0:
        return Surface("none", note="This week's few suggestions are already out.")
    dormant_left = rules.max_dormant - h.dormant_this_week
    if not h.digest_this_week and local >= digest_slot(local, rules):
        cands = candidates(session, now, tz=tz, rules=rules, history=h)
        picked = select_week(cands, slots, dormant_left)
        if picked:
            from netjournal.core.after_meetings import digest_line  # it builds on this module

            return Surface("digest", picked, after_meetings=digest_line(session, now, tz=tz))
        return Surface("none", note="Nothing to suggest this week.")
    if h.nudged_today or h.digest_today:
        return Surface("none", note="One reminder a day is plenty.")
    if not _anything_time_sensitive(session, local.date()):
        return Surface("none", note="Nothing time-sensitive today.")
    tired = low_energy(session, now)
    if tired:
        return Surface("none", note=f"Holding reminders back: {tired}.")
    cands = candidates(session, now, tz=tz, rules=rules, history=h)
    for c in cands:
        if c.time_sensitive and (not c.dormant or dormant_left > 0):
            return Surface("nudge", [c])
    return Surface("none", note="Nothing time-sensitive today.")


def _anything_time_sensitive(session: Session, today: date) -> bool:
    """A cheap check before scoring everyone: a promise due, or an important date within three days."""
    if session.scalar(
        select(Commitment.id)
        .where(
            Commitment.status == CommitmentStatus.OPEN,
            Commitment.direction == Direction.I_OWE,
            Commitment.deleted_at.is_(None),
            Commitment.due_on <= today,
        )
        .limit(1)
    ):
        return True
    return any(days <= 3 for days, _ in _dates(session, today).values())


# ------------------------------------------------------------------------------------------- recording


def record_delivery(session: Session, surface: Surface, now: datetime) -> None:
    """Remember that these suggestions reached the user (a digest, a nudge, or an explicit show)."""
    event = {"digest": "digest", "nudge": "nudged"}.get(surface.kind, "shown")
    for s in surface.suggestions:
        data = {
            "kind": s.kind,
            "score": round(s.score, 4),
            "time_sensitive": s.time_sensitive,
            "template": s.template,
            "dormant": s.dormant,
            "offer_cadence_change": s.offer_cadence_change,
        }
        session.add(SuggestionEvent(person_id=s.person_id, at=now, event=event, reason=s.reason, data=data))
        person = session.get(Person, s.person_id)
        if person is not None:
            person.last_suggested_at = now
    session.flush()


def this_week(session: Session, now: datetime, *, tz: tzinfo | None = None) -> list[Suggestion]:
    """This week's delivered suggestions still open: not acted on, snoozed, set aside, or since contacted.

    The query lives once, in core/today.py (it runs on the thin read path at start-up too)."""
    return _this_week(session, now, tz=tz)


def cadence_of(session: Session, person_id: int) -> tuple[int | None, int | None]:
    """A person's circle and own rhythm in days (None, None when they are gone)."""
    p = session.get(Person, person_id)
    return (p.circle, p.cadence_days) if p is not None and p.deleted_at is None else (None, None)


def _person(session: Session, person_id: int) -> Person:
    person = session.get(Person, person_id)
    if person is None or person.deleted_at is not None:
        raise NotFoundError(f"There is no person with id {person_id} in this journal.")
    return person


def snooze_until(choice: str, now: datetime, until: date | None = None, *, tz: tzinfo | None = None) -> datetime:
    """The end of a snooze: 'week', 'month', 'three_months', or 'date' (the day after `until`)."""
    if choice == "date":
        if until is None:
            raise ValidationError("Pick a date to snooze until.")
        local = to_local(now, tz)
        end = datetime.combine(until + timedelta(days=1), time(0), tzinfo=local.tzinfo)
        if end <= now:
            raise ValidationError(f"{until:%d %b %Y} has already passed; pick a later date.")
        return end.astimezone(UTC)
    if choice not in SNOOZE_CHOICES:
        raise ValidationError(f"Unknown snooze {choice!r}; use week, month, three_months or date.")
    return now + timedelta(days=SNOOZE_CHOICES[choice])


def snooze(session: Session, person_id: int, now: datetime, until: datetime) -> bool:
    """Snooze suggestions about a person. Returns True when it is time to offer a cadence change instead
    (the second snooze in a row)."""
    person = _person(session, person_id)
    person.snooze_until = until
    person.consecutive_snoozes = (person.consecutive_snoozes or 0) + 1
    session.add(SuggestionEvent(person_id=person_id, at=now, event="snoozed", data={"until": until.isoformat()}))
    session.flush()
    return person.consecutive_snoozes >= SNOOZES_BEFORE_ASKING


def not_now(session: Session, person_id: int, now: datetime) -> None:
    _person(session, person_id)
    session.add(SuggestionEvent(person_id=person_id, at=now, event="dismissed"))
    session.flush()


def acted(session: Session, person_id: int, now: datetime, how: str = "") -> None:
    """The user did something with the suggestion (copied a message, logged a talk)."""
    person = _person(session, person_id)
    person.consecutive_snoozes = 0
    session.add(SuggestionEvent(person_id=person_id, at=now, event="acted", data={"how": how} if how else {}))
    session.flush()


def change_cadence(
    session: Session, person_id: int, *, circle: int | None, cadence_days: int | None, now: datetime
) -> None:
    if circle is not None and circle not in CIRCLES:
        raise ValidationError(f"Circle must be one of {', '.join(map(str, CIRCLES))} (got {circle}).")
    if cadence_days is not None and not 1 <= cadence_days <= 3650:
        raise ValidationError(f"How often must be 1 to 3650 days (got {cadence_days}).")
    person = _person(session, person_id)
    person.circle = circle
    person.cadence_days = cadence_days
    person.consecutive_snoozes = 0
    person.updated_at = now
    session.flush()


def pause(session: Session, until: datetime | None) -> None:
    """Hold every reminder until a moment (None resumes them)."""
    settings_mod.put(session, "reconnect.paused_until", until.astimezone(UTC).isoformat() if until else None)
