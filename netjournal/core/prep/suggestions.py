"""Personal suggestions for a plan, each with its reason: small named rules over the journal and the question bank.

Every rule (`_rule_*`) looks at one thing (last time, promises, the situation, their role, what you do
not know yet, a job search, the bank); `suggestions` runs them in order and drops repeats.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from netjournal.core import phrasing, prompts, settings
from netjournal.core.journal import (
    get_person,
    open_commitments,
    timeline,
)
from netjournal.core.models import (
    Direction,
    Interaction,
    InteractionState,
    Person,
)
from netjournal.core.phrasing import promise_clause
from netjournal.core.prep.data import FORD_GAPS, Situation, detect_situation


@dataclass(frozen=True)
class Suggestion:
    """Something to add to a plan, and why it was suggested."""

    target: str  # questions | follow_up_prompts | offers | ask | intro_script | exit_line | research_notes
    text: str
    why: str
    key: str | None = None  # the bank entry it came from, if any


_DURATION_WORDS = {
    10: "ten minutes",
    15: "fifteen minutes",
    20: "twenty minutes",
    25: "twenty-five minutes",
    30: "half an hour",
    40: "forty minutes",
    45: "forty-five minutes",
    60: "an hour",
    75: "an hour and a quarter",
    90: "an hour and a half",
    120: "two hours",
}
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


_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
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


@dataclass
class _Ask:
    """What every suggestion rule reads: the person, what happened, the situation, the question bank."""

    session: Session
    now: datetime
    person: Person | None
    history: list[Interaction]  # done interactions, newest first
    sit: Situation
    depth: int
    entries: list[prompts.Entry]
    filler: Filler
    used: set[str]
    job_search: bool

    def bank(
        self,
        purposes: list[str],
        *,
        kinds: tuple[str, ...] = ("question",),
        max_depth: int | None = None,
        limit: int = 1,
        situation: str | None = None,
    ) -> list[tuple[prompts.Entry, str]]:
        return _from_bank(
            self.entries,
            situation=situation or self.sit.key,
            purposes=purposes,
            kinds=kinds,
            max_depth=self.depth if max_depth is None else max_depth,
            exclude=self.used,
            limit=limit,
            filler=self.filler,
        )


@dataclass(frozen=True)
class _LastTime:
    topic: str
    when: str
    ahead: bool  # still ahead for them ("running the half in April", and it is March)
    from_topics: bool  # a short topic (reads well inside a template), not a note's sentence


def _last_time(last: Interaction | None, now: datetime) -> _LastTime | None:
    if last is None:
        return None
    topic = ""
    if last.topics.strip():
        topic = _clip(re.split(r"[,;\n]", last.topics.strip())[0], 60)
    elif last.notes.strip():
        topic = _first_phrase(last.notes)
    if not topic:
        return None
    ahead = still_ahead(f"{last.topics}\n{last.notes}", last.at, now)
    return _LastTime(topic, phrasing.date_text(last.at), ahead, bool(last.topics.strip()))


# The rules, in the order their suggestions are offered (most useful first). Each is small and named
# for what it looks at; `suggestions` runs them all.


def _rule_last_time(lt: _LastTime | None) -> list[Suggestion]:
    """What happened last time: the strongest follow-up there is."""
    if lt is None:
        return []
    if lt.ahead:  # nothing to ask "how it went" about yet
        text = f"Last time: {lt.topic}. It's still ahead for them: ask how it's coming along."
        why = f"From your note on {lt.when}. Remembering what's coming up for them shows you listened."
    else:
        text = f"Last time: {lt.topic}. Ask how it went."
        why = f"From your note on {lt.when}. Asking how it went shows you listened."
    return [
        Suggestion("questions", text, why),
        Suggestion("research_notes", f"Last time: {lt.topic}", f"From your note on {lt.when}."),
    ]


def _rule_promises(a: _Ask) -> list[Suggestion]:
    """Promises, both ways."""
    if a.person is None:
        return []
    out = []
    for c in open_commitments(a.session, a.person.id):
        clause, is_verb = promise_clause(c.text)
        if c.direction is Direction.I_OWE:
            due = f" (you hoped by {phrasing.date_text(c.due_on, year=False)})" if c.due_on else ""
            said = f"You said you'd {clause}" if is_verb else f"You promised {clause}"
            out.append(Suggestion("offers", f"Bring or mention: {clause}", f"{said}{due}: bring it or mention it."))
        else:
            said = f"They said they'd {clause}" if is_verb else f"They promised {clause}"
            why = f"{said}. Busy people forget; a light mention is fine, or none."
            out.append(Suggestion("follow_up_prompts", f"{said}: mention it only if it fits", why))
    return out


SITUATION_PURPOSES: dict[str, list[str]] = {
    "first_meeting": ["opener", "career_story", "reciprocity"],
    "event": ["opener", "follow_up", "close_next_step"],
    "reconnecting": ["reconnect", "priorities", "reciprocity"],
    "follow_up": ["opener", "priorities", "reciprocity"],
    "informational_interview": ["career_story", "advice_ask", "close_next_step"],
    "job_search": ["advice_ask", "career_story", "close_next_step"],
}


def _rule_situation(a: _Ask) -> list[Suggestion]:
    """The situation itself, and the bank's questions that suit it."""
    out = []
    if a.sit.why:
        out.append(Suggestion("research_notes", prompts.SITUATIONS[a.sit.key], a.sit.why))
    label = prompts.SITUATIONS[a.sit.key].lower()
    for e, text in a.bank(SITUATION_PURPOSES[a.sit.key], limit=3):
        out.append(Suggestion("questions", text, f"{_purpose_why(e)} Suits a {label}.", e.key))
    return out


def _rule_role(a: _Ask) -> list[Suggestion]:
    """Their role: people like telling the story of how they got there."""
    person = a.person
    if person is None or not (person.role or person.organisation):
        return []
    role = person.role or "their work"
    where = f" at {person.organisation}" if person.organisation else ""
    text = (
        f"How did you come to be {_article(person.role)}{where}?"
        if person.role
        else f"How did you end up at {person.organisation}?"
    )
    why = (
        f"They're {_article(role) if person.role else 'working'}{where}: "
        "a career-story question invites the story, not an assessment."
    )
    return [Suggestion("questions", text, why)]


def _rule_ford_gaps(a: _Ask) -> list[Suggestion]:
    """FORD gaps: what you don't know yet (family only once there is some rapport)."""
    if a.person is None:
        return []
    out: list[Suggestion] = []
    for attr, (purpose, why, minimum) in FORD_GAPS.items():
        if getattr(a.person, attr).strip() or len(a.history) < int(minimum):
            continue
        if attr == "ford_family" and a.sit.key in ("first_meeting", "event", "informational_interview"):
            continue
        found = a.bank([purpose], max_depth=3) or a.bank([purpose], max_depth=3, situation="reconnecting")
        out.extend(Suggestion("questions", text, why, e.key) for e, text in found)
    return out


def _rule_job_search(a: _Ask) -> list[Suggestion]:
    """Job search: ask for advice, not a job."""
    if not (a.job_search or a.sit.key == "job_search"):
        return []
    why = "You're job hunting: asking for advice, not a job, keeps it easy for both of you."
    out = [
        Suggestion("questions", text, why, e.key)
        for e, text in a.bank(["advice_ask"], max_depth=2, limit=2, situation="job_search")
    ]
    out.append(
        Suggestion(
            "ask",
            "Is there anyone else you think I should talk to about this?",
            "In a job search the most useful ask is usually a name, not a role.",
            "close.anyone_else",
        )
    )
    return out


def _rule_from_the_bank(a: _Ask) -> list[Suggestion]:
    """Something to give, follow-up prompts, a way out and an intro: one each from the bank."""
    out = []
    for e, text in a.bank(["reciprocity"], max_depth=2):
        out.append(Suggestion("questions", text, "It gives them a way to let you help, so it isn't one-sided.", e.key))
    for e, text in a.bank(["follow_up"], kinds=("follow_up",), max_depth=2, limit=3):
        why = "Follow-up questions are what make people feel listened to."
        out.append(Suggestion("follow_up_prompts", text, why, e.key))
    for e, text in a.bank(["exit"], kinds=("exit_line",), max_depth=3):
        out.append(Suggestion("exit_line", text, "Knowing how you'll leave makes it easier to stay.", e.key))
    for e, text in a.bank(["intro"], kinds=("intro_script",), max_depth=3):
        why = "Two or three prepared sentences take the edge off the start."
        out.append(Suggestion("intro_script", text, why, e.key))
    return out


def _unique(found: list[Suggestion]) -> list[Suggestion]:
    """Drop duplicates (the same text from two routes), keeping the first and its reason."""
    seen: set[tuple[str, str]] = set()
    unique = []
    for s in found:
        k = (s.target, s.text.casefold())
        if k not in seen:
            seen.add(k)
            unique.append(s)
    return unique


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
    lt = _last_time(last, now)
    filler = filler_for(
        session,
        person,
        topic=lt.topic if lt and lt.from_topics else "",
        topic_ahead=bool(lt and lt.ahead),
        event=event,
        duration_min=duration_min,
    )
    a = _Ask(session, now, person, history, sit, _depth_for(sit.key, person), entries, filler, set(), job_search)
    found = _rule_last_time(lt)
    for rule in (_rule_promises, _rule_situation, _rule_role, _rule_ford_gaps, _rule_job_search, _rule_from_the_bank):
        found.extend(rule(a))
    return _unique(found)


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
