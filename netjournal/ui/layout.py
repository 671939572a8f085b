"""Layout pieces several sections share, and how they reflow when the window is narrow.

At 760×480 a section gets about 560 pixels beside the sidebar: two panes side by side no longer fit, so
the list and its page take turns (the pattern of GNOME's adaptive apps), rows put their buttons below,
and forms put each label above its field.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtGui import QGuiApplication, QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QBoxLayout,
    QFormLayout,
    QFrame,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

NARROW = 640  # below this width (of the section, not the window) two panes take turns


class ListBesidePage(QSplitter):
    """A list on the left and the selected item's page taking the rest of the width.

    When narrower than `narrow`, only one of them shows: the list, or the page with a Back button above
    it. The owner says which with `show_page()` / `show_list()`; wide, both are always shown.
    """

    def __init__(
        self, owner: QWidget, left: QWidget, right: QWidget, *, back_text: str = "", narrow: int = NARROW
    ) -> None:
        super().__init__(owner)
        self.left, self.right, self.narrow_below = left, right, narrow
        self.back = QPushButton(back_text or self.tr("‹ Back to the list"))
        self.back.setObjectName("backToList")
        self.back.clicked.connect(self.show_list)
        self.back.setToolTip(self.tr("Back to the list (Alt+Left)"))
        page = QWidget()
        pl = QVBoxLayout(page)
        pl.setContentsMargins(0, 0, 0, 0)
        pl.addWidget(self.back, 0, Qt.AlignmentFlag.AlignLeft)
        pl.addWidget(right, 1)
        self.page = page
        back = QShortcut(QKeySequence(QKeySequence.StandardKey.Back), page)
        back.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        back.activated.connect(self.show_list)
        self.addWidget(left)
        self.addWidget(page)
        self.setChildrenCollapsible(False)
        self.setStretchFactor(1, 1)
        self.setSizes([300, 700])
        self.page_active = False
        self.narrow = False
        self.back.hide()
        layout = QVBoxLayout(owner)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self)

    def show_page(self) -> None:
        self.page_active = True
        self._apply()

    def show_list(self) -> None:
        self.page_active = False
        self._apply()

    def resizeEvent(self, event: QResizeEvent) -> None:
        narrow = event.size().width() < self.narrow_below
        if narrow != self.narrow:
            self.narrow = narrow
            self._apply()
        super().resizeEvent(event)

    def _apply(self) -> None:
        if not self.narrow:
            self.left.show()
            self.page.show()
            self.back.hide()
            return
        self.left.setVisible(not self.page_active)
        self.page.setVisible(self.page_active)
        self.back.show()


def fit_screen(widget: QWidget, wanted: QSize) -> QSize:
    """`wanted`, but no larger than the screen the widget will show on (a 760×480 screen included)."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return wanted.boundedTo(screen.availableSize() * 0.95) if screen is not None else wanted


def scrolling(inner: QWidget, *, sideways: bool = True) -> QScrollArea:
    """`inner` in a frameless scroll area that keeps it as wide as the view: a section's or a tab's whole
    content, scrolled as one when the screen is short. `sideways=False` never scrolls across (it wraps)."""
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    if not sideways:
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scroll.setWidget(inner)
    return scroll


def list_beside_page(owner: QWidget, left: QWidget, right: QWidget, *, back_text: str = "") -> ListBesidePage:
    """The sections' shape: see ListBesidePage."""
    return ListBesidePage(owner, left, right, back_text=back_text)


class Reflow(QObject):
    """Lays a QBoxLayout's items in a row while `watched` is at least `width` wide, in a column below it."""

    def __init__(
        self, watched: QWidget, box: QBoxLayout | None, width: int, *, forms: list[QFormLayout] | None = None
    ) -> None:
        super().__init__(watched)
        self.box, self.width, self.forms = box, width, forms or []
        self.narrow: bool | None = None
        watched.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and isinstance(obj, QWidget):
            self.apply(obj.width() < self.width)
        return False

    def apply(self, narrow: bool) -> None:
        if narrow == self.narrow:
            return
        self.narrow = narrow
        if self.box is not None:
            self.box.setDirection(QBoxLayout.Direction.TopToBottom if narrow else QBoxLayout.Direction.LeftToRight)
        for form in self.forms:
            form.setRowWrapPolicy(
                QFormLayout.RowWrapPolicy.WrapAllRows if narrow else QFormLayout.RowWrapPolicy.WrapLongRows
            )


def reflow_form(watched: QWidget, form: QFormLayout, width: int = 520) -> Reflow:
    """Labels beside their fields when there is room, above them when narrow."""
    reflow = Reflow(watched, None, width, forms=[form])
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
    return reflow


class GrowingText(QPlainTextEdit):
    """A text field that starts one line high and grows with what is typed (up to `max_lines`), wrapping
    at its width, so the start and the end of a long line are both in view. Reads like a QLineEdit."""

    def __init__(self, placeholder: str = "", max_lines: int = 6, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.max_lines = max_lines
        self.setPlaceholderText(placeholder)
        self.setTabChangesFocus(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(120)
        self.document().documentLayout().documentSizeChanged.connect(self._fit)
        self._fit()

    def text(self) -> str:
        return self.toPlainText()

    def setText(self, text: str) -> None:
        self.setPlainText(text)

    def lines(self) -> int:
        return max(1, int(self.document().documentLayout().documentSize().height()))

    def _fit(self, *_args: object) -> None:
        shown = min(self.lines(), self.max_lines)
        margins = self.contentsMargins()
        doc_margin = self.document().documentMargin()
        height = shown * self.fontMetrics().lineSpacing() + 2 * doc_margin + margins.top() + margins.bottom() + 2
        self.setFixedHeight(int(height))
        many = self.lines() > self.max_lines
        self.setVerticalScrollBarPolicy(
            Qt.ScrollBarPolicy.ScrollBarAsNeeded if many else Qt.ScrollBarPolicy.ScrollBarAlwaysOff
        )

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()
