"""Exposure ladders: a goal, 8-15 concrete steps with expected discomfort, and each step's attempts.

As in graded exposure: steps are specific situations about 5-10 SUDS apart (0-100), with several
easy ones first, each dropping one safety behaviour. An attempt records discomfort before, at its peak
and after. When the last attempts at a step got easier, the next step is suggested gently; nothing
is ever "failed" or overdue.
"""

from __future__ import annotations

import itertools
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from netjournal.core.errors import NotFoundError, ValidationError
from netjournal.core.journal import live, trash
from netjournal.core.models import Ladder, LadderAttempt, LadderStep
from netjournal.core.paths import resources_dir

MIN_STEPS, MAX_STEPS = 8, 15
BIG_GAP = 15  # fill any gap over 15 SUDS with a step in between
EASIER_BY = 10  # a peak at least this far under what was expected counts as "got easier"
STEP_TYPES = ("in_vivo", "imaginal")


@dataclass
class StepData:
    text: str
    suds_expected: int = 50
    step_type: str = "in_vivo"
    safety_behaviour: str = ""
    done: bool = False
    id: int | None = None  # set when editing an existing step (its attempts stay with it)


@dataclass
class LadderData:
    goal: str
    steps: list[StepData] = field(default_factory=list)

    def validate(self) -> None:
        self.goal = self.goal.strip()
        problems: list[str] = []
        if not self.goal:
            problems.append("A ladder needs a goal, in a few words.")
        steps = [s for s in self.steps if s.text.strip()]
        if not steps:
            problems.append("Add at least one step: a specific situation, like “ask one open question at an event”.")
        if len(steps) > MAX_STEPS:
            problems.append(f"A ladder works best with at most {MAX_STEPS} steps (this one has {len(steps)}).")
        for i, s in enumerate(steps, 1):
            if not isinstance(s.suds_expected, int) or not 0 <= s.suds_expected <= 100:
                problems.append(f"Step {i}: expected discomfort is a number from 0 to 100 (it is {s.suds_expected!r}).")
            if s.step_type not in STEP_TYPES:
                problems.append(f"Step {i}: the kind of step must be in real life or imagined.")
        if problems:
            raise ValidationError("\n".join(problems))
        for s in steps:
            s.text, s.safety_behaviour = s.text.strip(), s.safety_behaviour.strip()
        self.steps = steps


def ladder_advice(steps: Sequence[StepData | LadderStep]) -> list[str]:
    """Gentle notes on a ladder's shape (never required): how many steps, and big jumps between them."""
    notes: list[str] = []
    if len(steps) < MIN_STEPS:
        notes.append(f"Ladders tend to work best with {MIN_STEPS}–{MAX_STEPS} small steps; you have {len(steps)}.")
    ordered = sorted(steps, key=lambda s: s.suds_expected)
    for a, b in itertools.pairwise(ordered):
        if b.suds_expected - a.suds_expected > BIG_GAP:
            notes.append(
                f"There is a jump from {a.suds_expected} to {b.suds_expected}; "
                f"a step in between could make “{b.text}” easier to reach."
            )
    if ordered and not any(s.suds_expected <= 40 for s in ordered):
        notes.append("A few easier steps (around 20–40) make the first wins come sooner.")
    return notes


@lru_cache(maxsize=1)
def starter_ladder() -> LadderData:
    """The networking ladder that ships with netjournal (resources/reflect/starter_ladder.json)."""
    path = resources_dir() / "reflect" / "starter_ladder.json"
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        steps = [
            StepData(
                text=s["text"], suds_expected=int(s["suds_expected"]), safety_behaviour=s.get("safety_behaviour", "")
            )
            for s in raw["steps"]
        ]
        return LadderData(goal=raw["goal"], steps=steps)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ValidationError(f"The starter ladder in {path} could not be read ({exc}).") from exc


def _copy(data: LadderData) -> LadderData:
    return LadderData(data.goal, [StepData(**vars(s)) for s in data.steps])


def create_ladder(session: Session, data: LadderData, *, now: datetime) -> Ladder:
    data = _copy(data)
    data.validate()
    ladder = Ladder(goal=data.goal, created_at=now, updated_at=now)
    ladder.steps = [_new_step(i, s) for i, s in enumerate(_ordered(data.steps))]
    session.add(ladder)
    session.flush()
    return ladder


def create_starter_ladder(session: Session, *, now: datetime) -> Ladder:
    return create_ladder(session, starter_ladder(), now=now)


def _ordered(steps: list[StepData]) -> list[StepData]:
    # Easiest first: the ladder is climbed from the bottom.
    return sorted(steps, key=lambda s: s.suds_expected)


def _new_step(position: int, s: StepData) -> LadderStep:
    return LadderStep(
        position=position,
        text=s.text,
        suds_expected=s.suds_expected,
        step_type=s.step_type,
        safety_behaviour=s.safety_behaviour,
        done=s.done,
    )


def update_ladder(session: Session, ladder_id: int, data: LadderData, *, now: datetime) -> Ladder:
    """Replace the goal and steps; steps that keep their id keep their attempts (see update_ladder_steps)."""
    return update_ladder_steps(session, ladder_id, data, now=now)[0]


def update_ladder_steps(
    session: Session, ladder_id: int, data: LadderData, *, now: datetime
) -> tuple[Ladder, str | None]:
    """Replace the goal and steps; steps that keep their id keep their attempts.

    Steps left out are not deleted with their tries: they move, tries and all, to a ladder of their
    own ("Steps removed from …") that goes straight to the trash, so the same Undo (or File > Trash…)
    brings them back. Returns the ladder and that trash batch (None when no step was removed).
    """
    data = _copy(data)
    data.validate()
    ladder = get_ladder(session, ladder_id)
    by_id = {s.id: s for s in ladder.steps}
    steps: list[LadderStep] = []
    for i, s in enumerate(_ordered(data.steps)):
        existing = by_id.pop(s.id, None) if s.id is not None else None
        if existing is None:
            steps.append(_new_step(i, s))
            continue
        existing.position, existing.text, existing.suds_expected = i, s.text, s.suds_expected
        existing.step_type, existing.safety_behaviour, existing.done = s.step_type, s.safety_behaviour, s.done
        steps.append(existing)
    batch: str | None = None
    removed = sorted(by_id.values(), key=lambda s: s.position)
    if removed:
        batch = str(uuid.uuid4())
        holder = Ladder(
            goal=f"Steps removed from “{data.goal}”"[:500],
            created_at=now,
            updated_at=now,
            deleted_at=now,
            trash_batch=batch,
        )
        session.add(holder)
        holder.steps = removed  # moved, not orphaned: their tries stay with them
    ladder.goal = data.goal
    ladder.steps = steps
    ladder.updated_at = now
    session.flush()
    return ladder, batch


def get_ladder(session: Session, ladder_id: int) -> Ladder:
    steps = selectinload(Ladder.steps).selectinload(LadderStep.attempts)
    return live(session, Ladder, ladder_id, f"There is no ladder with id {ladder_id}.", [steps])


def list_ladders(session: Session) -> list[Ladder]:
    stmt = (
        select(Ladder)
        .where(Ladder.deleted_at.is_(None))
        .order_by(Ladder.updated_at.desc())
        .options(selectinload(Ladder.steps).selectinload(LadderStep.attempts))
    )
    return list(session.scalars(stmt))


def delete_ladder(session: Session, ladder_id: int, *, now: datetime) -> str:
    """Move a ladder (with its steps and tries) to the trash; returns the batch that `restore` takes."""
    get_ladder(session, ladder_id)
    return trash(session, "ladder", ladder_id, now=now)


def _check(label: str, value: int | None) -> None:
    if value is not None and (not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 100):
        raise ValidationError(f"{label} is a number from 0 to 100 (it is {value!r}).")


def add_attempt(
    session: Session,
    step_id: int,
    *,
    at: datetime,
    suds_before: int | None = None,
    suds_peak: int | None = None,
    suds_after: int | None = None,
    note: str = "",
) -> LadderAttempt:
    """Record a try at a step. Every try counts, however it felt."""
    _check("Discomfort before", suds_before)
    _check("Discomfort at its peak", suds_peak)
    _check("Discomfort after", suds_after)
    if at.tzinfo is None:
        raise ValidationError("The time of an attempt must include its time zone.")
    step = session.get(LadderStep, step_id)
    if step is None or step.ladder.deleted_at is not None:
        raise NotFoundError(f"There is no ladder step with id {step_id}.")
    attempt = LadderAttempt(
        step_id=step_id, at=at, suds_before=suds_before, suds_peak=suds_peak, suds_after=suds_after, note=note.strip()
    )
    session.add(attempt)
    step.ladder.updated_at = at
    session.flush()
    session.refresh(step)
    return attempt


def set_step_done(session: Session, step_id: int, done: bool, *, now: datetime) -> None:
    step = session.get(LadderStep, step_id)
    if step is None:
        raise NotFoundError(f"There is no ladder step with id {step_id}.")
    step.done = done
    step.ladder.updated_at = now


@dataclass(frozen=True)
class NextStep:
    """A gentle suggestion to move up the ladder."""

    from_step_id: int
    step_id: int
    step_text: str
    message: str


def got_easier(step: LadderStep | Any) -> bool:
    """The last try peaked well under what was expected, or the last two peaks fell."""
    peaks = [a.suds_peak for a in sorted(step.attempts, key=lambda a: a.at) if a.suds_peak is not None]
    if not peaks:
        return False
    if peaks[-1] <= step.suds_expected - EASIER_BY:
        return True
    return len(peaks) >= 2 and peaks[-1] < peaks[-2] and peaks[-1] <= step.suds_expected


def suggest_next_step(ladder: Ladder) -> NextStep | None:
    """When the step being worked on got easier, the step above it, suggested gently."""
    steps = list(ladder.steps)
    # The highest step that has attempts and is not done is what the person is practising.
    tried = [s for s in steps if s.attempts and not s.done]
    step = tried[-1] if tried else None
    if step is None or not got_easier(step):
        return None
    later = [s for s in steps if s.position > step.position and not s.done]
    if not later:
        return None
    nxt = later[0]
    last = [a for a in step.attempts if a.suds_peak is not None][-1]
    message = (
        f"“{step.text}” is getting easier (your last peak was {last.suds_peak}; you expected "
        f"{step.suds_expected}). When you feel ready, the next step could be “{nxt.text}”."
    )
    return NextStep(step.id, nxt.id, nxt.text, message)


# ------------------------------------------------------------------------------------------ as listed


@dataclass
class StepRow:
    id: int
    text: str
    suds_expected: int
    safety_behaviour: str
    done: bool
    tries: int
    last_peak: int | None


@dataclass
class LadderView:
    """A ladder as the Ladders tab shows it: its steps, the suggested next one and advice."""

    id: int
    goal: str
    steps: list[StepRow]
    suggestion: str | None
    advice: list[str]


def _step_row(st: LadderStep) -> StepRow:
    last_peak = next((a.suds_peak for a in reversed(st.attempts) if a.suds_peak is not None), None)
    return StepRow(st.id, st.text, st.suds_expected, st.safety_behaviour, st.done, len(st.attempts), last_peak)


def ladder_views(session: Session) -> list[LadderView]:
    out = []
    for lad in list_ladders(session):
        nxt = suggest_next_step(lad)
        steps = [_step_row(st) for st in lad.steps]
        out.append(LadderView(lad.id, lad.goal, steps, nxt.message if nxt else None, ladder_advice(lad.steps)))
    return out
