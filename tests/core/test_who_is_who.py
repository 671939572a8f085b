"""Who is who: namesakes stay apart, shared numbers and mailboxes link no one, UIDs are unique, Unicode
and case never make two people of one, and the order of records never changes who is who."""

from __future__ import annotations

import shutil
import sqlite3
import unicodedata
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from netjournal.core.db import Journal, open_journal
from netjournal.core.exporters import export_to
from netjournal.core.identity import names_compatible, normalize_phone
from netjournal.core.importers import ImportReport, run_import
from netjournal.core.journal import PersonData, create_person, live_people, update_person
from netjournal.core.merge import merge_candidates
from netjournal.core.models import Interaction, Person
from netjournal.core.paths import DataDir
from tests.conftest import FIXTURES, NOW
from tests.factories import person


def card(name: str = "", *, email: str = "", tel: str = "", org: str = "", uid: str = "", note: str = "") -> str:
    fn = name.replace(",", "\\,")
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"FN:{fn}" if name else ""]
    lines += [f"EMAIL:{email}" if email else "", f"TEL:{tel}" if tel else "", f"ORG:{org}" if org else ""]
    lines += [f"UID:{uid}" if uid else "", f"NOTE:{note}" if note else "", "END:VCARD"]
    return "\n".join(x for x in lines if x) + "\n"


def write(tmp_path: Path, name: str, *cards: str) -> Path:
    path = tmp_path / name
    path.write_text("".join(cards), encoding="utf-8")
    return path


def everyone(journal: Journal) -> list[tuple[str, list[str], list[str], str]]:
    """(name, e-mails, phones, organisation) of everyone, sorted."""
    with journal.read() as s:
        people = s.scalars(live_people().options(selectinload(Person.contact_points)))
        return sorted(
            (
                p.name,
                sorted(c.value for c in p.contact_points if c.kind == "email"),
                sorted(c.value for c in p.contact_points if c.kind == "phone"),
                p.organisation,
            )
            for p in people
        )


def reasons(report: ImportReport) -> list[str]:
    return [r.reason for f in report.files for r in f.results]


@pytest.mark.parametrize(
    ("a", "b", "fits"),
    [
        ("Sam Lee", "sam lee", True),
        ("Sam Lee", "Lee, Sam", True),
        ("S. Lee", "Sam Lee", True),
        ("Sam Lee", "Sam J. Lee", True),
        ("José García", "Jose Garcia", True),
        ("", "Anyone", True),
        ("山田太郎", "山田 太郎", True),
        ("Sam Lee", "Sue Lee", False),
        ("Sam Lee", "Sam Leeds", False),
        ("S L", "Sam Lee", False),
        ("Alex Kim", "Jo Kim", False),
    ],
)
def test_which_names_fit_one_person(a: str, b: str, fits: bool) -> None:
    assert names_compatible(a, b) is fits and names_compatible(b, a) is fits


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("+44 7700 900123", "07700 900123"),
        ("+1 (415) 555-0100 ext. 12", "415.555.0100"),
        ("０９０−１２３４−５６７８", "090-1234-5678"),
        ("tel:+49-30-1234567", "030 1234567"),
    ],
)
def test_phone_numbers_compare_by_their_digits(a: str, b: str) -> None:
    assert normalize_phone(a) == normalize_phone(b)


# ------------------------------------------------------------------------------------------ namesakes


def test_namesakes_in_one_file_stay_two_people(journal: Journal, now: datetime, tmp_path: Path) -> None:
    f = write(
        tmp_path,
        "two-sams.vcf",
        card("Sam Lee", email="sam@acme.example", org="Acme"),
        card("Sam Lee", email="sam.lee@beta.example", org="Beta"),
    )
    report = run_import(journal, [f], now=now)
    assert report.created == 2
    assert sorted(p[3] for p in everyone(journal)) == ["Acme", "Beta"]
    assert "possible duplicate of Sam Lee (same name)" in reasons(report)[1]


def test_namesakes_across_imports_stay_two_people(journal: Journal, now: datetime, tmp_path: Path) -> None:
    run_import(journal, [write(tmp_path, "a.vcf", card("Sam Lee", email="sam@acme.example", org="Acme"))], now=now)
    second = run_import(
        journal, [write(tmp_path, "b.vcf", card("Sam Lee", email="sam.lee@beta.example", org="Beta"))], now=now
    )
    assert second.created == 1 and len(everyone(journal)) == 2
    assert "possible duplicate of Sam Lee (same name)" in reasons(second)[0]


def test_a_bare_name_that_fits_two_namesakes_is_neither(journal: Journal, now: datetime, tmp_path: Path) -> None:
    f = write(
        tmp_path,
        "three.vcf",
        card("Sam Lee", email="sam@acme.example", org="Acme"),
        card("Sam Lee", note="met at the meetup"),
        card("Sam Lee", email="sam.lee@beta.example", org="Beta"),
    )
    report = run_import(journal, [f], now=now)
    assert report.created == 3, "the card with only a name could be either Sam: it is not guessed"
    assert "possible duplicate of" in reasons(report)[1]


def test_the_same_name_with_nothing_conflicting_is_one_person(journal: Journal, now: datetime, tmp_path: Path) -> None:
    f = write(tmp_path, "one.vcf", card("Sam Lee", email="sam@acme.example", org="Acme"), card("sam lee", org="Acme"))
    assert run_import(journal, [f], now=now).created == 1


# -------------------------------------------------------------------------------- shared identifiers


def test_colleagues_sharing_an_office_phone_stay_apart(journal: Journal, now: datetime, tmp_path: Path) -> None:
    office = "+44 20 7946 0000"
    f = write(
        tmp_path,
        "office.vcf",
        card("Ana Lima", tel=office, org="Acme"),
        card("Ben Okoro", tel=office, org="Acme"),
        card("Chen Wei", tel=office, org="Acme"),
    )
    report = run_import(journal, [f], now=now)
    assert report.created == 3 and [p[0] for p in everyone(journal)] == ["Ana Lima", "Ben Okoro", "Chen Wei"]
    assert "possible duplicate of Ana Lima (same phone)" in reasons(report)[1]
    later = run_import(journal, [write(tmp_path, "d.vcf", card("Dee Park", tel="020 7946 0000"))], now=now)
    assert later.created == 1 and "(same phone)" in reasons(later)[0]


def test_namesakes_at_one_office_number_stay_apart(journal: Journal, now: datetime, tmp_path: Path) -> None:
    office = "+44 20 7946 0000"
    f = write(
        tmp_path,
        "office.vcf",
        card("Sam Lee", tel=office, email="sam@acme.example", org="Acme"),
        card("Sam Lee", tel=office, email="samuel.lee@acme-labs.example", org="Acme Labs"),
    )
    report = run_import(journal, [f], now=now)
    assert report.created == 2
    assert "possible duplicate of Sam Lee (same phone)" in reasons(report)[1]


def test_a_couple_sharing_a_home_phone_and_a_team_mailbox_link_no_one(
    journal: Journal, now: datetime, tmp_path: Path
) -> None:
    with journal.session() as s:
        person(s, "Alex Kim", now, phones=[("home", "+1 415 555 0100")])
        person(s, "Rita Sousa", now, emails=[("work", "team@studio.example")])
    f = write(
        tmp_path,
        "home.vcf",
        card("Jo Kim", tel="(415) 555-0100"),
        card("Tom Berg", email="TEAM@studio.example"),
    )
    report = run_import(journal, [f], now=now)
    assert report.created == 2 and len(everyone(journal)) == 4
    assert reasons(report) == [
        "not in the journal yet; possible duplicate of Alex Kim (same phone)",
        "not in the journal yet; possible duplicate of Rita Sousa (same e-mail)",
    ]


def test_a_mailbox_many_names_share_is_no_hint_and_links_no_one(
    journal: Journal, now: datetime, tmp_path: Path
) -> None:
    # A helpdesk address on every card of a company export: more names than one person goes by.
    names = [f"{first} {last}" for first in ("Ana", "Ben", "Chen", "Dee", "Eli") for last in ("Lima", "Okoro", "Wei")]
    cards = [card(n, email="help@acme.example", tel=f"+44 7700 9001{k:02d}") for k, n in enumerate(names)]
    cards.append(card("A. Lima", email="help@acme.example"))  # fits Ana Lima, but only by the shared line
    report = run_import(journal, [write(tmp_path, "acme.vcf", *cards)], now=now)
    assert report.created == len(names) + 1
    assert not [r for r in reasons(report) if "possible duplicate" in r]
    # Below that, the address still links the names that fit and hints at the rest.
    few = run_import(
        journal,
        [
            write(
                tmp_path,
                "two.vcf",
                card("Rui Costa", email="desk@b.example"),
                card("Rui Costa", email="desk@b.example", tel="+351 912 345 678"),
                card("Ivo Sa", email="desk@b.example"),
            )
        ],
        now=now,
    )
    assert few.created == 2 and "possible duplicate of Rui Costa (same e-mail)" in reasons(few)[2]


def test_a_meeting_with_a_shared_mailbox_is_linked_to_no_one_by_it(
    journal: Journal, now: datetime, tmp_path: Path
) -> None:
    with journal.session() as s:
        person(s, "Rita Sousa", now, emails=[("", "team@studio.example")])
        person(s, "Tom Berg", now, emails=[("", "team@studio.example")])
    ics = tmp_path / "m.ics"
    ics.write_text(
        "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:x\nBEGIN:VEVENT\nUID:m1\nDTSTART:20260310T100000Z\n"
        "SUMMARY:Studio sync\nATTENDEE:mailto:team@studio.example\nEND:VEVENT\nEND:VCALENDAR\n",
        encoding="utf-8",
    )
    report = run_import(journal, [ics], now=now)
    assert report.created == 0 and "belongs to several people" in reasons(report)[0]
    with journal.read() as s:
        assert s.scalars(select(Interaction)).all() == []


def test_compatible_names_with_a_shared_address_or_number_are_one(
    journal: Journal, now: datetime, tmp_path: Path
) -> None:
    with journal.session() as s:
        person(s, "Sam Lee", now, emails=[("", "sam@acme.example")], phones=[("", "+44 7700 900123")])
    f = write(
        tmp_path,
        "same.vcf",
        card("S. Lee", email="SAM@Acme.example"),
        card("Lee, Sam", tel="07700 900123"),
        card("sam@acme.example", email="sam@acme.example", note="no name on this card"),
    )
    report = run_import(journal, [f], now=now)
    assert report.created == 0 and len(everyone(journal)) == 1


# ------------------------------------------------------------------------------------------------ UIDs


def _journal_with_one(tmp_path: Path, name: str, email: str) -> Path:
    j = open_journal(DataDir(tmp_path / name).ensure())
    try:
        with j.session() as s:
            create_person(s, PersonData(name=name, emails=[("", email)]), now=NOW)
        with j.read() as s:
            return export_to(s, "vcard", tmp_path / f"{name}.vcf", now=NOW)
    finally:
        j.close()


def test_exports_of_two_journals_do_not_merge_their_first_people(
    journal: Journal, now: datetime, tmp_path: Path
) -> None:
    a = _journal_with_one(tmp_path, "Ada", "ada@example.org")
    b = _journal_with_one(tmp_path, "Bea", "bea@example.org")
    assert run_import(journal, [a, b], now=now).created == 2
    assert run_import(journal, [a, b], now=now).created == 0


def test_every_person_has_a_unique_uid_that_exports_write_and_imports_match(
    journal: Journal, now: datetime, tmp_path: Path
) -> None:
    with journal.session() as s:
        ids = [person(s, f"P{i}", now).id for i in range(3)]
    run_import(journal, [write(tmp_path, "x.vcf", card("Imported One"), card("Imported Two"))], now=now)
    with journal.read() as s:
        uids = [p.uid for p in s.scalars(select(Person))]
        out = export_to(s, "vcard", tmp_path / "out.vcf", now=now)
    assert len(set(uids)) == len(uids) == 5 and all(u.startswith("urn:uuid:") for u in uids)
    text = out.read_text(encoding="utf-8")
    assert all(f"UID:{u}" in text for u in uids) and "netjournal-person-" not in text
    with journal.session() as s:  # renamed after the export: the UID still finds them
        p = s.get(Person, ids[0])
        assert p is not None
        data = PersonData.from_person(p)
        data.name = "Renamed Person"
        update_person(s, p.id, data, now=now)
    again = run_import(journal, [out], now=now)
    assert (
        again.created == 0
        and "already in the journal (same UID"
        in reasons(again)[[r.name for r in again.files[0].results].index("Renamed Person")]
    )


def test_an_old_export_with_row_number_uids_matches_by_e_mail_not_by_row(
    journal: Journal, now: datetime, tmp_path: Path
) -> None:
    with journal.session() as s:  # imported earlier from another journal's old export
        person(s, "Kim Park", now, emails=[("", "kim@example.org")], source_uid="netjournal-person-1")
    old = write(tmp_path, "old.vcf", card("Someone Else", email="else@example.org", uid="netjournal-person-1"))
    assert run_import(journal, [old], now=now).created == 1


def test_migration_gives_existing_people_unique_uids(data_dir: DataDir) -> None:
    shutil.copyfile(FIXTURES / "schema_reconnect_1.sqlite3", data_dir.database)
    j = open_journal(data_dir)
    try:
        with j.read() as s:
            uids = list(s.scalars(select(Person.uid)))
        assert uids and len(set(uids)) == len(uids) and all(u.startswith("urn:uuid:") for u in uids)
    finally:
        j.close()
    db = sqlite3.connect(data_dir.database)
    try:
        with pytest.raises(sqlite3.IntegrityError):
            db.execute("UPDATE people SET uid = (SELECT uid FROM people LIMIT 1)")
    finally:
        db.close()


def test_an_older_json_backup_without_uids_gets_them_on_restore(journal: Journal, now: datetime) -> None:
    import io
    import json

    from netjournal.core.exporters import export_json, import_json_backup

    with journal.session() as s:
        person(s, "Ann", now)
        person(s, "Bo", now)
    buf = io.StringIO()
    with journal.read() as s:
        export_json(s, buf, now=now)
    doc = json.loads(buf.getvalue())
    for row in doc["tables"]["people"]:
        del row["uid"]
    other = open_journal(DataDir(Path(str(journal.data_dir.root) + "-restored")).ensure())
    try:
        with other.session() as s:
            import_json_backup(s, json.dumps(doc).encode())
        with other.read() as s:
            uids = list(s.scalars(select(Person.uid)))
        assert len(set(uids)) == 2 and all(u.startswith("urn:uuid:") for u in uids)
    finally:
        other.close()


# -------------------------------------------------------------------------------------- Unicode, case


def test_composed_and_decomposed_names_and_email_case_are_one_person(
    journal: Journal, now: datetime, tmp_path: Path
) -> None:
    nfd = unicodedata.normalize("NFD", "José Núñez")
    nfc = unicodedata.normalize("NFC", "José Núñez")
    assert nfd != nfc
    run_import(journal, [write(tmp_path, "mac.vcf", card(nfd, email="Jose@Example.ORG"))], now=now)
    second = run_import(
        journal, [write(tmp_path, "win.vcf", card(nfc, email="jose@example.org", tel="123456789"))], now=now
    )
    assert second.created == 0 and len(everyone(journal)) == 1
    with journal.read() as s:
        p = s.scalars(live_people()).one()
        assert p.name == nfc, "names are stored composed (NFC)"
    with journal.session() as s:  # typed in the other form, it still finds them
        other = person(s, unicodedata.normalize("NFD", "Zoë Ávila"), now)
        assert other.name == unicodedata.normalize("NFC", "Zoë Ávila")
        assert {c.id for c in merge_candidates(s, other.id)} == set()


# ------------------------------------------------------------------------------ order never matters

NAMES = ["Sam Lee", "S. Lee", "Lee, Sam", "Sue Lee", "sam lee", "Ana Lima", ""]
EMAILS = ["", "", "sam@acme.example", "sam@beta.example", "team@x.example"]
PHONES = ["", "", "+44 20 7946 0000", "07700 900123"]
ORGS = ["", "Acme", "Beta"]


@st.composite
def records(draw: st.DrawFn) -> list[str]:
    out = []
    for _ in range(draw(st.integers(2, 7))):
        name, email, tel = draw(st.sampled_from(NAMES)), draw(st.sampled_from(EMAILS)), draw(st.sampled_from(PHONES))
        if not (name or email or tel):
            name = "Sam Lee"
        out.append(card(name, email=email, tel=tel, org=draw(st.sampled_from(ORGS))))
    return out


def _people_from(journal: Journal, path: Path) -> list[list[str]]:
    """Which records became one person (as record texts), from a dry run."""
    report = run_import(journal, [path], now=NOW, dry_run=True)
    cards = path.read_text(encoding="utf-8").split("END:VCARD\n")
    groups: dict[int, list[str]] = {}
    for r in report.files[0].results:
        assert r.item_id is not None
        groups.setdefault(r.item_id, []).append(cards[r.record - 1])
    return sorted(sorted(g) for g in groups.values())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cards=records(), order=st.randoms(use_true_random=False))
def test_importing_the_same_records_in_any_order_gives_the_same_people(
    journal: Journal, tmp_path: Path, cards: list[str], order: object
) -> None:
    with journal.session() as s:
        if not s.scalars(live_people()).first():
            person(s, "Sam Lee", NOW, emails=[("", "sam@acme.example")], organisation="Acme")
    shuffled = list(cards)
    order.shuffle(shuffled)  # type: ignore[attr-defined]
    a = _people_from(journal, write(tmp_path, "a.vcf", *cards))
    b = _people_from(journal, write(tmp_path, "b.vcf", *shuffled))
    assert a == b
    # And what is written is the same too.
    first = open_journal(DataDir(tmp_path / "one").ensure())
    second = open_journal(DataDir(tmp_path / "two").ensure())
    try:
        run_import(first, [tmp_path / "a.vcf"], now=NOW)
        run_import(second, [tmp_path / "b.vcf"], now=NOW)
        assert everyone(first) == everyone(second)
    finally:
        first.close()
        second.close()
        shutil.rmtree(tmp_path / "one")
        shutil.rmtree(tmp_path / "two")


def test_thousands_of_copies_of_one_card_are_one_person_quickly(journal: Journal, tmp_path: Path) -> None:
    import time

    f = write(tmp_path, "copies.vcf", *[card("Sam Lee", email="sam@x.example", tel="+44 7700 900123")] * 3000)
    start = time.perf_counter()
    report = run_import(journal, [f], now=NOW)
    assert report.created == 1 and report.skipped == 2999
    assert time.perf_counter() - start < 20, "matching must not compare every copy with every other"


def test_a_phone_number_reads_the_same_digits_in_any_script() -> None:
    # ASCII numbers take a fast path; other scripts' digits are still read one by one.
    assert normalize_phone("+44 (0) 7700-900 123 ext. 5") == normalize_phone("٤٤٠٧٧٠٠٩٠٠١٢٣")
    assert normalize_phone("tel:+49 30 1234567") == normalize_phone("+４９ ３０ １２３４５６７")
    assert normalize_phone("call me") == ""
