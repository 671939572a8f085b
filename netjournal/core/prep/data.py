"""A plan's fields, the formats and defaults, and the situation a meeting is in (first, follow-up, reconnecting)."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta
from typing import Any

from netjournal.core import phrasing, prompts
from netjournal.core.errors import ValidationError
from netjournal.core.models import (
    Channel,
    Plan,
)

RECONNECT_AFTER = timedelta(days=183)  # "last contact more than six months ago"
DEFAULT_QUESTIONS = 3
MAX_OFFERS = 3

FORMATS: dict[str, str] = {
    "coffee": "Coffee",
    "call": "Call",
    "video": "Video call",
    "in_person": "In person",
    "event": "Event",
    "message": "Message",
    "email": "Email",
    "other": "Other",
}
FORMAT_CHANNEL: dict[str, Channel] = {k: Channel(k) for k in FORMATS}

FORD_GAPS: dict[str, tuple[str, str, str]] = {
    # field: (bank purpose, why, minimum interactions before it is suggested)
    "ford_recreation": ("ford_recreation", "You don't know much about what they enjoy outside work.", "0"),
    "ford_occupation": ("ford_occupation", "You haven't noted much about their work yet.", "0"),
    "ford_dreams": (
        "ford_dreams",
        "You don't know yet what they're hoping for; that comes with a little rapport.",
        "2",
    ),
    "ford_family": ("ford_family", "You know little about their family; only if it feels natural.", "3"),
}

DEFAULT_IF_THEN = {
    "event": "If I'm standing at the drinks table, then I'll ask one open question.",
    "first_meeting": "If there's a pause, then I'll ask a follow-up about something they just said.",
}
DEFAULT_IF_THEN_OTHER = "If the conversation stalls, then I'll ask what has been keeping them busy lately."
DEFAULT_HOT = "They're only meeting me to be polite."
DEFAULT_BALANCED = (
    "People usually like me more than I guess after a conversation. They said yes; my job is to be curious."
)
DEFAULT_ENERGY = "A quiet half hour before. Leave at the time I planned."


@dataclass
class PlanData:
    """The fields of a plan, as a form or the CLI fills them."""

    person_id: int | None = None
    meeting_id: int | None = None
    title: str = ""
    at: datetime | None = None
    format: str = "coffee"
    duration_min: int = 30
    situation: str = "first_meeting"
    job_search: bool = False
    purpose: str = ""
    research_notes: str = ""
    intro_script: str = ""
    questions: list[dict[str, Any]] = field(default_factory=list)  # [{key?, text}]
    follow_up_prompts: list[str] = field(default_factory=list)
    offers: list[str] = field(default_factory=list)
    ask: str = ""
    exit_line: str = ""
    if_then_goal: str = ""
    coping_hot_thought: str = ""
    coping_balanced_thought: str = ""
    energy_plan: str = ""
    recovery_block_min: int = 60

    def validate(self) -> None:
        if self.format not in FORMATS:
            raise ValidationError(f"Format must be one of {', '.join(FORMATS)} (got {self.format!r}).")
        if self.situation not in prompts.SITUATIONS:
            raise ValidationError(f"{self.situation!r} is not a known situation.")
        if not isinstance(self.duration_min, int) or not 0 <= self.duration_min <= 24 * 60:
            raise ValidationError(f"Duration must be 0 to 1440 minutes (got {self.duration_min!r}).")
        if not isinstance(self.recovery_block_min, int) or not 0 <= self.recovery_block_min <= 8 * 60:
            raise ValidationError(f"The recovery block must be 0 to 480 minutes (got {self.recovery_block_min!r}).")
        if self.at is not None and self.at.tzinfo is None:
            raise ValidationError("The time of a meeting must include its time zone.")
        self.offers = [o.strip() for o in self.offers if o and o.strip()]
        if len(self.offers) > MAX_OFFERS:
            raise ValidationError(f"Pick one to three offers (there are {len(self.offers)}); fewer is kinder to you.")
        self.follow_up_prompts = [p.strip() for p in self.follow_up_prompts if p and p.strip()]
        cleaned = []
        for q in self.questions:
            text = (q.get("text") or "").strip() if isinstance(q, dict) else str(q).strip()
            if text:
                cleaned.append({"key": q.get("key") if isinstance(q, dict) else None, "text": text})
        self.questions = cleaned

    @classmethod
    def from_plan(cls, plan: Plan) -> PlanData:
        return cls(**{f.name: _copy(getattr(plan, f.name)) for f in fields(cls)})


def _copy(value: Any) -> Any:
    if isinstance(value, list):
        return [dict(v) if isinstance(v, dict) else v for v in value]
    return value


# ------------------------------------------------------------------------------------------------ situation


@dataclass(frozen=True)
class Situation:
    key: str
    why: str


def detect_situation(last_contact: datetime | None, now: datetime, *, upcoming_format: str | None = None) -> Situation:
    """First meeting (nothing logged yet), reconnecting (over six months), or a follow-up (recent)."""
    if upcoming_format == "event":
        return Situation("event", "It's an event: a few easy openers and an exit line help most.")
    if last_contact is None:
        return Situation("first_meeting", "Nothing is logged with them yet, so this is a first meeting.")
    gap = now - last_contact
    if gap > RECONNECT_AFTER:
        return Situation("reconnecting", f"You last talked {phrasing.ago(gap.days)}: this is reconnecting.")
    return Situation("follow_up", f"You talked {phrasing.ago(gap.days)}: this is a follow-up.")
