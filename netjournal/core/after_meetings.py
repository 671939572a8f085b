"""After a meeting: Today offers to log or debrief it, and the weekly digest mentions it in one line.

A planned meeting (from a calendar or typed ahead) whose end has passed is "ended": it waits, calmly, for
the user to say it happened (or debrief it in Prepare), or that it did not. Nothing here notifies: the
reminders' rhythm decides when anything reaches the user (`reconnect.what_to_surface`), and an ended
meeting only adds one line to the weekly digest, never a notification of its own. Time is a parameter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from sqlalchemy.orm import Session

from netjournal.core import reconnect as rc
from netjournal.core.journal import MeetingRow, get_interaction
from netjournal.core.models import Interaction, InteractionState, PersonStatus
from netjournal.core.today import MAX_ITEMS, ended_rows
from netjournal.core.when import day_words, to_local

MAX_NAMED = 3  # in the digest's one line


@dataclass(frozen=True)
class EndedMeeting(MeetingRow):
    @property
    def label(self) -> str:
        who = ", ".join(self.people)
        return self.title or (f"Meeting with {who}" if who else "Meeting")


def ended_meetings(session: Session, now: datetime, *, limit: int = MAX_ITEMS) -> list[EndedMeeting]:
    """Planned meetings that ended within the last OFFER_DAYS, most recent first (the rule is core/today's)."""
    return [
        EndedMeeting(mid, at, title, tuple(n for _, n in people), tuple(p for p, _ in people))
        for mid, at, title, people in ended_rows(session, now, limit=limit)
    ]


def digest_line(session: Session, now: datetime, *, tz: tzinfo | None = None) -> str:
    """The one line the weekly digest adds about ended meetings ("" for none, when paused or in quiet time)."""
    rules = rc.Rules.load(session)
    if rules.paused_until is not None and rules.paused_until > now:
        return ""
    local = to_local(now, tz)
    if rc.is_quiet(local, rules):
        return ""
    ended = ended_meetings(session, now)
    if not ended:
        return ""
    today = local.date()
    named = [f"{m.label} ({day_words(to_local(m.at, tz).date(), today)})" for m in ended[:MAX_NAMED]]
    more = len(ended) - len(named)
    listing = ", ".join(named) + (f" and {more} more" if more else "")
    return f"After your meetings: {listing}. Log or debrief them in Today when you like."


def mark_happened(session: Session, interaction_id: int, *, now: datetime) -> Interaction:
    """The meeting took place as planned: it becomes something that happened (its time stays)."""
    it = get_interaction(session, interaction_id)
    if it.state is InteractionState.DONE:
        return it
    it.state = InteractionState.DONE
    it.at = min(it.at, now)
    it.updated_at = now
    for p in it.people:
        if p.status is PersonStatus.WAITING:
            p.status = PersonStatus.ACTIVE  # they met: nothing to wait for any more
        p.consecutive_snoozes = 0
        p.updated_at = now
    session.flush()
    return it


def mark_not_happened(session: Session, interaction_id: int, *, now: datetime) -> Interaction:
    """It did not take place: kept as cancelled (with any notes), no longer offered."""
    it = get_interaction(session, interaction_id)
    if it.state is InteractionState.PLANNED:
        it.state = InteractionState.CANCELLED
        it.updated_at = now
        session.flush()
    return it
