"""What Today shows, decided once: this week's open suggestions, meetings coming up, promises due soon,
meetings that ended and wait for a word, whether reminders are paused, and the words a reminder is
delivered in.

Each query is SQL text run through `reader.rows_of`, so the same text answers an ORM session (the app's
database thread, reconnect) and the thin read path (a plain `sqlite3` connection, at start-up before the
ORM is imported). `tests/core/test_today.py` checks both give the same on one journal. No ORM here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

from netjournal.core.kinds import CHANNEL_LABELS, Channel, Direction
from netjournal.core.phrasing import promise_sentence, when_text
from netjournal.core.reader import Rows, Source, id_list, rows_of
from netjournal.core.suggestions import Suggestion
from netjournal.core.when import day_words, first_name, from_stored, parse_moment, stored, to_local, week_start

if TYPE_CHECKING:
    from netjournal.core.reconnect import Surface

MAX_ITEMS = 5  # never a backlog: a few of each, the rest can wait
SOON_DAYS = 14  # meetings and promises within two weeks are "soon"
MEETING_GRACE = timedelta(hours=2)  # a meeting that began a moment ago is still coming up
SNOOZES_BEFORE_ASKING = 2  # after two snoozes in a row, offer a different rhythm instead
DELIVERED = ("shown", "nudged", "digest")  # suggestion events that put someone in front of the user


@dataclass
class Meeting:
    id: int
    at: datetime
    label: str
    person_ids: list[int]


@dataclass
class Promise:
    id: int
    person_id: int
    text: str


@dataclass
class TodayData:
    suggestions: list[Suggestion] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)
    promises: list[Promise] = field(default_factory=list)
    paused_until: datetime | None = None
    ended: list[Meeting] = field(default_factory=list)  # after your meetings: to log or debrief


def today_data(source: Source, now: datetime, *, tz: tzinfo | None = None) -> TodayData:
    """Everything Today shows, in a few small indexed queries (either read path)."""
    paused = paused_until(source)
    meetings = coming_up(source, now, tz=tz)
    shown = {m.id for m in meetings}  # a meeting that just ended is still "coming up": listed once
    return TodayData(
        suggestions=this_week(source, now, tz=tz)[:MAX_ITEMS],
        meetings=meetings,
        promises=due_soon(source, now, tz=tz),
        paused_until=paused if paused is not None and paused > now else None,
        ended=[m for m in ended_meetings(source, now, tz=tz) if m.id not in shown],
    )


# ------------------------------------------------------------------------------------------- this week

EVENTS = (
    "SELECT person_id, at, event, reason, data FROM suggestion_events WHERE at >= :start AND at <= :now ORDER BY at, id"
)
PEOPLE = (
    "SELECT id, name, consecutive_snoozes FROM people WHERE id IN (SELECT value FROM json_each(:ids)) "
    "AND deleted_at IS NULL AND status != 'do_not_suggest'"
)
# contact_stats is kept current by triggers; a stored last contact after `now` (a look at a past moment,
# something logged ahead of time) is worked out from the interactions instead.
CONTACTS = (
    "SELECT person_id, last_contact_at FROM contact_stats WHERE person_id IN (SELECT value FROM json_each(:ids)) "
    "AND last_contact_at IS NOT NULL"
)
CONTACTS_BEFORE = (
    "SELECT ip.person_id, MAX(i.at) FROM interaction_people ip JOIN interactions i ON i.id = ip.interaction_id "
    "WHERE ip.person_id IN (SELECT value FROM json_each(:ids)) AND i.state = 'done' AND i.deleted_at IS NULL "
    "AND i.at <= :now GROUP BY ip.person_id"
)


def this_week(source: Source, now: datetime, *, tz: tzinfo | None = None) -> list[Suggestion]:
    """This week's delivered suggestions still open: not acted on, snoozed, set aside, or since contacted.
    In the order they were first delivered."""
    run = rows_of(source)
    start = week_start(to_local(now, tz))
    latest: dict[int, tuple[datetime, str, object]] = {}
    closed: dict[int, datetime] = {}
    for pid, at, event, reason, data in run(EVENTS, {"start": stored(start), "now": stored(now)}):
        if event in DELIVERED:
            latest[pid] = (from_stored(at), reason, data)
        else:
            closed[pid] = from_stored(at)
    if not latest:
        return []
    ids = id_list(latest)
    people = {pid: (name, snoozes or 0) for pid, name, snoozes in run(PEOPLE, {"ids": ids})}
    contacts: dict[int, datetime] = {}
    later = []
    for pid, at in run(CONTACTS, {"ids": ids}):
        moment = from_stored(at)
        if moment > now:
            later.append(pid)
        else:
            contacts[pid] = moment
    if later:
        for pid, at in run(CONTACTS_BEFORE, {"ids": id_list(later), "now": stored(now)}):
            if at is not None:
                contacts[pid] = from_stored(at)
    out = []
    for pid, (at, reason, data) in latest.items():
        if pid not in people or (pid in closed and closed[pid] >= at):
            continue
        last = contacts.get(pid)
        if last is not None and last >= at:
            continue  # in touch since: nothing left to suggest
        name, snoozes = people[pid]
        s = Suggestion.from_event(pid, name, reason, data)
        s.last_contact = last
        s.offer_cadence_change = snoozes >= SNOOZES_BEFORE_ASKING
        out.append(s)
    return out


# ------------------------------------------------------------------------------------------- coming up

MEETINGS = (
    "SELECT id, at, title, channel, location FROM interactions WHERE state = 'planned' AND deleted_at IS NULL "
    "AND at >= :start AND at <= :end ORDER BY at, id LIMIT :limit"
)
MEETING_PEOPLE = (
    "SELECT ip.interaction_id, p.id, p.name FROM interaction_people ip JOIN people p ON p.id = ip.person_id "
    "WHERE ip.interaction_id IN (SELECT value FROM json_each(:ids)) AND p.deleted_at IS NULL "
    "ORDER BY p.sort_name, p.id"
)


def _people_of(run: Rows, meeting_ids: list[int]) -> dict[int, list[tuple[int, str]]]:
    """Who each meeting is with (id and name, in name order), the trash left out."""
    who: dict[int, list[tuple[int, str]]] = {}
    if meeting_ids:
        for iid, pid, name in run(MEETING_PEOPLE, {"ids": id_list(meeting_ids)}):
            who.setdefault(iid, []).append((pid, name))
    return who


def coming_up(source: Source, now: datetime, *, tz: tzinfo | None = None) -> list[Meeting]:
    """The next few planned meetings (from two hours ago to two weeks ahead), each as one line."""
    run = rows_of(source)
    params = {"start": stored(now - MEETING_GRACE), "end": stored(now + timedelta(days=SOON_DAYS)), "limit": MAX_ITEMS}
    meetings = run(MEETINGS, params)
    who = _people_of(run, [m[0] for m in meetings])
    out = []
    for mid, at, title, channel, location in meetings:
        moment = from_stored(at)
        people = who.get(mid, [])
        names = ", ".join(n for _, n in people)
        kind = CHANNEL_LABELS[Channel(channel)]
        heading = title or (f"{kind} with {names}" if names else kind)
        bits = [when_text(moment, year=False, tz=tz), heading] + ([location] if location else [])
        out.append(Meeting(mid, moment, " · ".join(bits), [pid for pid, _ in people]))
    return out


# ------------------------------------------------------------------------------------------- after your meetings

# The one rule for "ended" (Today's "After your meetings" and the weekly digest's line, core/after_meetings),
# in SQL text so the thin read path at start-up shows these too.
OFFER_DAYS = 8  # a digest comes once a week: the last eight days are all still offered at the next one
DEFAULT_MINUTES = 60  # a meeting without an end is taken to last an hour
# Newest first; whether one has ended (its start plus its length) is worked out below, exactly, in Python.
ENDED = (
    "SELECT id, at, duration_min, title FROM interactions WHERE state = 'planned' AND deleted_at IS NULL "
    "AND at >= :start AND at <= :now ORDER BY at DESC, id DESC"
)


def ended_rows(
    source: Source, now: datetime, *, limit: int = MAX_ITEMS
) -> list[tuple[int, datetime, str, list[tuple[int, str]]]]:
    """Planned meetings that ended within the last OFFER_DAYS and were not yet logged or called off, most
    recent first: (id, start, title, [(person id, name)] without the trash)."""
    run = rows_of(source)
    found: list[tuple[int, datetime, str]] = []
    for mid, at, minutes, title in run(ENDED, {"start": stored(now - timedelta(days=OFFER_DAYS)), "now": stored(now)}):
        moment = from_stored(at)
        if moment + timedelta(minutes=minutes or DEFAULT_MINUTES) > now:
            continue  # still going on
        found.append((mid, moment, title or ""))
        if len(found) >= limit:
            break
    who = _people_of(run, [mid for mid, _, _ in found])
    return [(mid, moment, title, who.get(mid, [])) for mid, moment, title in found]


def ended_meetings(source: Source, now: datetime, *, tz: tzinfo | None = None) -> list[Meeting]:
    """`ended_rows`, each as one line ("Mon 3 Apr, 14:00 · Lunch")."""
    out = []
    for mid, moment, title, people in ended_rows(source, now):
        names = ", ".join(n for _, n in people)
        heading = title or (f"Meeting with {names}" if names else "Meeting")
        out.append(Meeting(mid, moment, f"{when_text(moment, year=False, tz=tz)} · {heading}", [p for p, _ in people]))
    return out


# ------------------------------------------------------------------------------------------- due soon

PROMISES = (
    "SELECT c.id, c.person_id, c.direction, c.text, c.due_on, p.name FROM commitments c "
    "JOIN people p ON p.id = c.person_id WHERE c.status = 'open' AND c.deleted_at IS NULL "
    "AND p.deleted_at IS NULL AND c.due_on IS NOT NULL AND c.due_on <= :until ORDER BY c.due_on, c.id LIMIT :limit"
)


def due_soon(source: Source, now: datetime, *, tz: tzinfo | None = None) -> list[Promise]:
    """Open promises (either way) due within two weeks or already due, soonest first."""
    today = to_local(now, tz).date()
    until = today + timedelta(days=SOON_DAYS)
    rows = rows_of(source)(PROMISES, {"until": until.isoformat(), "limit": MAX_ITEMS})
    out = []
    for cid, pid, direction, text, due_on, name in rows:
        due = due_on if isinstance(due_on, date) else date.fromisoformat(due_on)
        out.append(Promise(cid, pid, promise_line(Direction(direction), text, name, due, today)))
    return out


def promise_line(direction: Direction, text: str, name: str, due: date, today: date) -> str:
    when = day_words(due, today)
    tail = f"due {when}" if due >= today else f"it was for {when}"
    if direction is Direction.I_OWE:
        return f"{promise_sentence(direction, text)} ({name}) — {tail}"
    return f"{promise_sentence(direction, text, who=first_name(name))} — {tail}"


# ------------------------------------------------------------------------------------------- paused

SETTING = "SELECT value FROM settings WHERE key = :key"


def paused_until(source: Source) -> datetime | None:
    """Until when reminders are paused (the stored setting; it may lie in the past)."""
    rows = rows_of(source)(SETTING, {"key": "reconnect.paused_until"})
    if not rows:
        return None
    value = rows[0][0]
    return parse_moment(json.loads(value) if isinstance(value, str | bytes) else value)


# ------------------------------------------------------------------------------------------- reminder words


def notification_text(surface: Surface) -> tuple[str, str]:
    """Plain text for a notification: a calm title and one line per person."""
    if surface.kind == "digest":
        lines = [f"{s.name}: {s.reason}" for s in surface.suggestions]
        if surface.after_meetings:
            lines.append(surface.after_meetings)  # one line, however many meetings
        return "This week, gently", "\n".join(lines)
    s = surface.suggestions[0]
    return "A gentle reminder", f"{s.name}: {s.reason}"


def notice_text(surface: Surface) -> str:
    """One line for the window's status bar (where there is no tray); Today holds the details."""
    if surface.kind == "digest":
        names = ", ".join(s.name for s in surface.suggestions)
        return f"This week's suggestions are in Today (Ctrl+1): {names}."
    s = surface.suggestions[0]
    return f"A gentle reminder: {s.name}. {s.reason}"
