"""Names, notes and reflections that look like HTML are shown literally, everywhere in the window.

The walker below visits every section, clicks through the rows of every list, and computes what Qt
would actually display for each text that came from the journal: a QLabel or tooltip that Qt takes
for rich text is rendered through QTextDocument, button/menu texts lose their `&` mnemonics. What is
displayed must equal what was typed. New sections are covered automatically once they are on main.
"""

from __future__ import annotations

import html
import inspect
import re
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import Qt as QtGui_Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QItemDelegate,
    QLabel,
    QMenu,
    QStyledItemDelegate,
    QWidget,
)

from netjournal import app as app_module
from netjournal.app import NetjournalApp
from netjournal.core.clock import utcnow
from netjournal.core.drafts import save_draft
from netjournal.core.journal import InteractionData, PersonData, add_commitment, create_person, log_interaction
from netjournal.core.models import Channel, Direction, Reflection, ReflectionKind, SuggestionEvent
from netjournal.ui.plain import plain_tooltip
from tests.conftest import NOW
from tests.qt_support import wait_idle

SENTINEL = "ZQX"
TRICKY = [
    f"{SENTINEL} <b>Bold</b> Person",
    f"{SENTINEL} <img src=x> picture",
    f"{SENTINEL} <a href='https://example.org/'>a link</a>",
    f"{SENTINEL} Tom &amp; Jerry & Co",
    f"<b>{SENTINEL} starts bold</b>",
]


MARKERS = [
    "<b>",
    "</b>",
    "<img src=x>",
    "<a href='https://example.org/'>",
    "&amp;",
    "& Co",
    "& Jerry <b>",
    "& more",
    "<i>tag</i>",
]


def literal(raw: str, shown: str) -> bool:
    """Every piece of markup in the journal text (typed as such, or escaped on purpose) is displayed as typed."""
    if SENTINEL not in shown:
        return False
    return all(m in shown for m in MARKERS if m in raw or html.escape(m) in raw)


def seed(journal) -> None:
    with journal.session() as s:
        for i, text in enumerate(TRICKY):
            p = create_person(
                s,
                PersonData(
                    name=text,
                    organisation=TRICKY[(i + 1) % len(TRICKY)],
                    role=TRICKY[(i + 2) % len(TRICKY)],
                    how_met=TRICKY[(i + 3) % len(TRICKY)],
                    notes="\n".join(TRICKY),
                    tags=[f"{SENTINEL}<i>tag</i>"],
                    emails=[("work", f"{SENTINEL.lower()}{i}@example.org")],
                ),
                now=NOW,
            )
            log_interaction(
                s,
                [p.id],
                InteractionData(at=NOW, channel=Channel.COFFEE, title=text, notes=" / ".join(TRICKY), topics=text),
                now=NOW,
            )
            add_commitment(s, p.id, Direction.I_OWE, f"send {text}", now=NOW)
            s.add(
                Reflection(
                    kind=ReflectionKind.REJECTION,
                    occurred_at=NOW,
                    person_id=p.id,
                    title=text,
                    situation=" ".join(TRICKY),
                    data={"story": text, "other_explanations": TRICKY},
                    created_at=NOW,
                    updated_at=NOW,
                )
            )
        save_draft(s, "quicklog", {"note": TRICKY[0], "person": TRICKY[1]}, now=NOW)


def rich_rendered(text: str) -> str:
    doc = QTextDocument()
    doc.setHtml(text)
    return doc.toPlainText()


def label_shows(label: QLabel) -> str:
    text = label.text()
    fmt = label.textFormat()
    if fmt == Qt.TextFormat.RichText or (fmt == Qt.TextFormat.AutoText and QtGui_Qt.mightBeRichText(text)):
        return rich_rendered(text)
    if fmt == Qt.TextFormat.MarkdownText:
        doc = QTextDocument()
        doc.setMarkdown(text)
        return doc.toPlainText()
    return text


def tooltip_shows(tip: str) -> str:
    # QToolTip decides by Qt::mightBeRichText.
    return rich_rendered(tip) if QtGui_Qt.mightBeRichText(tip) else tip


def mnemonic_shows(text: str) -> str:
    return re.sub(r"&(.)", r"\1", text)


def model_texts(model, parent: QModelIndex = QModelIndex(), limit: int = 400) -> Iterator[tuple[int, object]]:  # noqa: B008
    try:
        columns = max(1, model.columnCount(parent))
    except TypeError:  # list models keep columnCount private: one column
        columns = 1
    for row in range(min(model.rowCount(parent), limit)):
        for col in range(columns):
            index = model.index(row, col, parent)
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                yield role, index.data(role)
            if columns > 1 and model.hasChildren(index):
                yield from model_texts(model, index, limit)


def paints_plain_text(delegate: type) -> bool:
    """Qt's own delegates paint DisplayRole as plain text. A custom one does too if it draws with
    QPainter.drawText and nothing that reads markup (checked in its source)."""
    if delegate in (QStyledItemDelegate, QItemDelegate, QAbstractItemDelegate, type(None)):
        return True  # a Qt-internal delegate (e.g. a completer's popup), or the view's default
    try:
        source = inspect.getsource(delegate)
    except (TypeError, OSError):
        return False
    risky = ("setHtml", "RichText", "QTextDocument", "QLabel", "TextShowMnemonic", "mightBeRichText")
    return "drawText" in source and not any(r in source for r in risky)


class Walk:
    """Collects (where, raw, shown) for every journal text the window displays."""

    def __init__(self) -> None:
        self.seen: dict[tuple[str, str], str] = {}

    def add(self, where: str, raw: object, shown: str | None = None) -> None:
        if isinstance(raw, str) and SENTINEL in raw:
            self.seen[(where, raw)] = raw if shown is None else shown

    def widget_tree(self, root: QWidget) -> None:
        for w in [root, *root.findChildren(QWidget)]:
            name = f"{type(w).__name__}:{w.objectName()}"
            self.add(f"{name} tooltip", w.toolTip(), tooltip_shows(w.toolTip()))
            self.add(f"{name} window title", w.windowTitle())
            if isinstance(w, QLabel):
                self.add(f"{name} text", w.text(), label_shows(w))
            if isinstance(w, QAbstractButton):
                self.add(f"{name} button", w.text(), mnemonic_shows(w.text()))
            if isinstance(w, QMenu):
                for action in w.actions():
                    self.add(f"{name} menu item", action.text(), mnemonic_shows(action.text()))
                    if w.toolTipsVisible():
                        self.add(f"{name} menu tooltip", action.toolTip(), tooltip_shows(action.toolTip()))
            if isinstance(w, QAbstractItemView) and w.model() is not None:
                delegate = type(w.itemDelegate())
                plain = paints_plain_text(delegate)
                for role, value in model_texts(w.model()):
                    if role == Qt.ItemDataRole.ToolTipRole:
                        self.add(f"{name} item tooltip", value, tooltip_shows(str(value)))
                    else:
                        self.add(f"{name} item ({delegate.__name__})", value, None if plain else "<custom delegate>")


@pytest.fixture
def app(qtbot, journal):
    seed(journal)
    app = NetjournalApp(QApplication.instance(), journal, interactive=False)
    qtbot.addWidget(app.window)
    yield app
    app.shutdown()


def click_through(qtbot, section: QWidget, walk: Walk, app) -> None:
    for view in section.findChildren(QAbstractItemView):
        if not view.isVisible() or view.model() is None:
            continue
        for row in range(min(view.model().rowCount(), 8)):
            view.setCurrentIndex(view.model().index(row, 0))
            wait_idle(qtbot, app.ops)
            walk.widget_tree(app.window)


def test_markup_in_journal_text_is_shown_literally_everywhere(qtbot, app) -> None:
    walk = Walk()
    app.window.show()
    qtbot.waitExposed(app.window)
    sections = list(app.window._sections)
    assert "people" in sections
    for key in sections:
        section = app.window.show_section(key)
        wait_idle(qtbot, app.ops)
        walk.widget_tree(app.window)
        click_through(qtbot, section, walk, app)
    wrong = {where: (raw, shown) for (where, raw), shown in walk.seen.items() if not literal(raw, shown)}
    assert not wrong, "journal text interpreted as markup:\n" + "\n".join(
        f"  {where}: {raw!r} shown as {shown!r}" for where, (raw, shown) in wrong.items()
    )
    places = {where.split(" ", 1)[0] for where, _ in walk.seen}
    # The walk really saw journal text in the list, on the page and in the timeline.
    assert len(walk.seen) >= 12, walk.seen.keys()
    assert any(p.startswith("QListView") for p in places), places
    assert any(p.startswith("QLabel") for p in places), places
    assert any(p.startswith("QListWidget") for p in places), places


def test_the_walker_catches_rich_text(qtbot) -> None:
    # Without this, the walk above could pass by seeing nothing wrong because it looks at nothing.
    w = QWidget()
    qtbot.addWidget(w)
    label = QLabel(TRICKY[0], w)
    w.setToolTip(TRICKY[1])
    walk = Walk()
    walk.widget_tree(w)
    assert walk.seen[("QLabel: text", TRICKY[0])] == f"{SENTINEL} Bold Person"
    assert not literal(TRICKY[0], walk.seen[("QLabel: text", TRICKY[0])])
    assert not literal(TRICKY[1], walk.seen[("QWidget: tooltip", TRICKY[1])])
    label.setTextFormat(Qt.TextFormat.PlainText)
    w.setToolTip(plain_tooltip(TRICKY[1]))
    walk.widget_tree(w)
    assert literal(TRICKY[0], walk.seen[("QLabel: text", TRICKY[0])])
    assert literal(plain_tooltip(TRICKY[1]), walk.seen[("QWidget: tooltip", plain_tooltip(TRICKY[1]))])
    assert not literal("Tom &amp; Jerry & Co " + SENTINEL, mnemonic_shows("Tom &amp; Jerry & Co " + SENTINEL))


@pytest.mark.qt_log_ignore(".*systemTrayWindowChanged.*")
def test_notifications_and_tray_menu_pass_text_plainly(qtbot, journal, monkeypatch) -> None:
    from datetime import timedelta

    from PySide6.QtWidgets import QSystemTrayIcon

    from netjournal.ui.tray import Tray

    seed(journal)
    with journal.session() as s:  # someone a reminder would bring up: a close friend, not seen for two months
        p = create_person(s, PersonData(name=f"{SENTINEL} Tom & Jerry <b>due</b>", circle=5, cadence_days=7), now=NOW)
        log_interaction(s, [p.id], InteractionData(at=NOW - timedelta(days=60), channel=Channel.CALL), now=NOW)
        # ...and a reminder already delivered this week (what the tray menu lists).
        s.add(
            SuggestionEvent(
                person_id=p.id,
                at=utcnow() - timedelta(minutes=1),
                event="shown",
                reason=f"{SENTINEL} <b>been a while</b> & more",
                data={},
            )
        )
    monkeypatch.setattr(Tray, "available", staticmethod(lambda: True))  # no tray offscreen: pretend there is one
    sent: list[tuple[str, str]] = []
    monkeypatch.setattr(QSystemTrayIcon, "showMessage", lambda self, title, text, *a: sent.append((title, text)))
    app = NetjournalApp(QApplication.instance(), journal, interactive=False)
    qtbot.addWidget(app.window)
    try:
        assert app.tray is not None
        app.tray.notify(TRICKY[0], TRICKY[3])
        assert sent[-1] == (TRICKY[0], TRICKY[3])  # showMessage takes plain text
        wait_idle(qtbot, app.ops)
        app.tray._rebuild()
        walk = Walk()
        for menu in [app.tray.menu, *app.tray.menu.findChildren(QMenu)]:
            walk.widget_tree(menu)
        for _, text in sent:
            walk.add("notification", text)
        wrong = {where: (raw, shown) for (where, raw), shown in walk.seen.items() if not literal(raw, shown)}
        assert not wrong, wrong
        if "netjournal.ui.today" in app_module.FEATURES:  # reminders list people in the tray menu
            assert any("menu item" in where for where, _ in walk.seen), walk.seen
    finally:
        app.shutdown()


def test_crash_dialog_shows_the_report_as_plain_text(qtbot) -> None:
    from pathlib import Path

    from netjournal.ui.crash import CrashDialog

    report = f"ValueError: {TRICKY[0]} {TRICKY[2]}"
    dialog = CrashDialog(report, Path(f"/tmp/{SENTINEL}<b>logs</b>/netjournal.log"))
    qtbot.addWidget(dialog)
    assert dialog.report.toPlainText() == report
    walk = Walk()
    walk.widget_tree(dialog)
    assert walk.seen, "the log path label carries the sentinel"
    assert all(literal(raw, shown) for (_, raw), shown in walk.seen.items()), walk.seen
