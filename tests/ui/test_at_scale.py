"""At scale the UI tells the truth: the whole list is reachable, counts are real, caps are said."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QDate, Qt

from netjournal.core import person_page
from netjournal.core.clock import utcnow
from netjournal.core.models import PersonStatus
from netjournal.ui.people_model import PeopleListView, PeopleModel, PersonRow
from tests.factories import meeting, person


def test_end_and_the_scrollbar_reach_the_last_of_thousands(qtbot) -> None:  # type: ignore[no-untyped-def]
    model = PeopleModel()
    model.set_rows(
        [PersonRow(i, f"Person {i:05d}", f"person {i:05d}", "", None, PersonStatus.ACTIVE) for i in range(3000)]
    )
    view = PeopleListView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(300, 400)
    view.show()
    qtbot.waitExposed(view)
    assert model.rowCount() == 3000
    view.setCurrentIndex(model.index(0))
    qtbot.keyClick(view, Qt.Key.Key_End)
    assert view.currentIndex().row() == 2999 and view.currentIndex().data() == "Person 02999"
    bar = view.verticalScrollBar()
    row_height = view.sizeHintForRow(0)
    assert bar.maximum() >= 2900 * row_height  # the thumb's range is the whole list, not a first batch


def test_search_says_when_it_shows_only_the_first_results(qtbot, app, journal) -> None:  # type: ignore[no-untyped-def]
    now = utcnow()
    with journal.session() as s:
        for i in range(130):
            person(s, f"Acme Person {i}", now, organisation="Acme Robotics")
    app.window.show_section("search")
    app.search.box.setText("acme")
    qtbot.waitUntil(lambda: app.search.model.rowCount() == 100, timeout=5000)
    qtbot.waitUntil(lambda: "of 130" in app.search.status.text(), timeout=5000)
    assert app.search.status.text().startswith("The first 100 of 130")


def test_a_long_timeline_shows_its_count_and_goes_to_a_date(  # type: ignore[no-untyped-def]
    qtbot, app, journal, monkeypatch
) -> None:
    monkeypatch.setattr(person_page, "TIMELINE_LIMIT", 20)
    now = utcnow()
    with journal.session() as s:
        ana = person(s, "Ana Müller", now)
        for day in range(60):
            meeting(s, ana, now, days_ago=day + 0.5, notes=f"talk {day}")
        ana_id = ana.id
    app.window.show_section("people")
    app.people.select_person(ana_id)
    page = app.people.page
    qtbot.waitUntil(lambda: page.person_id == ana_id and page.info is not None, timeout=5000)
    assert page.timeline_label.text() == "Timeline: 20 of 60 entries, the newest"
    assert page.timeline_go.isVisibleTo(page)
    target = (now - timedelta(days=40)).astimezone()
    page.timeline_date.setDate(QDate(target.year, target.month, target.day))
    qtbot.mouseClick(page.timeline_go, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.info is not None and page.info.timeline_until is not None, timeout=5000)
    assert "up to" in page.timeline_label.text()
    first = page.info.timeline[0][1]
    assert "talk 40" in first or "talk 39" in first or "talk 41" in first  # that day's entry comes first
    assert page.timeline_newest.isVisibleTo(page)
    qtbot.mouseClick(page.timeline_newest, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.info is not None and page.info.timeline_until is None, timeout=5000)
    assert "talk 0" in page.info.timeline[0][1]
