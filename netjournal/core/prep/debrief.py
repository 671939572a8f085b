"""The ten-minute debrief: the meeting becomes one interaction, with its promises and energy, typed once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from netjournal.core.errors import NotFoundError, ValidationError
from netjournal.core.journal import (
    InteractionData,
    add_commitment,
    get_interaction,
    get_person,
    log_interaction,
)
from netjournal.core.models import (
    Channel,
    Direction,
    Interaction,
    InteractionState,
    PersonStatus,
)
from netjournal.core.prep.data import FORMAT_CHANNEL
from netjournal.core.prep.plans import get_plan


@dataclass
class NewPromise:
    direction: Direction
    text: str
    due_on: date | None = None


def debrief(
    session: Session,
    plan_id: int,
    *,
    how_it_went: str,
    warmth: int | None,
    perceived_liking: int | None,
    follow_up_questions: int | None,
    new_promises: Sequence[NewPromise] = (),
    now: datetime,
    energy_after: int | None = None,
    lesson: str = "",
    at: datetime | None = None,
) -> Interaction:
    """Save the meeting as ONE interaction (the planned one becomes done) and link it to the plan.

    The interaction keeps the meeting's date and time: `at` when the user gave one, else the plan's
    time (the user may have moved it in the plan), else the calendar's; only a time still in the future
    becomes `now`. A rating left as None stays unrated. Debriefing the same plan again updates that
    interaction rather than adding a second one.
    """
    if at is not None and at.tzinfo is None:
        raise ValidationError("The time of a meeting must include its time zone.")
    plan = get_plan(session, plan_id)
    notes = how_it_went.strip()
    if lesson.strip():
        notes = f"{notes}\n\nOne lesson: {lesson.strip()}" if notes else f"One lesson: {lesson.strip()}"
    target: Interaction | None = None
    for candidate in (plan.debrief_id, plan.meeting_id):
        if candidate is None:
            continue
        try:
            target = get_interaction(session, candidate)
            break
        except NotFoundError:
            continue
    channel = FORMAT_CHANNEL.get(plan.format, Channel.OTHER)
    if target is None:
        if plan.person_id is None:
            raise ValidationError("This plan isn't linked to anyone yet; choose who you met, then debrief.")
        when = at or plan.at or now
        data = InteractionData(
            at=min(when, now),
            channel=channel,
            title=plan.title,
            duration_min=plan.duration_min or None,
            notes=notes,
            warmth=warmth,
            perceived_liking=perceived_liking,
            follow_up_questions=follow_up_questions,
            energy_after=energy_after,
        )
        target = log_interaction(session, [plan.person_id], data, now=now)
    else:
        was_planned = target.state is InteractionState.PLANNED
        when = at or (plan.at if was_planned and plan.at is not None else None) or target.at
        if when > now and (was_planned or at is not None):
            when = now  # it happened already, a little earlier than the calendar said
        check = InteractionData(
            at=when,
            warmth=warmth,
            perceived_liking=perceived_liking,
            follow_up_questions=follow_up_questions,
            energy_after=energy_after,
        )
        check.validate()
        target.state = InteractionState.DONE
        target.at = when
        target.notes = notes if notes else target.notes
        target.warmth, target.perceived_liking = warmth, perceived_liking
        target.follow_up_questions, target.energy_after = follow_up_questions, energy_after
        if plan.person_id is not None and all(p.id != plan.person_id for p in target.people):
            target.people.append(get_person(session, plan.person_id))
        target.updated_at = now
        for p in target.people:
            if p.status is PersonStatus.WAITING:
                p.status = PersonStatus.ACTIVE
            p.consecutive_snoozes = 0
            p.updated_at = now
    person_ids = [plan.person_id] if plan.person_id else [p.id for p in target.people][:1]
    for promise in new_promises:
        if promise.text.strip() and person_ids:
            add_commitment(
                session,
                person_ids[0],
                promise.direction,
                promise.text,
                now=now,
                due_on=promise.due_on,
                interaction_id=target.id,
            )
    plan.debrief_id = target.id
    plan.updated_at = now
    session.flush()
    return target
