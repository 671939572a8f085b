"""The look, as a user meets it: icons, light and dark, focus you can see, names for every control, the keyboard."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QColor, QImage, QKeySequence, QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QFileDialog,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTabBar,
    QTextEdit,
    QWidget,
)

from netjournal.app import NetjournalApp
from netjournal.core.clock import utcnow
from netjournal.ui import theme
from netjournal.ui.people_model import ago
from tests.factories import meeting, person
from tests.qt_support import wait_idle

INTERACTIVE = (
    QAbstractButton,
    QLineEdit,
    QTextEdit,
    QPlainTextEdit,
    QComboBox,
    QAbstractSpinBox,
    QAbstractItemView,
    QAbstractSlider,
    QTabBar,
)


@pytest.fixture
def app(qtbot, journal) -> Iterator[NetjournalApp]:
    now = utcnow()
    with journal.session() as s:
        priya = person(s, "Priya Raman", now, organisation="Northwind")
        meeting(s, priya, now, days_ago=170, notes="Half marathon training")
    a = NetjournalApp(QApplication.instance(), journal, interactive=False)  # type: ignore[arg-type]
    qtbot.addWidget(a.window)
    a.window.resize(1100, 720)
    a.window.show()
    qtbot.waitExposed(a.window)
    wait_idle(qtbot, a.ops)
    yield a
    theme.install().apply(Qt.ColorScheme.Light)
    a.shutdown()


@pytest.fixture
def dark() -> Iterator[None]:
    theme.install().apply(Qt.ColorScheme.Dark)
    yield
    theme.install().apply(Qt.ColorScheme.Light)


def _name(widget: QWidget) -> str:
    """What a screen reader would call it: its accessible name, else its text."""
    if widget.accessibleName():
        return widget.accessibleName()
    if isinstance(widget, QTabBar):  # named by its tabs
        return " / ".join(widget.tabText(i) for i in range(widget.count()) if widget.tabText(i))
    text = getattr(widget, "text", None)
    if callable(text) and isinstance(widget, QAbstractButton):
        return str(text()).replace("&", "").strip()
    return ""


def _labelled_by_buddy(widget: QWidget, root: QWidget) -> bool:
    from PySide6.QtWidgets import QLabel

    return any(label.buddy() is widget and label.text().strip() for label in root.findChildren(QLabel))


def _interactive(root: QWidget) -> list[QWidget]:
    out = []
    for w in root.findChildren(QWidget):
        if not isinstance(w, INTERACTIVE) or not w.isVisibleTo(root) or not w.isEnabled():
            continue
        parent = w.parentWidget()
        if isinstance(parent, (QAbstractSpinBox, QComboBox)) or type(w).__name__ in ("QScrollBar", "QHeaderView"):
            continue  # the editor inside a spin or combo box, a scroll bar: parts of another control
        if isinstance(parent, QTabBar) or type(w).__name__ in ("QCalendarWidget", "QToolBarExtension"):
            continue
        out.append(w)
    return out


def _unnamed(root: QWidget) -> list[str]:
    return [
        f"{type(w).__name__} {w.objectName() or ''} in {type(w.parentWidget()).__name__}"
        for w in _interactive(root)
        if not _name(w) and not _labelled_by_buddy(w, root)
    ]


# -------------------------------------------------------------------------------------- the sidebar


def test_section_shortcuts_follow_the_sidebar(qtbot, app) -> None:
    titles = [app.window.sidebar.item(i).text() for i in range(app.window.sidebar.count())]
    assert titles[:6] == ["Today", "People", "Prepare", "Reflect", "Insights", "Search"]
    for n, title in enumerate(titles, 1):
        action = next(a for a in app.window.menu_go.actions() if a.text() == title)
        assert action.shortcut() == QKeySequence(f"Ctrl+{n}"), title  # Reflect, the fourth, is Ctrl+4
        action.trigger()
        assert app.window.windowTitle() == title
    search = next(a for a in app.window.menu_go.actions() if a.text() == "Search")
    assert QKeySequence("Ctrl+Shift+F") in search.shortcuts()  # the old key still works


def test_every_section_and_main_action_has_a_line_icon(app) -> None:
    names = set(theme.icon_names())
    for i in range(app.window.sidebar.count()):
        item = app.window.sidebar.item(i)
        assert item.icon().name() in names, item.text()
    for label in ("Undo", "Redo", "Add person", "Quick log", "Import", "Export", "Settings", "Trash", "Quit"):
        action = next(a for a in app.window.findChildren(QAction) if label in a.text().replace("&", ""))
        assert action.icon().name() in names, label


def _ink(image: QImage) -> QColor:
    """The most opaque pixel: the colour the icon's lines were drawn in."""
    pixels = [image.pixelColor(x, y) for x in range(image.width()) for y in range(image.height())]
    return max(pixels, key=lambda c: c.alpha())


def test_icons_are_crisp_at_2x_and_follow_light_and_dark(app) -> None:
    icon = theme.icon("people")
    one = icon.pixmap(QSize(20, 20), 1.0)
    two = icon.pixmap(QSize(20, 20), 2.0)
    assert (one.width(), two.width(), two.devicePixelRatio()) == (20, 40, 2.0)  # drawn for the pixels, not scaled
    light_ink = _ink(two.toImage())
    theme.install().apply(Qt.ColorScheme.Dark)
    dark_ink = _ink(icon.pixmap(QSize(20, 20), 2.0).toImage())
    assert light_ink.lightness() < 100 < 160 < dark_ink.lightness()  # dark lines on light, light lines on dark


def test_dialog_buttons_carry_no_stock_icons(qtbot, app) -> None:
    from PySide6.QtWidgets import QDialogButtonBox

    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(box)
    assert all(b.icon().isNull() for b in box.buttons())  # no floppy disk, no red X


# ------------------------------------------------------------------------------------ light and dark


def test_the_palette_follows_the_system_scheme(app) -> None:
    t = theme.install()
    t.apply(Qt.ColorScheme.Dark)
    assert theme.is_dark(QApplication.palette())
    assert theme.is_dark(app.window.sidebar.palette())
    t.apply(Qt.ColorScheme.Light)
    assert not theme.is_dark(QApplication.palette())


def test_the_scheme_change_signal_is_followed(app, monkeypatch) -> None:
    monkeypatch.setenv(theme.ENV_SCHEME, "dark")
    QApplication.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert theme.is_dark()
    monkeypatch.setenv(theme.ENV_SCHEME, "light")
    QApplication.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert not theme.is_dark()


def test_no_hard_coded_colours_in_the_widgets() -> None:
    # Every colour a screen draws comes from the palette (theme.py holds the two palettes; the prep sheet is
    # a printed page, always black on white; charts keep their calm series colours and lighten them in dark).
    import re
    from pathlib import Path

    ui = Path(theme.__file__).parent
    allowed = {"theme.py", "prep_sheet.py", "charts.py"}
    found = []
    for path in sorted(ui.rglob("*.py")):
        if path.name in allowed:
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"#[0-9a-fA-F]{3,8}\b|QColor\(\s*['\"\d]|Qt\.GlobalColor\.(?!transparent)", line):
                found.append(f"{path.relative_to(ui)}:{n}: {line.strip()}")
    assert found == []


def test_avatars_are_the_same_colour_for_the_same_person_and_soft_in_both_schemes(app, dark) -> None:
    assert theme.initials("Priya Raman") == "PR" and theme.initials("Chen Wei (陈伟)") == "CW"
    assert theme.avatar_colour(7) == theme.avatar_colour(7) != theme.avatar_colour(8)
    dark_disc = theme.avatar_colour(7)
    theme.install().apply(Qt.ColorScheme.Light)
    light_disc = theme.avatar_colour(7)
    assert dark_disc.lightness() < 100 and light_disc.lightness() > 190  # text stays readable on both


def test_the_person_page_shows_the_initials(qtbot, app) -> None:
    app.window.show_section("people")
    qtbot.waitUntil(lambda: app.people.model.rowCount() == 1)
    app.people.select_person(app.people.model.row_at(0).id)
    qtbot.waitUntil(
        lambda: app.people.page.avatar.pixmap() is not None and not app.people.page.avatar.pixmap().isNull()
    )
    assert "Priya Raman" in app.people.page.avatar.accessibleName()


def test_charts_draw_their_text_light_on_dark(qtbot, app, dark) -> None:
    app.window.show_section("insights")
    chart = app.window.section("insights").findChildren(type(app.window.section("insights").discomfort))[0]
    image = chart.to_image(scale=1.0)
    bg = image.pixelColor(2, 2)
    assert bg.lightness() < 80  # the chart's background is the dark base, not white


# ---------------------------------------------------------------------------------------- focus ring


def _grab(widget: QWidget) -> QImage:
    return widget.grab().toImage()


def test_focus_is_visible_on_buttons_and_in_the_sidebar(qtbot, app) -> None:
    app.window.activateWindow()
    button = QPushButton("Try me", app.window.section("today"))
    button.show()
    other = QLineEdit(app.window.section("today"))
    other.move(0, 60)
    other.show()
    other.setFocus()
    qtbot.waitUntil(other.hasFocus)
    plain = _grab(button)
    button.setFocus()
    qtbot.waitUntil(button.hasFocus)
    ringed = _grab(button)
    highlight = QApplication.palette().color(QPalette.ColorRole.Highlight)

    def near(c: QColor) -> bool:
        return (
            abs(c.red() - highlight.red()) + abs(c.green() - highlight.green()) + abs(c.blue() - highlight.blue()) < 60
        )

    def ring_pixels(img: QImage) -> int:
        return sum(near(img.pixelColor(x, img.height() // 2)) for x in range(4))

    assert ring_pixels(ringed) > ring_pixels(plain)
    # The sidebar: its current item gets a ring when the keyboard is there.
    other.setFocus()
    qtbot.waitUntil(other.hasFocus)
    before = _grab(app.window.sidebar)
    app.window.sidebar.setFocus()
    qtbot.waitUntil(app.window.sidebar.hasFocus)
    assert _grab(app.window.sidebar) != before


# ----------------------------------------------------------------------------------- names and keys


def test_every_control_in_every_section_has_a_name(qtbot, app) -> None:
    missing = []
    for section in app.window.sections():
        app.window.show_section(section.key)
        wait_idle(qtbot, app.ops)
        missing += [f"{section.title}: {m}" for m in _unnamed(section.widget)]
    assert app.window.sidebar.accessibleName() == "Sections"
    assert missing == [], "\n".join(missing)


def _open_dialogs(app, monkeypatch) -> list[tuple[str, list[str]]]:
    """Every dialog the menus open, caught as it is shown (nothing blocks): its title and its unnamed controls."""
    seen: list[tuple[str, list[str]]] = []

    def caught(d: QDialog) -> int:
        d.show()
        seen.append((d.windowTitle(), _unnamed(d)))
        d.hide()
        return 0

    monkeypatch.setattr(QDialog, "exec", caught)
    monkeypatch.setattr(QDialog, "open", caught)
    monkeypatch.setattr(QMessageBox, "exec", lambda _b: 0)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: ("", ""))
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([], ""))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    for top in app.window.menuBar().actions():
        for action in top.menu().actions():
            text = action.text().replace("&", "")
            if action.isSeparator() or not action.isEnabled() or text in ("Quit", "Close window"):
                continue
            action.trigger()
    return seen


def test_every_control_in_every_dialog_has_a_name(qtbot, app, monkeypatch) -> None:
    dialogs = _open_dialogs(app, monkeypatch)
    wait_idle(qtbot, app.ops)
    assert len(dialogs) >= 6, [title for title, _ in dialogs]
    missing = [f"{title}: {m}" for title, unnamed in dialogs for m in unnamed]
    assert missing == [], "\n".join(missing)


def _tab_walk(qtbot, window: QWidget, start: QWidget, limit: int = 400) -> list[QWidget]:
    start.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(start.hasFocus)
    reached = [start]
    for _ in range(limit):
        focus = QApplication.focusWidget()
        assert focus is not None
        QTest.keyClick(focus, Qt.Key.Key_Tab)
        now = QApplication.focusWidget()
        if now is start:
            break
        if now is not None:
            reached.append(now)
    return reached


def _owner(widget: QWidget, candidates: set[int]) -> int | None:
    w: QWidget | None = widget
    while w is not None:
        if id(w) in candidates:
            return id(w)
        w = w.parentWidget()
    return None


def test_tab_reaches_every_control_of_every_section(qtbot, app) -> None:
    app.window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is app.window)
    missing = []
    checked = 0
    for section in app.window.sections():
        app.window.show_section(section.key)
        wait_idle(qtbot, app.ops)
        wanted = [w for w in _interactive(section.widget) if w.focusPolicy() & Qt.FocusPolicy.TabFocus]
        checked += len(wanted)
        ids = {id(w) for w in wanted}
        reached = {_owner(w, ids) for w in _tab_walk(qtbot, app.window, app.window.sidebar)}
        for w in wanted:
            if id(w) in reached:
                continue
            if isinstance(w, QRadioButton) and w.autoExclusive() and not w.isChecked():
                continue  # a group of radio buttons is one Tab stop; the arrows move inside it
            missing.append(f"{section.title}: {type(w).__name__} {_name(w) or w.objectName()}")
    assert missing == [], "\n".join(missing)
    assert checked > 40  # the walk saw the sections' controls, not an empty window, "\n".join(missing)


# --------------------------------------------------------------------------------------- edit menu


def test_edit_undo_works_on_text_and_then_on_the_last_delete(qtbot, app) -> None:
    box = QLineEdit(app.window.section("today"))
    box.show()
    box.setFocus()
    qtbot.waitUntil(box.hasFocus)
    QTest.keyClicks(box, "hello")
    app.window.refresh_edit()
    assert app.window.action_undo.isEnabled() and "typing" in app.window.action_undo.text()
    app.window.action_undo.trigger()
    assert box.text() == ""
    app.window.action_redo.trigger()
    assert box.text() == "hello"
    box.clearFocus()
    undone: list[bool] = []
    app.window.set_undo_delete(lambda: undone.append(True))
    app.window.sidebar.setFocus()
    app.window.refresh_edit()
    assert app.window.action_undo.text().replace("&", "") == "Undo delete"
    app.window.action_undo.trigger()
    assert undone == [True]


def test_keyboard_shortcuts_dialog_lists_the_real_actions(qtbot, app) -> None:
    app.window.action_shortcuts.trigger()
    dialog = app.window.shortcuts_dialog
    qtbot.addWidget(dialog)
    rows = dialog.rows()
    keys = {what: k for _where, what, k in rows}
    assert keys["Today"] == QKeySequence("Ctrl+1").toString(QKeySequence.SequenceFormat.NativeText)
    assert keys["Reflect"] == QKeySequence("Ctrl+4").toString(QKeySequence.SequenceFormat.NativeText)
    assert "Undo" in keys and "Quick log: a meeting, call or message" in keys
    assert any(what == "Keyboard shortcuts" for _w, what, _k in rows)


def test_status_notices_go_away(qtbot, app) -> None:
    app.window.show_notice("Saved.", 50)
    assert app.window.statusBar().currentMessage() == "Saved."
    qtbot.waitUntil(lambda: app.window.statusBar().currentMessage() == "", timeout=2000)
    app.window.show_notice("Converting…", 0)  # 0 used to mean "for ever"
    assert app.window.statusBar().currentMessage() == "Converting…"


# ---------------------------------------------------------------------------------- one wording


def test_people_say_the_same_as_today_and_prepare() -> None:
    now = utcnow()
    assert ago(now - timedelta(days=170), now) == "six months ago"


def test_list_buttons_carry_line_icons_and_the_arrows_have_names(app) -> None:
    names = set(theme.icon_names())
    questions = {b.accessibleName() or b.text(): b for b in app.prepare.editor.findChildren(QPushButton)}
    for label in ("Add", "Remove", "Move question up", "Move question down"):
        assert questions[label].icon().name() in names, label
    for arrow in ("Move question up", "Move question down"):
        assert questions[arrow].text() == "" and questions[arrow].toolTip(), arrow  # an icon, said in words
    assert app.reflect.reflections.delete_button.icon().name() in names


def test_the_quiet_chart_colour_reads_on_dark(app) -> None:
    from netjournal.ui.charts import MIST, SKY, Chart

    chart = Chart("Energy", "bars")
    chart.setPalette(theme.make_palette(True))
    base = chart.palette().base().color().lightness()
    before, after = chart._ink(MIST).lightness(), chart._ink(SKY).lightness()
    assert base + 60 < before < after  # clear on the dark base, and quieter than the colour beside it
