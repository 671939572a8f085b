"""Deleting without fear: everything goes to the trash, an in-window Undo follows each delete, and
File > Trash… brings back anything deleted earlier.

Other features delete through `controller(app).delete(kind, id, label)` so they get the same Undo; a
view built without the app (a test, a dialog) takes a `Deleter` and falls back to `direct_deleter(ops)`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from netjournal.core import phrasing
from netjournal.core.clock import utcnow
from netjournal.core.db import Session
from netjournal.core.journal import TrashItem, restore, trash, trash_items
from netjournal.ui import theme
from netjournal.ui.empty_state import cover_when_empty

if TYPE_CHECKING:
    from netjournal.app import NetjournalApp
    from netjournal.ui.ops import DbWorker

# delete(kind, id, label, on_done): move one item to the trash; on_done runs once it is there.
Deleter = Callable[[str, int, str, Callable[[], None] | None], None]

UNDO_MSECS = 15_000
KIND_LABELS = {
    "person": "Person",
    "interaction": "Entry",
    "commitment": "Promise",
    "plan": "Plan",
    "reflection": "Reflection",
    "ladder": "Ladder",
}


class UndoBar(QWidget):
    """'Deleted Priya. Undo' in the status bar, for a while after a delete."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.button = QPushButton(self.tr("Undo"))
        self.button.setToolTip(self.tr("Bring it back (Ctrl+Z)"))
        h = QHBoxLayout(self)
        h.setContentsMargins(4, 0, 4, 0)
        h.addWidget(self.label)
        h.addWidget(self.button)
        self.hide()


class TrashController(QObject):
    def __init__(self, app: NetjournalApp) -> None:
        super().__init__(app)
        self.app = app
        self.last_batch: str | None = None
        self.bar = UndoBar(app.window)
        app.window.statusBar().addWidget(self.bar)
        self.bar.button.clicked.connect(self.undo)
        # Owned by the bar, so it goes with the window: it must never fire on a bar that is gone.
        self._hide = QTimer(self.bar)
        self._hide.setSingleShot(True)
        self._hide.setInterval(UNDO_MSECS)
        self._hide.timeout.connect(self._expire)
        # Edit > Undo (Ctrl+Z) brings the last delete back while its Undo bar shows (and no text is in the way).
        self.action_undo = app.window.action_undo
        self.action_trash = QAction(theme.icon("trash"), self.tr("&Trash…"), app.window)
        self.action_trash.triggered.connect(self.show_trash)
        app.window.menu_file.addAction(self.action_trash)

    def delete(self, kind: str, item_id: int, label: str, on_done: Callable[[], None] | None = None) -> None:
        def job(s: Session) -> str:
            return trash(s, kind, item_id, now=utcnow())

        def done(batch: str) -> None:
            if on_done is not None:
                on_done()
            self.offer_undo(batch, self.tr("Deleted {0}.").format(label))
            self.app.journal_changed.emit()

        self.app.ops.write(job, done)

    def offer_undo(self, batch: str, text: str) -> None:
        """The Undo bar and Ctrl+Z for a batch some other change put in the trash (e.g. removed ladder steps)."""
        self.last_batch = batch
        self.bar.label.setText(text)
        self.bar.show()
        self.app.window.set_undo_delete(self.undo)
        self._hide.start()

    def undo(self) -> None:
        batch = self.last_batch
        if batch is None:
            return
        self._expire()
        self.restore(batch)

    def restore(self, batch: str) -> None:
        def job(s: Session) -> int:
            return restore(s, batch)

        def done(_count: int) -> None:
            self.app.window.show_notice(self.tr("Restored."), 4000)
            self.app.journal_changed.emit()

        self.app.ops.write(job, done)

    def _expire(self) -> None:
        self._hide.stop()
        self.bar.hide()
        self.last_batch = None  # Ctrl+Z later must not bring back something deleted long ago
        self.app.window.set_undo_delete(None)

    def show_trash(self) -> None:
        dialog = TrashDialog(self, self.app.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # a new one each time: not kept once closed
        dialog.open()
        self.dialog = dialog


class TrashDialog(QDialog):
    """What was deleted, newest first; restore any of it."""

    def __init__(self, controller: TrashController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setWindowTitle(self.tr("Trash"))
        self.resize(520, 400)
        intro = QLabel(self.tr("Things you deleted stay here until you restore them."))
        intro.setTextFormat(Qt.TextFormat.PlainText)
        intro.setWordWrap(True)
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Deleted items"))
        self.list.itemSelectionChanged.connect(self._selection)
        self.list.itemActivated.connect(lambda _i: self.restore_selected())
        self.restore_button = QPushButton(self.tr("&Restore"))
        self.restore_button.setEnabled(False)
        self.restore_button.clicked.connect(self.restore_selected)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        cover_when_empty(
            self.list,
            self.tr("The trash is empty"),
            self.tr("People, meetings, plans and reflections you delete wait here, so you can bring them back."),
        )
        layout.addWidget(buttons)
        controller.app.journal_changed.connect(self.reload)
        self.reload()

    def reload(self) -> None:
        self.controller.app.ops.read(trash_items, self._show)

    def _show(self, items: list[TrashItem]) -> None:
        self.list.clear()
        for t in items:
            when = phrasing.when_text(t.deleted_at)
            item = QListWidgetItem(f"{KIND_LABELS.get(t.kind, t.kind)}: {t.label}   ·   deleted {when}")
            item.setData(Qt.ItemDataRole.UserRole, t.batch)
            self.list.addItem(item)
        if not items:
            empty = QListWidgetItem(self.tr("The trash is empty."))
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            empty.setData(Qt.ItemDataRole.UserRole, "")
            self.list.addItem(empty)
        self._selection()

    def _selection(self) -> None:
        item = self.list.currentItem()
        self.restore_button.setEnabled(item is not None and bool(item.data(Qt.ItemDataRole.UserRole)))

    def restore_selected(self) -> None:
        item = self.list.currentItem()
        batch = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if batch:
            self.controller.restore(str(batch))


def direct_deleter(ops: DbWorker) -> Deleter:
    """For a view used without the app: still the trash (restorable from File > Trash…), without the Undo bar."""

    def delete(kind: str, item_id: int, _label: str, on_done: Callable[[], None] | None = None) -> None:
        def job(s: Session) -> str:
            return trash(s, kind, item_id, now=utcnow())

        ops.write(job, lambda _batch: on_done() if on_done is not None else None)

    return delete


def controller(app: NetjournalApp) -> TrashController:
    """The app's one trash controller (created on first use)."""
    return app.trash
