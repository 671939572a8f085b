"""Plans: started from a person, a planned meeting or blank; completed, saved, listed and opened."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from netjournal.core import prompts
from netjournal.core.drafts import load_draft
from netjournal.core.journal import (
    MeetingRow,
    get_interaction,
    get_person,
    last_contacts,
    live,
    meeting_fields,
    timeline,
)
from netjournal.core.models import (
    Interaction,
    InteractionState,
    Person,
    Plan,
)
from netjournal.core.prep.data import (
    DEFAULT_BALANCED,
    DEFAULT_ENERGY,
    DEFAULT_HOT,
    DEFAULT_IF_THEN,
    DEFAULT_IF_THEN_OTHER,
    DEFAULT_QUESTIONS,
    FORMATS,
    MAX_OFFERS,
    PlanData,
    detect_situation,
)
from netjournal.core.prep.suggestions import _bank_blanks, _clip, _from_bank, filler_for, still_ahead, suggestions


def new_plan(
    session: Session,
    now: datetime,
    *,
    person_id: int | None = None,
    meeting_id: int | None = None,
    job_search: bool = False,
    bank: Sequence[prompts.Entry] | None = None,
) -> PlanData:
    """A filled-in draft (not saved): from a person, from a planned meeting, or blank (neither)."""
    data = PlanData(job_search=job_search)
    meeting: Interaction | None = None
    if meeting_id is not None:
        meeting = get_interaction(session, meeting_id)
        data.meeting_id = meeting.id
        data.at = meeting.at
        data.title = meeting.title
        data.format = meeting.channel.value if meeting.channel.value in FORMATS else "other"
        data.duration_min = meeting.duration_min or 30
        if person_id is None and meeting.people:
            person_id = meeting.people[0].id
    person = get_person(session, person_id) if person_id is not None else None
    data.person_id = person.id if person else None
    if person is not None:
        last = last_contacts(session, [person.id]).get(person.id)
        data.situation = detect_situation(last, now, upcoming_format=data.format if meeting else None).key
        if not data.title:
            data.title = f"{FORMATS[data.format]} with {person.name}"
        data.research_notes = _research_notes(person)
    if job_search and data.situation == "first_meeting":
        data.situation = "job_search"

    tips = suggestions(
        session,
        data.person_id,
        now,
        situation=data.situation,
        job_search=job_search,
        upcoming_format=data.format if meeting else None,
        bank=bank,
        duration_min=data.duration_min,
        event=event_name(data),
    )
    data.questions = [{"key": s.key, "text": s.text} for s in tips if s.target == "questions"][:DEFAULT_QUESTIONS]
    data.follow_up_prompts = [s.text for s in tips if s.target == "follow_up_prompts" and s.key][:3]
    data.offers = [s.text for s in tips if s.target == "offers"][:MAX_OFFERS]
    data.ask = next((s.text for s in tips if s.target == "ask"), "")
    data.exit_line = next((s.text for s in tips if s.target == "exit_line"), "")
    data.intro_script = next((s.text for s in tips if s.target == "intro_script"), "")
    data.if_then_goal = DEFAULT_IF_THEN.get(data.situation, DEFAULT_IF_THEN_OTHER)
    data.coping_hot_thought = DEFAULT_HOT
    data.coping_balanced_thought = DEFAULT_BALANCED
    data.energy_plan = DEFAULT_ENERGY
    return data


def event_name(data: PlanData) -> str:
    """The event's name for a plan for an event (its title, e.g. "PyCon Berlin"), else ""."""
    return data.title.strip() if data.format == "event" or data.situation == "event" else ""


def complete_plan(
    session: Session, data: PlanData, now: datetime, *, bank: Sequence[prompts.Entry] | None = None
) -> tuple[PlanData, int]:
    """A copy of the plan with no template blank left: each one filled from the journal or, where the
    journal lacks what it needs (a plan saved before the blank could be filled), the line replaced by
    another entry of its kind that needs nothing missing, or left out. Returns (plan, lines changed).

    Brackets that are not the bank's (the user's own "[sic]") are the user's text and stay.
    """
    entries = prompts.list_entries(session, bank=bank)
    known = _bank_blanks(prompts.all_entries(session, bank=bank))
    person = get_person(session, data.person_id) if data.person_id is not None else None
    filler = filler_for(session, person, event=event_name(data), duration_min=data.duration_min)
    used: set[str] = {str(q["key"]) for q in data.questions if q.get("key")}
    out = PlanData.from_plan(data)  # type: ignore[arg-type]  # same fields; a copy
    changed = 0

    def complete(text: str, kind: str) -> str | None:
        filled = filler.fill_known(text, kind)
        return None if any(b.strip().lower() in known for b in prompts.blanks(filled)) else filled

    def another(kind: str, purposes: Sequence[str]) -> tuple[str | None, str] | None:
        for e, text in _from_bank(
            entries,
            situation=data.situation,
            purposes=list(purposes) or list(prompts.PURPOSES),
            kinds=(kind,),
            max_depth=3,
            exclude=used,
            limit=1,
            filler=filler,
        ):
            return e.key, text
        return None

    by_key = {e.key: e for e in entries}
    questions = []
    for q in data.questions:
        text = str(q.get("text", ""))
        filled = complete(text, "question")
        if filled is None:
            changed += 1
            entry = by_key.get(str(q.get("key") or ""))
            pick = another("question", entry.purposes if entry else ())
            if pick is not None:
                questions.append({"key": pick[0], "text": pick[1]})
            continue
        changed += filled != text
        questions.append({"key": q.get("key"), "text": filled})
    out.questions = questions
    prompts_out = []
    for line in data.follow_up_prompts:
        filled = complete(line, "follow_up")
        if filled is None:
            changed += 1
            pick = another("follow_up", ("follow_up",))
            if pick is not None:
                prompts_out.append(pick[1])
            continue
        changed += filled != line
        prompts_out.append(filled)
    out.follow_up_prompts = prompts_out
    for attr, kind, purpose in (("intro_script", "intro_script", "intro"), ("exit_line", "exit_line", "exit")):
        text = getattr(data, attr)
        filled = complete(text, kind) if text else text
        if filled is None:
            pick = another(kind, (purpose,))
            filled = pick[1] if pick is not None else ""
        changed += filled != text
        setattr(out, attr, filled)
    return out, changed


def fill_entry(session: Session, data: PlanData, text: str, kind: str, now: datetime) -> tuple[str, list[str]]:
    """A bank entry's text for this plan with what the journal knows filled in, and the blanks (by
    name, e.g. "what I do") that only the user can fill; the editor asks for those before adding it."""
    person = get_person(session, data.person_id) if data.person_id is not None else None
    topic, ahead = "", False
    if person is not None:
        done = [i for i in timeline(session, person.id, limit=5) if i.state is InteractionState.DONE and i.at <= now]
        if done and done[0].topics.strip():
            topic = _clip(re.split(r"[,;\n]", done[0].topics.strip())[0], 60)
            ahead = still_ahead(f"{done[0].topics}\n{done[0].notes}", done[0].at, now)
    filler = filler_for(
        session, person, topic=topic, topic_ahead=ahead, event=event_name(data), duration_min=data.duration_min
    )
    filled = filler.fill_known(text, kind)
    known = _bank_blanks(prompts.all_entries(session))
    return filled, [b for b in prompts.blanks(filled) if b.strip().lower() in known]


def _research_notes(person: Person) -> str:
    bits = []
    for label, value in (
        ("Role", ", ".join(x for x in (person.role, person.organisation) if x)),
        ("Work", person.ford_occupation),
        ("Outside work", person.ford_recreation),
        ("Family", person.ford_family),
        ("Hopes", person.ford_dreams),
    ):
        if value.strip():
            bits.append(f"{label}: {_clip(value, 160)}")
    return "\n".join(bits)


def create_plan(session: Session, data: PlanData, *, now: datetime) -> Plan:
    data.validate()
    if data.person_id is not None:
        get_person(session, data.person_id)
    if data.meeting_id is not None:
        get_interaction(session, data.meeting_id)
    plan = Plan(created_at=now, updated_at=now, **vars(data))
    session.add(plan)
    session.flush()
    return plan


def update_plan(session: Session, plan_id: int, data: PlanData, *, now: datetime) -> Plan:
    data.validate()
    plan = get_plan(session, plan_id)
    if data.person_id is not None and data.person_id != plan.person_id:
        get_person(session, data.person_id)
    for k, v in vars(data).items():
        setattr(plan, k, v)
    plan.updated_at = now
    session.flush()
    return plan


def get_plan(session: Session, plan_id: int) -> Plan:
    return live(session, Plan, plan_id, f"There is no plan with id {plan_id} in this journal.")


@dataclass(frozen=True)
class PlanRow:
    id: int
    title: str
    person_id: int | None
    person_name: str
    at: datetime | None
    debriefed: bool
    meeting_id: int | None


def list_plans(session: Session, *, person_id: int | None = None, limit: int = 500) -> list[PlanRow]:
    """Plans, upcoming first (soonest first), then undated and past ones (newest first)."""
    stmt = (
        select(Plan, Person.name)
        .outerjoin(Person, (Person.id == Plan.person_id) & Person.deleted_at.is_(None))
        .where(Plan.deleted_at.is_(None))
        .order_by(Plan.updated_at.desc())
        .limit(limit)
    )
    if person_id is not None:
        stmt = stmt.where(Plan.person_id == person_id)
    rows = [
        PlanRow(
            p.id,
            p.title or (f"Plan for {name}" if name else "Untitled plan"),
            p.person_id,
            name or "",
            p.at,
            p.debrief_id is not None,
            p.meeting_id,
        )
        for p, name in session.execute(stmt)
    ]
    return rows


@dataclass(frozen=True)
class UpcomingMeeting(MeetingRow):
    plan_id: int | None


def upcoming_meetings(session: Session, now: datetime, *, limit: int = 50) -> list[UpcomingMeeting]:
    """Planned meetings from an hour ago onwards, soonest first, with the plan made for each (if any)."""
    stmt = (
        select(Interaction)
        .where(
            Interaction.state == InteractionState.PLANNED,
            Interaction.deleted_at.is_(None),
            Interaction.at >= now - timedelta(hours=1),
        )
        .order_by(Interaction.at)
        .limit(limit)
    )
    meetings = list(session.scalars(stmt))
    ids = [m.id for m in meetings]
    plans: dict[int, int] = {}
    if ids:
        for pid, mid in session.execute(
            select(Plan.id, Plan.meeting_id).where(Plan.meeting_id.in_(ids), Plan.deleted_at.is_(None))
        ):
            if mid is not None:
                plans.setdefault(mid, pid)
    return [UpcomingMeeting(*meeting_fields(m), plans.get(m.id)) for m in meetings]


def plan_for_next_meeting(
    session: Session, now: datetime, *, bank: Sequence[prompts.Entry] | None = None
) -> int | None:
    """The plan for the next upcoming meeting, created (and saved) if there is none yet. None: nothing upcoming."""
    for m in upcoming_meetings(session, now, limit=5):
        if m.plan_id is not None:
            return m.plan_id
        return create_plan(session, new_plan(session, now, meeting_id=m.id, bank=bank), now=now).id
    return None


@dataclass
class PlanLists:
    """What the Prepare section lists: meetings coming up and the plans written."""

    upcoming: list[UpcomingMeeting]
    plans: list[PlanRow]


def plan_lists(session: Session, now: datetime) -> PlanLists:
    return PlanLists(upcoming_meetings(session, now), list_plans(session))


@dataclass
class OpenedPlan:
    """A plan as the editor opens it: its data, who it is with, and unsaved changes kept earlier."""

    plan_id: int | None
    data: PlanData
    person_name: str
    debriefed: bool = False
    draft_key: str = ""
    draft: dict[str, Any] | None = None  # unsaved changes autosaved earlier, if any


def plan_draft_key(plan_id: int | None, data: PlanData) -> str:
    if plan_id is not None:
        return f"plan:{plan_id}"
    return f"plan:new:{data.person_id or ''}:{data.meeting_id or ''}"


def open_plan(session: Session, plan_id: int, now: datetime) -> OpenedPlan:
    plan = get_plan(session, plan_id)
    person = session.get(Person, plan.person_id) if plan.person_id else None
    # A plan saved with a template's blanks in it ("[X]") opens with them filled, or another line.
    data, _changed = complete_plan(session, PlanData.from_plan(plan), now)
    key = plan_draft_key(plan.id, data)
    name = person.name if person else ""
    return OpenedPlan(plan.id, data, name, plan.debrief_id is not None, key, load_draft(session, key))


def fresh_plan(
    session: Session, now: datetime, person_id: int | None = None, meeting_id: int | None = None
) -> OpenedPlan:
    data = new_plan(session, now, person_id=person_id, meeting_id=meeting_id)
    person = session.get(Person, data.person_id) if data.person_id else None
    key = plan_draft_key(None, data)
    return OpenedPlan(None, data, person.name if person else "", False, key, load_draft(session, key))
