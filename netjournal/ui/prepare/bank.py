"""The question bank browser."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from netjournal.core import prompts
from netjournal.core.clock import utcnow
from netjournal.core.db import Session
from netjournal.ui.form_parts import ID_ROLE, plain_label
from netjournal.ui.ops import DbWorker


class BankBrowser(QWidget):
    """Browse the question bank: filter, favourite, hide, edit, add your own, add to the plan."""

    add_to_plan = Signal(str, str)  # key, text

    def __init__(self, ops: DbWorker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.entries: list[prompts.Entry] = []
        self.situation = QComboBox()
        self.situation.setAccessibleName(self.tr("Situation"))
        self.situation.addItem(self.tr("Any situation"), None)
        for key, label in prompts.SITUATIONS.items():
            self.situation.addItem(self.tr(label), key)
        self.purpose = QComboBox()
        self.purpose.setAccessibleName(self.tr("Purpose"))
        self.purpose.addItem(self.tr("Any purpose"), None)
        for key, label in prompts.PURPOSES.items():
            self.purpose.addItem(self.tr(label), key)
        self.kind = QComboBox()
        self.kind.setAccessibleName(self.tr("Kind"))
        self.kind.addItem(self.tr("Everything"), None)
        for key, label in prompts.KINDS.items():
            self.kind.addItem(self.tr(label), key)
        self.search = QLineEdit()
        self.search.setAccessibleName(self.tr("Search the question bank"))
        self.search.setPlaceholderText(self.tr("Search the bank"))
        self.search.setClearButtonEnabled(True)
        self.favourites_only = QCheckBox(self.tr("Favourites only"))
        self.show_hidden = QCheckBox(self.tr("Show hidden"))
        self.list = QTreeWidget()
        self.list.setObjectName("bankList")
        self.list.setColumnCount(3)
        self.list.setHeaderLabels([self.tr("Text"), self.tr("Kind"), self.tr("Purpose")])
        self.list.setRootIsDecorated(False)
        self.list.setWordWrap(True)
        self.list.setUniformRowHeights(False)
        self.list.setAlternatingRowColors(True)
        header = self.list.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(2, 170)
        # Wrapped rows are measured again when the text column changes width (Qt keeps the old heights).
        header.sectionResized.connect(lambda *_: self.list.doItemsLayout())
        self.list.itemDoubleClicked.connect(lambda _i, _c: self._add_selected())
        self.add_button = QPushButton(self.tr("Add to plan"))
        self.add_button.clicked.connect(self._add_selected)
        self.fav_button = QPushButton(self.tr("Favourite"))
        self.fav_button.setShortcut(QKeySequence(self.tr("Ctrl+B")))
        self.fav_button.clicked.connect(self._toggle_favourite)
        self.hide_button = QPushButton(self.tr("Hide"))
        self.hide_button.clicked.connect(self._toggle_hidden)
        self.edit_button = QPushButton(self.tr("Edit…"))
        self.edit_button.clicked.connect(self._edit)
        self.own_button = QPushButton(self.tr("Add your own…"))
        self.own_button.clicked.connect(self._add_own)
        self.count = plain_label(muted=True)

        filters = QHBoxLayout()
        for w in (self.situation, self.purpose, self.kind):
            filters.addWidget(w)
        filters2 = QHBoxLayout()
        filters2.addWidget(self.search, 1)
        filters2.addWidget(self.favourites_only)
        filters2.addWidget(self.show_hidden)
        buttons = QHBoxLayout()
        for b in (self.add_button, self.fav_button, self.hide_button, self.edit_button, self.own_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(filters2)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        for combo in (self.situation, self.purpose, self.kind):
            combo.currentIndexChanged.connect(self.refresh)
        self.search.textChanged.connect(self.refresh)
        self.favourites_only.toggled.connect(self.refresh)
        self.show_hidden.toggled.connect(self.refresh)
        self.list.currentItemChanged.connect(self._update_buttons)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # Narrow, the question's text gets the room; its purposes are in the row's tooltip.
        self.list.setColumnHidden(2, self.width() < 640)

    def refresh(self, *_args: object) -> None:
        situation, purpose, kind = self.situation.currentData(), self.purpose.currentData(), self.kind.currentData()
        text, fav, hidden = self.search.text(), self.favourites_only.isChecked(), self.show_hidden.isChecked()
        current = self.current_key()

        def job(s: Session) -> list[prompts.Entry]:
            return prompts.list_entries(
                s,
                situation=situation,
                purpose=purpose,
                kinds=[kind] if kind else None,
                text=text,
                favourites_only=fav,
                include_hidden=hidden,
            )

        self.ops.read(job, lambda entries: self._show(entries, current))

    def _show(self, entries: list[prompts.Entry], select_key: str | None) -> None:
        self.entries = entries
        self.list.clear()
        muted = self.palette().color(QPalette.ColorRole.PlaceholderText)
        for e in entries:
            marks = ("★ " if e.favourite else "") + (self.tr("(hidden) ") if e.hidden else "")
            kind = (
                prompts.KINDS[e.kind]
                + (self.tr(" · yours") if e.own else "")
                + (self.tr(" · edited") if e.edited else "")
            )
            tags = ", ".join(prompts.PURPOSES.get(p, p) for p in e.purposes)
            item = QTreeWidgetItem([f"{marks}{e.text}", kind, tags])
            item.setData(0, ID_ROLE, e.key)
            situations = ", ".join(prompts.SITUATIONS.get(x, x) for x in e.situations)
            item.setToolTip(0, f"{situations}\n{tags}" if tags else situations)
            for col in (1, 2):
                item.setForeground(col, muted)
            self.list.addTopLevelItem(item)
            if e.key == select_key:
                self.list.setCurrentItem(item)
        self.count.setText(self.tr("%n entries", "", len(entries)))
        self._update_buttons()

    def current_entry(self) -> prompts.Entry | None:
        item = self.list.currentItem()
        row = self.list.indexOfTopLevelItem(item) if item is not None else -1
        return self.entries[row] if 0 <= row < len(self.entries) else None

    def current_key(self) -> str | None:
        e = self.current_entry()
        return e.key if e else None

    def _update_buttons(self, *_args: object) -> None:
        e = self.current_entry()
        for b in (self.add_button, self.fav_button, self.hide_button, self.edit_button):
            b.setEnabled(e is not None)
        self.fav_button.setText(self.tr("Unfavourite") if e and e.favourite else self.tr("Favourite"))
        self.hide_button.setText(self.tr("Unhide") if e and e.hidden else self.tr("Hide"))

    def _write(self, fn: Callable[[Any], Any]) -> None:
        def job(s: Session) -> None:
            fn(s)

        self.ops.write(job, lambda _r: self.refresh(), parent=self)

    def _add_selected(self) -> None:
        e = self.current_entry()
        if e is not None:
            self.add_to_plan.emit(e.key, e.text)

    def _toggle_favourite(self) -> None:
        e = self.current_entry()
        if e is not None:
            self._write(lambda s: prompts.set_favourite(s, e.key, not e.favourite, now=utcnow()))

    def _toggle_hidden(self) -> None:
        e = self.current_entry()
        if e is not None:
            self._write(lambda s: prompts.set_hidden(s, e.key, not e.hidden, now=utcnow()))

    def _edit(self) -> None:
        e = self.current_entry()
        if e is None:
            return
        text, ok = QInputDialog.getMultiLineText(self, self.tr("Edit"), self.tr("Your wording:"), e.text)
        if ok and text.strip() and text.strip() != e.text:
            self._write(lambda s: prompts.edit_entry(s, e.key, text=text, now=utcnow()))

    def _add_own(self) -> None:
        text, ok = QInputDialog.getMultiLineText(self, self.tr("Add your own"), self.tr("Your question or line:"))
        if not ok or not text.strip():
            return
        kind = self.kind.currentData() or "question"
        situation = self.situation.currentData()
        purpose = self.purpose.currentData()
        self._write(
            lambda s: prompts.add_entry(
                s,
                text,
                kind=kind,
                now=utcnow(),
                situations=[situation] if situation else list(prompts.SITUATIONS),
                purposes=[purpose] if purpose else [],
            )
        )
