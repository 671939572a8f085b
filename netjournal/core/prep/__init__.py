"""Plans for a meeting or an event, personalised suggestions, the debrief, and the prep sheet's data.

A plan is started from a person, from an upcoming (planned) meeting, or blank. Suggestions come from
the journal (what happened last time, open promises both ways, what you do not know yet, their role,
whether you are job hunting), each with the reason it was suggested. After the meeting, `debrief`
saves the one interaction the meeting becomes, so nothing is typed twice.

Everything here is plain functions over a session; time is passed in as `now`. The rooms:
- data.py: a plan's fields (PlanData), formats, defaults, and the situation a meeting is in;
- suggestions.py: the suggestions, as small named rules, and filling a template's blanks;
- plans.py: starting, completing, saving, listing and opening plans;
- debrief.py: the debrief after the meeting;
- sheet.py: the prep sheet's data (the PDF and `netjournal prep`).
Callers import this package (`from netjournal.core import prep`; `prep.new_plan(...)`).
"""

from __future__ import annotations

from netjournal.core.prep.data import (
    DEFAULT_BALANCED as DEFAULT_BALANCED,
)
from netjournal.core.prep.data import (
    DEFAULT_ENERGY as DEFAULT_ENERGY,
)
from netjournal.core.prep.data import (
    DEFAULT_HOT as DEFAULT_HOT,
)
from netjournal.core.prep.data import (
    DEFAULT_IF_THEN as DEFAULT_IF_THEN,
)
from netjournal.core.prep.data import (
    DEFAULT_IF_THEN_OTHER as DEFAULT_IF_THEN_OTHER,
)
from netjournal.core.prep.data import (
    DEFAULT_QUESTIONS as DEFAULT_QUESTIONS,
)
from netjournal.core.prep.data import (
    FORD_GAPS as FORD_GAPS,
)
from netjournal.core.prep.data import (
    FORMAT_CHANNEL as FORMAT_CHANNEL,
)
from netjournal.core.prep.data import (
    FORMATS as FORMATS,
)
from netjournal.core.prep.data import (
    MAX_OFFERS as MAX_OFFERS,
)
from netjournal.core.prep.data import (
    RECONNECT_AFTER as RECONNECT_AFTER,
)
from netjournal.core.prep.data import (
    PlanData as PlanData,
)
from netjournal.core.prep.data import (
    Situation as Situation,
)
from netjournal.core.prep.data import (
    detect_situation as detect_situation,
)
from netjournal.core.prep.debrief import (
    NewPromise as NewPromise,
)
from netjournal.core.prep.debrief import (
    debrief as debrief,
)
from netjournal.core.prep.plans import (
    OpenedPlan as OpenedPlan,
)
from netjournal.core.prep.plans import (
    PlanLists as PlanLists,
)
from netjournal.core.prep.plans import (
    PlanRow as PlanRow,
)
from netjournal.core.prep.plans import (
    UpcomingMeeting as UpcomingMeeting,
)
from netjournal.core.prep.plans import (
    complete_plan as complete_plan,
)
from netjournal.core.prep.plans import (
    create_plan as create_plan,
)
from netjournal.core.prep.plans import (
    event_name as event_name,
)
from netjournal.core.prep.plans import (
    fill_entry as fill_entry,
)
from netjournal.core.prep.plans import (
    fresh_plan as fresh_plan,
)
from netjournal.core.prep.plans import (
    get_plan as get_plan,
)
from netjournal.core.prep.plans import (
    list_plans as list_plans,
)
from netjournal.core.prep.plans import (
    new_plan as new_plan,
)
from netjournal.core.prep.plans import (
    open_plan as open_plan,
)
from netjournal.core.prep.plans import (
    plan_draft_key as plan_draft_key,
)
from netjournal.core.prep.plans import (
    plan_for_next_meeting as plan_for_next_meeting,
)
from netjournal.core.prep.plans import (
    plan_lists as plan_lists,
)
from netjournal.core.prep.plans import (
    upcoming_meetings as upcoming_meetings,
)
from netjournal.core.prep.plans import (
    update_plan as update_plan,
)
from netjournal.core.prep.sheet import (
    SheetData as SheetData,
)
from netjournal.core.prep.sheet import (
    sheet_data as sheet_data,
)
from netjournal.core.prep.suggestions import (
    ASKS_OUTCOME as ASKS_OUTCOME,
)
from netjournal.core.prep.suggestions import (
    PURPOSE_WHY as PURPOSE_WHY,
)
from netjournal.core.prep.suggestions import (
    SITUATION_PURPOSES as SITUATION_PURPOSES,
)
from netjournal.core.prep.suggestions import (
    Filler as Filler,
)
from netjournal.core.prep.suggestions import (
    Suggestion as Suggestion,
)
from netjournal.core.prep.suggestions import (
    duration_words as duration_words,
)
from netjournal.core.prep.suggestions import (
    filler_for as filler_for,
)
from netjournal.core.prep.suggestions import (
    still_ahead as still_ahead,
)
from netjournal.core.prep.suggestions import (
    suggestions as suggestions,
)
