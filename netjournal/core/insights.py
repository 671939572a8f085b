"""Insights as pictures: the numbers behind each chart, with a one-sentence plain caption.

Pure data, no Qt; `now` is passed in. Each function runs a few aggregate queries (no row-by-row work in
Python over the big tables), so all of them together stay well under 300 ms on a journal with 100,000
interactions and 2,000 reflections (see bench/bench_insights.py).

The charts are about the gap between what we fear and what happens (domain.md §2: most predictions
are too pessimistic; the liking gap), about attempts rather than outcomes (never a streak), and about
energy (groups drain more than one-to-one, domain.md §4).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from netjournal.core.journal import CIRCLE_LABELS
from netjournal.core.models import (
    Channel,
    Interaction,
    InteractionState,
    Ladder,
    LadderAttempt,
    LadderStep,
    Person,
    Reflection,
    ReflectionKind,
    interaction_people,
)

MONTHS = 12  # charts over time show the last twelve months
SEASON_DAYS = 91  # "this season": the last three months
MIN_POINTS = 3  # fewer than this and a caption says so kindly instead of drawing conclusions
INDIVIDUAL_LIMIT = 60  # up to this many reflections are drawn one by one; more are averaged per month


def _done_between(since: datetime, now: datetime, *having: ColumnElement[bool]) -> list[ColumnElement[bool]]:
    """The filter for meetings that happened between `since` and `now` and are not in the trash."""
    return [
        Interaction.state == InteractionState.DONE,
        Interaction.at >= since,
        Interaction.at <= now,
        Interaction.deleted_at.is_(None),
        *having,
    ]


def _month_expr(session: Session, column: Any) -> ColumnElement[str]:
    """'YYYY-MM' of a UTC datetime column, in the dialect's own words (SQLite or PostgreSQL)."""
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(column, "YYYY-MM")
    return func.strftime("%Y-%m", column)


def month_keys(now: datetime, months: int = MONTHS) -> list[str]:
    """The last `months` calendar months, oldest first, as 'YYYY-MM' (UTC)."""
    now = now.astimezone(UTC)
    y, m = now.year, now.month
    keys = []
    for _ in range(months):
        keys.append(f"{y:04d}-{m:02d}")
        m -= 1
        if m == 0:
            y, m = y - 1, 12
    return keys[::-1]


def month_start(now: datetime, months: int = MONTHS) -> datetime:
    first = month_keys(now, months)[0]
    return datetime(int(first[:4]), int(first[5:]), 1, tzinfo=UTC)


def _pairs(session: Session, stmt: Any) -> dict[Any, int]:
    return {key: int(count) for key, count in session.execute(stmt)}


def month_label(key: str) -> str:
    """ "2026-03" -> "Mar 2026": with the year, so a twelve-month axis that crosses January reads right."""
    names = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    return f"{names[int(key[5:]) - 1]} {key[:4]}"


def _round(v: float | None, digits: int = 1) -> float | None:
    return None if v is None else round(float(v), digits)


# ------------------------------------------------------------------------------------ discomfort gap


@dataclass(frozen=True)
class GapPoint:
    label: str  # a date ("12 Mar 2026") or a month ("Mar 2026")
    predicted: float
    actual: float
    count: int = 1


@dataclass(frozen=True)
class GapInsight:
    """Predicted vs actual, over time (one point per reflection, or per month when there are many)."""

    points: list[GapPoint]
    caption: str
    n: int
    mean_gap: float | None  # predicted minus actual, on average
    per_month: bool = False


def discomfort_gap(session: Session, now: datetime) -> GapInsight:
    """Predicted vs actual discomfort (SUDS 0-100) in discomfort reflections."""
    both = (
        Reflection.deleted_at.is_(None),
        Reflection.is_draft.is_(False),
        Reflection.kind == ReflectionKind.DISCOMFORT,
        Reflection.predicted_suds.is_not(None),
        Reflection.actual_suds.is_not(None),
        Reflection.occurred_at <= now,
    )
    n, avg_pred, avg_act, better = session.execute(
        select(
            func.count(),
            func.avg(Reflection.predicted_suds),
            func.avg(Reflection.actual_suds),
            func.sum(case((Reflection.actual_suds < Reflection.predicted_suds, 1), else_=0)),
        ).where(*both)
    ).one()
    n = int(n or 0)
    points: list[GapPoint] = []
    per_month = n > INDIVIDUAL_LIMIT
    if per_month:
        month = _month_expr(session, Reflection.occurred_at)
        rows = session.execute(
            select(month, func.avg(Reflection.predicted_suds), func.avg(Reflection.actual_suds), func.count())
            .where(*both, Reflection.occurred_at >= month_start(now))
            .group_by(month)
        ).all()
        by_month = {r[0]: r for r in rows}
        for key in month_keys(now):
            if key in by_month:
                _, p, a, c = by_month[key]
                points.append(GapPoint(month_label(key), float(p), float(a), int(c)))
    elif n:
        rows = session.execute(
            select(Reflection.occurred_at, Reflection.predicted_suds, Reflection.actual_suds)
            .where(*both)
            .order_by(Reflection.occurred_at)
        ).all()
        points = [GapPoint(at.strftime("%d %b %Y"), float(p or 0), float(a or 0)) for at, p, a in rows]
    gap = None if not n else float(avg_pred) - float(avg_act)
    return GapInsight(points, _gap_caption(n, gap, int(better or 0)), n, _round(gap), per_month)


def _gap_caption(n: int, gap: float | None, better: int) -> str:
    if n == 0 or gap is None:
        return (
            "Nothing to compare yet. Before something daunting, write how uncomfortable you expect to feel; "
            "afterwards, how it really was. The picture fills in from there."
        )
    if n < MIN_POINTS:
        return f"{_times(n)} so far: a few more and a pattern will start to show."
    points = round(abs(gap))
    if points < 3:
        return "Your predictions have been close to what happened: you know yourself well."
    if gap > 0:
        return (
            f"Your predictions were on average {points} points more worried than what happened "
            f"({better} of {n} times it was easier than expected)."
        )
    return f"On average things felt {points} points harder than you predicted; smaller steps on your ladder can help."


def _times(n: int) -> str:
    return "One time" if n == 1 else f"{n} times"


# ------------------------------------------------------------------------------------------ liking gap


@dataclass(frozen=True)
class LikingInsight:
    """How much I thought they'd like talking with me (1-7) vs what the meeting showed."""

    points: list[GapPoint]  # per month: predicted, actual
    caption: str
    n: int
    mean_gap: float | None  # actual minus predicted (positive: they liked it more than I thought)


def liking_gap(session: Session, now: datetime) -> LikingInsight:
    """Meetings and reflections of the last twelve months that have both ratings, averaged per month."""
    since = month_start(now)
    month_i = _month_expr(session, Interaction.at)
    i_rows = session.execute(
        select(month_i, func.sum(Interaction.predicted_liking), func.sum(Interaction.perceived_liking), func.count())
        .where(
            *_done_between(
                since, now, Interaction.predicted_liking.is_not(None), Interaction.perceived_liking.is_not(None)
            )
        )
        .group_by(month_i)
    ).all()
    month_r = _month_expr(session, Reflection.occurred_at)
    r_rows = session.execute(
        select(month_r, func.sum(Reflection.predicted_liking), func.sum(Reflection.actual_liking), func.count())
        .where(
            Reflection.occurred_at >= since,
            Reflection.occurred_at <= now,
            Reflection.deleted_at.is_(None),
            Reflection.is_draft.is_(False),
            Reflection.predicted_liking.is_not(None),
            Reflection.actual_liking.is_not(None),
        )
        .group_by(month_r)
    ).all()
    sums: dict[str, list[float]] = {}
    for key, sp, sa, c in [*i_rows, *r_rows]:
        acc = sums.setdefault(key, [0.0, 0.0, 0.0])
        acc[0] += float(sp or 0)
        acc[1] += float(sa or 0)
        acc[2] += int(c)
    points = [
        GapPoint(month_label(k), sums[k][0] / sums[k][2], sums[k][1] / sums[k][2], int(sums[k][2]))
        for k in month_keys(now)
        if k in sums and sums[k][2]
    ]
    n = int(sum(v[2] for v in sums.values()))
    gap = (sum(v[1] for v in sums.values()) - sum(v[0] for v in sums.values())) / n if n else None
    return LikingInsight(points, _liking_caption(n, gap), n, _round(gap))


def _liking_caption(n: int, gap: float | None) -> str:
    if n == 0 or gap is None:
        return (
            "Nothing to compare yet. Before a meeting, guess how much they'll enjoy talking with you (1–7); "
            "afterwards, note what their signals showed."
        )
    if n < MIN_POINTS:
        return f"{_times(n)} so far: a few more and a pattern will start to show."
    if gap >= 0.3:
        return (
            f"People seemed to enjoy talking with you more than you expected: {gap:.1f} points higher "
            "on a 1–7 scale, on average."
        )
    if gap <= -0.3:
        return (
            f"Meetings came out {abs(gap):.1f} points lower than you hoped, on average. "
            "Many people read others' signals too harshly; a kind guess is often closer."
        )
    return "Your guesses about how much people enjoyed talking with you have been about right."


# ---------------------------------------------------------------------------------- attempts per month


@dataclass(frozen=True)
class AttemptsMonth:
    label: str
    reached_out: int  # interactions I started
    asked: int  # rejection reflections: asks, whatever the answer
    ladder: int  # tries at ladder steps

    @property
    def total(self) -> int:
        return self.reached_out + self.asked + self.ladder


@dataclass(frozen=True)
class AttemptsInsight:
    months: list[AttemptsMonth]
    caption: str
    total: int


def attempts_per_month(session: Session, now: datetime) -> AttemptsInsight:
    """Reaching out, asking and showing up, counted per month. Attempts, never a streak."""
    since = month_start(now)
    m_i = _month_expr(session, Interaction.at)
    reached = _pairs(
        session,
        (
            select(m_i, func.count())
            .where(*_done_between(since, now, Interaction.initiated_by_me.is_(True)))
            .group_by(m_i)
        ),
    )
    m_r = _month_expr(session, Reflection.occurred_at)
    asked = _pairs(
        session,
        (
            select(m_r, func.count())
            .where(
                Reflection.deleted_at.is_(None),
                Reflection.counts_as_attempt.is_(True),
                Reflection.kind == ReflectionKind.REJECTION,
                Reflection.occurred_at >= since,
                Reflection.occurred_at <= now,
            )
            .group_by(m_r)
        ),
    )
    m_a = _month_expr(session, LadderAttempt.at)
    tries = _pairs(
        session,
        (
            select(m_a, func.count())
            .join(LadderStep, LadderStep.id == LadderAttempt.step_id)
            .join(Ladder, Ladder.id == LadderStep.ladder_id)
            .where(Ladder.deleted_at.is_(None), LadderAttempt.at >= since, LadderAttempt.at <= now)
            .group_by(m_a)
        ),
    )
    months = [
        AttemptsMonth(month_label(k), int(reached.get(k, 0)), int(asked.get(k, 0)), int(tries.get(k, 0)))
        for k in month_keys(now)
    ]
    total = sum(m.total for m in months)
    return AttemptsInsight(months, _attempts_caption(months, total), total)


def _attempts_caption(months: list[AttemptsMonth], total: int) -> str:
    if total == 0:
        return (
            "Every message you start, every ask and every try on your ladder will show here, whatever the answer was."
        )
    busiest = max(months, key=lambda m: m.total)
    this = months[-1].total
    first = (
        f"{total} attempt{'s' if total != 1 else ''} in the last twelve months, each one counted whatever the answer"
    )
    if this:
        return f"{first}; {this} so far this month."
    return f"{first}; {busiest.label} had the most ({busiest.total})."


# -------------------------------------------------------------------------------- energy by meeting kind

ONE_TO_ONE, SMALL_GROUP, LARGE_GROUP = "One-to-one", "Small group (3–6)", "Larger group or event"
ENERGY_KINDS = (ONE_TO_ONE, SMALL_GROUP, LARGE_GROUP)
GROUP_CHANNELS = (Channel.EVENT,)


@dataclass(frozen=True)
class EnergyBar:
    label: str
    before: float | None
    after: float | None
    count: int

    @property
    def change(self) -> float | None:
        return None if self.before is None or self.after is None else self.after - self.before


@dataclass(frozen=True)
class EnergyInsight:
    bars: list[EnergyBar]
    caption: str


def _meeting_kind() -> ColumnElement[str]:
    """group_size counts everyone there including me: 2 is one-to-one; without it, events count as
    larger groups and everything else as one-to-one (coffee, calls, messages)."""
    return case(
        (Interaction.group_size >= 7, LARGE_GROUP),
        (Interaction.group_size >= 3, SMALL_GROUP),
        (Interaction.group_size.is_not(None), ONE_TO_ONE),
        (Interaction.channel.in_(GROUP_CHANNELS), LARGE_GROUP),
        else_=ONE_TO_ONE,
    )


def energy_by_kind(session: Session, now: datetime) -> EnergyInsight:
    """Average energy before and after meetings of the last twelve months, by kind of meeting."""
    kind = _meeting_kind()
    rows = session.execute(
        select(kind, func.avg(Interaction.energy_before), func.avg(Interaction.energy_after), func.count())
        .where(
            *_done_between(
                month_start(now), now, Interaction.energy_before.is_not(None), Interaction.energy_after.is_not(None)
            )
        )
        .group_by(kind)
    ).all()
    found = {k: EnergyBar(k, _round(b), _round(a), int(c)) for k, b, a, c in rows}
    bars = [found.get(k, EnergyBar(k, None, None, 0)) for k in ENERGY_KINDS]
    return EnergyInsight(bars, _energy_caption(bars))


ENERGY_IN_WORDS = {
    ONE_TO_ONE: "one-to-one meetings",
    SMALL_GROUP: "small groups",
    LARGE_GROUP: "larger groups and events",
}


def _energy_caption(bars: list[EnergyBar]) -> str:
    rated = [b for b in bars if b.count >= MIN_POINTS and b.change is not None]
    if not rated:
        if any(b.count for b in bars):
            return (
                "Only a few meetings have your energy noted so far; a few more and this will show which "
                "kinds leave you with more to spare."
            )
        return (
            "Note your energy (0–10) before and after a few meetings and this will show which kinds "
            "leave you with more to spare."
        )

    def moved(b: EnergyBar) -> str:
        change = b.change or 0.0
        if abs(change) < 0.05:
            return f"stayed about the same after {ENERGY_IN_WORDS[b.label]}"
        return f"{'rose' if change > 0 else 'fell'} by {abs(change):.1f} after {ENERGY_IN_WORDS[b.label]}"

    if len(rated) == 1:
        return f"Over the last twelve months, your energy {moved(rated[0])} on average."
    best = max(rated, key=lambda b: b.change or 0.0)
    worst = min(rated, key=lambda b: b.change or 0.0)
    if abs((best.change or 0) - (worst.change or 0)) < 0.5:
        return "Over the last twelve months, your energy changed about the same whatever the kind of meeting."
    tail = " A quiet hour after those can help." if (worst.change or 0) < 0 else ""
    return f"Over the last twelve months, your energy {moved(best)} and {moved(worst)}, on average.{tail}"


# ------------------------------------------------------------------------------------------- circles


@dataclass(frozen=True)
class CircleBar:
    circle: int | None
    label: str
    people: int
    in_touch: int  # of them, in touch in the last three months


@dataclass(frozen=True)
class CirclesInsight:
    bars: list[CircleBar]
    caption: str


CIRCLE_SHORT = {5: "Closest 5", 15: "Good friends", 50: "Friends", 150: "Network", 500: "Weak ties", None: "Not placed"}


def circles(session: Session, now: datetime) -> CirclesInsight:
    people = _pairs(
        session, (select(Person.circle, func.count()).where(Person.deleted_at.is_(None)).group_by(Person.circle))
    )
    since = now - timedelta(days=SEASON_DAYS)
    recent = (
        select(interaction_people.c.person_id)
        .join(Interaction, Interaction.id == interaction_people.c.interaction_id)
        .where(*_done_between(since, now))
        .distinct()
        .subquery()
    )
    touched = _pairs(
        session,
        (
            select(Person.circle, func.count())
            .join(recent, recent.c.person_id == Person.id)
            .where(Person.deleted_at.is_(None))
            .group_by(Person.circle)
        ),
    )
    order: list[int | None] = [*CIRCLE_LABELS, None]
    bars = [
        CircleBar(c, CIRCLE_SHORT[c], int(people.get(c, 0)), int(touched.get(c, 0)))
        for c in order
        if people.get(c, 0) or c is not None
    ]
    return CirclesInsight(bars, _circles_caption(bars))


def _circles_caption(bars: list[CircleBar]) -> str:
    total = sum(b.people for b in bars)
    if total == 0:
        return "Add a few people and place them in circles to see who is close and who you've been in touch with."
    touched = sum(b.in_touch for b in bars)
    placed = [b for b in bars if b.circle is not None and b.people]
    if not placed:
        return f"You keep {total} people here; place them in circles to see the shape of your network."
    inner = [b for b in bars if b.circle in (5, 15) and b.people]
    inner_people = sum(b.people for b in inner)
    inner_touched = sum(b.in_touch for b in inner)
    if inner_people:
        return (
            f"In the last three months you were in touch with {touched} of {total} people, "
            f"including {inner_touched} of the {inner_people} closest to you."
        )
    return f"In the last three months you were in touch with {touched} of {total} people."


# ------------------------------------------------------------------------------------------- all five


@dataclass
class AllInsights:
    discomfort: GapInsight
    liking: LikingInsight
    attempts: AttemptsInsight
    energy: EnergyInsight
    circles: CirclesInsight
    computed_at: datetime = field(default_factory=lambda: datetime.now(UTC))


def all_insights(session: Session, now: datetime) -> AllInsights:
    return AllInsights(
        discomfort_gap(session, now),
        liking_gap(session, now),
        attempts_per_month(session, now),
        energy_by_kind(session, now),
        circles(session, now),
        computed_at=now,
    )


__all__ = [
    "AllInsights",
    "AttemptsInsight",
    "AttemptsMonth",
    "CircleBar",
    "CirclesInsight",
    "EnergyBar",
    "EnergyInsight",
    "GapInsight",
    "GapPoint",
    "LikingInsight",
    "all_insights",
    "attempts_per_month",
    "circles",
    "discomfort_gap",
    "energy_by_kind",
    "liking_gap",
    "month_keys",
]
