"""What was shown and what the user does with it: deliveries recorded, snooze, not now, acted, a new
cadence, a pause."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo

from sqlalchemy.orm import Session

from netjournal.core import settings as settings_mod
from netjournal.core.errors import ValidationError
from netjournal.core.journal import live
from netjournal.core.models import (
    CIRCLES,
    Person,
    SuggestionEvent,
)
from netjournal.core.reconnect.surface import Surface
from netjournal.core.suggestions import Suggestion
from netjournal.core.today import SNOOZES_BEFORE_ASKING
from netjournal.core.today import this_week as _this_week
from netjournal.core.when import to_local

SNOOZE_CHOICES = {"week": 7, "month": 30, "three_months": 91}


def record_delivery(session: Session, surface: Surface, now: datetime) -> None:
    """Remember that these suggestions reached the user (a digest, a nudge, or an explicit show)."""
    event = {"digest": "digest", "nudge": "nudged"}.get(surface.kind, "shown")
    for s in surface.suggestions:
        data = {
            "kind": s.kind,
            "score": round(s.score, 4),
            "time_sensitive": s.time_sensitive,
            "template": s.template,
            "dormant": s.dormant,
            "offer_cadence_change": s.offer_cadence_change,
        }
        session.add(SuggestionEvent(person_id=s.person_id, at=now, event=event, reason=s.reason, data=data))
        person = session.get(Person, s.person_id)
        if person is not None:
            person.last_suggested_at = now
    session.flush()


def this_week(session: Session, now: datetime, *, tz: tzinfo | None = None) -> list[Suggestion]:
    """This week's delivered suggestions still open: not acted on, snoozed, set aside, or since contacted.

    The query lives once, in core/today.py (it runs on the thin read path at start-up too)."""
    return _this_week(session, now, tz=tz)


def cadence_of(session: Session, person_id: int) -> tuple[int | None, int | None]:
    """A person's circle and own rhythm in days (None, None when they are gone)."""
    p = session.get(Person, person_id)
    return (p.circle, p.cadence_days) if p is not None and p.deleted_at is None else (None, None)


def _person(session: Session, person_id: int) -> Person:
    return live(session, Person, person_id, f"There is no person with id {person_id} in this journal.")


def snooze_until(choice: str, now: datetime, until: date | None = None, *, tz: tzinfo | None = None) -> datetime:
    """The end of a snooze: 'week', 'month', 'three_months', or 'date' (the day after `until`)."""
    if choice == "date":
        if until is None:
            raise ValidationError("Pick a date to snooze until.")
        local = to_local(now, tz)
        end = datetime.combine(until + timedelta(days=1), time(0), tzinfo=local.tzinfo)
        if end <= now:
            raise ValidationError(f"{until:%d %b %Y} has already passed; pick a later date.")
        return end.astimezone(UTC)
    if choice not in SNOOZE_CHOICES:
        raise ValidationError(f"Unknown snooze {choice!r}; use week, month, three_months or date.")
    return now + timedelta(days=SNOOZE_CHOICES[choice])


def snooze(session: Session, person_id: int, now: datetime, until: datetime) -> bool:
    """Snooze suggestions about a person. Returns True when it is time to offer a cadence change instead
    (the second snooze in a row)."""
    person = _person(session, person_id)
    person.snooze_until = until
    person.consecutive_snoozes = (person.consecutive_snoozes or 0) + 1
    session.add(SuggestionEvent(person_id=person_id, at=now, event="snoozed", data={"until": until.isoformat()}))
    session.flush()
    return person.consecutive_snoozes >= SNOOZES_BEFORE_ASKING


def not_now(session: Session, person_id: int, now: datetime) -> None:
    _person(session, person_id)
    session.add(SuggestionEvent(person_id=person_id, at=now, event="dismissed"))
    session.flush()


def acted(session: Session, person_id: int, now: datetime, how: str = "") -> None:
    """The user did something with the suggestion (copied a message, logged a talk)."""
    person = _person(session, person_id)
    person.consecutive_snoozes = 0
    session.add(SuggestionEvent(person_id=person_id, at=now, event="acted", data={"how": how} if how else {}))
    session.flush()


def change_cadence(
    session: Session, person_id: int, *, circle: int | None, cadence_days: int | None, now: datetime
) -> None:
    if circle is not None and circle not in CIRCLES:
        raise ValidationError(f"Circle must be one of {', '.join(map(str, CIRCLES))} (got {circle}).")
    if cadence_days is not None and not 1 <= cadence_days <= 3650:
        raise ValidationError(f"How often must be 1 to 3650 days (got {cadence_days}).")
    person = _person(session, person_id)
    person.circle = circle
    person.cadence_days = cadence_days
    person.consecutive_snoozes = 0
    person.updated_at = now
    session.flush()


def pause(session: Session, until: datetime | None) -> None:
    """Hold every reminder until a moment (None resumes them)."""
    settings_mod.put(session, "reconnect.paused_until", until.astimezone(UTC).isoformat() if until else None)
