"""Layouts that fit: at 760×480 nothing a person types into is cut off or needs a sideways scroll, and at
1920×1080 the sections still use the width (issue 14)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QSpinBox,
    QWidget,
)

from netjournal.app import NetjournalApp
from netjournal.core.models import ReflectionKind
from netjournal.ui.reflect.fields import DistortionList
from tests.factories import person

SMALL, LARGE = (760, 480), (1920, 1080)
FIELDS = (QLineEdit, QPlainTextEdit, QComboBox, QSpinBox)


WindowAt = Callable[..., NetjournalApp]


@pytest.fixture
def window_at(qtbot, journal) -> Iterator[WindowAt]:
    """The app's window shown at a size (and on a section, settled), shut down after the test."""
    apps: list[NetjournalApp] = []

    def show(size: tuple[int, int], section: str = "") -> NetjournalApp:
        app = NetjournalApp(QApplication.instance(), journal, interactive=False)
        apps.append(app)
        qtbot.addWidget(app.window)
        app.window.resize(*size)
        app.window.show()
        qtbot.waitExposed(app.window)
        if section:
            app.window.show_section(section)
            _settle(app)
        return app

    yield show
    for app in apps:
        app.shutdown()


def _settle(app: NetjournalApp) -> None:
    for _ in range(5):
        app.ops.wait_idle()
        QApplication.processEvents()


def _clipped_fields(scroll: QScrollArea) -> list[str]:
    """The editable fields inside `scroll` that stick out of its viewport sideways (cut off at the right)."""
    viewport = scroll.viewport()
    out = []
    for w in scroll.widget().findChildren(QWidget):
        if not isinstance(w, FIELDS) or not w.isVisibleTo(scroll.widget()):
            continue
        if isinstance(w, QLineEdit) and isinstance(w.parent(), QComboBox | QSpinBox):
            continue  # a combo box's or spin box's own line edit
        rect = QRect(w.mapTo(viewport, QPoint(0, 0)), w.size())
        if rect.left() < 0 or rect.right() > viewport.width():
            out.append(w.objectName() or w.placeholderText() if hasattr(w, "placeholderText") else type(w).__name__)
    return out


def _no_sideways_scroll(area: QAbstractScrollArea) -> None:
    assert not area.horizontalScrollBar().isVisible(), f"{area.objectName() or type(area).__name__} scrolls sideways"


def test_prepare_at_760x480_shows_the_whole_editor_and_moves_suggestions_to_a_tab(qtbot, window_at) -> None:
    app = window_at(SMALL, "prepare")
    view = app.prepare
    assert view.editor.isVisible()
    assert not view.split.left.isVisible()  # the lists wait behind "Meetings and plans"
    assert view.split.back.isVisible()
    assert _clipped_fields(view.editor_scroll) == []
    _no_sideways_scroll(view.editor_scroll)
    assert view.editor_scroll.viewport().width() >= 400  # not squeezed between two other columns
    tabs = [view.tabs.tabText(i).replace("&", "") for i in range(view.tabs.count())]
    assert "Suggestions" in tabs
    view.split.back.click()
    assert view.upcoming.isVisible() and view.new_button.isVisible()
    view.new_button.click()
    qtbot.waitUntil(lambda: view.editor.isVisible())


def test_prepare_at_1920x1080_keeps_lists_editor_and_suggestions_side_by_side(window_at) -> None:
    app = window_at(LARGE, "prepare")
    view = app.prepare
    assert view.upcoming.isVisible() and view.editor.isVisible() and view.suggestions.isVisible()
    assert not view.split.back.isVisible()
    assert view.tabs.indexOf(view.suggestions) < 0
    assert _clipped_fields(view.editor_scroll) == []


def test_plan_sentences_grow_to_show_all_their_text(window_at) -> None:
    app = window_at(SMALL, "prepare")
    view = app.prepare
    long = "I said half an hour and I want to keep to that; this was really helpful, thank you so much. " * 2
    for field in (view.editor.exit_line, view.editor.if_then, view.editor.energy):
        one_line = field.height()
        field.setText(long)
        QApplication.processEvents()
        assert field.height() > one_line  # grew: the start and the end are both in view
        assert not field.verticalScrollBar().isVisible()
        assert field.text() == long
    assert view.editor.plan_data().exit_line == long.strip()


def test_reflection_form_at_760x480_fits_and_lists_every_thinking_trap(window_at) -> None:
    app = window_at(SMALL)
    app.window.show_section("reflect")
    editor = app.reflect.start(ReflectionKind.REJECTION)
    _settle(app)
    scroll = editor.findChild(QScrollArea)
    assert _clipped_fields(scroll) == []
    _no_sideways_scroll(scroll)
    traps = editor.widgets["distortions"]
    assert isinstance(traps, DistortionList)
    # All of them in view inside the form: no second scroll bar inside the scrolling form.
    assert not traps.verticalScrollBar().isVisible()
    last = traps.visualItemRect(traps.item(traps.count() - 1))
    assert last.bottom() <= traps.viewport().height()
    editor.close_editor()
    assert app.reflect.reflections.list.isVisible()  # back to the list when the form closes


def test_reflection_list_at_760x480_names_the_person_without_a_sideways_scroll(qtbot, journal, now, window_at) -> None:
    with journal.session() as s:
        pid = person(s, "Kwame Mensah-Oduro", now).id
    app = window_at(SMALL)
    app.window.show_section("reflect")
    pane = app.reflect.reflections
    editor = app.reflect.start(ReflectionKind.REJECTION, person_id=pid)
    editor.title.setText("No reply from Kwame yet, three weeks after the conference in Accra")
    editor.save_for_later()
    qtbot.waitUntil(lambda: pane.list.count() == 1 and "Kwame" in pane.list.item(0).text())
    _settle(app)
    assert pane.list.isVisible()
    _no_sideways_scroll(pane.list)
    item = pane.list.item(0)
    second = item.text().split("\n")[1]
    assert second.index("Kwame Mensah-Oduro") < second.index("Rejection reflection")  # the name comes first
    assert "Kwame Mensah-Oduro" in item.toolTip()


def test_ladders_at_760x480_take_turns_with_their_list(qtbot, window_at) -> None:
    app = window_at(SMALL)
    app.window.show_section("reflect")
    app.reflect.tabs.setCurrentWidget(app.reflect.ladders)
    pane = app.reflect.ladders
    pane.starter_button.click()
    qtbot.waitUntil(lambda: pane.list.count() == 1)
    _settle(app)
    assert pane.list.isVisible() and not pane.steps.isVisible()
    rect = pane.list.visualItemRect(pane.list.item(0))
    qtbot.mouseClick(pane.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: pane.steps.isVisible())
    _no_sideways_scroll(pane.steps)
    assert pane.steps.columnWidth(0) >= 250  # the steps are readable, not "Re…"
    pane.split.back.click()
    assert pane.list.isVisible()


def test_person_header_puts_its_buttons_below_the_name_when_narrow(qtbot, journal, now, window_at) -> None:
    with journal.session() as s:
        pid = person(s, "Maximiliane Bergström-Okonkwo", now, organisation="Stadtwerke Köln").id
    app = window_at(SMALL)
    people = app.people
    app.window.show_section("people")
    people.select_person(pid)
    qtbot.waitUntil(lambda: people.page.title.text() == "Maximiliane Bergström-Okonkwo")
    page = people.page
    _settle(app)
    assert page.isVisible()
    assert page.log_button.geometry().top() > page.title.geometry().bottom()
    # The name keeps the page's width: it wraps at its space, never word by word in a sliver.
    assert page.title.width() > page.width() * 0.8
    app.window.resize(*LARGE)
    qtbot.waitUntil(lambda: page.log_button.geometry().top() < page.title.geometry().bottom())


# ------------------------------------------------------------------------------------------- Insights


def test_insights_is_one_column_when_narrow_and_two_when_wide(qtbot, journal, window_at) -> None:
    app = window_at(SMALL, "insights")
    view = app.insights
    assert view.columns == 1
    _no_sideways_scroll(view.scroll_area)
    lefts = {card.geometry().left() for card in view.cards}
    assert len(lefts) == 1  # one above the other
    assert all(card.width() <= view.scroll_area.viewport().width() for card in view.cards)
    app.window.resize(*LARGE)
    qtbot.waitUntil(lambda: view.columns == 2)
    _settle(app)
    first, second, *_rest, last = view.cards
    assert first.geometry().top() == second.geometry().top()  # side by side
    # Five charts: the lone last one takes the whole width instead of leaving a hole beside it.
    assert last.width() > first.width() * 1.8


def _chart(qtbot, categories: list[str], width: int = 380):
    from netjournal.ui.charts import Chart, Series

    chart = Chart("Energy before and after", "bars")
    qtbot.addWidget(chart)
    chart.resize(width, 300)
    chart.set_data(categories, [Series("Before", [5.0] * len(categories))], "")
    chart.grab()  # draws it
    return chart


def test_every_category_label_is_drawn_even_when_long(qtbot) -> None:
    categories = ["One-to-one", "Small group (3–6)", "Larger group or event", "A very long kind of meeting indeed"]
    chart = _chart(qtbot, categories)
    assert sorted(chart.drawn_labels) == [0, 1, 2, 3]  # none dropped
    for i, c in enumerate(categories):
        drawn = chart.drawn_labels[i].replace("\n", " ")
        assert drawn == c or (drawn.endswith("…") and c.startswith(drawn[:-1].strip()))
    shortened = [i for i, c in enumerate(categories) if chart.drawn_labels[i].replace("\n", " ") != c]
    assert shortened  # the narrow chart had to shorten one…
    for i in shortened:  # …and hovering its column names it in full
        rect = chart._slots[i][0]
        assert chart.tip_at(rect.center()).startswith(categories[i])


def test_month_axis_shows_the_year_once_per_year(qtbot) -> None:
    months = ["Nov 2025", "Dec 2025", "Jan 2026", "Feb 2026"]
    chart = _chart(qtbot, months, 520)
    assert chart.drawn_labels == {0: "Nov 2025", 1: "Dec", 2: "Jan 2026", 3: "Feb"}


def test_chart_numbers_use_the_locale_grouping(qtbot) -> None:
    from PySide6.QtCore import QLocale

    from netjournal.ui import charts

    before = QLocale()
    try:
        QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))
        assert charts._fmt(12345) == "12.345"
        assert charts._fmt(2.5) == "2,5"
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        assert charts._fmt(12345) == "12,345"
    finally:
        QLocale.setDefault(before)


def test_people_at_760x480_open_a_person_then_go_back_with_the_keyboard(qtbot, journal, now, window_at) -> None:
    with journal.session() as s:
        person(s, "Ana Lima", now)
    app = window_at(SMALL)
    people = app.people
    app.window.show_section("people")
    qtbot.waitUntil(lambda: people.model.rowCount() == 1)
    _settle(app)
    assert people.list.isVisible() and not people.page.isVisible()
    people.list.setFocus()
    people.list.setCurrentIndex(people.model.index(0))
    qtbot.keyClick(people.list, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: people.page.isVisible() and people.page.title.text() == "Ana Lima")
    assert not people.list.isVisible()
    people.page.edit_button.setFocus()
    qtbot.keyClick(people.page.edit_button, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: people.list.isVisible())
