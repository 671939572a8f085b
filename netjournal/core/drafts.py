"""Autosaved drafts: text being typed survives a crash or a kill and is offered back on the next start."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from netjournal.core.models import Draft


def save_draft(session: Session, key: str, content: dict[str, Any], *, now: datetime) -> None:
    draft = session.scalar(select(Draft).where(Draft.key == key))
    if draft is None:
        session.add(Draft(key=key, content=content, updated_at=now))
    else:
        draft.content, draft.updated_at = content, now


def load_draft(session: Session, key: str) -> dict[str, Any] | None:
    draft = session.scalar(select(Draft).where(Draft.key == key))
    return dict(draft.content) if draft is not None else None


def discard_draft(session: Session, key: str) -> None:
    session.execute(delete(Draft).where(Draft.key == key))
