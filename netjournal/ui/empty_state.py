"""The one empty state: what will appear here and how to start, in plain words (never a blank white pane).

`EmptyState` is a centred title and a line or two of soft text (plain text only). `cover_when_empty`
lays one over a list's viewport and shows it exactly while the list has nothing to pick.
"""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QLabel, QVBoxLayout, QWidget

NARROW = 200  # px: below this only the title is shown
READABLE = 480  # px: the longest line of the text


class EmptyState(QWidget):
    """A calm "nothing here yet": a title and what to do, centred."""

    def __init__(self, title: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("emptyState")
        self.title = QLabel()
        self.text = QLabel()
        for label in (self.title, self.text):
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setWordWrap(True)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.title.setFont(font)
        self.text.setStyleSheet("color: palette(placeholder-text);")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.addStretch(1)
        layout.addWidget(self.title)
        layout.addWidget(self.text)
        layout.addStretch(2)
        self.set_text(title, text)

    def set_text(self, title: str, text: str) -> None:
        self.title.setText(title)
        self.title.setVisible(bool(title))
        self.text.setText(text)
        self._fit()
        self.setAccessibleName(title)
        self.setAccessibleDescription(text)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        # A narrow column (a side list at 760 px) keeps just the title: a word per line helps no one.
        # Wide panes keep a readable line length.
        narrow = self.width() < NARROW
        self.text.setVisible(bool(self.text.text()) and not narrow)
        side = max(16, (self.width() - READABLE) // 2)
        layout = self.layout()
        if layout is not None:
            layout.setContentsMargins(8 if narrow else side, 16, 8 if narrow else side, 16)


def has_nothing_to_pick(view: QAbstractItemView) -> bool:
    """No row that can be chosen (a disabled "nothing yet" row counts as nothing)."""
    model = view.model()
    if model is None:
        return True
    for row in range(min(model.rowCount(), 2)):
        if model.flags(model.index(row, 0)) & Qt.ItemFlag.ItemIsEnabled:
            return False
    return True


class _Cover(QObject):
    def __init__(
        self,
        view: QAbstractItemView,
        state: EmptyState,
        texts: Callable[[], tuple[str, str]] | None,
        empty: Callable[[], bool] | None,
    ) -> None:
        super().__init__(view)
        self.view = view
        self.state = state
        self.texts = texts
        self.empty = empty
        state.setParent(view.viewport())
        state.setAutoFillBackground(True)
        state.setBackgroundRole(view.viewport().backgroundRole())
        view.viewport().installEventFilter(self)
        self.watch()

    def watch(self) -> None:
        model = self.view.model()
        if model is not None:
            signals = (model.rowsInserted, model.rowsRemoved, model.modelReset, model.layoutChanged, model.dataChanged)
            for signal in signals:
                signal.connect(self.update)
        self.update()

    def update(self) -> None:
        if not shiboken6.isValid(self.view) or not shiboken6.isValid(self.state):
            return  # the list is being destroyed (a QListWidget clears its rows on the way out)
        empty = self.empty() if self.empty is not None else has_nothing_to_pick(self.view)
        if empty and self.texts is not None:
            self.state.set_text(*self.texts())
        self.state.setGeometry(self.view.viewport().rect())
        self.state.setVisible(empty)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.state.setGeometry(self.view.viewport().rect())
        return False


def cover_when_empty(
    view: QAbstractItemView,
    title: str,
    text: str,
    *,
    texts: Callable[[], tuple[str, str]] | None = None,
    empty: Callable[[], bool] | None = None,
) -> EmptyState:
    """Show an empty state over `view` while it has nothing to pick (or while `empty()` says so, e.g. once
    loaded); `texts` may change the words (a filter that matches no one)."""
    state = EmptyState(title, text)
    _Cover(view, state, texts, empty)  # parented to the view: lives as long as it
    return state
