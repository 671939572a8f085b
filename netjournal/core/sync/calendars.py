"""Calendars, read-only: events from CalDAV calendars and iCalendar subscriptions become upcoming meetings.

An event occurrence becomes a planned interaction when an attendee's e-mail or its title names someone
in the journal, by the journal's identity rules:

- an attendee links the one person with that e-mail address, when the name the calendar gives them
  fits (`identity.names_compatible`: a shared team mailbox under another name links no one); an address
  several people share links no one; attendees who declined are left out;
- a title links a person when a run of its words is someone's whole name, as `journal.resolve` matches
  names exactly or without accents and word order (no prefixes: "Coffee with Anna" links a person
  called "Anna", not "Anna Schmidt"); a name several people share links no one, and the report says so.

`synced_events` keeps (source, UID, recurrence id) -> interaction, so a moved event moves its meeting, a
cancelled or removed one marks it cancelled (its notes stay), and a second sync changes nothing. What the
user changed on a meeting (its title, time, place, people) is theirs: sync only changes a field that
still holds what the calendar said last time. A meeting that happened (debriefed, logged) or that the
user deleted is never touched again.

Repeating events are expanded within a window (WINDOW_BEFORE .. WINDOW_AFTER around now). All-day events
(birthdays, holidays, trips) are not meetings and are left out. Each occurrence is written in its own
transaction; a malformed event is skipped and named, the rest continue.

The rooms: `calendar_fetch` (the network: CalDAV with the `caldav` library, a plain HTTPS GET for
subscriptions), `calendar_read` (iCalendar text -> occurrences in the window), `calendar_decide` (who
an occurrence is with; whether anything needs writing), `calendar_write` (the meetings, and the
report). This module holds the subscriptions and one sync of a source; everything but the fetch works
on iCalendar text and takes the time as a parameter.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from netjournal.core.errors import NetjournalError, NotFoundError, ValidationError
from netjournal.core.identity import clean_text
from netjournal.core.models import CalendarSubscription, SyncedEvent
from netjournal.core.sync.calendar_read import Expanded, Occurrence, read_calendar, window_around
from netjournal.core.sync.calendar_write import CalendarReport, Lookup, SessionFactory, apply_calendar

# What callers and tests take from here (the rooms above are details).
__all__ = [
    "CalendarReport",
    "CalendarSource",
    "SubscriptionInfo",
    "add_subscription",
    "apply_calendar",
    "read_calendar",
    "remove_subscription",
    "subscription_infos",
    "subscriptions",
    "sync_calendar_source",
    "sync_subscriptions",
    "window_around",
]


# ------------------------------------------------------------------------------------------ subscriptions


def _check_name(name: str) -> str:
    name = clean_text(name)
    if not name or len(name) > 100 or any(ord(ch) < 32 or "\ud800" <= ch <= "\udfff" for ch in name):
        raise ValidationError('Give the calendar a short name (up to 100 characters), e.g. "work".')
    return name


def add_subscription(session: Session, name: str, url: str, *, now: datetime, verify_tls: bool = True) -> int:
    """Subscribe to an iCalendar address (webcal:// is read as https://). Returns its id."""
    from netjournal.core.sync.calendar_fetch import check_url

    name = _check_name(name)
    url = check_url(url.strip(), name)
    if session.scalar(select(CalendarSubscription.id).where(CalendarSubscription.name == name)) is not None:
        raise ValidationError(f"There is already a calendar called {name!r}; choose another name or remove it first.")
    sub = CalendarSubscription(name=name, url=url, verify_tls=verify_tls, created_at=now)
    session.add(sub)
    session.flush()
    return sub.id


def subscriptions(session: Session) -> list[CalendarSubscription]:
    return list(session.scalars(select(CalendarSubscription).order_by(CalendarSubscription.name)))


@dataclass(frozen=True)
class SubscriptionInfo:
    """A subscription as the CLI and Settings list it: never its address (a secret of sorts)."""

    name: str
    last_synced_at: datetime | None  # when it was last read without a problem
    last_problem: str


def subscription_infos(session: Session) -> list[SubscriptionInfo]:
    return [SubscriptionInfo(x.name, x.last_synced_at, x.last_problem) for x in subscriptions(session)]


def remove_subscription(session: Session, name: str) -> int:
    """Forget a subscription. Its meetings stay in the journal (as they are); returns how many there were."""
    sub = session.scalar(select(CalendarSubscription).where(CalendarSubscription.name == clean_text(name)))
    if sub is None:
        raise NotFoundError(f"There is no calendar subscription called {name.strip()!r}.")
    links = list(session.scalars(select(SyncedEvent).where(SyncedEvent.source == f"ics:{sub.name}")))
    for link in links:
        session.delete(link)
    session.delete(sub)
    session.flush()
    return len(links)


def subscription_sources(session: Session) -> list[CalendarSource]:
    """Every subscription as a source `sync_calendar_source` reads."""
    return [CalendarSource(s.name, "ics", s.url, verify_tls=s.verify_tls) for s in subscriptions(session)]


# ------------------------------------------------------------------------------------------ one sync


@dataclass(frozen=True)
class CalendarSource:
    """Where calendar events come from: a CalDAV account's calendars, or one iCalendar subscription."""

    name: str  # the account's (or subscription's) name, used in every message
    kind: Literal["caldav", "ics"]
    url: str  # the CalDAV URL (as discovered) or the subscription address (webcal:// is fine)
    username: str = ""
    password: str = field(default="", repr=False)
    verify_tls: bool = True
    allow_http: bool = False  # plain http:// to another machine, only when the user opted in
    calendars: tuple[str, ...] = ()  # chosen calendar URLs (CalDAV); none: every calendar of the account

    @property
    def key(self) -> str:
        """What `synced_events.source` holds for this source's meetings."""
        return f"{self.kind}:{self.name}"


def sessions_of(target: Any) -> SessionFactory:
    """A Journal (its `session`) or a session factory (a callable giving a transaction context)."""
    factory = getattr(target, "session", None)
    return factory if callable(factory) else target  # type: ignore[no-any-return]


def sync_calendar_source(target: Any, source: CalendarSource, now: datetime, *, client: Any = None) -> CalendarReport:
    """Read one source and bring its meetings in line (see the module doc). Never raises for a network
    problem or bad data: the report's `error` says what went wrong (nothing was changed then).

    `client`: an open caldav DAVClient to use (an account's connection) instead of making one."""
    from netjournal.core.sync import calendar_fetch as fetch

    sessions = sessions_of(target)
    window = window_around(now)
    rep = CalendarReport(source.name)
    raw_lookup: Callable[[str, str], Any] | None = None
    try:
        if source.kind == "ics":
            url = fetch.check_url(source.url, source.name, allow_http=source.allow_http)
            texts = [
                (url, fetch.fetch_ics(source.name, url, verify_tls=source.verify_tls, allow_http=source.allow_http))
            ]
            complete = [url]
        else:
            texts, complete, raw_lookup = fetch.fetch_caldav(
                source.name,
                source.url,
                source.username,
                source.password,
                source.calendars,
                window,
                verify_tls=source.verify_tls,
                allow_http=source.allow_http,
                client=client,
            )
    except NetjournalError as exc:
        rep.error = exc.message
        _remember(sessions, source, now, rep.error)
        return rep
    expanded = Expanded()
    for href, text in texts:
        try:
            expanded.extend(read_calendar(text, href, window))
        except ValueError as exc:
            if source.kind == "ics":
                rep.error = f"{source.name}: the calendar cannot be read: {exc}."
                _remember(sessions, source, now, rep.error)
                return rep
            rep.skipped.append((f"an object in {href}", str(exc)))
            complete = [c for c in complete if c != href]  # not read in full: nothing there is cancelled

    lookup: Lookup | None = None
    if raw_lookup is not None:
        found_lookup = raw_lookup

        def lookup(calendar: str, uid: str) -> Occurrence | Literal["unknown"] | None:
            text = found_lookup(calendar, uid)
            if text is None or text == "unknown":
                return text  # type: ignore[no-any-return]
            try:
                occ = read_calendar(str(text), calendar, window).uids.get(uid)
            except ValueError:
                return "unknown"
            return occ if occ is not None else "unknown"

    apply_calendar(
        sessions, source.key, expanded, now=now, window=window, complete_calendars=complete, lookup=lookup, report=rep
    )
    _remember(sessions, source, now, "")
    return rep


def _remember(sessions: SessionFactory, source: CalendarSource, now: datetime, problem: str) -> None:
    if source.kind != "ics":
        return  # accounts keep their own status (the accounts table)
    with sessions() as s:
        sub = s.scalar(select(CalendarSubscription).where(CalendarSubscription.name == source.name))
        if sub is not None:
            sub.last_problem = problem
            if not problem:
                sub.last_synced_at = now


def sync_subscriptions(target: Any, now: datetime, name: str | None = None) -> list[CalendarReport]:
    """Sync every subscription (or the one called `name`), one after another."""
    with sessions_of(target)() as s:
        sources = [x for x in subscription_sources(s) if name is None or x.name == name]
    return [sync_calendar_source(target, x, now) for x in sources]
