"""The test servers themselves: they start, require the password, and hold what is PUT into them."""

from __future__ import annotations

import uuid

from tests.sync.servers import Server, vcard


def test_server_requires_the_password(dav_server: Server) -> None:
    status, _, _ = dav_server.request("PROPFIND", dav_server.principal, b"", {"Depth": "0"}, auth=False)
    assert status == 401


def test_fresh_addressbook_holds_a_card(dav_server: Server) -> None:
    book = dav_server.make_addressbook()
    assert dav_server.list_hrefs(book) == []
    uid = str(uuid.uuid4())
    dav_server.put_vcard(book, f"{uid}.vcf", vcard(uid, "Ana Müller", email="ana@example.org"))
    assert dav_server.list_hrefs(book) == [f"{book}{uid}.vcf"]
    status, etag, body = dav_server.get(f"{book}{uid}.vcf")
    assert status == 200 and "Ana Müller" in body and etag


def test_fresh_calendar_holds_an_event(dav_server: Server) -> None:
    cal = dav_server.make_calendar()
    ics = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//tests//EN\r\nBEGIN:VEVENT\r\nUID:e1\r\n"
        "DTSTAMP:20260316T100000Z\r\nDTSTART:20260317T100000Z\r\nDTEND:20260317T110000Z\r\n"
        "SUMMARY:Coffee with Ana\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    dav_server.put_ical(cal, "e1.ics", ics)
    assert dav_server.list_hrefs(cal) == [f"{cal}e1.ics"]


def test_tls_server_answers_over_https(radicale_tls_server: Server) -> None:
    status, _, _ = radicale_tls_server.request("PROPFIND", radicale_tls_server.principal, b"", {"Depth": "0"})
    assert radicale_tls_server.url.startswith("https://") and status == 207
