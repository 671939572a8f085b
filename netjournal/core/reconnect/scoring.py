"""Scoring: each person who passes the hard filters gets a score (the domain.md section 3 formula) and a
reason in plain words."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, tzinfo

from sqlalchemy.orm import Session

from netjournal.core.models import (
    Commitment,
    Direction,
    PersonStatus,
)
from netjournal.core.phrasing import promise_sentence
from netjournal.core.reconnect.loading import (
    RECENT_CONTACT_DAYS,
    _dates,
    _dt,
    _History,
    _history,
    _loops,
    _people,
    _Person,
)
from netjournal.core.reconnect.rules import Rules, cadence_words, elapsed_words, template_for
from netjournal.core.suggestions import Suggestion
from netjournal.core.today import SNOOZES_BEFORE_ASKING
from netjournal.core.when import day_words, to_local

THRESHOLD = 0.30
WEIGHTS = {"due": 0.35, "loop": 0.20, "date": 0.15, "layer": 0.10, "warm": 0.10, "dormant": 0.10}
LAYER = {5: 1.0, 15: 0.8, 50: 0.6, 150: 0.4, 500: 0.2}
DORMANT_DAYS = 1095
RESURFACE_DAYS = 14


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
