"""The window's side of sync: Settings → Accounts against a real Radicale, and the choice on a person's page."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton

from netjournal.app import NetjournalApp
from netjournal.ui.accounts import AccountsDialog
from tests.sync.helpers import add_account, people, sync
from tests.sync.servers import PASSWORD, USER, Server, vcard


def test_add_an_account_in_settings_test_it_and_sync_now(qtbot, app: NetjournalApp, radicale_server: Server) -> None:  # type: ignore[no-untyped-def]
    book = radicale_server.make_addressbook("Friends")
    radicale_server.put_vcard(book, "a.vcf", vcard("u-a", "Ana Müller", email="ana@acme.example"))
    titles = [a.text() for a in app.window.menuBar().actions()]
    assert "&Settings" in titles
    dialog = AccountsDialog(app.sync, app.window)  # type: ignore[attr-defined]
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.status.text() != "")
    assert "opens no connection" in dialog.status.text()
    dialog.name.setText("home")
    dialog.url.setText(radicale_server.url)
    dialog.username.setText(USER)
    dialog.password.setText("wrong")
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "password" in dialog.test_result.text(), timeout=15000)
    assert not dialog.add_button.isEnabled()
    dialog.password.setText(PASSWORD)
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.add_button.isEnabled(), timeout=15000)
    found = [dialog.found.item(i).text() for i in range(dialog.found.count())]
    assert "Friends (address book)" in found
    for i in range(dialog.found.count()):  # only this test's address book
        if dialog.found.item(i).text() != "Friends (address book)":
            dialog.found.item(i).setCheckState(Qt.CheckState.Unchecked)
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: dialog.accounts.count() == 1 and "Last synced" in dialog.accounts.item(0).text(), timeout=20000
    )
    assert "Ana Müller" in people(app.journal)
    assert dialog.password.text() == ""
    # The account's collections can be chosen later: untick Friends, and it is no longer synced.
    qtbot.waitUntil(lambda: dialog.collections.count() >= 1)
    friends = next(
        dialog.collections.item(i)
        for i in range(dialog.collections.count())
        if dialog.collections.item(i).text() == "Friends (address book)"
    )
    assert friends.checkState() == Qt.CheckState.Checked
    friends.setCheckState(Qt.CheckState.Unchecked)
    qtbot.waitUntil(lambda: "Friends" not in dialog.accounts.item(0).text().splitlines()[0])
    # Sync now: nothing new, the line says when.
    qtbot.mouseClick(dialog.sync_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not app.sync.running, timeout=20000)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: "Last synced just now" in dialog.accounts.item(0).text())


def test_a_choice_on_the_persons_page(qtbot, app: NetjournalApp, radicale_server: Server, now: datetime) -> None:  # type: ignore[no-untyped-def]
    from netjournal.core.journal import PersonData, update_person

    book = radicale_server.make_addressbook()
    radicale_server.put_vcard(book, "a.vcf", vcard("u-a", "Ana Müller", email="ana@acme.example", org="Acme"))
    add_account(app.journal, radicale_server, book, now)
    sync(app.journal, now)
    radicale_server.put_vcard(book, "a.vcf", vcard("u-a", "Ana Müller", email="ana@acme.example", org="Initech"))
    pid = people(app.journal)["Ana Müller"].id
    with app.journal.session() as s:
        data = PersonData.from_person(s.get(type(people(app.journal)["Ana Müller"]), pid))
        data.organisation = "Globex"
        update_person(s, pid, data, now=now)
    assert sync(app.journal, now).conflicts == ["Ana Müller"]

    view = app.people  # type: ignore[attr-defined]
    app.window.show_section("people")
    view.show_person(pid)
    page = view.page
    qtbot.waitUntil(
        lambda: page.sync_box.isVisibleTo(page) and page.findChild(QPushButton, "syncUseServer") is not None
    )
    texts = " ".join(w.text() for w in page.sync_box.findChildren(QLabel))
    assert "organisation is different here and on home" in texts
    use = page.findChild(QPushButton, "syncUseServer")
    assert "Initech" in use.text()
    qtbot.mouseClick(use, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: people(app.journal)["Ana Müller"].organisation == "Initech")
    qtbot.waitUntil(lambda: not page.sync_box.isVisibleTo(page))
    assert not sync(app.journal, now).changed


def test_subscribe_to_a_calendar_address_in_settings(qtbot, app: NetjournalApp, web, now: datetime) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from netjournal.core.models import Interaction
    from tests.factories import person
    from tests.sync.webcal import ics, send, vevent

    with app.journal.session() as s:
        person(s, "Bob Lee", now)
    base, routes = web
    soon = datetime.now().astimezone() + timedelta(days=2)
    routes["/secret/cal.ics"] = send(ics(vevent("x1", soon, "Coffee with Bob Lee")).encode())
    dialog = AccountsDialog(app.sync, app.window)
    qtbot.addWidget(dialog)
    dialog.show()
    box = dialog.subscriptions
    app.ops.wait_idle()
    assert not box.list.isVisibleTo(box) and not box.add_button.isEnabled()
    # A wrong address is refused in words, before any connection; the fields stay for a correction.
    box.name.setText("work")
    box.url.setText("ftp://calendar.example.org/cal.ics")
    qtbot.mouseClick(box.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "not a calendar address" in box.message.text())
    assert box.add_button.isEnabled() and box.url.text().startswith("ftp://")
    # The right one: listed, read at once (the sync service), its meeting planned with Bob.
    box.url.setText(base + "/secret/cal.ics")
    qtbot.mouseClick(box.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: box.list.count() == 1 and "Last read just now" in box.list.item(0).text(), timeout=20000)
    assert box.list.item(0).text().startswith("work — ") and "secret" not in box.list.item(0).text()
    assert box.name.text() == "" and box.url.text() == ""
    with app.journal.read() as s:
        assert [i.title for i in s.query(Interaction)] == ["Coffee with Bob Lee"]
    assert "subscriptions are read every 30 minutes" in dialog.status.text()
    assert dialog.sync_button.isVisibleTo(dialog)  # Sync now reads subscriptions too
    # A feed that goes away: the line says so in short, the whole problem shows when it is selected.
    # (The waker's first tick may start a sync of its own: let it end, so Sync now is not refused.)
    qtbot.waitUntil(lambda: not app.sync.running and dialog.sync_button.isEnabled(), timeout=20000)
    routes["/secret/cal.ics"] = send(b"", status=404)
    qtbot.mouseClick(dialog.sync_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Could not be read" in box.list.item(0).text(), timeout=20000)
    box.list.setCurrentRow(0)
    assert "no calendar at that address" in box.message.text() and box.message.isVisibleTo(box)
    # Unsubscribe: gone from the list; its meeting stays in the journal.
    qtbot.mouseClick(box.remove_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: box.list.count() == 0 and "Unsubscribed from work" in box.message.text())
    assert not box.list.isVisibleTo(box)
    with app.journal.read() as s:
        assert s.query(Interaction).count() == 1
