"""Calendars from real servers (issue 16): CalDAV on Radicale and Xandikos, and a plain iCalendar
subscription served on 127.0.0.1 by the test. Events are PUT as another device would, then synced."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from netjournal.core.db import Journal
from netjournal.core.models import Interaction, InteractionState
from netjournal.core.prep import upcoming_meetings
from netjournal.core.sync.calendars import (
    CalendarSource,
    add_subscription,
    remove_subscription,
    subscriptions,
    sync_calendar_source,
    sync_subscriptions,
)
from tests.factories import person
from tests.sync.conftest import Run
from tests.sync.servers import PASSWORD, USER, Server
from tests.sync.webcal import Handler, ics, send, vevent


def source(server: Server, calendars: tuple[str, ...] = (), **kw: object) -> CalendarSource:
    args: dict[str, object] = {"username": USER, "password": PASSWORD, "calendars": calendars}
    args.update(kw)
    return CalendarSource("Home server", "caldav", server.url, **args)  # type: ignore[arg-type]


def states(journal: Journal) -> dict[str, tuple[datetime, InteractionState]]:
    with journal.read() as s:
        return {m.title: (m.at, m.state) for m in s.scalars(select(Interaction))}


@pytest.fixture
def people(journal: Journal, now: datetime) -> None:
    with journal.session() as s:
        person(s, "Bob Lee", now, emails=[("", "bob@example.org")])
        person(s, "Cleo Park", now)


def test_events_on_a_caldav_server_become_meetings_then_move_and_cancel(
    dav_server: Server, journal: Journal, now: datetime, people: None
) -> None:
    cal = dav_server.make_calendar()
    url = dav_server.url.rstrip("/") + cal
    soon, later = now + timedelta(days=2), now + timedelta(days=5)
    dav_server.put_ical(cal, "e1.ics", ics(vevent("e1", soon, "Project review", "ATTENDEE:mailto:bob@example.org\r\n")))
    dav_server.put_ical(cal, "e2.ics", ics(vevent("e2", later, "Lunch with Cleo Park")))
    dav_server.put_ical(cal, "e3.ics", ics(vevent("e3", later, "Walk with Cleo Park", "RRULE:FREQ=WEEKLY;COUNT=3\r\n")))
    dav_server.put_ical(cal, "e4.ics", ics(vevent("e4", soon, "Dentist")))  # no one from the journal

    first = sync_calendar_source(journal, source(dav_server, (url,)), now)
    assert first.ok, first.error
    assert (len(first.created), first.not_linked) == (5, 1)
    with journal.read() as s:
        assert [m.title for m in upcoming_meetings(s, now)][:2] == ["Project review", "Lunch with Cleo Park"]

    again = sync_calendar_source(journal, source(dav_server, (url,)), now)
    assert again.ok and not again.changed

    moved = soon + timedelta(days=1, hours=2)
    dav_server.put_ical(
        cal, "e1.ics", ics(vevent("e1", moved, "Project review", "ATTENDEE:mailto:bob@example.org\r\n"))
    )
    dav_server.put_ical(cal, "e2.ics", ics(vevent("e2", later, "Lunch with Cleo Park", "STATUS:CANCELLED\r\n")))
    assert dav_server.delete(cal + "e3.ics") in (200, 204)
    third = sync_calendar_source(journal, source(dav_server, (url,)), now)
    assert third.ok, third.error
    assert (len(third.updated), len(third.cancelled), len(third.created)) == (1, 4, 0)
    now_states = states(journal)
    assert now_states["Project review"] == (moved, InteractionState.PLANNED)
    assert now_states["Lunch with Cleo Park"][1] is InteractionState.CANCELLED
    assert now_states["Walk with Cleo Park"][1] is InteractionState.CANCELLED


def test_every_calendar_of_the_account_when_none_is_chosen(
    radicale_server: Server, journal: Journal, now: datetime, people: None
) -> None:
    for name in ("Work", "Home"):
        cal = radicale_server.make_calendar(name)
        radicale_server.put_ical(cal, "x.ics", ics(vevent(f"{name}-1", now + timedelta(days=1), f"{name}: Bob Lee")))
    rep = sync_calendar_source(journal, source(radicale_server), now)
    assert rep.ok, rep.error
    assert sorted(states(journal)) == ["Home: Bob Lee", "Work: Bob Lee"]


def test_a_wrong_password_is_a_plain_message_naming_the_account(
    dav_server: Server, journal: Journal, now: datetime, people: None
) -> None:
    cal = dav_server.make_calendar()
    dav_server.put_ical(cal, "e1.ics", ics(vevent("e1", now + timedelta(days=1), "Coffee with Bob Lee")))
    rep = sync_calendar_source(journal, source(dav_server, (dav_server.url.rstrip("/") + cal,), password="wrong"), now)
    assert not rep.ok
    assert rep.error.startswith("Home server: ") and "did not accept the user name and password" in rep.error
    assert "wrong" not in rep.error and states(journal) == {}


def test_a_stopped_server_changes_nothing_and_says_so(
    dav_server: Server, journal: Journal, now: datetime, people: None
) -> None:
    cal = dav_server.make_calendar()
    url = dav_server.url.rstrip("/") + cal
    dav_server.put_ical(cal, "e1.ics", ics(vevent("e1", now + timedelta(days=1), "Coffee with Bob Lee")))
    assert sync_calendar_source(journal, source(dav_server, (url,)), now).ok
    dav_server.stop()
    rep = sync_calendar_source(journal, source(dav_server, (url,)), now)
    assert not rep.ok and rep.error.startswith("Home server: could not reach 127.0.0.1")
    assert states(journal)["Coffee with Bob Lee"][1] is InteractionState.PLANNED  # not cancelled


def test_a_self_signed_certificate_is_refused_in_plain_words(
    radicale_tls_server: Server, journal: Journal, now: datetime
) -> None:
    rep = sync_calendar_source(journal, source(radicale_tls_server), now)
    assert not rep.ok and "certificate could not be verified" in rep.error
    assert rep.error.startswith("Home server: ")


# ------------------------------------------------------------------------------------- subscriptions


def test_a_subscription_syncs_and_a_changed_feed_cancels(web, journal: Journal, now: datetime, people: None) -> None:  # type: ignore[no-untyped-def]
    base, routes = web
    soon = now + timedelta(days=3)
    routes["/secret/basic.ics"] = send(
        ics(vevent("g1", soon, "Coffee with Bob Lee"), vevent("g2", soon, "Call with Cleo Park")).encode()
    )
    with journal.session() as s:
        add_subscription(s, "Google", base + "/secret/basic.ics", now=now)
    [rep] = sync_subscriptions(journal, now)
    assert rep.ok and len(rep.created) == 2 and rep.account == "Google"
    routes["/secret/basic.ics"] = send(ics(vevent("g1", soon, "Coffee with Bob Lee")).encode())
    [rep] = sync_subscriptions(journal, now)
    assert len(rep.cancelled) == 1 and states(journal)["Call with Cleo Park"][1] is InteractionState.CANCELLED
    with journal.read() as s:
        [sub] = subscriptions(s)
        assert sub.last_synced_at == now and sub.last_problem == ""
    with journal.session() as s:
        assert remove_subscription(s, "Google") == 2
    assert "Coffee with Bob Lee" in states(journal)  # the meetings stay


@pytest.mark.parametrize(
    ("reply", "words"),
    [
        (send(b"<!doctype html><html>Sign in</html>", "text/html"), "did not send a calendar (it sent a web page)"),
        (send(b"", status=404), "there is no calendar at that address"),
        (send(b"", status=403), "refused the address (HTTP 403)"),
        (send(b"BEGIN:VCALENDAR\r\n" + b"X" * (11 * 1024 * 1024)), "larger than 10 MB"),
        (
            send(b"", status=302, headers={"Location": "http://localhost:9/elsewhere.ics"}),
            "another server (localhost)",
        ),
    ],
)
def test_a_subscription_that_is_not_a_calendar_is_named_plainly(
    web, journal: Journal, now: datetime, reply, words
) -> None:  # type: ignore[no-untyped-def]
    base, routes = web
    routes["/cal.ics"] = reply
    rep = sync_calendar_source(journal, CalendarSource("Outlook", "ics", base + "/cal.ics"), now)
    assert not rep.ok and rep.error.startswith("Outlook: ") and words in rep.error, rep.error


def test_subscription_addresses_are_checked_before_anything_is_fetched(journal: Journal, now: datetime) -> None:
    from netjournal.core.errors import ValidationError

    with journal.session() as s:
        add_subscription(s, "Work", "webcal://calendar.example.org/feed.ics", now=now)
        assert subscriptions(s)[0].url == "https://calendar.example.org/feed.ics"
        with pytest.raises(ValidationError, match="plain http://"):
            add_subscription(s, "Club", "http://calendar.example.org/club.ics", now=now)
        with pytest.raises(ValidationError, match="already a calendar called 'Work'"):
            add_subscription(s, "Work", "https://other.example.org/x.ics", now=now)
        with pytest.raises(ValidationError, match="not a calendar address"):
            add_subscription(s, "Odd", "ftp://calendar.example.org/x.ics", now=now)


def test_calendar_sync_connects_only_to_the_accounts_host(
    radicale_server: Server, journal: Journal, now: datetime, connections: list[object]
) -> None:
    cal = radicale_server.make_calendar()
    radicale_server.put_ical(cal, "e1.ics", ics(vevent("e1", now + timedelta(days=1), "Coffee")))
    connections.clear()  # the fixture's own requests (MKCOL, PUT) do not count
    assert sync_calendar_source(journal, source(radicale_server), now).ok
    assert connections and {a[:2] for a in connections} == {("127.0.0.1", radicale_server.port)}  # type: ignore[index]


def test_the_secret_address_stays_out_of_the_log_even_when_verbose(
    web, journal: Journal, now: datetime, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    import logging

    from netjournal.core.logs import setup_logging
    from netjournal.core.paths import DataDir

    base, routes = web
    routes["/s3cr3t-token/basic.ics"] = send(ics().encode())
    logs = DataDir(tmp_path / "logs")
    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    setup_logging(logs, verbose=True)
    try:
        rep = sync_calendar_source(journal, CalendarSource("Google", "ics", base + "/s3cr3t-token/basic.ics"), now)
    finally:
        for h in [h for h in root.handlers if h not in before]:
            root.removeHandler(h)
            h.close()
        root.setLevel(level)
    assert rep.ok
    text = logs.log_file.read_text() if logs.log_file.exists() else ""
    assert "s3cr3t-token" not in text


def test_a_subscription_that_does_not_answer_in_time_is_a_plain_message(
    web, journal: Journal, now: datetime, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    import time

    from netjournal.core.sync import calendar_fetch

    base, routes = web
    monkeypatch.setattr(calendar_fetch, "TIMEOUT_S", 1)

    def slow(h: Handler) -> None:
        time.sleep(3)
        send(ics().encode())(h)

    routes["/slow.ics"] = slow
    rep = sync_calendar_source(journal, CalendarSource("Outlook", "ics", base + "/slow.ics"), now)
    assert rep.error == "Outlook: 127.0.0.1 did not answer within 1 seconds; trying again later."


# ------------------------------------------------------------------------------------- through an account


def test_an_accounts_chosen_calendars_sync_with_its_contacts(
    dav_server: Server, journal: Journal, now: datetime, people: None
) -> None:
    from netjournal.core.sync import run
    from tests.sync.helpers import add_account

    chosen, other = dav_server.make_calendar("Work"), dav_server.make_calendar("Private")
    dav_server.put_ical(chosen, "a.ics", ics(vevent("a", now + timedelta(days=1), "Coffee with Bob Lee")))
    dav_server.put_ical(other, "b.ics", ics(vevent("b", now + timedelta(days=1), "Secret with Bob Lee")))
    add_account(journal, dav_server, chosen, now)
    report = run.sync_one(journal, "home", now=now, timeout=5)
    assert not report.problem, report.problem
    assert report.calendars["calendar"]["created"][0].startswith("Coffee with Bob Lee")
    assert sorted(states(journal)) == ["Coffee with Bob Lee"]  # only the chosen calendar
    again = run.sync_one(journal, "home", now=now, timeout=5)
    assert again.calendars["calendar"]["created"] == [] and again.calendars["calendar"]["unchanged"] == 1


# ------------------------------------------------------------------------------------- the command line


@pytest.fixture
def feed(web, data_dir, now: datetime):  # type: ignore[no-untyped-def]
    """A journal with Bob Lee, and a feed at /secret/cal.ics: coffee with him in two days."""
    from netjournal.core.db import open_journal

    journal = open_journal(data_dir)
    with journal.session() as s:
        person(s, "Bob Lee", now)
    journal.close()
    base, routes = web
    soon = datetime.now().astimezone() + timedelta(days=2)
    routes["/secret/cal.ics"] = send(ics(vevent("x1", soon, "Coffee with Bob Lee")).encode())
    return base, routes


def test_calendar_command_subscribes_lists_and_removes_and_sync_reads_it(feed, run: Run) -> None:  # type: ignore[no-untyped-def]
    cli = run
    base, routes = feed
    assert cli("calendar", "add", "work", base + "/secret/cal.ics")[0] == 0
    code, out, _ = cli("sync", "work")
    assert code == 0 and out.startswith("work: new meeting: Coffee with Bob Lee")
    code, out, _ = cli("calendar", "list")
    assert code == 0 and out.startswith("work  last read") and "secret" not in out
    routes["/secret/cal.ics"] = send(b"", status=404)
    code, out, err = cli("sync", "work", "--json")
    assert code == 1 and '"subscription": true' in out
    code, out, err = cli("sync", "work")
    assert code == 1 and err.strip() == "work: there is no calendar at that address on 127.0.0.1 (any more)."
    assert cli("calendar", "remove", "work")[0] == 0
    code, out, _ = cli("calendar", "list")
    assert "No calendar subscriptions" in out


def test_netjournal_sync_also_reads_the_subscriptions(feed, data_dir, capsys) -> None:  # type: ignore[no-untyped-def]
    """One `netjournal sync` covers accounts and subscriptions; a subscription can be named on its own."""
    from netjournal.cli import main

    base, routes = feed
    assert main(["--data-dir", str(data_dir.root), "calendar", "add", "work", base + "/secret/cal.ics"]) == 0
    capsys.readouterr()
    assert main(["--data-dir", str(data_dir.root), "sync"]) == 0
    assert capsys.readouterr().out.startswith("work: new meeting: Coffee with Bob Lee")
    assert main(["--data-dir", str(data_dir.root), "sync", "work"]) == 0
    assert "calendar up to date, nothing changed" in capsys.readouterr().out
    routes["/secret/cal.ics"] = send(b"", status=404)
    assert main(["--data-dir", str(data_dir.root), "sync"]) == 1
    assert "work: there is no calendar at that address" in capsys.readouterr().err
