"""One person's page: who they are, open promises both ways, and the timeline of what happened.

`core/person_page.py` reads the page as plain data (in app.ops); `PersonPage` only lays it out. Every piece
of text a user typed is shown as plain text.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QDate, QModelIndex, QPersistentModelIndex, QPoint, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QFont, QFontMetrics, QKeySequence, QPainter, QPalette, QShortcut
from PySide6.QtWidgets import (
    QBoxLayout,
    QDateEdit,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from netjournal.core.person_page import PageInfo, day_text
from netjournal.ui import theme
from netjournal.ui.layout import Reflow, scrolling

INTERACTION_ID_ROLE = Qt.ItemDataRole.UserRole + 10


class TimelineDelegate(QStyledItemDelegate):
    """Each entry as a bold first line (how, when, warmth) over its wrapped notes."""

    PAD = 8

    def _parts(self, index: QModelIndex | QPersistentModelIndex) -> tuple[str, str]:
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        head, _, body = text.partition("\n")
        return head, body

    def _width(self, option: QStyleOptionViewItem) -> int:
        view = self.parent()
        width = view.viewport().width() if isinstance(view, QListWidget) else option.rect.width()
        return max(120, width - 2 * self.PAD - 4)

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        _head, body = self._parts(index)
        font: QFont = option.font
        bold = QFont(font)
        bold.setBold(True)
        height = QFontMetrics(bold).height()
        if body:
            flags = int(Qt.TextFlag.TextWordWrap)
            height += (
                3 + QFontMetrics(font).boundingRect(QRect(0, 0, self._width(option), 100_000), flags, body).height()
            )
        return QSize(self._width(option), height + 2 * self.PAD)

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        head, body = self._parts(index)
        rect: QRect = option.rect
        pal: QPalette = option.palette
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.save()
        if selected:
            painter.fillRect(rect, pal.color(QPalette.ColorRole.Highlight))
        elif index.row() % 2:
            painter.fillRect(rect, pal.color(QPalette.ColorRole.AlternateBase))
        text_color = pal.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        inner = rect.adjusted(self.PAD, self.PAD, -self.PAD, -self.PAD)
        font: QFont = option.font
        bold = QFont(font)
        bold.setBold(True)
        bfm = QFontMetrics(bold)
        painter.setPen(text_color)
        painter.setFont(bold)
        painter.drawText(
            QRect(inner.x(), inner.y(), inner.width(), bfm.height()),
            int(Qt.AlignmentFlag.AlignLeft),
            bfm.elidedText(head, Qt.TextElideMode.ElideRight, inner.width()),
        )
        if body:
            painter.setFont(font)
            body_rect = QRect(inner.x(), inner.y() + bfm.height() + 3, inner.width(), inner.height())
            painter.drawText(body_rect, int(Qt.TextFlag.TextWordWrap), body)
        painter.restore()


def _plain(text: str = "", *, wrap: bool = True, selectable: bool = True) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _short(text: str, limit: int = 22) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _heading(text: str) -> QLabel:
    label = _plain(text, selectable=False)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


class PersonPage(QWidget):
    """One person: who they are, open promises both ways, and the timeline."""

    log_requested = Signal(int)
    edit_requested = Signal(int)
    delete_requested = Signal(int)
    edit_interaction_requested = Signal(int)
    delete_interaction_requested = Signal(int)
    promise_done = Signal(int)
    reflect_requested = Signal(int)
    merge_requested = Signal(int)
    timeline_jump_requested = Signal(int, object)  # person id, list up to this datetime (None: the newest)
    sync_choice_made = Signal(int, str, bool)  # card link id, field, keep the server's value

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.person_id: int | None = None
        self.info: PageInfo | None = None
        self.title = _plain()  # a long name wraps at its spaces instead of being cut
        self.title.setObjectName("personTitle")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setWeight(QFont.Weight.DemiBold)
        self.title.setFont(font)
        self.subtitle = _plain()
        self.meta = _plain()
        self.meta.setObjectName("personMeta")
        self.meta.setForegroundRole(self.meta.foregroundRole())
        self.meta.setStyleSheet("color: palette(placeholder-text);")
        self.log_button = QPushButton(theme.icon("log"), self.tr("&Log…"))
        self.log_button.setToolTip(self.tr("Log a meeting, call or message with them (Ctrl+L)"))
        self.log_button.clicked.connect(lambda: self.person_id and self.log_requested.emit(self.person_id))
        self.edit_button = QPushButton(self.tr("&Edit…"))
        self.edit_button.clicked.connect(lambda: self.person_id and self.edit_requested.emit(self.person_id))
        self.more_button = QToolButton()
        self.more_button.setText("⋯")
        self.more_button.setToolTip(self.tr("More"))
        self.more_button.setAccessibleName(self.tr("More"))
        self.more_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        more = QMenu(self.more_button)
        self.action_delete = QAction(theme.icon("delete"), self.tr("Move to trash"), self)
        self.action_delete.triggered.connect(lambda: self.person_id and self.delete_requested.emit(self.person_id))
        self.action_reflect = QAction(self.tr("Reflect on a conversation with them…"), self)
        self.action_reflect.triggered.connect(lambda: self.person_id and self.reflect_requested.emit(self.person_id))
        more.addAction(self.action_reflect)
        self.action_merge = QAction(self.tr("Merge with someone else…"), self)
        self.action_merge.setToolTip(self.tr("When the same person is in the journal twice"))
        self.action_merge.triggered.connect(lambda: self.person_id and self.merge_requested.emit(self.person_id))
        more.addAction(self.action_merge)
        more.addSeparator()
        more.addAction(self.action_delete)
        self.more_button.setMenu(more)

        # About: the filled-in fields, in a scrollable form.
        self.about_box = QWidget()
        self.about_form = QFormLayout(self.about_box)
        self.about_form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.about_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.about_form.setContentsMargins(0, 0, 8, 0)
        self.about_form.setVerticalSpacing(6)
        self.about_scroll = scrolling(self.about_box)

        self.promises_label = _heading(self.tr("Open promises"))
        self.promises_box = QWidget()
        self.promises_layout = QVBoxLayout(self.promises_box)
        self.promises_layout.setContentsMargins(0, 0, 0, 0)
        self.promises_layout.setSpacing(2)
        self.timeline_label = _heading(self.tr("Timeline"))
        # A long timeline lists the newest entries; going to a date lists the entries up to that day.
        self.timeline_date = QDateEdit()
        self.timeline_date.setCalendarPopup(True)
        self.timeline_date.setDisplayFormat("d MMM yyyy")
        self.timeline_date.setToolTip(self.tr("List the entries up to this day"))
        self.timeline_go = QPushButton(self.tr("Go to date"))
        self.timeline_go.clicked.connect(lambda _=False: self._go_to_date())
        self.timeline_newest = QPushButton(self.tr("Newest"))
        self.timeline_newest.clicked.connect(lambda _=False: self._jump(None))
        self.timeline_head = QHBoxLayout()
        self.timeline_head.addWidget(self.timeline_label, 1)
        self.timeline_head.addWidget(self.timeline_date)
        self.timeline_head.addWidget(self.timeline_go)
        self.timeline_head.addWidget(self.timeline_newest)
        self.timeline = QListWidget()
        self.timeline.setObjectName("timeline")
        self.timeline.setWordWrap(True)
        self.timeline.setAlternatingRowColors(True)
        self.timeline.setItemDelegate(TimelineDelegate(self.timeline))
        self.timeline.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.timeline.setUniformItemSizes(False)
        self.timeline.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        self.timeline.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.timeline.customContextMenuRequested.connect(self._timeline_menu)
        self.timeline.itemActivated.connect(self._activated)
        delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.timeline)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self._delete_current)

        header = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        names = QVBoxLayout()
        names.setSpacing(2)
        names.addWidget(self.title)
        names.addWidget(self.subtitle)
        names.addWidget(self.meta)
        who = QHBoxLayout()  # the initials avatar beside the name, however the header flows
        self.avatar = theme.Avatar(56)
        who.addWidget(self.avatar, 0, Qt.AlignmentFlag.AlignTop)
        who.addSpacing(6)
        who.addLayout(names, 1)
        header.addLayout(who, 1)
        self.header_buttons = QHBoxLayout()
        self.header_buttons.addWidget(self.log_button, 0, Qt.AlignmentFlag.AlignTop)
        self.header_buttons.addWidget(self.edit_button, 0, Qt.AlignmentFlag.AlignTop)
        self.header_buttons.addWidget(self.more_button, 0, Qt.AlignmentFlag.AlignTop)
        header.addLayout(self.header_buttons)
        # Narrow, the buttons go below the name: beside it, they squeezed the name and wrapped it word by word.
        self.header_reflow = Reflow(self, header, 640)

        lower = QWidget()
        ll = QVBoxLayout(lower)
        ll.setContentsMargins(0, 8, 0, 0)
        ll.addWidget(self.promises_label)
        ll.addWidget(self.promises_box)
        ll.addLayout(self.timeline_head)
        ll.addWidget(self.timeline, 1)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.about_scroll)
        self.splitter.addWidget(lower)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 12, 8)
        layout.addLayout(header)
        # Sync: a choice to make, or a card deleted on the server. Quiet, in the page's own colours.
        self.sync_box = QFrame()
        self.sync_box.setObjectName("personSync")
        self.sync_box.setFrameShape(QFrame.Shape.StyledPanel)
        self.sync_layout = QVBoxLayout(self.sync_box)
        self.sync_layout.setContentsMargins(10, 6, 10, 6)
        self.sync_layout.setSpacing(4)
        self.sync_box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.sync_box.hide()
        layout.addSpacing(6)
        layout.addWidget(self.sync_box)
        layout.addWidget(self.splitter, 1)

    # -- showing
    def show_person(self, info: PageInfo) -> None:
        same = info.id == self.person_id
        self.person_id = info.id
        self.info = info
        self.title.setText(info.name)
        self.avatar.set_person(info.id, info.name)
        self.subtitle.setText(info.subtitle)
        self.subtitle.setVisible(bool(info.subtitle))
        self.meta.setText(info.meta)
        self._fill_about(info)
        self._fill_promises(info)
        self._fill_sync(info)
        if not same:
            self._fit_about()
            QTimer.singleShot(0, self._fit_about)  # again once the page is laid out at its real width
        current = self.current_interaction_id() if same else None
        self.timeline.clear()
        for iid, text in info.timeline:
            item = QListWidgetItem(text)
            item.setData(INTERACTION_ID_ROLE, iid)
            self.timeline.addItem(item)
            if iid == current:
                self.timeline.setCurrentItem(item)
        shown = len(info.timeline)
        if info.timeline_total > shown or info.timeline_until is not None:
            self.timeline_label.setText(
                self.tr("Timeline: %1 of %2 entries, %3")
                .replace("%1", f"{shown:,}")
                .replace("%2", f"{info.timeline_total:,}")
                .replace(
                    "%3",
                    self.tr("up to %1").replace("%1", day_text(info.timeline_until))
                    if info.timeline_until
                    else self.tr("the newest"),
                )
            )
        else:
            self.timeline_label.setText(
                self.tr("Timeline") + (f" ({info.timeline_total:,})" if info.timeline_total else "")
            )
        many = info.timeline_total > shown or info.timeline_until is not None
        for w in (self.timeline_date, self.timeline_go):
            w.setVisible(many)
        self.timeline_newest.setVisible(info.timeline_until is not None)
        if many and not same:
            self.timeline_date.setDate(QDate.currentDate())
        if info.more_timeline:
            tail = QListWidgetItem(self.tr("Older entries: go to a date above to list them."))
            tail.setFlags(Qt.ItemFlag.NoItemFlags)
            tail.setData(INTERACTION_ID_ROLE, 0)
            self.timeline.addItem(tail)
        if not info.timeline:
            empty = QListWidgetItem(self.tr("Nothing logged yet. When you meet or write, log it here (Ctrl+L)."))
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            empty.setData(INTERACTION_ID_ROLE, 0)
            self.timeline.addItem(empty)

    def _go_to_date(self) -> None:
        d = self.timeline_date.date()
        end = datetime(d.year(), d.month(), d.day(), 23, 59, 59).astimezone()  # the whole day, local time
        self._jump(end)

    def _jump(self, until: datetime | None) -> None:
        if self.person_id is not None:
            self.timeline_jump_requested.emit(self.person_id, until)

    def _fit_about(self) -> None:
        """Show the whole About part when it fits in under half the page; the timeline gets the rest."""
        self.about_form.activate()
        width = max(200, self.about_scroll.viewport().width())
        want = self.about_box.heightForWidth(width)
        want = (want if want > 0 else self.about_box.sizeHint().height()) + 4
        total = max(200, sum(self.splitter.sizes()) or self.splitter.height())
        top = min(want, int(total * 0.45))
        self.splitter.setSizes([top, total - top])

    def _fill_about(self, info: PageInfo) -> None:
        while self.about_form.rowCount():
            self.about_form.removeRow(0)
        for label, value in info.about:
            name = _plain(label, wrap=False, selectable=False)
            name.setStyleSheet("color: palette(placeholder-text);")
            self.about_form.addRow(name, _plain(value))
        if not info.about:
            hint = _plain(
                self.tr(
                    "Nothing noted about them yet. Edit to add how you met, what they work on, "
                    "their family, hobbies and hopes: small things that make the next conversation easier."
                ),
                selectable=False,
            )
            hint.setStyleSheet("color: palette(placeholder-text);")
            self.about_form.addRow(hint)

    def _fill_sync(self, info: PageInfo) -> None:
        while self.sync_layout.count():
            item = self.sync_layout.takeAt(0)
            if item is None:
                break
            widget, inner = item.widget(), item.layout()
            if widget is not None:
                widget.deleteLater()
            elif inner is not None:
                while inner.count():
                    child = inner.takeAt(0)
                    w = child.widget() if child is not None else None
                    if w is not None:
                        w.deleteLater()
        for account in info.sync_unlinked:
            self.sync_layout.addWidget(
                _plain(
                    self.tr(
                        "Their card was deleted on the {0} server, so they are not synced there any more. "
                        "Everything you noted about them stays here."
                    ).format(account)
                )
            )
        for link_id, field_name, account, words, mine, theirs in info.sync_choices:
            self.sync_layout.addWidget(
                _plain(self.tr("The {0} is different here and on {1}. Which should both keep?").format(words, account))
            )
            row = QHBoxLayout()
            keep = QPushButton(self.tr("Keep “{0}”").format(_short(mine)))
            keep.setObjectName("syncKeepHere")
            keep.setToolTip(self.tr("Keep what is here: {0}").format(mine))
            use = QPushButton(self.tr("Use “{0}”").format(_short(theirs)))
            use.setObjectName("syncUseServer")
            use.setToolTip(self.tr("Use what is on {0}: {1}").format(account, theirs))
            keep.clicked.connect(lambda _=False, lk=link_id, f=field_name: self.sync_choice_made.emit(lk, f, False))
            use.clicked.connect(lambda _=False, lk=link_id, f=field_name: self.sync_choice_made.emit(lk, f, True))
            row.addWidget(keep)
            row.addWidget(use)
            row.addStretch(1)
            self.sync_layout.addLayout(row)
        self.sync_box.setVisible(bool(info.sync_unlinked or info.sync_choices))

    def _fill_promises(self, info: PageInfo) -> None:
        while self.promises_layout.count():
            item = self.promises_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        for promise in info.promises:
            row = QWidget()
            h = QHBoxLayout(row)
            h.setContentsMargins(0, 0, 0, 0)
            h.addWidget(_plain(promise.text), 1)
            done = QPushButton(self.tr("Done"))
            done.setObjectName(f"promiseDone{promise.id}")
            done.setToolTip(self.tr("Mark this promise as kept"))
            done.clicked.connect(lambda _=False, cid=promise.id: self.promise_done.emit(cid))
            h.addWidget(done, 0)
            self.promises_layout.addWidget(row)
        self.promises_label.setVisible(bool(info.promises))
        self.promises_box.setVisible(bool(info.promises))

    def promise_texts(self) -> list[str]:
        return [p.text for p in self.info.promises] if self.info else []

    def timeline_texts(self) -> list[str]:
        return [self.timeline.item(i).text() for i in range(self.timeline.count())]

    # -- timeline actions
    def current_interaction_id(self) -> int | None:
        item = self.timeline.currentItem()
        value = item.data(INTERACTION_ID_ROLE) if item is not None else 0
        return int(value) if value else None

    def _activated(self, item: QListWidgetItem) -> None:
        iid = item.data(INTERACTION_ID_ROLE)
        if iid:
            self.edit_interaction_requested.emit(int(iid))

    def _delete_current(self) -> None:
        iid = self.current_interaction_id()
        if iid is not None:
            self.delete_interaction_requested.emit(iid)

    def _timeline_menu(self, pos: QPoint) -> None:
        item = self.timeline.itemAt(pos)
        iid = item.data(INTERACTION_ID_ROLE) if item is not None else 0
        if item is None or not iid:
            return
        self.timeline.setCurrentItem(item)
        menu = QMenu(self)
        menu.addAction(self.tr("Edit…"), lambda: self.edit_interaction_requested.emit(int(iid)))
        menu.addAction(self.tr("Move to trash"), lambda: self.delete_interaction_requested.emit(int(iid)))
        menu.exec(self.timeline.viewport().mapToGlobal(pos))
