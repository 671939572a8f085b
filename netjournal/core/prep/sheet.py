"""The prep sheet's data: what the PDF (ui/prep_sheet.py) and `netjournal prep` print, as plain text."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy.orm import Session

from netjournal.core import phrasing, prompts
from netjournal.core.errors import ValidationError
from netjournal.core.journal import (
    CHANNEL_LABELS,
    get_person,
    open_commitments,
    timeline,
)
from netjournal.core.models import (
    Direction,
    Interaction,
    InteractionState,
    Plan,
)
from netjournal.core.phrasing import promise_sentence
from netjournal.core.prep.data import FORMATS, MAX_OFFERS, PlanData
from netjournal.core.prep.plans import _research_notes, complete_plan, get_plan, new_plan
from netjournal.core.prep.suggestions import _clip


@dataclass
class SheetData:
    """Everything the one-page prep sheet prints, already in plain text (the renderer escapes it)."""

    title: str
    person_name: str = ""
    person_line: str = ""  # role · organisation
    how_met: str = ""
    when_line: str = ""  # Tue 17 Mar 2026, 10:00
    format_line: str = ""  # Coffee · 30 min
    situation: str = ""
    purpose: str = ""
    about: list[str] = field(default_factory=list)  # FORD notes, research notes
    recent: list[str] = field(default_factory=list)  # one line per interaction
    i_owe: list[str] = field(default_factory=list)
    they_owe: list[str] = field(default_factory=list)
    intro_script: str = ""
    questions: list[str] = field(default_factory=list)
    follow_up_prompts: list[str] = field(default_factory=list)
    offers: list[str] = field(default_factory=list)
    ask: str = ""
    exit_line: str = ""
    if_then_goal: str = ""
    hot_thought: str = ""
    balanced_thought: str = ""
    energy_plan: str = ""
    recovery_line: str = ""

    # Per level: (long text, list text, about lines, recent lines, promise lines, prompts)
    LEVELS = (
        (400, 220, 5, 5, 4, 3),
        (240, 150, 4, 4, 3, 3),
        (160, 110, 3, 3, 2, 2),
        (100, 80, 2, 2, 2, 1),
        (70, 60, 1, 1, 1, 1),
    )

    def clipped(self, level: int) -> SheetData:
        """A shorter copy, so enormous notes still leave one readable page. Level 0 is the gentlest."""
        long_, short, n_about, n_recent, n_promise, n_prompts = self.LEVELS[min(level, len(self.LEVELS) - 1)]

        def lst(items: list[str], n: int, width: int = short) -> list[str]:
            kept = [_clip(x, width) for x in items[:n]]
            if len(items) > n:
                kept.append(f"… and {len(items) - n} more")
            return kept

        return replace(
            self,
            title=_clip(self.title, 90),
            person_name=_clip(self.person_name, 80),
            person_line=_clip(self.person_line, 120),
            how_met=_clip(self.how_met, short),
            when_line=_clip(self.when_line, 60),
            format_line=_clip(self.format_line, 60),
            purpose=_clip(self.purpose, long_),
            about=lst(self.about, n_about),
            recent=lst(self.recent, n_recent),
            i_owe=lst(self.i_owe, n_promise),
            they_owe=lst(self.they_owe, n_promise),
            intro_script=_clip(self.intro_script, long_),
            questions=[_clip(q, short) for q in self.questions[:5]],
            follow_up_prompts=[_clip(q, 70) for q in self.follow_up_prompts[:n_prompts]],
            offers=[_clip(o, short) for o in self.offers[:MAX_OFFERS]],
            ask=_clip(self.ask, long_),
            exit_line=_clip(self.exit_line, short),
            if_then_goal=_clip(self.if_then_goal, short),
            hot_thought=_clip(self.hot_thought, short),
            balanced_thought=_clip(self.balanced_thought, long_),
            energy_plan=_clip(self.energy_plan, short),
        )


def _when_line(at: datetime | None) -> str:
    return phrasing.when_text(at) if at is not None else ""


def _format_line(fmt: str, duration: int | None) -> str:
    bits = [FORMATS.get(fmt, fmt.title())]
    if duration:
        bits.append(f"{duration} min")
    return " · ".join(bits)


def _interaction_line(i: Interaction) -> str:
    head = f"{phrasing.date_text(i.at)} · {CHANNEL_LABELS[i.channel]}"
    body = i.topics.strip() or i.notes.strip() or i.title.strip()
    return f"{head}: {' '.join(body.split())}" if body else head


def sheet_data(
    session: Session,
    plan_or_person: Plan | PlanData | int | None,
    now: datetime,
    *,
    person_id: int | None = None,
    bank: Sequence[prompts.Entry] | None = None,
) -> SheetData:
    """The sheet for a plan (a Plan, unsaved PlanData, or a plan id) or, with `person_id`, a fresh plan for them."""
    data: PlanData
    if isinstance(plan_or_person, Plan):
        data = PlanData.from_plan(plan_or_person)
    elif isinstance(plan_or_person, PlanData):
        data = plan_or_person
    elif isinstance(plan_or_person, int):
        data = PlanData.from_plan(get_plan(session, plan_or_person))
    elif person_id is not None:
        data = new_plan(session, now, person_id=person_id, bank=bank)
    else:
        raise ValidationError("A prep sheet needs a plan or a person.")

    data, _changed = complete_plan(session, data, now, bank=bank)  # never a "[my name]" on paper
    person = get_person(session, data.person_id) if data.person_id is not None else None
    sheet = SheetData(
        title=data.title or (f"Meeting {person.name}" if person else "A meeting"),
        when_line=_when_line(data.at),
        format_line=_format_line(data.format, data.duration_min),
        situation=prompts.SITUATIONS.get(data.situation, ""),
        purpose=data.purpose,
        intro_script=data.intro_script,
        questions=[q.get("text", "") if isinstance(q, dict) else str(q) for q in data.questions],
        follow_up_prompts=list(data.follow_up_prompts),
        offers=list(data.offers),
        ask=data.ask,
        exit_line=data.exit_line,
        if_then_goal=data.if_then_goal,
        hot_thought=data.coping_hot_thought,
        balanced_thought=data.coping_balanced_thought,
        energy_plan=data.energy_plan,
        recovery_line=(
            f"Afterwards: {data.recovery_block_min} minutes to recharge, within three hours."
            if data.recovery_block_min
            else ""
        ),
    )
    if data.research_notes.strip():
        sheet.about = [line.strip() for line in data.research_notes.splitlines() if line.strip()]
    if person is not None:
        sheet.person_name = person.name
        sheet.person_line = " · ".join(x for x in (person.role, person.organisation) if x)
        met = person.how_met.strip()
        if person.met_on:
            met = f"{met} ({person.met_on:%b %Y})" if met else f"Met {person.met_on:%b %Y}"
        sheet.how_met = met
        if not sheet.about:
            sheet.about = [ln for ln in _research_notes(person).splitlines() if ln]
        recent = [i for i in timeline(session, person.id, limit=8) if i.state is InteractionState.DONE]
        sheet.recent = [_interaction_line(i) for i in recent[:6]]
        if not recent:
            sheet.recent = ["Nothing logged yet: a first meeting."]
        for c in open_commitments(session, person.id):
            due = f" (by {phrasing.date_text(c.due_on, year=False)})" if c.due_on else ""
            line = promise_sentence(c.direction, c.text) + due  # "You said you'd send…", "They promised…"
            (sheet.i_owe if c.direction is Direction.I_OWE else sheet.they_owe).append(line)
    return sheet
