"""The reconnect settings (`Rules`), the quiet hours and digest slot, and the words and message templates a
suggestion is written with."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy.orm import Session

from netjournal.core import phrasing
from netjournal.core import settings as settings_mod
from netjournal.core.models import (
    CIRCLES,
)
from netjournal.core.paths import resources_dir
from netjournal.core.when import parse_moment, week_start

log = logging.getLogger(__name__)


# ------------------------------------------------------------------------------------------- settings


def _parse_hhmm(value: Any, default: str) -> time:
    for text in (value, default):
        try:
            hh, mm = str(text).split(":")
            return time(int(hh), int(mm))
        except (TypeError, ValueError):
            continue
    return time(0, 0)


@dataclass(frozen=True)
class Rules:
    """The reconnect settings, read once per computation."""

    budget: int = 3
    cadences: dict[int, int | None] = field(default_factory=lambda: {5: 7, 15: 30, 50: 180, 150: 365, 500: None})
    circle5_opt_in: bool = False
    max_dormant: int = 1
    quiet_start: time = time(20, 0)
    quiet_end: time = time(9, 0)
    quiet_weekends: bool = True
    digest_weekday: int = 0
    digest_time: time = time(10, 0)
    waiting_days: int = 10
    paused_until: datetime | None = None

    @classmethod
    def load(cls, session: Session) -> Rules:
        v = settings_mod.all_settings(session)
        d = settings_mod.DEFAULTS

        def num(key: str, low: int, high: int) -> int:
            try:
                return max(low, min(high, int(v[key])))
            except (TypeError, ValueError):
                return int(d[key])

        cadences: dict[int, int | None] = {}
        for c in CIRCLES:
            raw = v.get(f"reconnect.cadence.{c}")
            try:
                cadences[c] = max(1, int(raw)) if raw else None
            except (TypeError, ValueError):
                cadences[c] = d[f"reconnect.cadence.{c}"]
        return cls(
            budget=num("reconnect.weekly_budget", 1, 5),
            cadences=cadences,
            circle5_opt_in=bool(v["reconnect.circle5_opt_in"]),
            max_dormant=num("reconnect.max_dormant_per_week", 0, 5),
            quiet_start=_parse_hhmm(v["reconnect.quiet_start"], d["reconnect.quiet_start"]),
            quiet_end=_parse_hhmm(v["reconnect.quiet_end"], d["reconnect.quiet_end"]),
            quiet_weekends=bool(v["reconnect.quiet_weekends"]),
            digest_weekday=num("reconnect.digest_weekday", 0, 6),
            digest_time=_parse_hhmm(v["reconnect.digest_time"], d["reconnect.digest_time"]),
            waiting_days=num("reconnect.waiting_follow_up_days", 1, 365),
            paused_until=parse_moment(v["reconnect.paused_until"]),
        )


# ------------------------------------------------------------------------------------------- time


def is_quiet(local: datetime, rules: Rules) -> bool:
    if rules.quiet_weekends and local.weekday() >= 5:
        return True
    t, start, end = local.time(), rules.quiet_start, rules.quiet_end
    if start == end:
        return False
    if start < end:  # e.g. 12:00-14:00
        return start <= t < end
    return t >= start or t < end  # across midnight, e.g. 20:00-09:00


def digest_slot(local: datetime, rules: Rules) -> datetime:
    """When this week's digest is due (local time)."""
    return week_start(local) + timedelta(
        days=rules.digest_weekday, hours=rules.digest_time.hour, minutes=rules.digest_time.minute
    )


# ------------------------------------------------------------------------------------------- words

_NUMBERS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]


def _n(value: int) -> str:
    return _NUMBERS[value] if 0 <= value < len(_NUMBERS) else str(value)


def elapsed_words(days: int) -> str:
    """'nine days', 'three weeks', 'seven months', 'about two years' (the one wording: core/phrasing.py)."""
    return phrasing.elapsed(days)


def cadence_words(cadence: int) -> str:
    """'every week', 'about once a month', 'about twice a year'."""
    if cadence == 7:
        return "every week"
    if cadence < 14:
        return f"every {_n(cadence)} days"
    if cadence < 25:
        return "every couple of weeks" if cadence in (14, 15) else f"every {_n(round(cadence / 7))} weeks"
    if cadence <= 35:
        return "about once a month"
    if cadence < 75:
        return "every couple of months"
    if 170 <= cadence <= 190:
        return "about twice a year"
    if 340 <= cadence <= 390:
        return "about once a year"
    if cadence < 340:
        return f"about every {_n(round(cadence / 30.44))} months"
    return f"about every {_n(round(cadence / 365.25))} years"


# ------------------------------------------------------------------------------------------- templates

_FALLBACK_TEMPLATES = {
    "check_in": ["Hi {first_name}, you came to mind today. How have things been with you lately?"],
}
_templates_cache: dict[str, list[str]] | None = None


def templates() -> dict[str, list[str]]:
    """Message templates by kind, from resources/reconnect/templates.json."""
    global _templates_cache
    if _templates_cache is None:
        path = resources_dir() / "reconnect" / "templates.json"
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            _templates_cache = {k: [str(t) for t in v] for k, v in raw.items() if isinstance(v, list) and v}
        except (OSError, ValueError) as exc:
            log.warning("message templates unavailable (%s); using the built-in one", exc)
            _templates_cache = dict(_FALLBACK_TEMPLATES)
        _templates_cache.setdefault("check_in", _FALLBACK_TEMPLATES["check_in"])
    return _templates_cache


def template_for(kind: str, person_id: int, first: str) -> str:
    bank = templates()
    options = bank.get(kind) or bank["check_in"]
    return options[person_id % len(options)].replace("{first_name}", first)
