"""Two-way contact sync against real Radicale and Xandikos servers."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from netjournal.core.db import Journal
from netjournal.core.models import Person
from tests.factories import person
from tests.sync.helpers import add_account, names, people, sync
from tests.sync.servers import Server, vcard


def test_first_sync_both_ways_keeps_namesakes_apart_and_the_second_changes_nothing(
    dav_server: Server, journal: Journal, now: datetime
) -> None:
    book = dav_server.make_addressbook()
    dav_server.put_vcard(book, "a.vcf", vcard("phone-a", "Ana Müller", email="ana@acme.example", tel="+49 30 1234567"))
    dav_server.put_vcard(book, "s1.vcf", vcard("phone-s", "Sam Lee", email="sam@one.example"))
    dav_server.put_vcard(book, "b.vcf", vcard("phone-b", "Bea Stone", tel="+44 20 7946 0000"))
    with journal.session() as s:
        person(s, "Ana Müller", now, emails=[("work", "ana@acme.example")], notes="likes sailing; FORD secret")
        person(s, "Sam Lee", now, emails=[("", "sam@two.example")], ford_family="two kids")
        person(s, "Kim Park", now, phones=[("mobile", "+1 555 0100")])
    add_account(journal, dav_server, book, now)

    first = sync(journal, now)
    assert sorted(first.down_added) == ["Bea Stone", "Sam Lee"]  # the server's Sam is someone else
    assert first.down_updated == ["Ana Müller"]  # her phone came from the server; she was matched, not copied
    assert sorted(first.up_added) == ["Kim Park", "Sam Lee"]
    assert names(journal) == ["Ana Müller", "Bea Stone", "Kim Park", "Sam Lee", "Sam Lee"]
    ana = people(journal)["Ana Müller"]
    assert {cp.value for cp in ana.contact_points} == {"ana@acme.example", "+49 30 1234567"}

    on_server = [dav_server.get(h)[2] for h in dav_server.list_hrefs(book)]
    assert len(on_server) == 5
    text = "\n".join(on_server)
    assert "Kim Park" in text and "+1 555 0100" in text
    assert "sailing" not in text and "two kids" not in text and "FORD" not in text  # notes never leave

    second = sync(journal, now)
    assert not second.changed and not second.conflicts, second
    assert names(journal) == ["Ana Müller", "Bea Stone", "Kim Park", "Sam Lee", "Sam Lee"]
    assert len(dav_server.list_hrefs(book)) == 5


def _setup(server: Server, journal: Journal, now: datetime) -> str:
    book = server.make_addressbook()
    server.put_vcard(book, "ana.vcf", vcard("phone-ana", "Ana Müller", email="ana@acme.example", org="Acme"))
    add_account(journal, server, book, now)
    sync(journal, now)
    return book


def _edit(journal: Journal, name: str, now: datetime, **changes: object) -> None:
    from netjournal.core.journal import PersonData, update_person

    with journal.session() as s:
        p = s.scalar(select(Person).where(Person.name == name, Person.deleted_at.is_(None)))
        assert p is not None
        data = PersonData.from_person(p)
        for k, v in changes.items():
            setattr(data, k, v)
        update_person(s, p.id, data, now=now)


def _pid(journal: Journal, name: str) -> int:
    with journal.sessions() as s:
        pid = s.scalar(select(Person.id).where(Person.name == name))
        assert pid is not None
        return pid


def test_edits_travel_both_ways(dav_server: Server, journal: Journal, now: datetime) -> None:
    book = _setup(dav_server, journal, now)
    href = f"{book}ana.vcf"
    # On the phone: a new phone number. Here: a new title.
    card = vcard("phone-ana", "Ana Müller", email="ana@acme.example", org="Acme", tel="+49 30 999")
    dav_server.put_vcard(book, "ana.vcf", card.replace("END:VCARD", "NOTE:from the phone\r\nEND:VCARD"))
    _edit(journal, "Ana Müller", now, role="Head of Robots")
    r = sync(journal, now)
    assert r.down_updated == ["Ana Müller"] and r.up_updated == ["Ana Müller"] and not r.conflicts
    ana = people(journal)["Ana Müller"]
    assert ana.role == "Head of Robots" and "+49 30 999" in {cp.value for cp in ana.contact_points}
    assert ana.notes == ""  # the phone's note is no card field netjournal takes
    _, _, text = dav_server.get(href)
    assert "Head of Robots" in text and "+49 30 999" in text and "from the phone" in text  # nothing lost there
    assert not sync(journal, now).changed


def test_a_conflict_keeps_both_values_until_the_user_chooses(
    dav_server: Server, journal: Journal, now: datetime
) -> None:
    from netjournal.core.sync.choices import choose, person_sync

    book = _setup(dav_server, journal, now)
    dav_server.put_vcard(book, "ana.vcf", vcard("phone-ana", "Ana Müller", email="ana@acme.example", org="Initech"))
    _edit(
        journal, "Ana Müller", now, organisation="Globex", emails=[("", "ana@acme.example"), ("", "ana@home.example")]
    )
    r = sync(journal, now)
    assert r.conflicts == ["Ana Müller"]
    assert people(journal)["Ana Müller"].organisation == "Globex"  # nothing overwritten here...
    _, _, text = dav_server.get(f"{book}ana.vcf")
    assert "ORG:Initech" in text and "ana@home.example" in text  # ...nor there; the new address went up
    with journal.sessions() as s:
        state = person_sync(s, _pid(journal, "Ana Müller"))
    [c] = state.choices
    assert (c.words, c.journal, c.server, c.account) == ("organisation", "Globex", "Initech", "home")
    assert not sync(journal, now).changed  # an open choice is not sent back and forth
    with journal.session() as s:
        choose(s, c.link_id, c.field, keep_server=False, now=now)
    r = sync(journal, now)
    assert r.up_updated == ["Ana Müller"]
    assert "ORG:Globex" in dav_server.get(f"{book}ana.vcf")[2]
    with journal.sessions() as s:
        assert person_sync(s, _pid(journal, "Ana Müller")).choices == []
    assert not sync(journal, now).changed


def test_a_card_changed_between_reading_and_writing_is_merged_not_overwritten(
    radicale_server: Server, journal: Journal, now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    from netjournal.core.sync import contacts

    book = _setup(radicale_server, journal, now)
    _edit(journal, "Ana Müller", now, role="CTO")
    real_up = contacts._up

    def up_after_a_phone_edit(*args: object, **kw: object) -> None:
        radicale_server.put_vcard(
            book, "ana.vcf", vcard("phone-ana", "Ana Müller", email="ana@acme.example", org="Acme", tel="+49 30 555")
        )
        real_up(*args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(contacts, "_up", up_after_a_phone_edit)
    sync(journal, now)  # the PUT gets 412, the card is fetched and merged, then written
    monkeypatch.setattr(contacts, "_up", real_up)
    text = radicale_server.get(f"{book}ana.vcf")[2]
    assert "CTO" in text and "+49 30 555" in text
    assert "+49 30 555" in {cp.value for cp in people(journal)["Ana Müller"].contact_points}
    assert not sync(journal, now).changed


def test_deletes_both_ways_lose_no_journal(dav_server: Server, journal: Journal, now: datetime) -> None:
    from netjournal.core.journal import restore, trash
    from netjournal.core.sync.choices import person_sync
    from tests.factories import meeting

    book = _setup(dav_server, journal, now)
    dav_server.put_vcard(book, "bea.vcf", vcard("phone-bea", "Bea Stone", email="bea@example.org"))
    sync(journal, now)
    with journal.session() as s:
        bea = s.scalar(select(Person).where(Person.name == "Bea Stone"))
        assert bea is not None
        meeting(s, bea, now, notes="coffee by the river")
    # Deleted on the phone: unlinked here, the journal stays.
    assert dav_server.delete(f"{book}bea.vcf") in (200, 204)
    r = sync(journal, now)
    assert r.down_unlinked == ["Bea Stone"] and "Bea Stone" in names(journal)
    with journal.sessions() as s:
        assert person_sync(s, _pid(journal, "Bea Stone")).unlinked_from == ["home"]
    r = sync(journal, now)
    assert not r.changed and f"{book}bea.vcf" not in dav_server.list_hrefs(book)  # not sent back up

    # Moved to the trash here: deleted on the server; restored: put back.
    with journal.session() as s:
        batch = trash(s, "person", _pid(journal, "Ana Müller"), now=now)
    assert sync(journal, now).up_deleted == ["Ana Müller"]
    assert dav_server.list_hrefs(book) == []
    assert not sync(journal, now).changed
    with journal.session() as s:
        restore(s, batch)
    assert sync(journal, now).up_restored == ["Ana Müller"]
    [href] = dav_server.list_hrefs(book)
    assert "Ana Müller" in dav_server.get(href)[2]
    assert not sync(journal, now).changed
    assert names(journal) == ["Ana Müller", "Bea Stone"]


def test_an_expired_sync_token_means_a_full_resync_that_changes_nothing_twice(
    dav_server: Server, journal: Journal, now: datetime
) -> None:
    from netjournal.core.models import SyncCollection

    book = _setup(dav_server, journal, now)
    with journal.session() as s:
        for col in s.scalars(select(SyncCollection)):
            assert col.sync_token  # both servers have sync-collection
            col.sync_token = col.sync_token[:-6] + "ffffff"
    dav_server.put_vcard(book, "cy.vcf", vcard("phone-cy", "Cy Twombly", email="cy@example.org"))
    r = sync(journal, now)
    assert r.down_added == ["Cy Twombly"] and not r.down_updated and not r.up_added and not r.up_updated
    assert names(journal) == ["Ana Müller", "Cy Twombly"]
    assert not sync(journal, now).changed


def test_a_card_that_cannot_be_used_is_skipped_and_named(dav_server: Server, journal: Journal, now: datetime) -> None:
    book = dav_server.make_addressbook()
    dav_server.put_vcard(
        book, "empty.vcf", "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:nobody\r\nFN:\r\nN:;;;;\r\nEND:VCARD\r\n"
    )
    dav_server.put_vcard(book, "ok.vcf", vcard("phone-ok", "Dee Ok", email="dee@example.org"))
    add_account(journal, dav_server, book, now)
    r = sync(journal, now, ok=False)
    assert not r.problem and r.down_added == ["Dee Ok"]
    assert len(r.skipped) == 1 and "empty.vcf" in r.skipped[0] and "no name" in r.skipped[0]


def test_a_stopped_server_is_a_plain_problem_naming_the_account(
    radicale_server: Server, journal: Journal, now: datetime
) -> None:
    _setup(radicale_server, journal, now)
    radicale_server.stop()
    r = sync(journal, now, ok=False)
    assert r.problem.startswith("home:") and "could not be reached" in r.problem
    assert names(journal) == ["Ana Müller"]


def test_a_self_signed_certificate_is_refused(radicale_tls_server: Server, journal: Journal, now: datetime) -> None:
    from netjournal.core.sync import accounts
    from netjournal.core.sync.dav import SyncProblem
    from tests.sync.servers import PASSWORD, USER

    with pytest.raises(SyncProblem, match=r"^home: the server's certificate could not be verified"):
        accounts.probe("home", radicale_tls_server.url, USER, PASSWORD, False)


def test_with_an_account_connections_go_only_to_its_host(
    radicale_server: Server, journal: Journal, now: datetime, connections: list[object]
) -> None:
    _setup(radicale_server, journal, now)
    assert connections and {tuple(c)[:2] for c in connections} == {("127.0.0.1", radicale_server.port)}  # type: ignore[arg-type]


def test_a_server_that_does_not_answer_is_a_timeout_naming_the_account(journal: Journal, now: datetime) -> None:
    import socket

    from netjournal.core.models import SyncAccount
    from netjournal.core.sync.run import sync_one

    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(5)  # accepts connections, never answers
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/"
        with journal.session() as s:
            s.add(SyncAccount(name="slow", url=url, username="ana", password="x", created_at=now, last_problem=""))
        r = sync_one(journal, "slow", now=now, timeout=1)
    assert r.problem.startswith("slow:") and "did not answer in time" in r.problem
