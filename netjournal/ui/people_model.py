"""The People list: narrow rows loaded off the GUI thread, filtered and sorted in memory, shown lazily.

Loading runs in app.ops (core/people_view.py: one query for the people, one for tags; then last contacts). Filtering and
sorting 5,000 narrow rows in memory takes a few milliseconds, so it happens on the GUI thread without
a round trip. The model reports every matching row, so the scrollbar and End cover the whole list; the
view (uniform row heights) only paints the rows in sight.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QElapsedTimer,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QApplication,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from netjournal.core.clock import utcnow
from netjournal.core.journal import CIRCLE_LABELS, sort_key
from netjournal.core.models import PersonStatus
from netjournal.core.people_view import PersonRow, ago
from netjournal.ui import theme
from netjournal.ui.plain import plain_tooltip

PERSON_ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
SECOND_LINE_ROLE = Qt.ItemDataRole.UserRole + 3


class Sort(StrEnum):
    NAME = "name"
    RECENT = "recent"  # most recently in touch first
    LONGEST = "longest"  # longest since in touch first
    CIRCLE = "circle"  # closest circle first


@dataclass
class PeopleFilter:
    text: str = ""
    circle: int | None = None  # 0: not placed yet
    tag: str | None = None
    status: PersonStatus | None = None
    sort: Sort = Sort.NAME

    def apply(self, rows: list[PersonRow]) -> list[PersonRow]:
        out = rows
        if self.status is not None:
            out = [r for r in out if r.status == self.status]
        if self.circle is not None:
            want = self.circle or None
            out = [r for r in out if r.circle == want]
        if self.tag:
            out = [r for r in out if self.tag in r.tags]
        key = sort_key(self.text)
        if key:
            out = [r for r in out if key in r.sort_name or key in r.organisation.casefold()]
        if self.sort is Sort.RECENT:
            out = sorted(out, key=lambda r: (r.last_at is None, -(r.last_at.timestamp() if r.last_at else 0)))
        elif self.sort is Sort.LONGEST:
            out = sorted(out, key=lambda r: (r.last_at is not None, r.last_at.timestamp() if r.last_at else 0))
        elif self.sort is Sort.CIRCLE:
            out = sorted(out, key=lambda r: r.circle or 10_000)  # stable: by name within a circle
        return out


class PeopleModel(QAbstractListModel):
    """A flat list of people: every matching row counts (no batches that would hide the rest)."""

    BATCH = 200

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._all: list[PersonRow] = []
        self._rows: list[PersonRow] = []
        self._shown = 0
        self.filter = PeopleFilter()
        self._last: dict[int, datetime] = {}
        self._last_loaded = False
        self.rows_known = False  # the first list arrived (an empty list before that is not "no one")
        self.now = utcnow()
        self.last_filter_ms = 0

    # -- data in
    def set_rows(self, rows: list[PersonRow]) -> None:
        last = self._last
        self._all = [replace(r, last_at=last.get(r.id)) for r in rows] if last else rows  # sorted by name
        self.rows_known = True
        self.now = utcnow()
        self._refilter()

    def set_last_contacts(self, last: dict[int, datetime]) -> None:
        self._last = last
        self._last_loaded = True
        self._all = [replace(r, last_at=last.get(r.id)) for r in self._all]
        self.now = utcnow()
        if self.filter.sort in (Sort.RECENT, Sort.LONGEST):
            self._refilter()
        else:  # same rows, same order: only the second lines change
            self._rows = [replace(r, last_at=last.get(r.id)) for r in self._rows]
            if self._shown:
                self.dataChanged.emit(self.index(0), self.index(self._shown - 1), [SECOND_LINE_ROLE])

    def set_filter(self, spec: PeopleFilter) -> None:
        self.filter = spec
        self._refilter()

    def _refilter(self) -> None:
        clock = QElapsedTimer()
        clock.start()
        self.beginResetModel()
        self._rows = self.filter.apply(self._all)
        self._shown = len(self._rows)
        self.endResetModel()
        self.last_filter_ms = clock.elapsed()

    # -- counts
    @property
    def total(self) -> int:
        return len(self._all)

    @property
    def matching(self) -> int:
        return len(self._rows)

    @property
    def last_known(self) -> bool:
        return self._last_loaded

    def all_rows(self) -> list[PersonRow]:
        return self._all

    # -- Qt model
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._shown

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> bool:
        return not parent.isValid() and self._shown < len(self._rows)

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> None:
        if parent.isValid():
            return
        more = min(self.BATCH, len(self._rows) - self._shown)
        if more <= 0:
            return
        self.beginInsertRows(QModelIndex(), self._shown, self._shown + more - 1)
        self._shown += more
        self.endInsertRows()

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= self._shown:
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return row.name
        if role == SECOND_LINE_ROLE:
            return self.second_line(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            bits = [row.name]
            if row.circle:
                bits.append(CIRCLE_LABELS.get(row.circle, ""))
            if row.tags:
                bits.append(", ".join(row.tags))
            return plain_tooltip("\n".join(bits))  # a name like "<img src=x>" is shown, not rendered
        if role == PERSON_ID_ROLE:
            return row.id
        if role == SORT_ROLE:
            return row.sort_name
        return None

    def row_at(self, i: int) -> PersonRow | None:
        return self._rows[i] if 0 <= i < self._shown else None

    def id_at(self, i: int) -> int | None:
        row = self.row_at(i)
        return row.id if row else None

    def second_line(self, row: PersonRow) -> str:
        if row.last_at:
            touch = "last in touch " + ago(row.last_at, self.now)
        else:
            touch = "nothing logged yet" if self.last_known else ""
        org = row.organisation.strip(" —-")
        waiting = "waiting for their reply" if row.status == PersonStatus.WAITING else ""
        return " · ".join(x for x in (row.organisation if org else "", touch, waiting) if x)

    def ensure_fetched(self, row: int) -> None:
        if row >= self._shown:
            end = min(len(self._rows), row + 1 + self.BATCH // 2)
            self.beginInsertRows(QModelIndex(), self._shown, end - 1)
            self._shown = end
            self.endInsertRows()

    def row_of(self, person_id: int) -> int:
        for i, r in enumerate(self._rows):
            if r.id == person_id:
                self.ensure_fetched(i)
                return i
        return -1

    def row_starting_with(self, prefix: str, start: int = 0) -> int:
        key = sort_key(prefix)
        if not key:
            return -1
        n = len(self._rows)
        for k in range(n):
            i = (start + k) % n
            if self._rows[i].sort_name.startswith(key):
                self.ensure_fetched(i)
                return i
        return -1


class PersonRowDelegate(QStyledItemDelegate):
    """Two calm lines: the name, and beneath it in a softer colour the organisation and last contact."""

    PAD = 6

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        fm = QFontMetrics(option.font)
        small = QFontMetrics(self._small(option.font))
        return QSize(200, fm.height() + small.height() + 2 * self.PAD + 2)

    @staticmethod
    def _small(font: QFont) -> QFont:
        f = QFont(font)
        f.setPointSizeF(max(7.0, font.pointSizeF() * 0.88))
        return f

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        # Everything comes from the option the view filled in and from the model's Python rows: no
        # initStyleOption() and no index.data() round trips through QVariant for each of 5,000 rows.
        # (This also kept the list alive under PySide6 6.12.0 on Python 3.11, which dropped a reference
        # to None on every invalid QVariant and void call; pyproject now keeps that version out.)
        model = index.model()
        if not isinstance(model, PeopleModel):
            return
        row = model.row_at(index.row())
        rect: QRect = option.rect.adjusted(self.PAD + 4, self.PAD, -self.PAD, -self.PAD)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        focused = bool(option.state & QStyle.StateFlag.State_HasFocus)
        pal: QPalette = option.palette
        main = pal.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        soft = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.PlaceholderText
        painter.save()
        if selected:
            painter.fillRect(option.rect, pal.color(QPalette.ColorRole.Highlight))
        if focused:  # the keyboard is here: a ring in the text colour, visible on the selection too
            painter.setPen(
                QPen(pal.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Highlight), 2)
            )
            painter.drawRect(QRectF(option.rect).adjusted(1, 1, -1, -1))
        if row is not None:  # the initials avatar, as tall as the two lines
            side = rect.height()
            theme.paint_avatar(painter, QRectF(rect.x(), rect.y(), side, side), row.id, row.name, pal)
            rect = rect.adjusted(side + 10, 0, 0, 0)
        font: QFont = option.font
        fm = QFontMetrics(font)
        painter.setFont(font)
        painter.setPen(main)
        name = fm.elidedText(row.name if row else "", Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(QRect(rect.x(), rect.y(), rect.width(), fm.height()), Qt.AlignmentFlag.AlignLeft, name)
        small = self._small(font)
        sfm = QFontMetrics(small)
        painter.setFont(small)
        painter.setPen(pal.color(soft))
        line = model.second_line(row) if row else ""
        second = sfm.elidedText(line, Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(
            QRect(rect.x(), rect.y() + fm.height() + 2, rect.width(), sfm.height()), Qt.AlignmentFlag.AlignLeft, second
        )
        painter.restore()


class PeopleListView(QListView):
    """A list with type-ahead over everyone matching, not just the rows fetched so far."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._typed = ""
        self._typed_at = QElapsedTimer()
        self.setItemDelegate(PersonRowDelegate(self))
        self.setUniformItemSizes(True)
        self.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        self.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)

    def keyboardSearch(self, search: str) -> None:
        model = self.model()
        if not isinstance(model, PeopleModel) or not search:
            return
        interval = QApplication.keyboardInputInterval()
        if self._typed_at.isValid() and self._typed_at.elapsed() < interval:
            self._typed += search
        else:
            self._typed = search
        self._typed_at.start()
        start = self.currentIndex().row() if self.currentIndex().isValid() else 0
        if len(self._typed) == 1:
            start += 1  # a single key steps to the next match, like a file manager
        row = model.row_starting_with(self._typed, max(0, start))
        if row >= 0:
            index = model.index(row)
            self.setCurrentIndex(index)
            self.scrollTo(index)
