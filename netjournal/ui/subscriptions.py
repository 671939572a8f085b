"""Settings → Accounts, the calendar subscriptions: plain iCalendar addresses, read-only (core/sync/calendars.py).

Adding one only checks the address (no connection); the sync service reads it right after, and then
every 30 minutes with the accounts. Its meetings with people in the journal come up in Today.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from netjournal.core.clock import utcnow
from netjournal.ui.form_parts import plain_label
from netjournal.ui.ops import known

if TYPE_CHECKING:
    from netjournal.core.errors import NetjournalError
    from netjournal.core.sync.calendars import SubscriptionInfo
    from netjournal.ui.ops import DbWorker


class SubscriptionsBox(QGroupBox):
    """The list of subscriptions with Remove, and one row to subscribe to another address."""

    changed = Signal(bool)  # one was added (True) or removed (False)

    def __init__(self, ops: DbWorker, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Calendar subscriptions"), parent)
        self.setObjectName("subscriptions_box")
        self.ops = ops
        self.count = 0
        hint = plain_label(
            self.tr(
                "Read-only, by a calendar's private address (Google: “Secret address in iCal format”; "
                "Outlook: a published calendar's ICS link)."
            )
        )
        self.list = QListWidget()
        self.list.setObjectName("subscriptions_list")
        self.list.setAccessibleName(self.tr("Calendar subscriptions"))
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.remove_button = QPushButton(self.tr("Unsubscribe"))
        self.remove_button.setObjectName("subscriptions_remove")
        self.remove_button.setEnabled(False)
        self.remove_button.clicked.connect(self._remove)
        self.list.currentItemChanged.connect(self._selection_changed)
        listed = QHBoxLayout()
        listed.addWidget(self.list, 1)
        listed.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignTop)

        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("name, like work"))
        self.name.setAccessibleName(self.tr("Calendar name"))
        self.name.setMaximumWidth(140)
        self.url = QLineEdit()
        self.url.setPlaceholderText("https://… or webcal://…")
        self.url.setAccessibleName(self.tr("Calendar address"))
        self.add_button = QPushButton(self.tr("Subscribe"))
        self.add_button.setObjectName("subscriptions_add")
        self.add_button.setEnabled(False)
        self.add_button.clicked.connect(self._add)
        self.url.returnPressed.connect(self._add)
        for field in (self.name, self.url):
            field.textChanged.connect(self._editable)
        adding = QHBoxLayout()
        adding.addWidget(self.name)
        adding.addWidget(self.url, 1)
        adding.addWidget(self.add_button)
        self.message = plain_label()
        self.message.setObjectName("subscriptions_message")
        self.message.hide()

        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addLayout(listed)
        layout.addLayout(adding)
        layout.addWidget(self.message)
        self._set_listed(False)
        self.reload()

    def reload(self) -> None:
        from netjournal.core.sync.calendars import subscription_infos

        self.ops.read(subscription_infos, self._show, parent=self)

    def _show(self, infos: list[SubscriptionInfo]) -> None:
        from netjournal.core.sync.status import read_line

        keep = self._selected()
        self.list.clear()
        now = utcnow()
        for i in infos:
            # The problem names the calendar already; the list line stays short, the whole of it shows
            # below the list when the calendar is selected.
            whole = read_line(i.last_synced_at, i.last_problem.removeprefix(f"{i.name}: "), now)
            short = self.tr("Could not be read the last time.") if i.last_problem else whole
            item = QListWidgetItem(f"{i.name} — {short}")
            item.setData(Qt.ItemDataRole.UserRole, i.name)
            item.setData(Qt.ItemDataRole.ToolTipRole, whole)
            self.list.addItem(item)
            if i.name == keep:
                self.list.setCurrentItem(item)
        self.count = len(infos)
        self._set_listed(bool(infos))

    def _set_listed(self, any_: bool) -> None:
        self.list.setVisible(any_)
        self.remove_button.setVisible(any_)
        self.remove_button.setEnabled(any_ and self._selected() is not None)
        if any_:  # as tall as its rows (three at most): never squeezed when a message appears below
            rows = min(self.list.count(), 3)
            self.list.setFixedHeight(self.list.sizeHintForRow(0) * rows + 2 * self.list.frameWidth() + 4)

    def _selection_changed(self, *_items: object) -> None:
        item = self.list.currentItem()
        self.remove_button.setEnabled(item is not None)
        if item is not None:
            self._say(str(item.data(Qt.ItemDataRole.ToolTipRole)))

    def _selected(self) -> str | None:
        item = self.list.currentItem()
        name = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return str(name) if name is not None else None

    def _editable(self, _text: str = "") -> None:
        self.add_button.setEnabled(bool(self.name.text().strip() and self.url.text().strip()))

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _problem(self, exc: NetjournalError) -> None:
        self._say(exc.message)

    def _add(self) -> None:
        name, url = self.name.text().strip(), self.url.text().strip()
        if not (name and url):
            return
        from netjournal.core.sync.calendars import add_subscription

        self.add_button.setEnabled(False)
        now = utcnow()

        def done(_id: object) -> None:
            self.name.clear()
            self.url.clear()
            self._say(self.tr("Subscribed to {0}. It is read now, then every 30 minutes.").format(name))
            self.reload()
            self.changed.emit(True)

        self.ops.write(
            lambda s: add_subscription(s, name, url, now=now),
            done,
            known(self._problem, first=self._editable),
            parent=self,
        )

    def _remove(self) -> None:
        name = self._selected()
        if name is None:
            return
        from netjournal.core.sync.calendars import remove_subscription

        def done(_n: object) -> None:
            self._say(self.tr("Unsubscribed from {0}. Its meetings stay in the journal.").format(name))
            self.reload()
            self.changed.emit(False)

        self.ops.write(lambda s: remove_subscription(s, name), done, known(self._problem), parent=self)
