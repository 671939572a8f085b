"""The Search section: one box over the whole journal, results ranked, matching words in bold.

Searching runs on the database thread (app.ops); typing only restarts a short timer, so the window
never waits for the database. Results are drawn by a delegate from plain text plus highlight ranges:
user text is never handed to Qt's rich-text engine.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from netjournal.core import phrasing
from netjournal.core.db import Session
from netjournal.core.search import KIND_LABELS, SearchHit, count_matches, search
from netjournal.ui.empty_state import cover_when_empty
from netjournal.ui.ops import DbWorker
from netjournal.ui.qt import shortcut

if TYPE_CHECKING:
    from netjournal.app import NetjournalApp

HIT_ROLE = Qt.ItemDataRole.UserRole + 1
DEBOUNCE_MS = 120
SHOWN = 100  # results listed at most


class SearchModel(QAbstractListModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.hits: list[SearchHit] = []

    def set_hits(self, hits: list[SearchHit]) -> None:
        self.beginResetModel()
        self.hits = hits
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.hits)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.hits):
            return None
        hit = self.hits[index.row()]
        if role == HIT_ROLE:
            return hit
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            when = f" ({phrasing.date_text(hit.at)})" if hit.at is not None else ""
            return f"{KIND_LABELS[hit.kind]}: {hit.name}{when} — {hit.snippet}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return hit.snippet
        return None


class HitDelegate(QStyledItemDelegate):
    """Two lines per result: kind and name, then the snippet with the matching words in bold."""

    PAD = 6

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        fm = QFontMetrics(option.font)
        return QSize(200, fm.height() * 2 + self.PAD * 3)

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        hit: SearchHit | None = index.data(HIT_ROLE)
        if hit is None:
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        pal: QPalette = opt.palette
        text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        rect: QRect = opt.rect.adjusted(self.PAD * 2, self.PAD, -self.PAD * 2, -self.PAD)
        base = QFont(opt.font)
        bold = QFont(base)
        bold.setBold(True)
        small = QFont(base)
        small.setPointSizeF(max(6.0, base.pointSizeF() * 0.85))
        fm = QFontMetrics(base)
        painter.save()
        # Line 1: the kind (muted), then the name in bold.
        kind = KIND_LABELS[hit.kind]
        painter.setFont(small)
        muted = pal.color(text_role)
        if not selected:
            muted = pal.color(QPalette.ColorRole.PlaceholderText)
        painter.setPen(muted)
        kind_w = max(QFontMetrics(small).horizontalAdvance(k) for k in KIND_LABELS.values()) + self.PAD * 2
        line1 = QRect(rect.left(), rect.top(), rect.width(), fm.height())
        painter.drawText(line1, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, kind)
        name_rect = line1.adjusted(kind_w, 0, 0, 0)
        if hit.at is not None:  # when it happened, at the right of the first line
            when = phrasing.date_text(hit.at)
            painter.drawText(line1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, when)
            name_rect.setRight(name_rect.right() - QFontMetrics(small).horizontalAdvance(when) - self.PAD * 2)
        painter.setFont(bold)
        painter.setPen(pal.color(text_role))
        name = hit.name + (f" — {hit.title}" if hit.title and hit.title != hit.name else "")
        name = QFontMetrics(bold).elidedText(name, Qt.TextElideMode.ElideRight, name_rect.width())
        painter.drawText(name_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, name)
        # Line 2: the snippet, drawn piece by piece so the matches can be bold.
        x = rect.left() + kind_w
        y = rect.top() + fm.height() + self.PAD
        right = rect.right()
        for text, is_match in segments(hit.snippet, hit.highlights):
            font = bold if is_match else base
            metrics = QFontMetrics(font)
            room = right - x
            if room <= metrics.horizontalAdvance("…"):
                break
            shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, room)
            painter.setFont(font)
            painter.drawText(
                QRect(x, y, room, fm.height()), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, shown
            )
            x += metrics.horizontalAdvance(shown)
            if shown != text:
                break
        painter.restore()


def segments(text: str, ranges: tuple[tuple[int, int], ...]) -> list[tuple[str, bool]]:
    """Split `text` into (piece, is_match) runs from highlight ranges."""
    out: list[tuple[str, bool]] = []
    pos = 0
    for start, end in sorted(ranges):
        start, end = max(start, pos), min(end, len(text))
        if start >= end:
            continue
        if start > pos:
            out.append((text[pos:start], False))
        out.append((text[start:end], True))
        pos = end
    if pos < len(text):
        out.append((text[pos:], False))
    return out


class SearchView(QWidget):
    """One search box, results below. Enter or double-click opens the person."""

    open_requested = Signal(object)  # SearchHit

    def __init__(self, ops: DbWorker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self._generation = 0
        self._open_first = False  # Enter was pressed before the results for the typed words came
        self.box = QLineEdit()
        self.box.setAccessibleName(self.tr("Search your journal"))
        self.box.setObjectName("searchBox")
        self.box.setPlaceholderText(self.tr("Search people, meetings, promises, reflections and plans"))
        self.box.setClearButtonEnabled(True)
        self.box.textChanged.connect(self._text_changed)
        self.box.returnPressed.connect(self.open_current)
        self.model = SearchModel(self)
        self.results = QListView()
        self.results.setAccessibleName(self.tr("Search results"))
        self.results.setObjectName("searchResults")
        self.results.setModel(self.model)
        self.results.setItemDelegate(HitDelegate(self.results))
        self.results.setUniformItemSizes(True)
        self.results.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        self.results.activated.connect(lambda index: self._open_index(index))
        self.results.doubleClicked.connect(lambda index: self._open_index(index))
        cover_when_empty(self.results, "", "", texts=self._empty_words)
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self.run_search)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addWidget(self.box)
        layout.addWidget(self.status)
        layout.addWidget(self.results, 1)
        self.status.setText(self.tr("Type a few words: a name, a place, something someone said."))
        shortcut(Qt.Key.Key_Down, self.box, self._focus_results)

    def _empty_words(self) -> tuple[str, str]:
        if self.box.text().strip():
            return self.tr("Nothing found"), self.tr("Try fewer words, or part of a name.")
        return self.tr("Search everything you've written"), self.tr(
            "People, meetings and notes, promises, reflections and plans: the best matches appear here. "
            "Down moves to them, Enter opens one."
        )

    def _text_changed(self, _text: str) -> None:
        self.timer.start()

    def _focus_results(self) -> None:
        if self.model.rowCount():
            self.results.setFocus()
            self.results.setCurrentIndex(self.model.index(0))

    def run_search(self) -> None:
        query = self.box.text()
        self._generation += 1
        generation = self._generation
        if not query.strip():
            self.model.set_hits([])
            self.status.setText(self.tr("Type a few words: a name, a place, something someone said."))
            return

        def job(s: Session) -> tuple[list[SearchHit], int]:
            hits = search(s, query, limit=SHOWN)
            # Capped: say how many there are in all, so "100 results" never reads as "that is all".
            return hits, count_matches(s, query) if len(hits) >= SHOWN else len(hits)

        def done(result: tuple[list[SearchHit], int]) -> None:
            if generation != self._generation:
                return  # an older search finished after a newer one started
            hits, total = result
            self.model.set_hits(hits)
            open_first, self._open_first = self._open_first, False
            if open_first and hits:
                self._open_index(self.model.index(0))
            if hits:
                self.results.setCurrentIndex(self.model.index(0))
                if total > len(hits):
                    self.status.setText(
                        self.tr("The first %1 of %2 results: more words narrow it down.")
                        .replace("%1", str(len(hits)))
                        .replace("%2", f"{total:,}")
                    )
                else:
                    self.status.setText(
                        self.tr("1 result") if len(hits) == 1 else self.tr("%1 results").replace("%1", str(len(hits)))
                    )
            else:
                self.status.setText(self.tr("Nothing found for “%1”.").replace("%1", query.strip()))

        self.ops.read(job, done)

    def refresh(self) -> None:
        if self.box.text().strip():
            self.run_search()

    def open_current(self) -> None:
        if self.timer.isActive():
            # The shown results are for the words before the last keystrokes: search now, open the first.
            self.timer.stop()
            self._open_first = True
            self.run_search()
            return
        index = self.results.currentIndex()
        if not index.isValid() and self.model.rowCount():
            index = self.model.index(0)
        if index.isValid():
            self._open_index(index)

    def _open_index(self, index: QModelIndex) -> None:
        hit = index.data(HIT_ROLE)
        if hit is not None:
            self.open_requested.emit(hit)

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        QTimer.singleShot(0, self.focus_box)

    def focus_box(self) -> None:
        self.box.setFocus()
        self.box.selectAll()


def install(app: NetjournalApp) -> None:
    from netjournal.ui.main_window import Section

    view = SearchView(app.ops)
    app.search = view

    def open_hit(hit: SearchHit) -> None:
        if hit.person_id is None or not app.nav.open_person(hit.person_id):
            app.window.show_notice(app.tr("That entry is not linked to a person."))

    view.open_requested.connect(open_hit)
    app.journal_changed.connect(view.refresh)
    app.window.add_section(Section("search", app.tr("Search"), view, "Ctrl+Shift+F"))
