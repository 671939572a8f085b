"""Pieces the sections share: plain labels (Today, the welcome, Prepare, Reflect), text boxes, ratings and
the form header."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from PySide6.QtCore import QDateTime, Qt
from PySide6.QtGui import QPalette, QWheelEvent
from PySide6.QtWidgets import (
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLayout,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

ID_ROLE = Qt.ItemDataRole.UserRole + 1
Buttons = QDialogButtonBox.StandardButton
D = TypeVar("D", bound=QDialog)
# A soft note box; its colours are the palette's, so it reads in light and dark (theme.py re-polishes it).
GENTLE_STYLE = (
    "QLabel { background: palette(alternate-base); color: palette(window-text);"
    " border: 1px solid palette(mid); border-radius: 6px; padding: 6px; }"
)


def plain_label(
    text: str = "",
    *,
    wrap: bool = True,
    muted: bool = False,
    bold: bool = False,
    scale: float = 1.0,
    selectable: bool = False,
) -> QLabel:
    """A label that shows its text as typed (never as markup); `scale` times the usual size for a heading,
    `selectable` to let the user copy it with the mouse."""
    out = QLabel(text)
    out.setTextFormat(Qt.TextFormat.PlainText)
    out.setWordWrap(wrap)
    if muted:  # quieter than body text, still easy to read; a role, so it follows a light/dark change
        out.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    if bold or scale != 1.0:
        font = out.font()
        font.setBold(bold)
        if scale != 1.0:
            font.setPointSizeF(font.pointSizeF() * scale)
        out.setFont(font)
    if selectable:
        out.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return out


def column(owner: QWidget, *parts: QWidget | QLayout) -> QVBoxLayout:
    """`owner`'s layout: its parts one under another (a dialog's intro, form and buttons)."""
    layout = QVBoxLayout(owner)
    for part in parts:
        if isinstance(part, QLayout):
            layout.addLayout(part)
        else:
            layout.addWidget(part)
    return layout


def dialog_buttons(
    dialog: QDialog, which: Buttons = Buttons.Save | Buttons.Cancel, *, accept: Callable[[], object] | None = None
) -> QDialogButtonBox:
    """A dialog's buttons: the accepting one calls `accept` (the dialog's own by default), Cancel or Close
    rejects."""
    buttons = QDialogButtonBox(which)
    buttons.accepted.connect(accept or dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


def moment_edit(edit: QDateTimeEdit | None = None) -> QDateTimeEdit:
    """A date and time as every form shows one ("Mon 3 Apr 2026, 14:00", with a calendar to pick from): a new
    field at the current time, or `edit` (one of a kind of its own) set up the same way."""
    out = edit if edit is not None else QDateTimeEdit(QDateTime.currentDateTime())
    out.setCalendarPopup(True)
    out.setDisplayFormat("ddd d MMM yyyy, HH:mm")
    return out


@contextmanager
def for_once(dialog: D) -> Iterator[D]:
    """A dialog made for one question: read its answer in the block; it is deleted after, where a parented
    dialog would otherwise stay alive as its parent's child, one more for every time it was asked."""
    try:
        yield dialog
    finally:
        dialog.deleteLater()


def text_box(placeholder: str = "", height: int = 58) -> QPlainTextEdit:
    """A few lines of text; Tab moves on to the next field instead of typing a tab."""
    box = QPlainTextEdit()
    box.setPlaceholderText(placeholder)
    box.setTabChangesFocus(True)
    box.setFixedHeight(height)
    box.setMinimumWidth(120)
    return box


class FormHeader(QWidget):
    """A form's title in large bold type, with one quieter line under it (how long it takes, or saved or not)."""

    def __init__(self, title: str = "", line: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = plain_label(title, bold=True, scale=1.3)
        self.line = plain_label(line, muted=True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.line)


class RatingSpin(QSpinBox):
    """A rating that may be left empty ("not rated")."""

    def __init__(self, low: int, high: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRange(low - 1, high)
        self.setSpecialValueText(self.tr("not rated"))
        self.setSingleStep(5 if high - low >= 50 else 1)
        self.setValue(low - 1)
        self.setMinimumWidth(110)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def stepBy(self, steps: int) -> None:
        # From "not rated", the first step up lands on the scale's start (0, not 4).
        if self.value() == self.minimum() and steps > 0:
            self.setValue(self.minimum() + 1)
            steps -= 1
        if steps:
            super().stepBy(steps)

    def wheelEvent(self, event: QWheelEvent) -> None:
        # Scrolling the form must not change ratings by accident.
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()

    def rating(self) -> int | None:
        return None if self.value() == self.minimum() else self.value()

    def set_rating(self, value: Any) -> None:
        ok = isinstance(value, int) and not isinstance(value, bool) and self.minimum() < value <= self.maximum()
        self.setValue(value if ok else self.minimum())
