"""Selection: this week's few suggestions out of the scored candidates, and what to deliver at a moment
(the weekly digest, one time-sensitive nudge, or nothing, with a note saying why)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from netjournal.core.models import (
    Commitment,
    CommitmentStatus,
    Direction,
)
from netjournal.core.reconnect.loading import _dates, _history, low_energy
from netjournal.core.reconnect.rules import Rules, digest_slot, is_quiet
from netjournal.core.reconnect.scoring import THRESHOLD, _rank, candidates
from netjournal.core.suggestions import Suggestion
from netjournal.core.when import to_local

SurfaceKind = Literal["digest", "nudge", "none"]


@dataclass
class Surface:
    kind: SurfaceKind
    suggestions: list[Suggestion] = field(default_factory=list)
    note: str = ""  # why nothing is surfaced, in plain words
    after_meetings: str = ""  # the digest's one line about meetings that ended (core/after_meetings)

    def __bool__(self) -> bool:
        return self.kind != "none" and bool(self.suggestions)


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
