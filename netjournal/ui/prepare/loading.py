"""What Prepare reads from the journal, gathered off the GUI thread."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from netjournal.core import prep
from netjournal.core.clock import utcnow
from netjournal.core.db import Journal
from netjournal.core.drafts import load_draft
from netjournal.core.models import Person
from netjournal.ui.person_picker import PickRow, load_pick_rows

if TYPE_CHECKING:
    pass


@dataclass
class Lists:
    upcoming: list[prep.UpcomingMeeting]
    plans: list[prep.PlanRow]


def load_lists(journal: Journal) -> Lists:
    now = utcnow()
    with journal.read() as s:
        return Lists(prep.upcoming_meetings(s, now), prep.list_plans(s))


def load_people(journal: Journal) -> list[PickRow]:
    return load_pick_rows(journal)


@dataclass
class Opened:
    plan_id: int | None
    data: prep.PlanData
    person_name: str
    debriefed: bool = False
    draft_key: str = ""
    draft: dict[str, Any] | None = None  # unsaved changes autosaved earlier, if any


def draft_key(plan_id: int | None, data: prep.PlanData) -> str:
    if plan_id is not None:
        return f"plan:{plan_id}"
    return f"plan:new:{data.person_id or ''}:{data.meeting_id or ''}"


def open_plan(journal: Journal, plan_id: int) -> Opened:
    with journal.read() as s:
        plan = prep.get_plan(s, plan_id)
        person = s.get(Person, plan.person_id) if plan.person_id else None
        # A plan saved with a template's blanks in it ("[X]") opens with them filled, or another line.
        data, _changed = prep.complete_plan(s, prep.PlanData.from_plan(plan), utcnow())
        key = draft_key(plan.id, data)
        name = person.name if person else ""
        return Opened(plan.id, data, name, plan.debrief_id is not None, key, load_draft(s, key))


def fresh_plan(journal: Journal, person_id: int | None = None, meeting_id: int | None = None) -> Opened:
    with journal.read() as s:
        data = prep.new_plan(s, utcnow(), person_id=person_id, meeting_id=meeting_id)
        person = s.get(Person, data.person_id) if data.person_id else None
        key = draft_key(None, data)
        return Opened(None, data, person.name if person else "", False, key, load_draft(s, key))
