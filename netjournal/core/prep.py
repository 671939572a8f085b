"""Plans for a meeting or an event, personalised suggestions, the debrief, and the prep sheet's data.

A plan is started from a person, from an upcoming (planned) meeting, or blank. Suggestions come from
the journal (what happened last time, open promises both ways, what you do not know yet, their role,
whether you are job hunting), each with the reason it was suggested. After the meeting, `debrief`
saves the one interaction the meeting becomes, so nothing is typed twice.

Everything here is plain functions over a session; time is passed in as `now`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from netjournal.core import prompts, settings
from netjournal.core.drafts import load_draft
from netjournal.core.errors import NotFoundError, ValidationError
from netjournal.core.journal import (
    CHANNEL_LABELS,
    InteractionData,
    add_commitment,
    get_interaction,
    get_person,
    last_contacts,
    log_interaction,
    open_commitments,
    timeline,
)
from netjournal.core.models import (
    Channel,
    Direction,
    Interaction,
    InteractionState,
    Person,
    PersonStatus,
    Plan,
)
from netjournal.core.phrasing import promise_clause, promise_sentence

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
        months = max(6, round(gap.days / 30.4))
        return Situation("reconnecting", f"You last talked about {months} months ago: this is reconnecting.")
    return Situation("follow_up", f"You talked {_ago(gap)}: this is a follow-up.")


def _ago(gap: timedelta) -> str:
    days = gap.days
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 14:
        return f"{days} days ago"
    if days < 60:
        return f"{days // 7} weeks ago"
    return f"{round(days / 30.4)} months ago"


# ---------------------------------------------------------------------------------------------- suggestions


@dataclass(frozen=True)
class Suggestion:
    """Something to add to a plan, and why it was suggested."""

    target: str  # questions | follow_up_prompts | offers | ask | intro_script | exit_line | research_notes
    text: str
    why: str
    key: str | None = None  # the bank entry it came from, if any


_DURATION_WORDS = {
    10: "ten minutes", 15: "fifteen minutes", 20: "twenty minutes", 25: "twenty-five minutes", 30: "half an hour",
    40: "forty minutes", 45: "forty-five minutes", 60: "an hour", 75: "an hour and a quarter",
    90: "an hour and a half", 120: "two hours",
}  # fmt: skip
# "[X]" is last time's topic only where a noun fits ("what you said about [X]", "in the middle of [X]"), and
# only in questions and intros: in an exit line or a follow-up prompt it is the conversation going on.
_NOUN_SLOT = re.compile(r"\b(?:about|of|on|mentioned)\s*$", re.IGNORECASE)
# "[name]" is the person only where they are greeted; elsewhere ("say hello to [name]") it is someone else.
_GREETING_SLOT = re.compile(r"(?:^|[.!?]\s+)(?:hi|hello|dear|happy birthday,?)\s*$", re.IGNORECASE)
# Templates that ask how something turned out: only about something that has happened.
ASKS_OUTCOME = re.compile(r"\b(?:how did (?:that|it|\[X\]) (?:end up|go|turn out)|how it went|go in the end)\b", re.I)


def duration_words(minutes: int | None) -> str:
    """ "half an hour" for 30; "" when there is no length to keep to."""
    if not minutes or not 5 <= minutes <= 240:
        return ""
    return _DURATION_WORDS.get(minutes, f"{minutes} minutes")


@dataclass(frozen=True)
class Filler:
    """What the journal knows to fill a template's blanks with, for one meeting."""

    name: str = ""  # their first name
    organisation: str = ""  # theirs
    event: str = ""  # the event's name, for a plan for an event
    my_name: str = ""
    my_organisation: str = ""
    what_i_do: str = ""
    topic: str = ""  # last time's topic, a short noun phrase
    topic_ahead: bool = False  # that topic is something still to come for them
    hobby: str = ""
    duration_min: int = 0

    def _value(self, blank: str, kind: str, before: str) -> str:
        b = blank.strip().lower()
        if b == "name":
            return self.name if _GREETING_SLOT.search(before) else ""
        if b == "organisation":
            return self.my_organisation if kind == "intro_script" else self.organisation
        if b in ("organisation or event", "event or organisation"):
            return "" if kind == "intro_script" else self.event or self.organisation
        if b == "event":
            return self.event
        if b == "my name":
            return self.my_name
        if b == "what i do":
            return self.what_i_do
        if b == "x":
            return self.topic if kind in ("question", "intro_script") and _NOUN_SLOT.search(before) else ""
        if b == "hobby":
            return self.hobby
        if b == "duration":
            return duration_words(self.duration_min)
        return ""

    def fill(self, text: str, kind: str = "question") -> str | None:
        """The text with every blank filled from the journal, or None when something it needs is unknown."""
        missing = False

        def sub(m: re.Match[str]) -> str:
            nonlocal missing
            value = self._value(m.group(1), kind, text[: m.start()])
            if not value:
                missing = True
                return m.group(0)
            return value

        out = prompts.PLACEHOLDER.sub(sub, text)
        if missing:
            return None
        if self.topic_ahead and "[X]" in text and ASKS_OUTCOME.search(text):
            return None  # "How did that end up?" about something that has not happened yet
        return out

    def fill_known(self, text: str, kind: str = "question") -> str:
        """Fill what the journal knows; blanks that are not the bank's (the user's own "[sic]") stay."""
        filled = self.fill(text, kind)
        if filled is not None:
            return filled
        return prompts.PLACEHOLDER.sub(lambda m: self._value(m.group(1), kind, text[: m.start()]) or m.group(0), text)


def _first_name(person: Person) -> str:
    if person.nickname.strip() or person.given_name.strip():
        return (person.nickname or person.given_name).strip()
    words = person.name.split()
    return words[0] if words else ""


def filler_for(
    session: Session,
    person: Person | None,
    *,
    topic: str = "",
    topic_ahead: bool = False,
    event: str = "",
    duration_min: int = 0,
) -> Filler:
    """A Filler from the person, the user's own profile settings and the meeting."""
    hobby = ""
    if person is not None and person.ford_recreation.strip():
        first = re.split(r"[,;.\n]| and ", person.ford_recreation.strip())[0].strip()
        hobby = first if 0 < len(first) <= 40 else ""
    return Filler(
        name=_first_name(person) if person is not None else "",
        organisation=person.organisation.strip() if person is not None else "",
        event=event.strip(),
        my_name=str(settings.get(session, "profile.name") or "").strip(),
        my_organisation=str(settings.get(session, "profile.organisation") or "").strip(),
        what_i_do=str(settings.get(session, "profile.what_i_do") or "").strip(),
        topic=topic,
        topic_ahead=topic_ahead,
        hobby=hobby,
        duration_min=duration_min or 0,
    )


def _bank_blanks(entries: Sequence[prompts.Entry]) -> set[str]:
    return {b.strip().lower() for e in entries for b in prompts.blanks(e.text)} | {"duration"}


_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december"]  # fmt: skip
_MONTH_RE = "|".join([*_MONTHS, *(m[:3] for m in _MONTHS if m != "may"), "sept"])
_UNIT_DAYS = {"day": 1, "week": 7, "month": 31, "year": 366}
_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "a few": 3}
_IN_SPAN = re.compile(r"\bin (\d{1,2}|a few|an?|one|two|three|four|five|six) (day|week|month|year)s?\b", re.I)
_NEXT = re.compile(r"\bnext (week|weekend|month|year|spring|summer|autumn|fall|winter)\b", re.I)
_IN_MONTH = re.compile(rf"\b(?:in|on|this|by|until|for|from|at the (?:start|end) of) ({_MONTH_RE})\b", re.I)
_SOON = re.compile(
    r"\b(?:tomorrow|upcoming|soon|will|won't|'ll|going to|plans? to|planning|about to|hoping to|hopes to|"
    r"preparing for|training for|signed up|starts?|starting|looking forward)\b",
    re.I,
)


def _ahead_until(text: str, said_at: datetime) -> datetime | None:
    """When something a note speaks of as still to come will be over; None if the note speaks of no such thing.

    "running the half in April" (said in March) -> the end of April; "starting a new job next month" -> the
    end of next month; "hoping to move soon" (no time given) -> three months on.
    """
    low = text.lower()
    ends: list[datetime] = []
    for m in _IN_SPAN.finditer(low):
        n = int(m.group(1)) if m.group(1).isdigit() else _NUMBER_WORDS.get(m.group(1), 1)
        ends.append(said_at + timedelta(days=n * _UNIT_DAYS[m.group(2)] + 1))
    for m in _NEXT.finditer(low):
        unit = m.group(1)
        days = {"week": 14, "weekend": 10, "month": 62, "year": 731}.get(unit, 366)  # seasons: within a year
        ends.append(said_at + timedelta(days=days))
    for m in _IN_MONTH.finditer(low):
        name = m.group(1)[:3]
        month = next(i for i, full in enumerate(_MONTHS, 1) if full.startswith(name))
        year = said_at.year + (1 if month < said_at.month else 0)
        first_after = date(year + (month == 12), month % 12 + 1, 1)
        ends.append(datetime(first_after.year, first_after.month, 1, tzinfo=said_at.tzinfo))
    if ends:
        return max(ends)
    if "tomorrow" in low:
        return said_at + timedelta(days=2)
    if re.search(r"\b(?:on|this|next) (?:mon|tues|wednes|thurs|fri|satur|sun)day\b", low):
        return said_at + timedelta(days=8)
    if _SOON.search(low):
        return said_at + timedelta(days=92)
    return None


def still_ahead(text: str, said_at: datetime, now: datetime) -> bool:
    """Whether what a note from `said_at` looks forward to has not happened yet by `now`."""
    until = _ahead_until(text, said_at)
    return until is not None and until > now


def _first_phrase(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    m = re.match(r"(.+?[.!?;\n])(\s|$)", text)
    phrase = (m.group(1) if m else text).rstrip(".!?; ")
    return _clip(phrase, limit)


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:-") + "…"


def _depth_for(situation: str, person: Person | None) -> int:
    if person is not None and person.circle in (5, 15):
        return 3
    return 2 if situation in ("reconnecting", "follow_up") else 2 if situation == "informational_interview" else 1


def _from_bank(
    bank_entries: Sequence[prompts.Entry],
    *,
    situation: str,
    purposes: Sequence[str],
    kinds: Sequence[str],
    max_depth: int,
    exclude: set[str],
    limit: int,
    filler: Filler,
) -> list[tuple[prompts.Entry, str]]:
    """Entries for the situation, each with its text filled in; one that needs something the journal
    does not know (a blank it cannot fill) is passed over for the next."""
    picked: list[tuple[prompts.Entry, str]] = []
    per_purpose = 1 if len(purposes) > 1 else limit  # several purposes: one of each
    for purpose in purposes:
        taken = 0
        for e in bank_entries:
            if len(picked) >= limit:
                return picked
            if taken >= per_purpose:
                break
            if e.key in exclude or e.kind not in kinds or purpose not in e.purposes or e.depth > max_depth:
                continue
            if e.situations and situation not in e.situations:
                continue
            text = filler.fill(e.text, e.kind)
            if text is None:
                continue
            picked.append((e, text))
            exclude.add(e.key)
            taken += 1
    return picked


def suggestions(
    session: Session,
    person_id: int | None,
    now: datetime,
    *,
    situation: str | None = None,
    job_search: bool = False,
    upcoming_format: str | None = None,
    bank: Sequence[prompts.Entry] | None = None,
    duration_min: int = 0,
    event: str = "",
) -> list[Suggestion]:
    """Personal suggestions from the journal, most useful first, each with its reason.

    No suggestion carries an unfilled blank ("[X]", "[my name]"): an entry whose blanks the journal
    cannot fill is passed over for another. `duration_min` is the meeting's length (for exit lines that
    say it) and `event` the event's name, when the plan is for one.
    """
    entries = prompts.list_entries(session, bank=bank)  # hidden entries are never suggested
    person = get_person(session, person_id) if person_id is not None else None
    out: list[Suggestion] = []
    used: set[str] = set()

    history: list[Interaction] = []
    if person is not None:
        # Only what has happened: a "done" entry dated in the future (typed ahead) is not "last time".
        history = [
            i for i in timeline(session, person.id, limit=20) if i.state is InteractionState.DONE and i.at <= now
        ]
    last = history[0] if history else None
    sit = (
        Situation(situation, "")
        if situation
        else detect_situation(last.at if last else None, now, upcoming_format=upcoming_format)
    )
    depth = _depth_for(sit.key, person)

    # What happened last time: the strongest follow-up there is.
    template_topic, ahead = "", False
    if last is not None:
        topic = ""
        if last.topics.strip():
            topic = _clip(re.split(r"[,;\n]", last.topics.strip())[0], 60)
        elif last.notes.strip():
            topic = _first_phrase(last.notes)
        if topic:
            when = last.at.astimezone().strftime("%d %b %Y")
            ahead = still_ahead(f"{last.topics}\n{last.notes}", last.at, now)
            if ahead:  # "running the half in April", and it is still March: nothing to ask "how it went" about
                text = f"Last time: {topic}. It's still ahead for them: ask how it's coming along."
                why = f"From your note on {when}. Remembering what's coming up for them shows you listened."
            else:
                text = f"Last time: {topic}. Ask how it went."
                why = f"From your note on {when}. Asking how it went shows you listened."
            out.append(Suggestion("questions", text, why))
            out.append(Suggestion("research_notes", f"Last time: {topic}", f"From your note on {when}."))
            if last.topics.strip():
                template_topic = topic  # a short topic reads well inside a template; a note's sentence does not
    filler = filler_for(
        session, person, topic=template_topic, topic_ahead=ahead, event=event, duration_min=duration_min
    )

    # Promises, both ways.
    if person is not None:
        for c in open_commitments(session, person.id):
            clause, is_verb = promise_clause(c.text)
            if c.direction is Direction.I_OWE:
                due = f" (you hoped by {c.due_on:%d %b})" if c.due_on else ""
                said = f"You said you'd {clause}" if is_verb else f"You promised {clause}"
                out.append(Suggestion("offers", f"Bring or mention: {clause}", f"{said}{due}: bring it or mention it."))
            else:
                said = f"They said they'd {clause}" if is_verb else f"They promised {clause}"
                out.append(
                    Suggestion(
                        "follow_up_prompts",
                        f"{said}: mention it only if it fits",
                        f"{said}. Busy people forget; a light mention is fine, or none.",
                    )
                )

    # The situation itself.
    if sit.why:
        out.append(Suggestion("research_notes", prompts.SITUATIONS[sit.key], sit.why))
    purposes = {
        "first_meeting": ["opener", "career_story", "reciprocity"],
        "event": ["opener", "follow_up", "close_next_step"],
        "reconnecting": ["reconnect", "priorities", "reciprocity"],
        "follow_up": ["opener", "priorities", "reciprocity"],
        "informational_interview": ["career_story", "advice_ask", "close_next_step"],
        "job_search": ["advice_ask", "career_story", "close_next_step"],
    }[sit.key]
    for e, text in _from_bank(
        entries, situation=sit.key, purposes=purposes, kinds=("question",), max_depth=depth, exclude=used, limit=3,
        filler=filler,
    ):  # fmt: skip
        label = prompts.SITUATIONS[sit.key].lower()
        out.append(Suggestion("questions", text, f"{_purpose_why(e)} Suits a {label}.", e.key))

    # Their role: people like telling the story of how they got there.
    if person is not None and (person.role or person.organisation):
        role = person.role or "their work"
        where = f" at {person.organisation}" if person.organisation else ""
        text = (
            f"How did you come to be {_article(person.role)}{where}?"
            if person.role
            else f"How did you end up at {person.organisation}?"
        )
        out.append(
            Suggestion(
                "questions",
                text,
                f"They're {_article(role) if person.role else 'working'}{where}: "
                "a career-story question invites the story, not an assessment.",
            )
        )

    # FORD gaps: what you don't know yet.
    if person is not None:
        done_count = len(history)
        for attr, (purpose, why, minimum) in FORD_GAPS.items():
            if getattr(person, attr).strip() or done_count < int(minimum):
                continue
            if attr == "ford_family" and sit.key in ("first_meeting", "event", "informational_interview"):
                continue
            for e, text in _from_bank(
                entries, situation=sit.key, purposes=[purpose], kinds=("question",), max_depth=3, exclude=used, limit=1,
                filler=filler,
            ) or _from_bank(
                entries, situation="reconnecting", purposes=[purpose], kinds=("question",), max_depth=3,
                exclude=used, limit=1, filler=filler,
            ):  # fmt: skip
                out.append(Suggestion("questions", text, why, e.key))

    # Job search: ask for advice, not a job.
    if job_search or sit.key == "job_search":
        for e, text in _from_bank(
            entries, situation="job_search", purposes=["advice_ask"], kinds=("question",), max_depth=2,
            exclude=used, limit=2, filler=filler,
        ):  # fmt: skip
            out.append(
                Suggestion(
                    "questions",
                    text,
                    "You're job hunting: asking for advice, not a job, keeps it easy for both of you.",
                    e.key,
                )
            )
        out.append(
            Suggestion(
                "ask",
                "Is there anyone else you think I should talk to about this?",
                "In a job search the most useful ask is usually a name, not a role.",
                "close.anyone_else",
            )
        )

    # Something to give: reciprocity, so it is not only about you.
    for e, text in _from_bank(
        entries, situation=sit.key, purposes=["reciprocity"], kinds=("question",), max_depth=2, exclude=used, limit=1,
        filler=filler,
    ):  # fmt: skip
        out.append(
            Suggestion(
                "questions",
                text,
                "It gives them a way to let you help, so it isn't one-sided.",
                e.key,
            )
        )

    # Follow-up prompts: the habit with the strongest liking effect.
    for e, text in _from_bank(
        entries, situation=sit.key, purposes=["follow_up"], kinds=("follow_up",), max_depth=2, exclude=used, limit=3,
        filler=filler,
    ):  # fmt: skip
        out.append(
            Suggestion("follow_up_prompts", text, "Follow-up questions are what make people feel listened to.", e.key)
        )
    for e, text in _from_bank(
        entries, situation=sit.key, purposes=["exit"], kinds=("exit_line",), max_depth=3, exclude=used, limit=1,
        filler=filler,
    ):  # fmt: skip
        out.append(Suggestion("exit_line", text, "Knowing how you'll leave makes it easier to stay.", e.key))
    for e, text in _from_bank(
        entries, situation=sit.key, purposes=["intro"], kinds=("intro_script",), max_depth=3, exclude=used, limit=1,
        filler=filler,
    ):  # fmt: skip
        out.append(
            Suggestion(
                "intro_script",
                text,
                "Two or three prepared sentences take the edge off the start.",
                e.key,
            )
        )

    # Drop duplicates (the same text from two routes), keeping the first and its reason.
    seen: set[tuple[str, str]] = set()
    unique = []
    for s in out:
        k = (s.target, s.text.casefold())
        if k not in seen:
            seen.add(k)
            unique.append(s)
    return unique


PURPOSE_WHY: dict[str, str] = {
    "opener": "An easy, open question to start with.",
    "career_story": "It invites their story rather than an assessment of you.",
    "priorities": "It asks about what's ahead for them, which people enjoy talking about.",
    "reciprocity": "It gives them a way to let you help.",
    "reconnect": "It picks up where you left off, without apologising for the gap.",
    "advice_ask": "It asks for advice, which is easy to give.",
    "close_next_step": "It leaves a clear, light next step.",
    "follow_up": "Follow-up questions are what make people feel listened to.",
}


def _purpose_why(e: prompts.Entry) -> str:
    for p in e.purposes:
        if p in PURPOSE_WHY:
            return PURPOSE_WHY[p]
    return "A good fit for this meeting."


def _article(role: str) -> str:
    role = role.strip()
    if not role:
        return ""
    low = role.lower()
    if low.startswith(("the ", "a ", "an ")):
        return role
    return ("an " if low[0] in "aeiou" else "a ") + role


# ------------------------------------------------------------------------------------------------- plans


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
            entries, situation=data.situation, purposes=list(purposes) or list(prompts.PURPOSES), kinds=(kind,),
            max_depth=3, exclude=used, limit=1, filler=filler,
        ):  # fmt: skip
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
    plan = session.get(Plan, plan_id)
    if plan is None or plan.deleted_at is not None:
        raise NotFoundError(f"There is no plan with id {plan_id} in this journal.")
    return plan


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
class UpcomingMeeting:
    id: int
    at: datetime
    title: str
    people: tuple[str, ...]
    person_ids: tuple[int, ...]
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
    out = []
    for m in meetings:
        people = [p for p in m.people if p.deleted_at is None]
        out.append(
            UpcomingMeeting(
                m.id, m.at, m.title, tuple(p.name for p in people), tuple(p.id for p in people), plans.get(m.id)
            )
        )
    return out


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


# ------------------------------------------------------------------------------------------------ debrief


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


# ------------------------------------------------------------------------------------------ the prep sheet


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
    return at.astimezone().strftime("%a %d %b %Y, %H:%M") if at is not None else ""


def _format_line(fmt: str, duration: int | None) -> str:
    bits = [FORMATS.get(fmt, fmt.title())]
    if duration:
        bits.append(f"{duration} min")
    return " · ".join(bits)


def _interaction_line(i: Interaction) -> str:
    head = f"{i.at.astimezone():%d %b %Y} · {CHANNEL_LABELS[i.channel]}"
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
            due = f" (by {c.due_on:%d %b})" if c.due_on else ""
            line = promise_sentence(c.direction, c.text) + due  # "You said you'd send…", "They promised…"
            (sheet.i_owe if c.direction is Direction.I_OWE else sheet.they_owe).append(line)
    return sheet
