"""Importing contacts and meetings: every corpus file, re-imports, previews and broken files."""

from __future__ import annotations

import contextlib
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, text
from sqlalchemy.orm import selectinload

from netjournal.core.db import Journal
from netjournal.core.importers import ImportProblem, run_import
from netjournal.core.journal import live_people
from netjournal.core.models import Interaction, InteractionState, Person
from tests.conftest import CORPUS, FIXTURES, NOW
from tests.factories import person

VCARD = CORPUS / "vcard"
CSV = CORPUS / "csv"
ICS = CORPUS / "ics"
OWN = FIXTURES / "import"


def people(journal: Journal) -> dict[str, Person]:
    with journal.read() as s:
        opts = [selectinload(getattr(Person, r)) for r in ("contact_points", "addresses", "dates", "tags")]
        return {p.name: p for p in s.scalars(live_people().options(*opts))}


def emails(p: Person) -> list[str]:
    return [c.value for c in p.contact_points if c.kind == "email"]


def phones(p: Person) -> list[str]:
    return [c.value for c in p.contact_points if c.kind == "phone"]


def count(journal: Journal, model: type) -> int:
    with journal.read() as s:
        return s.scalar(select(func.count()).select_from(model).where(model.deleted_at.is_(None))) or 0


# (file, people created, skipped, names that must be there)
VCARD_CASES = [
    (
        "audriga_google_takeout_contacts.vcf",
        9,
        0,
        ["audriga.test@mailbox.org", "firstName lastName", "noLabelContact1"],
    ),
    ("audriga_ms_exchange.vcf", 1, 0, ["SomeFullName"]),
    ("ezvcard_John_Doe_EVOLUTION.vcf", 1, 0, ["Mr. John Richter, James Doe Sr."]),
    ("ezvcard_gmail-list.vcf", 3, 0, ["Arnold Smith", "Chris Beatle", "Doug White"]),
    ("ezvcard_gmail-single2.vcf", 1, 0, ["VCard Test"]),
    ("folkerkinzel_outlook_v2_1.vcf", 1, 0, ["Maxl"]),
    ("radicale_contact_issue2224_davx5.vcf", 1, 0, ["Pretty Long With-Hyphen Name"]),
    ("radicale_vcard-quoted-printable1.vcf", 1, 0, ["黄世勇"]),
    ("roundcube_thebat.vcf", 1, 0, ["Piotr Iksiński"]),
    ("thunderbird_dos_vcard_addressbook.vcf", 1, 0, ["Name Surname"]),
    ("thunderbird_export.vcf", 2, 0, ["contact number one", "contact number two"]),
    ("virginity_apple.vcf", 0, 1, []),
    ("vobject_photo-test.vcf", 1, 0, ["should be ok to share"]),
    ("vobject_vcard40_full.vcf", 1, 0, ["Dr. John Q. Public, III"]),
    ("vobject_vcard40_group.vcf", 0, 1, []),
    ("vobject_vcard40_location.vcf", 0, 1, []),
    ("vobject_vcard40_multilang.vcf", 1, 0, ["Yamada Taro"]),
    ("vobject_vcard40_org.vcf", 0, 1, []),
    ("vobject_vcard40_simple.vcf", 1, 0, ["John Doe"]),
]


@pytest.mark.parametrize(("name", "created", "skipped", "names"), VCARD_CASES)
def test_every_vcard_in_the_corpus(
    journal: Journal, now: datetime, name: str, created: int, skipped: int, names: list[str]
) -> None:
    report = run_import(journal, [VCARD / name], now=now)
    assert (report.created, report.updated, report.skipped) == (created, 0, skipped)
    assert report.files[0].format == "vCard"
    assert set(names) <= set(people(journal))
    assert all(r.reason for r in report.files[0].results if r.action == "skipped")


def test_every_corpus_file_is_covered() -> None:
    assert {p.name for p in VCARD.iterdir()} == {c[0] for c in VCARD_CASES}


def test_vcard_details_survive(journal: Journal, now: datetime) -> None:
    run_import(journal, [VCARD / "vobject_vcard40_full.vcf", VCARD / "folkerkinzel_outlook_v2_1.vcf"], now=now)
    found = people(journal)
    john = found["Dr. John Q. Public, III"]
    assert emails(john) == ["john.public@example.com", "johnny@personal.example.org"]
    assert phones(john) == ["+1-555-555-5555", "+1-555-123-4567"]
    assert (john.organisation, john.role, john.given_name, john.family_name) == (
        "Example Corp.",
        "CEO",
        "John",
        "Public",
    )
    assert [(d.kind, d.year, d.month, d.day) for d in john.dates] == [
        ("birthday", 1985, 4, 15),
        ("anniversary", 2010, 6, 12),
    ]
    assert john.notes == "This is a note about John.\nHe likes vCards."
    assert [t.name for t in john.tags] == ["BUSINESS", "NETWORKING"]
    assert john.addresses[0].locality == "Any Town"
    assert john.source_uid == "urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6"
    maxl = found["Maxl"]  # quoted-printable UTF-8 with soft line breaks in the middle of characters
    assert maxl.organisation == "Firma"
    assert maxl.notes.startswith("Kommentar ÄÄÄÄÄÄ ääääää ÖÖÖÖÖÖ öööööö ÜÜÜÜÜÜ üüüüüü ßßßßßß\n")
    assert "Tel geschäftlich" in phones(maxl)
    assert any(a.street.endswith("Firmenstraße") for a in maxl.addresses)
    assert len(emails(maxl)) == 3


def test_vcard_photo_and_non_ascii(journal: Journal, now: datetime) -> None:
    run_import(journal, [VCARD / "vobject_photo-test.vcf", VCARD / "radicale_vcard-quoted-printable1.vcf"], now=now)
    with journal.read() as s:
        photo = s.scalar(select(Person.photo).where(Person.name == "should be ok to share"))
        assert photo is not None and photo[:2] == b"\xff\xd8"  # a JPEG
        huang = s.scalars(select(Person).where(Person.name == "黄世勇")).one()
        assert (huang.given_name, huang.family_name) == ("世勇", "黄")


def test_thunderbird_qp_note_and_crcrlf(journal: Journal, now: datetime) -> None:
    run_import(journal, [VCARD / "thunderbird_export.vcf", VCARD / "thunderbird_dos_vcard_addressbook.vcf"], now=now)
    found = people(journal)
    assert found["contact number two"].notes == "here's some unicode text…"
    assert emails(found["Name Surname"]) == ["example@gmail.com"]


def test_google_takeout_cards_without_a_name_use_the_email(journal: Journal, now: datetime) -> None:
    run_import(journal, [VCARD / "audriga_google_takeout_contacts.vcf"], now=now)
    found = people(journal)
    assert emails(found["user2@datenspediteure.de"]) == ["user2@datenspediteure.de"]
    full = found["firstName lastName"]
    assert full.organisation == "corp" and phones(full) == ["17911111111"]
    assert [(d.year, d.month, d.day) for d in full.dates] == [(2000, 10, 1)]
    assert full.tags == []  # Google's "myContacts" system group is not a tag


CSV_CASES = [
    (CSV / "roundcube_outlook.csv", "Outlook", 1, ["test1@domain.tld"]),
    (CSV / "roundcube_tb_plain.csv", "Thunderbird", 1, ["Displayname"]),
    (CSV / "thunderbird_basic_csv_addressbook.csv", "Thunderbird", 2, ["John Doe", "Jane Doe"]),
    (CSV / "thunderbird_csv_semicolon.csv", "Thunderbird", 2, ["John Doe", "Jane Doe"]),
    (CSV / "thunderbird_export.csv", "Thunderbird", 2, ["contact number one", "contact number two"]),
    (OWN / "linkedin_connections.csv", "LinkedIn", 3, ["Zoë Ångström", '"Tyler" Okafor', "Priya Raman"]),
    (OWN / "google_legacy_utf16.csv", "Google contacts (legacy", 2, ["Łukasz Nowak", "Mei Chen"]),
    (OWN / "google_contacts.csv", "Google contacts", 2, ["Amélie Dubois", "only-an-email@example.net"]),
    (OWN / "outlook_contacts.csv", "Outlook", 1, ["Søren Kierkegaard"]),
]


@pytest.mark.parametrize(("path", "layout", "created", "names"), CSV_CASES, ids=lambda v: getattr(v, "name", None))
def test_every_csv_layout(
    journal: Journal, now: datetime, path: Path, layout: str, created: int, names: list[str]
) -> None:
    report = run_import(journal, [path], now=now)
    assert report.created == created
    assert layout in report.files[0].format
    found = set(people(journal))
    assert {n for n in names if not n.startswith('"')} <= found


def test_csv_details(journal: Journal, now: datetime) -> None:
    run_import(journal, [CSV / "thunderbird_export.csv", CSV / "roundcube_outlook.csv"], now=now)
    found = people(journal)
    two = found["contact number two"]
    assert two.role == '"worker"' and two.notes == "here's some unicode text…"
    assert emails(found["test1@domain.tld"]) == ["test1@domain.tld", "test2@domain.tld", "test3@domain.tld"]


def test_linkedin_connections(journal: Journal, now: datetime) -> None:
    report = run_import(journal, [OWN / "linkedin_connections.csv"], now=now)
    skipped = [r for r in report.files[0].results if r.action == "skipped"]
    assert len(skipped) == 1 and "no name" in skipped[0].reason and skipped[0].line == 7
    found = people(journal)
    zoe = found["Zoë Ångström"]
    assert (zoe.organisation, zoe.role) == ("Nordlicht, GmbH", "Data Engineer")
    assert emails(zoe) == ["zoe@example.org"]
    assert "30 May 2024" in zoe.how_met
    assert [c.value for c in zoe.contact_points if c.kind == "url"] == [
        "https://www.linkedin.com/in/zoe-angstrom-0a1b2c"
    ]
    james = next(p for n, p in found.items() if "Okafor" in n)
    assert james.name == 'James "Tyler" Okafor' and james.role == "Head of Growth, EMEA"
    assert zoe.circle is None  # a bare import is a weak tie until placed


def test_google_csv_multi_values_and_labels(journal: Journal, now: datetime) -> None:
    run_import(journal, [OWN / "google_legacy_utf16.csv", OWN / "google_contacts.csv"], now=now)
    found = people(journal)
    lukasz = found["Łukasz Nowak"]
    assert emails(lukasz) == ["lukasz@example.pl", "l.nowak@work.example"]
    assert [t.name for t in lukasz.tags] == ["Conference"]
    assert (lukasz.organisation, lukasz.role) == ("Kraków Labs", "CTO")
    assert [t.name for t in found["Mei Chen"].tags] == []
    amelie = found["Amélie Dubois"]
    assert amelie.notes == "Two lines\nof notes, with a comma"
    assert [(d.year, d.month, d.day) for d in amelie.dates] == [(None, 6, 21)]
    assert amelie.addresses[0].locality == "Paris" and [t.name for t in amelie.tags] == ["Paris"]


def test_reimport_creates_no_duplicates(journal: Journal, now: datetime) -> None:
    files = [VCARD / "ezvcard_gmail-list.vcf", CSV / "thunderbird_export.csv", OWN / "linkedin_connections.csv"]
    first = run_import(journal, files, now=now)
    n = count(journal, Person)
    second = run_import(journal, files, now=now)
    assert count(journal, Person) == n
    assert second.created == 0 and second.updated == 0
    assert second.skipped == first.created + first.skipped
    assert any("already in the journal" in r.reason for f in second.files for r in f.results)


def test_the_row_reader_of_a_reimport_sees_people_as_the_orm_does(journal: Journal, now: datetime) -> None:
    # Re-imports read the people already there as plain rows (plan.people_data), not ORM objects:
    # every field, contact point, address, date, tag and the photo must read the same both ways.
    from netjournal.core.importers.plan import people_data
    from netjournal.core.journal import PersonData

    files = [
        VCARD / "ezvcard_gmail-list.vcf",
        VCARD / "vobject_vcard40_full.vcf",
        VCARD / "vobject_photo-test.vcf",
        CSV / "thunderbird_export.csv",
        OWN / "google_contacts.csv",
        OWN / "linkedin_connections.csv",
    ]
    run_import(journal, [f for f in files if f.exists()], now=now)
    with journal.read() as s:
        orm = {
            p.id: p
            for p in s.scalars(
                select(Person).options(
                    *(selectinload(getattr(Person, r)) for r in ("contact_points", "addresses", "dates", "tags"))
                )
            )
        }
        rows = people_data(s, sorted(orm))
        assert len(orm) > 10 and rows.keys() == orm.keys()
        assert any(p.addresses for p in orm.values()) and any(p.dates for p in orm.values())
        assert any(p.tags for p in orm.values()) and any(has for _, has in rows.values())
        for pid, p in orm.items():
            assert rows[pid] == (PersonData.from_person(p), p.photo is not None), p.name


def test_matching_fills_empty_fields_only(journal: Journal, now: datetime) -> None:
    with journal.session() as s:
        person(s, "Arnold Smith", now, organisation="Keep Me Ltd", notes="my own words")
        # Someone known only by their address (a card without a name is named by it).
        person(s, "chrisy55d@yahoo.com", now, emails=[("", "CHRISY55D@yahoo.com")])
    report = run_import(journal, [VCARD / "ezvcard_gmail-list.vcf"], now=now)
    assert (report.created, report.updated) == (1, 2)
    found = people(journal)
    assert found["Arnold Smith"].organisation == "Keep Me Ltd" and found["Arnold Smith"].notes == "my own words"
    assert emails(found["Arnold Smith"]) == ["asmithk@gmail.com"]
    assert "Chris Beatle" not in found and found["chrisy55d@yahoo.com"].given_name == "Chris"  # matched by e-mail


def test_dry_run_changes_nothing(journal: Journal, now: datetime) -> None:
    report = run_import(journal, [VCARD / "ezvcard_gmail-list.vcf"], now=now, dry_run=True)
    assert report.dry_run and report.created == 3
    assert [r.name for r in report.files[0].results] == ["Arnold Smith", "Chris Beatle", "Doug White"]
    assert count(journal, Person) == 0


def test_circle_for_the_whole_file(journal: Journal, now: datetime) -> None:
    run_import(journal, [VCARD / "ezvcard_gmail-list.vcf"], now=now, circle=150)
    assert {p.circle for p in people(journal).values()} == {150}


def test_progress_is_reported(journal: Journal, now: datetime) -> None:
    seen: list[tuple[int, int]] = []
    run_import(
        journal, [VCARD / "audriga_google_takeout_contacts.vcf"], now=now, progress=lambda a, b: seen.append((a, b))
    )
    assert seen[-1] == (18, 18)  # 9 cards read, 9 written
    assert [a for a, _ in seen] == sorted(a for a, _ in seen)


# ------------------------------------------------------------------------------------------ calendar

MEETINGS = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//test//EN\r
BEGIN:VEVENT\r
UID:past-1\r
DTSTART:20260302T090000Z\r
DTEND:20260302T093000Z\r
SUMMARY:Coffee with Arnold\r
LOCATION:Café Ümlaut\r
ORGANIZER;CN=Me:mailto:me@example.com\r
ATTENDEE;CN=Arnold:mailto:ASMITHK@gmail.com\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:future-1\r
DTSTART:20260320T150000Z\r
DTEND:20260320T160000Z\r
SUMMARY:Video call\r
LOCATION:https://meet.example.com/abc\r
ATTENDEE:mailto:dwhite@gmail.com\r
ATTENDEE:mailto:chrisy55d@yahoo.com\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:weekly-1\r
DTSTART:20260105T080000Z\r
RRULE:FREQ=WEEKLY\r
SUMMARY:Weekly sync\r
ATTENDEE:mailto:dwhite@gmail.com\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:stranger\r
DTSTART:20260301T080000Z\r
SUMMARY:Dentist\r
ATTENDEE:mailto:dentist@example.com\r
END:VEVENT\r
END:VCALENDAR\r
"""


def test_calendar_meetings_link_to_people(journal: Journal, now: datetime, tmp_path: Path) -> None:
    ics = tmp_path / "meetings.ics"
    ics.write_text(MEETINGS, encoding="utf-8")
    report = run_import(journal, [VCARD / "ezvcard_gmail-list.vcf", ics], now=now)
    results = {r.name: r for r in report.files[1].results}
    assert results["Dentist"].action == "skipped" and "no one" in results["Dentist"].reason
    with journal.read() as s:
        rows = {i.title: i for i in s.scalars(select(Interaction))}
        past, future, weekly = rows["Coffee with Arnold"], rows["Video call"], rows["Weekly sync"]
        assert past.state is InteractionState.DONE and [p.name for p in past.people] == ["Arnold Smith"]
        assert past.duration_min == 30 and past.location == "Café Ümlaut"
        assert future.state is InteractionState.PLANNED and len(future.people) == 2
        assert future.channel.value == "video"
        # a weekly series is imported once, at its next occurrence
        assert weekly.state is InteractionState.PLANNED and weekly.at.date().isoformat() == "2026-03-23"
    again = run_import(journal, [ics], now=now)
    assert again.created == 0 and count(journal, Interaction) == 3


@pytest.mark.parametrize("name", sorted(p.name for p in ICS.iterdir()))
def test_every_calendar_in_the_corpus_reads(journal: Journal, now: datetime, name: str) -> None:
    report = run_import(journal, [ICS / name], now=now, dry_run=True)
    assert report.files[0].format == "iCalendar"
    assert report.files[0].results and all(r.reason for r in report.files[0].results)


def test_calendar_attendees_match_people_from_corpus(journal: Journal, now: datetime) -> None:
    with journal.session() as s:
        person(s, "Karin Tran", now, emails=[("", "karin@audriga.com")])
    report = run_import(journal, [ICS / "audriga_google_takeout_calendar_primary.ics"], now=now)
    assert report.created == 1
    with journal.read() as s:
        meeting = s.scalars(select(Interaction)).one()
        assert meeting.title == "Test appointment" and [p.name for p in meeting.people] == ["Karin Tran"]


# ----------------------------------------------------------------------------------------- bad input


def _broken(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


def assert_refused(journal: Journal, now: datetime, paths: list[Path], *fragments: str) -> ImportProblem:
    before = count(journal, Person)
    with pytest.raises(ImportProblem) as err:
        run_import(journal, paths, now=now)
    assert count(journal, Person) == before
    for f in fragments:
        assert f in err.value.message
    return err.value


def test_truncated_vcard(journal: Journal, now: datetime, tmp_path: Path) -> None:
    data = (VCARD / "ezvcard_gmail-list.vcf").read_bytes()
    p = _broken(tmp_path, "cut.vcf", data[: data.rindex(b"END:VCARD")])
    err = assert_refused(journal, now, [VCARD / "vobject_vcard40_simple.vcf", p], "cut.vcf", "record 3", "cut short")
    assert err.line == 13


def test_malformed_card(journal: Journal, now: datetime, tmp_path: Path) -> None:
    p = _broken(
        tmp_path,
        "bad.vcf",
        b"BEGIN:VCARD\nVERSION:3.0\nFN:Ok\nEND:VCARD\nBEGIN:VCARD\nVERSION:3.0\nthis is no property\nEND:VCARD\n",
    )
    assert_refused(journal, now, [p], "bad.vcf", "record 2")


def test_binary_garbage(journal: Journal, now: datetime, tmp_path: Path) -> None:
    p = _broken(tmp_path, "contacts.vcf", bytes(range(256)) * 20)
    assert_refused(journal, now, [p], "contacts.vcf")


def test_text_in_no_known_encoding_is_refused(journal: Journal, now: datetime, tmp_path: Path) -> None:
    # 0x81 is undefined in both Windows code pages netjournal falls back to (and is not UTF-8).
    p = _broken(tmp_path, "Connections.csv", b"First Name,Last Name\nAna,Lee\nBo,K\x81m\n")
    assert_refused(journal, now, [p], "Connections.csv", "neither UTF-8 nor a Windows code page", "line 3")


def test_unknown_csv_layout(journal: Journal, now: datetime, tmp_path: Path) -> None:
    p = _broken(tmp_path, "sales.csv", b"sku,price,qty\nA1,3.50,2\n")
    assert_refused(journal, now, [p], "sales.csv", "columns netjournal does not recognise")


def test_csv_row_with_too_many_fields(journal: Journal, now: datetime, tmp_path: Path) -> None:
    p = _broken(tmp_path, "x.csv", b"First Name,Last Name,E-mail Address\nAna,Lee,a@x.org\nBo,Kim,b@x.org,surprise\n")
    assert_refused(journal, now, [p], "x.csv", "record 2", "line 3")


def test_truncated_csv_inside_quotes(journal: Journal, now: datetime, tmp_path: Path) -> None:
    p = _broken(tmp_path, "t.csv", b'First Name,Last Name,Notes\nAna,Lee,"a note that never\nends')
    assert_refused(journal, now, [p], "t.csv", "record 1")


def test_truncated_calendar(journal: Journal, now: datetime, tmp_path: Path) -> None:
    data = (ICS / "icalendar_example_holidays.ics").read_bytes()
    p = _broken(tmp_path, "cal.ics", data[: len(data) // 2])
    assert_refused(journal, now, [p], "cal.ics")


def test_not_a_contacts_file(journal: Journal, now: datetime, tmp_path: Path) -> None:
    p = _broken(tmp_path, "notes.txt", b"just some words\nwithout any structure\n")
    assert_refused(journal, now, [p], "notes.txt", "not a file netjournal can import")


def test_missing_file(journal: Journal, now: datetime, tmp_path: Path) -> None:
    assert_refused(journal, now, [tmp_path / "nope.vcf"], "nope.vcf", "no such file")


def test_a_bad_second_file_keeps_the_first_out_too(journal: Journal, now: datetime, tmp_path: Path) -> None:
    bad = _broken(tmp_path, "bad.ics", b"BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:2026\n")
    assert_refused(journal, now, [VCARD / "ezvcard_gmail-list.vcf", bad], "bad.ics")
    assert count(journal, Person) == 0


def test_duplicates_inside_one_import_become_one_person(journal: Journal, now: datetime, tmp_path: Path) -> None:
    p = tmp_path / "dups.vcf"
    p.write_text(
        "BEGIN:VCARD\nVERSION:3.0\nFN:Ana Lima\nEMAIL:ana@example.com\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:3.0\nFN:Ana L.\nEMAIL:ANA@example.com\nTEL:+351 912 345 678\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:3.0\nFN:ana lima\nEND:VCARD\n",
        encoding="utf-8",
    )
    report = run_import(journal, [p], now=now)
    assert [r.action for r in report.files[0].results] == ["created", "updated", "skipped"]
    found = people(journal)
    assert list(found) == ["Ana Lima"] and phones(found["Ana Lima"]) == ["+351 912 345 678"]


# ------------------------------------------------------------------------------------ fuzzed input

ALL_CORPUS = sorted(p for d in (VCARD, CSV, ICS) for p in d.iterdir()) + sorted(OWN.iterdir())


@pytest.mark.parametrize("source", ALL_CORPUS, ids=lambda p: p.name)
def test_any_truncation_is_read_or_refused_never_a_crash(source: Path, now: datetime, tmp_path: Path) -> None:
    from netjournal.core.importers import read_file

    data = source.read_bytes()
    target = tmp_path / source.name
    for cut in sorted({1, 7, len(data) // 3, len(data) // 2, len(data) - 9, len(data) - 1}):
        if not 0 < cut < len(data):
            continue
        target.write_bytes(data[:cut])
        try:
            read_file(target, now=now)
        except ImportProblem as exc:
            assert source.name in exc.message


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=300), st.sampled_from(["x.vcf", "x.csv", "x.ics", "x"]))
def test_random_bytes_are_refused_cleanly(tmp_path: Path, data: bytes, name: str) -> None:
    from netjournal.core.importers import read_file

    target = tmp_path / name
    target.write_bytes(data)
    with contextlib.suppress(ImportProblem):
        read_file(target, now=NOW)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200))
def test_random_card_bodies_are_imported_or_refused(journal: Journal, tmp_path: Path, body: str) -> None:
    target = tmp_path / "x.vcf"
    target.write_text(f"BEGIN:VCARD\nVERSION:3.0\nFN:x\n{body}\nEND:VCARD\n", encoding="utf-8")
    with contextlib.suppress(ImportProblem):
        run_import(journal, [target], now=NOW)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.sampled_from(
            [
                "BDAY:2001-02-30",
                "BDAY:--0229",
                "EMAIL:",
                "TEL:+1",
                "N:;;;;",
                "ORG:;",
                "ADR:;;;;;;",
                "CATEGORIES:,",
                "NOTE:\\n",
                "FN:",
                "NICKNAME:,",
                "URL:http\\://x",
                "PHOTO;ENCODING=b:!!",
                "X-ABDATE:1604-01-01",
                "KIND:individual",
                "UID:",
                "TITLE:" + "x" * 400,
            ]
        ),
        max_size=6,
    )
)
def test_odd_but_plausible_properties(journal: Journal, tmp_path: Path, lines: list[str]) -> None:
    target = tmp_path / "odd.vcf"
    body = "\n".join(lines)
    target.write_text(f"BEGIN:VCARD\nVERSION:3.0\nFN:Odd\n{body}\nEND:VCARD\n", encoding="utf-8")
    with contextlib.suppress(ImportProblem):
        run_import(journal, [target], now=NOW)


def test_imported_people_are_searchable_by_every_field(journal: Journal, now: datetime) -> None:
    from netjournal.core.search import search

    run_import(journal, [VCARD / "vobject_vcard40_full.vcf", OWN / "google_legacy_utf16.csv"], now=now)
    with journal.read() as s:
        for query in ("johnny@personal", "networking", "vcards", "kraków labs", "conference", "Lukasz"):
            assert [h.kind for h in search(s, query)] == ["person"], query


def test_a_large_import_indexes_everyone_across_its_batches(journal: Journal, now: datetime, tmp_path: Path) -> None:
    # People are written in multi-row batches (core/importers/bulk.py); the search index must hold each
    # of them, with their e-mail and tags, exactly as one written on their own would be.
    from netjournal.core.search import search

    cards = "".join(
        f"BEGIN:VCARD\nVERSION:3.0\nFN:Reader {i}\nEMAIL:reader{i}@example.org\nCATEGORIES:batch{i % 7}\nEND:VCARD\n"
        for i in range(1, 1203)
    )
    (tmp_path / "many.vcf").write_text(cards, encoding="utf-8")
    run_import(journal, [tmp_path / "many.vcf"], now=now)
    with journal.read() as s:
        indexed = s.execute(text("SELECT count(*) FROM search_index WHERE rowid % 8 = 1")).scalar_one()
        assert indexed == 1202
        for i in (1, 999, 1000, 1001, 1202):
            assert [h.name for h in search(s, f"reader{i}@example.org")] == [f"Reader {i}"]
        assert len(search(s, "batch3", limit=1000)) == len(range(3, 1203, 7))


def test_calendar_import_leaves_waiting_for_a_reply_alone(journal: Journal, now: datetime, tmp_path: Path) -> None:
    from netjournal.core.models import PersonStatus

    with journal.session() as s:
        person(s, "Arnold Smith", now, emails=[("", "asmithk@gmail.com")], status=PersonStatus.WAITING)
    ics = tmp_path / "m.ics"
    ics.write_text(MEETINGS, encoding="utf-8")
    assert run_import(journal, [ics], now=now).created == 1
    assert people(journal)["Arnold Smith"].status is PersonStatus.WAITING
