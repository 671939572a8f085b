"""Small factories for people and interactions."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from netjournal.core.journal import InteractionData, PersonData, create_person, log_interaction
from netjournal.core.models import Channel, Interaction, Person


def person(s: Session, name: str, now: datetime, **kw: Any) -> Person:
    return create_person(s, PersonData(name=name, **kw), now=now)


def meeting(s: Session, who: Person | list[Person], now: datetime, days_ago: float = 0, **kw: Any) -> Interaction:
    people = who if isinstance(who, list) else [who]
    kw.setdefault("channel", Channel.COFFEE)
    data = InteractionData(at=now - timedelta(days=days_ago), **kw)
    return log_interaction(s, [p.id for p in people], data, now=now)
