"""Two-way contact sync against real Radicale and Xandikos servers."""

from __future__ import annotations

from datetime import datetime

from netjournal.core.db import Journal
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
