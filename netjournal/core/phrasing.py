"""Sentences built around text the user typed, kept grammatical whatever its shape.

A promise is typed as "send the slides", "Send the slides.", "I'll send the slides", "will introduce
me to Sam", "to share the deck" or as a thing: "the deck", "an intro to Sam", "feedback on my CV".
`promise_sentence` turns each into "You said you'd send the slides" or "You promised the deck",
never "You said you'd Send the slides." or "They said they'd will introduce me".
"""

from __future__ import annotations

import re
from datetime import date, datetime, tzinfo

from netjournal.core.kinds import Direction

# Verbs a promise usually starts with (lower case). A first word not here is read as a thing promised.
_VERB_WORDS = """
add answer arrange ask book bring buy call catch check come confirm connect contact cook copy dm draft
drop email e-mail find fix follow forward get give go grab help host intro introduce invite join keep
lend let look mail make meet mention message nudge organise organize pass phone pick ping plan post
prepare print put read recommend reach remind reply return review ring schedule see sell send set share
show sign sketch sort speak start suggest take talk teach tell test text think try update visit walk watch write
outline proofread draw deliver
"""
VERBS = frozenset(_VERB_WORDS.split())
_DETERMINER_WORDS = "a an the my your their his her our its some that this these those one two three"
_DETERMINERS = frozenset(_DETERMINER_WORDS.split())
# "I'll", "I will", "Sam will", "they're going to", "to": the part before the verb.
_LEAD = re.compile(
    r"^(?:(?:i|you|we|they|he|she|[A-Z][\w'’-]*)\s*(?:'ll|’ll|\s+will|\s+would|'d|’d|\s+shall|\s+am going to|"
    r"\s+is going to|\s+are going to|'m going to|’m going to|'re going to|’re going to|\s+promised to|"
    r"\s+promise to)\s+|will\s+|would\s+|shall\s+|going to\s+|promised to\s+|promise to\s+|to\s+)",
    re.IGNORECASE,
)


def promise_clause(text: str) -> tuple[str, bool]:
    """The promise as it fits after "you'd" (True) or, for a thing promised, after "promised" (False)."""
    clause = " ".join(text.split()).strip().rstrip(".!;,").strip()
    for _ in range(2):  # "I'll be sure to"... at most two leading parts
        m = _LEAD.match(clause)
        if m is None or m.end() >= len(clause):
            break
        clause = clause[m.end() :]
    if not clause:
        return "", False
    first, _, rest = clause.partition(" ")
    low = first.lower()
    if low in VERBS or (low.endswith(("ise", "ize")) and low not in _DETERMINERS):
        # "Send the slides" -> "send the slides"; an acronym or a name keeps its capitals.
        if (first[:1].isupper() and first[1:].islower()) or (first.isupper() and len(first) == 1):
            clause = first[:1].lower() + first[1:] + (f" {rest}" if rest else "")
        return clause, True
    if low in _DETERMINERS and first[:1].isupper() and (first[1:].islower() or len(first) == 1):
        clause = first[:1].lower() + first[1:] + (f" {rest}" if rest else "")
    return clause, False


def promise_sentence(direction: Direction, text: str, *, who: str = "") -> str:
    """ "You said you'd send the slides" / "You promised the deck" / "Sam said they'd call" (no full stop)."""
    clause, is_verb = promise_clause(text)
    if direction is Direction.I_OWE:
        return f"You said you'd {clause}" if is_verb else f"You promised {clause}"
    subject = who or "They"
    return f"{subject} said they'd {clause}" if is_verb else f"{subject} promised {clause}"


# ------------------------------------------------------------------------ how long ago, and dates
# One wording for elapsed time and one date format everywhere (People, person page, Prepare, Today,
# search, trash): the same 170 days read "six months" on every screen. Rounding is to the nearest unit.

_NUMBERS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]
DAYS_PER_MONTH = 30.44
DAYS_PER_YEAR = 365.25


def number_words(value: int) -> str:
    """'six' for 6; numbers past twelve stay figures."""
    return _NUMBERS[value] if 0 <= value < len(_NUMBERS) else str(value)


def elapsed(days: int) -> str:
    """'a day', 'nine days', 'three weeks', 'six months', 'about a year', 'about two years'."""
    days = max(0, days)
    if days <= 1:
        return "a day"
    if days <= 12:
        return f"{number_words(days)} days"
    if days < 60:
        return f"{number_words(round(days / 7))} weeks"
    months = round(days / DAYS_PER_MONTH)
    if months < 12:
        return f"{number_words(months)} months"
    if days < 548:
        return "about a year"
    return f"about {number_words(round(days / DAYS_PER_YEAR))} years"


def ago(days: int) -> str:
    """'today', 'yesterday', 'nine days ago', 'six months ago'; a future moment is 'coming up'."""
    if days < 0:
        return "coming up"
    if days == 0:
        return "today"
    if days == 1:
        return "yesterday"
    return f"{elapsed(days)} ago"


def days_between(earlier: datetime, later: datetime) -> int:
    """Whole days from `earlier` to `later` (negative when `earlier` is in the future)."""
    return (later - earlier).days


def date_text(day: date | datetime, *, year: bool = True) -> str:
    """'3 Apr 2026' ('3 Apr' without the year; a datetime is shown in local time)."""
    if isinstance(day, datetime):
        day = day.astimezone().date() if day.tzinfo else day.date()
    return f"{day.day} {day:%b}" + (f" {day:%Y}" if year else "")


def when_text(at: datetime, *, year: bool = True, tz: tzinfo | None = None) -> str:
    """'Mon 3 Apr 2026, 14:00' in local time (or `tz`); without the year for meetings close by."""
    local = at.astimezone(tz) if at.tzinfo else at
    day = f"{local:%a} {local.day} {local:%b}" + (f" {local:%Y}" if year else "")
    return f"{day}, {local:%H:%M}"
