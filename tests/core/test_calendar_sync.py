"""Calendar events become upcoming meetings (issue 16, calendar side): without a server, from iCalendar text."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from netjournal.core.db import Journal
from netjournal.core.models import Interaction, InteractionState, SyncedEvent
from netjournal.core.prep import upcoming_meetings
from netjournal.core.sync.calendars import CalendarReport, apply_calendar, read_calendar, window_around
from tests.factories import person

CAL = "https://dav.example/cal/work/"


def ics(*events: str) -> str:
    return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n" + "".join(events) + "END:VCALENDAR\r\n"


def vevent(uid: str, start: datetime, title: str = "Coffee", *, minutes: int = 60, extra: str = "") -> str:
    end = start + timedelta(minutes=minutes)
    return (
        f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20260301T000000Z\r\nDTSTART:{start:%Y%m%dT%H%M%SZ}\r\n"
        f"DTEND:{end:%Y%m%dT%H%M%SZ}\r\nSUMMARY:{title}\r\n{extra}END:VEVENT\r\n"
    )


def attendee(email: str, cn: str = "", partstat: str = "ACCEPTED") -> str:
    params = (f";CN={cn}" if cn else "") + f";PARTSTAT={partstat}"
    return f"ATTENDEE{params}:mailto:{email}\r\n"


def sync(journal: Journal, text: str, now: datetime, *, complete: bool = True) -> CalendarReport:
    window = window_around(now)
    return apply_calendar(
        journal.session,
        "caldav:test",
        read_calendar(text, CAL, window),
        now=now,
        window=window,
        complete_calendars=[CAL] if complete else [],
    )


def meetings(journal: Journal) -> list[Interaction]:
    with journal.read() as s:
        out = list(s.scalars(select(Interaction).order_by(Interaction.at)))
        for it in out:
            _ = it.people
        return out


def test_an_attendee_with_a_journal_email_becomes_an_upcoming_meeting_in_prepare(journal: Journal, now) -> None:
    with journal.session() as s:
        anna = person(s, "Anna Weber", now, emails=[("work", "Anna.Weber@example.org")]).id
    soon = now + timedelta(days=2)
    rep = sync(
        journal, ics(vevent("e1", soon, "Project sync", extra=attendee("anna.weber@example.org", "Anna Weber"))), now
    )
    assert rep.ok and len(rep.created) == 1
    with journal.read() as s:
        [m] = upcoming_meetings(s, now)
    assert (m.title, m.at, m.person_ids) == ("Project sync", soon, (anna,))
    [it] = meetings(journal)
    assert it.state is InteractionState.PLANNED and it.duration_min == 60


def test_a_second_sync_changes_nothing(journal: Journal, now) -> None:
    with journal.session() as s:
        person(s, "Bob Lee", now)
    text = ics(
        vevent("e1", now + timedelta(days=1), "Lunch with Bob Lee"),
        vevent("r1", now + timedelta(days=3), "Walk with Bob Lee", extra="RRULE:FREQ=WEEKLY\r\n"),
    )
    first = sync(journal, text, now)
    assert len(first.created) == 1 + 9  # the weekly walk: nine times within the next 60 days
    before = [(m.id, m.at, m.title, m.updated_at, m.state) for m in meetings(journal)]
    again = sync(journal, text, now + timedelta(minutes=30))
    assert not again.changed and again.unchanged == 10
    assert [(m.id, m.at, m.title, m.updated_at, m.state) for m in meetings(journal)] == before
    assert "nothing changed" in again.lines()[0]


def test_a_moved_event_moves_its_meeting_and_keeps_what_the_user_wrote(journal: Journal, now) -> None:
    with journal.session() as s:
        person(s, "Bob Lee", now)
    start = now + timedelta(days=2)
    sync(journal, ics(vevent("e1", start, "Coffee with Bob Lee")), now)
    [it] = meetings(journal)
    with journal.session() as s:
        m = s.get(Interaction, it.id)
        m.notes = "Ask about the new job"
        m.title = "Coffee with Bob (bring the book)"  # the user's own title
    later = start + timedelta(days=1, hours=3)
    rep = sync(journal, ics(vevent("e1", later, "Coffee with Bob Lee", extra="LOCATION:Café Linde\r\n")), now)
    assert len(rep.updated) == 1
    [it] = meetings(journal)
    assert (it.at, it.location, it.state) == (later, "Café Linde", InteractionState.PLANNED)
    assert (it.title, it.notes) == ("Coffee with Bob (bring the book)", "Ask about the new job")


def test_cancelled_or_removed_events_cancel_their_meeting_gently(journal: Journal, now) -> None:
    with journal.session() as s:
        person(s, "Bob Lee", now)
        person(s, "Cleo Park", now)
    one, two = now + timedelta(days=2), now + timedelta(days=4)
    sync(journal, ics(vevent("e1", one, "Coffee with Bob Lee"), vevent("e2", two, "Call with Cleo Park")), now)
    with journal.session() as s:
        s.scalars(select(Interaction).where(Interaction.title == "Coffee with Bob Lee")).one().notes = "My notes"
    rep = sync(journal, ics(vevent("e1", one, "Coffee with Bob Lee", extra="STATUS:CANCELLED\r\n")), now)
    assert len(rep.cancelled) == 2 and not rep.created
    coffee, call = meetings(journal)
    assert coffee.state is call.state is InteractionState.CANCELLED
    assert coffee.notes == "My notes" and coffee.deleted_at is None
    with journal.read() as s:
        assert upcoming_meetings(s, now) == []
    # Un-cancelled on the calendar: coming up again.
    again = sync(journal, ics(vevent("e1", one, "Coffee with Bob Lee")), now)
    assert len(again.updated) == 1
    assert meetings(journal)[0].state is InteractionState.PLANNED


def test_a_calendar_that_was_not_read_in_full_cancels_nothing(journal: Journal, now) -> None:
    with journal.session() as s:
        person(s, "Bob Lee", now)
    sync(journal, ics(vevent("e1", now + timedelta(days=2), "Coffee with Bob Lee")), now)
    rep = sync(journal, ics(), now, complete=False)
    assert not rep.changed
    assert meetings(journal)[0].state is InteractionState.PLANNED


def test_a_meeting_that_is_over_is_not_cancelled_when_it_leaves_the_window(journal: Journal, now) -> None:
    with journal.session() as s:
        person(s, "Bob Lee", now)
    sync(journal, ics(vevent("e1", now + timedelta(hours=2), "Coffee with Bob Lee")), now)
    three_days_later = now + timedelta(days=3)
    rep = sync(journal, ics(), three_days_later)  # a subscription that only lists what is ahead
    assert not rep.changed
    assert meetings(journal)[0].state is InteractionState.PLANNED  # waiting to be logged


def test_recurring_events_expand_within_the_window_and_one_cancelled_occurrence_cancels_one(
    journal: Journal, now
) -> None:
    with journal.session() as s:
        person(s, "Dana Cruz", now, emails=[("", "dana@example.org")])
    start = now + timedelta(days=1)
    rule = "RRULE:FREQ=DAILY\r\n" + attendee("dana@example.org")
    rep = sync(journal, ics(vevent("daily", start, "Standup", minutes=15, extra=rule)), now)
    assert len(rep.created) == 59  # tomorrow up to (not including) 60 days from now, not forever
    assert max(m.at for m in meetings(journal)) < now + timedelta(days=61)
    third = start + timedelta(days=2)
    exdate = f"EXDATE:{third:%Y%m%dT%H%M%SZ}\r\n"
    moved = (
        f"BEGIN:VEVENT\r\nUID:daily\r\nRECURRENCE-ID:{start + timedelta(days=4):%Y%m%dT%H%M%SZ}\r\n"
        f"DTSTART:{start + timedelta(days=4, hours=2):%Y%m%dT%H%M%SZ}\r\nDURATION:PT15M\r\nSUMMARY:Standup\r\n"
        f"{attendee('dana@example.org')}END:VEVENT\r\n"
    )
    rep = sync(journal, ics(vevent("daily", start, "Standup", minutes=15, extra=rule + exdate), moved), now)
    assert (len(rep.cancelled), len(rep.updated), len(rep.created)) == (1, 1, 0)
    by_time = {m.at: m.state for m in meetings(journal)}
    assert by_time[third] is InteractionState.CANCELLED
    assert by_time[start + timedelta(days=4, hours=2)] is InteractionState.PLANNED
    assert start + timedelta(days=4) not in by_time
    with journal.read() as s:
        assert s.scalar(select(SyncedEvent).where(SyncedEvent.uid == "daily").limit(1)).recurrence_id


def test_a_namesake_in_the_title_links_nobody_and_says_so(journal: Journal, now) -> None:
    with journal.session() as s:
        person(s, "Anna Schmidt", now, organisation="Acme")
        person(s, "Anna Schmidt", now, organisation="Globex")
        cleo = person(s, "Cléo Park", now).id
    soon = now + timedelta(days=1)
    rep = sync(
        journal, ics(vevent("e1", soon, "Lunch with Anna Schmidt"), vevent("e2", soon, "Drinks: Cleo Park")), now
    )
    [it] = meetings(journal)
    assert it.title == "Drinks: Cleo Park" and [p.id for p in it.people] == [cleo]  # accents aside
    assert rep.not_linked == 1
    assert any("'Anna Schmidt' in the title fits 2 people" in line for line in rep.lines())


def test_a_first_name_alone_does_not_pick_someone_with_that_first_name(journal: Journal, now) -> None:
    with journal.session() as s:
        person(s, "Anna Schmidt", now)
    rep = sync(journal, ics(vevent("e1", now + timedelta(days=1), "Coffee with Anna")), now)
    assert rep.not_linked == 1 and meetings(journal) == []


def test_declined_shared_or_misnamed_attendees_link_nobody(journal: Journal, now) -> None:
    with journal.session() as s:
        person(s, "Eve Stone", now, emails=[("", "eve@example.org")])
        person(s, "Frank Ode", now, emails=[("", "team@example.org")])
        person(s, "Gus Hale", now, emails=[("", "team@example.org")])
    soon = now + timedelta(days=1)
    events = [
        vevent("d", soon, "Review", extra=attendee("eve@example.org", "Eve Stone", "DECLINED")),
        vevent("s", soon, "Review", extra=attendee("team@example.org")),
        vevent("m", soon, "Review", extra=attendee("eve@example.org", "Zed Quinn")),
    ]
    rep = sync(journal, ics(*events), now)
    assert meetings(journal) == [] and rep.not_linked == 3
    text = "\n".join(rep.lines())
    assert "team@example.org belongs to several people" in text
    assert "eve@example.org is Eve Stone's address, but the calendar calls them Zed Quinn" in text


def test_a_malformed_event_is_skipped_and_named_and_the_rest_are_synced(journal: Journal, now) -> None:
    with journal.session() as s:
        person(s, "Bob Lee", now)
    bad = "BEGIN:VEVENT\r\nUID:bad\r\nDTSTART:not-a-date\r\nSUMMARY:Broken with Bob Lee\r\nEND:VEVENT\r\n"
    no_start = "BEGIN:VEVENT\r\nUID:nostart\r\nSUMMARY:Floating with Bob Lee\r\nEND:VEVENT\r\n"
    rep = sync(journal, ics(bad, no_start, vevent("ok", now + timedelta(days=1), "Coffee with Bob Lee")), now)
    assert [m.title for m in meetings(journal)] == ["Coffee with Bob Lee"]
    named = {label for label, _ in rep.skipped}
    assert named == {"'Broken with Bob Lee'", "'Floating with Bob Lee'"}
    assert any("no start" in why for _, why in rep.skipped)


def test_all_day_events_are_not_meetings(journal: Journal, now) -> None:
    with journal.session() as s:
        person(s, "Bob Lee", now)
    day = (now + timedelta(days=3)).date()
    birthday = (
        f"BEGIN:VEVENT\r\nUID:bd\r\nDTSTART;VALUE=DATE:{day:%Y%m%d}\r\nSUMMARY:Bob Lee\r\n"
        "RRULE:FREQ=YEARLY\r\nEND:VEVENT\r\n"
    )
    rep = sync(journal, ics(birthday), now)
    assert meetings(journal) == [] and rep.all_day == 1


def test_a_meeting_the_user_logged_or_deleted_is_left_alone(journal: Journal, now) -> None:
    from netjournal.core.journal import trash

    with journal.session() as s:
        person(s, "Bob Lee", now)
    soon = now + timedelta(days=1)
    sync(journal, ics(vevent("a", soon, "Coffee with Bob Lee"), vevent("b", soon, "Tea with Bob Lee")), now)
    coffee, tea = sorted(meetings(journal), key=lambda m: m.title)
    with journal.session() as s:
        s.get(Interaction, coffee.id).state = InteractionState.DONE
        trash(s, "interaction", tea.id, now=now)
    rep = sync(journal, ics(vevent("a", soon + timedelta(hours=1), "Coffee with Bob Lee")), now)
    assert not rep.changed
    with journal.read() as s:
        assert s.get(Interaction, coffee.id).at == soon  # it happened when it happened
        assert s.get(Interaction, coffee.id).state is InteractionState.DONE


def test_a_meeting_imported_from_an_ics_file_is_taken_over_not_duplicated(journal: Journal, now, tmp_path) -> None:
    from netjournal.core.importers import import_files

    with journal.session() as s:
        person(s, "Bob Lee", now, emails=[("", "bob@example.org")])
    soon = now + timedelta(days=2)
    text = ics(vevent("e1", soon, "Coffee", extra=attendee("bob@example.org")))
    path = tmp_path / "cal.ics"
    path.write_text(text)
    with journal.session() as s:
        import_files(s, [path], now=now)
    [imported] = meetings(journal)
    rep = sync(journal, ics(vevent("e1", soon + timedelta(hours=1), "Coffee", extra=attendee("bob@example.org"))), now)
    [it] = meetings(journal)
    assert it.id == imported.id and it.at == soon + timedelta(hours=1)
    assert (rep.created, len(rep.updated)) == ([], 1)
