"""The Reflections tab: the list of reflections beside the open form."""

from __future__ import annotations

import functools

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from netjournal.core import reflections as rf
from netjournal.core.db import Session
from netjournal.core.models import ReflectionKind
from netjournal.core.people_view import PickRow
from netjournal.ui import theme
from netjournal.ui.empty_state import cover_when_empty
from netjournal.ui.form_parts import ID_ROLE, plain_label
from netjournal.ui.layout import list_beside_page
from netjournal.ui.ops import DbWorker
from netjournal.ui.plain import plain_tooltip
from netjournal.ui.qt import shortcut
from netjournal.ui.reflect.editor import ReflectionEditor
from netjournal.ui.trash import Deleter, direct_deleter


class ReflectionsPane(QWidget):
    changed = Signal()

    def __init__(self, ops: DbWorker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.delete_item: Deleter = direct_deleter(ops)  # install() gives it the app's trash with Undo
        self.people: list[PickRow] = []
        self.editor: ReflectionEditor | None = None
        self.new_buttons: dict[ReflectionKind, QPushButton] = {}
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        keys = {
            ReflectionKind.DISCOMFORT: "Ctrl+Shift+D",
            ReflectionKind.REJECTION: "Ctrl+Shift+R",
            ReflectionKind.THOUGHT_RECORD: "Ctrl+Shift+T",
        }
        for kind, label in rf.KIND_LABELS.items():
            b = QPushButton(theme.icon("new"), self.tr("New {0}…").format(self.tr(label).lower()))
            b.setToolTip(f"{rf.duration_text(kind)} ({keys[kind]})")
            b.clicked.connect(lambda _=False, k=kind: self.new(k))
            shortcut(keys[kind], self, functools.partial(self.new, kind))
            ll.addWidget(b)
            self.new_buttons[kind] = b
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Reflections"))
        self.list.setObjectName("reflectionList")
        cover_when_empty(
            self.list,
            self.tr("No reflections yet"),
            self.tr(
                "After something felt hard, start one of the three forms above. What you write is kept here, "
                "newest first."
            ),
        )
        self.list.setAlternatingRowColors(True)
        self.list.setUniformItemSizes(True)  # every item is two lines; fast with thousands of reflections
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        # Long lines end in "…" at the list's edge (the whole text is in the tooltip), never a sideways scroll.
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.list.itemActivated.connect(self._open_item)
        self.list.itemClicked.connect(self._open_item)
        self.delete_button = QPushButton(theme.icon("delete"), self.tr("Move to trash"))
        self.delete_button.setToolTip(self.tr("Move the selected reflection to the trash (Delete)"))
        self.delete_button.clicked.connect(self.delete_current)
        shortcut(QKeySequence.StandardKey.Delete, self.list, self.delete_current)
        ll.addWidget(self.list, 1)
        ll.addWidget(self.delete_button)

        self.empty = plain_label(
            self.tr(
                "Three short forms, for after something felt hard:\n\n"
                "• A discomfort reflection ({0}): predict how it will go, try it, then compare.\n"
                "• A rejection reflection ({1}): after an ask that got a no, or no reply yet.\n"
                "• A thought record ({2}): when one thought keeps coming back.\n\n"
                "Write a few words per box, then stop. Anything you start is kept as a draft."
            ).format(*(rf.duration_text(k).lower() for k in rf.KIND_LABELS))
        )
        self.empty.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.empty.setContentsMargins(12, 12, 12, 12)
        self.right = QStackedWidget()
        self.right.addWidget(self.empty)
        self.split = list_beside_page(self, left, self.right, back_text=self.tr("‹ All reflections"))

    def show_page(self, page: rf.ReflectPage) -> None:
        self.people = page.people
        if self.editor is not None:
            self.editor.set_people(page.people)
        current = self.editor.reflection_id if self.editor else None
        self.list.setUpdatesEnabled(False)
        self.list.clear()
        for r, text in zip(page.items, page.texts, strict=True):
            item = QListWidgetItem(text)
            item.setData(ID_ROLE, r.id)
            item.setToolTip(plain_tooltip(text))
            self.list.addItem(item)
            if r.id == current:
                self.list.setCurrentItem(item)
        self.list.setUpdatesEnabled(True)
        if not page.items:
            self.list.addItem(self.tr("No reflections yet."))
            self.list.item(0).setFlags(Qt.ItemFlag.NoItemFlags)

    def _set_editor(self, editor: ReflectionEditor) -> None:
        if self.editor is not None:
            self.editor.park()
            self.right.removeWidget(self.editor)
            self.editor.deleteLater()
        self.editor = editor
        editor.saved.connect(lambda *_: self.changed.emit())
        editor.closed.connect(self.close_editor)
        self.right.addWidget(editor)
        self.right.setCurrentWidget(editor)
        self.split.show_page()

    def new(
        self, kind: ReflectionKind, *, person_id: int | None = None, interaction_id: int | None = None
    ) -> ReflectionEditor:
        """A new form; other sections may open one about a person or a meeting."""
        editor = ReflectionEditor(self.ops, kind, self.people)
        if person_id is not None:
            editor.person.set_person(person_id)
        editor.interaction_id = interaction_id
        self._set_editor(editor)
        editor.title.setFocus()
        return editor

    def open(self, reflection_id: int) -> None:
        """Load a saved reflection in the background and show it in `self.editor`."""

        def job(s: Session) -> tuple[rf.ReflectionForm, str]:
            form = rf.load_form(s, reflection_id)
            linked = rf.linked_person(s, form.person_id)
            label = "" if linked is None else f"{linked[0]} (in the trash)" if linked[1] else linked[0]
            return form, label

        def show(result: tuple[rf.ReflectionForm, str]) -> None:
            form, label = result
            editor = ReflectionEditor(self.ops, form.KIND, self.people, reflection_id, form, linked_label=label)
            self._set_editor(editor)

        self.ops.read(job, show, parent=self)

    def _open_item(self, item: QListWidgetItem) -> None:
        rid = item.data(ID_ROLE)
        if rid is not None and (self.editor is None or self.editor.reflection_id != rid):
            self.open(rid)

    def close_editor(self) -> None:
        if self.editor is not None:
            self.right.removeWidget(self.editor)
            self.editor.deleteLater()
            self.editor = None
        self.right.setCurrentWidget(self.empty)
        self.split.show_list()

    def delete_current(self) -> None:
        item = self.list.currentItem()
        rid = item.data(ID_ROLE) if item else None
        if item is None or rid is None:
            return
        label = item.text().split("\n", 1)[0].strip() or self.tr("the reflection")

        def done() -> None:
            if self.editor is not None and self.editor.reflection_id == rid:
                self.editor.keeper.stop()  # the draft stays: after an Undo, reopening offers it back
                self.close_editor()
            self.changed.emit()

        self.delete_item("reflection", rid, label, done)
