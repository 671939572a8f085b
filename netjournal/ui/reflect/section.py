"""The Reflect section: the Reflections and Ladders tabs, and how the app installs it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from netjournal.core import ladder as ld
from netjournal.core import reflections as rf
from netjournal.core.clock import utcnow
from netjournal.core.models import ReflectionKind
from netjournal.ui.form_parts import GENTLE_STYLE, plain_label
from netjournal.ui.ops import DbWorker
from netjournal.ui.reflect.editor import ReflectionEditor
from netjournal.ui.reflect.ladders import LaddersPane
from netjournal.ui.reflect.reflections import ReflectionsPane

if TYPE_CHECKING:
    from netjournal.app import NetjournalApp


class ReflectView(QWidget):
    changed = Signal()  # something was written

    def __init__(self, ops: DbWorker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.note = plain_label(self.tr(rf.SELF_HELP_NOTE), muted=True)
        self.note.setObjectName("selfHelpNote")
        self.hint = plain_label("")
        self.hint.setObjectName("professionalHelpHint")
        self.hint.setStyleSheet(GENTLE_STYLE)
        self.hint.hide()
        self.reflections = ReflectionsPane(ops)
        self.ladders = LaddersPane(ops)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.reflections, self.tr("&Reflections"))
        self.tabs.addTab(self.ladders, self.tr("L&adders"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.note)
        self.reflections.changed.connect(self.changed)
        self.ladders.changed.connect(self.changed)

    def start(
        self, kind: ReflectionKind, *, person_id: int | None = None, interaction_id: int | None = None
    ) -> ReflectionEditor:
        """Open a new reflection, optionally about a person or a meeting (for other sections to call)."""
        self.tabs.setCurrentWidget(self.reflections)
        return self.reflections.new(kind, person_id=person_id, interaction_id=interaction_id)

    def refresh(self) -> None:
        self.ops.read(lambda s: rf.reflect_page(s, utcnow()), self._show_page)
        self.ops.read(ld.ladder_views, self.ladders.show_ladders)

    def _show_page(self, page: rf.ReflectPage) -> None:
        self.reflections.show_page(page)
        self.hint.setText(page.hint or "")
        self.hint.setVisible(bool(page.hint))


def install(app: NetjournalApp) -> None:
    from netjournal.ui.main_window import Section
    from netjournal.ui.trash import controller

    view = ReflectView(app.ops)
    view.reflections.delete_item = view.ladders.delete_item = controller(app).delete
    view.ladders.offer_undo = controller(app).offer_undo
    app.reflect = view
    app.nav.offer_reflect(
        lambda kind, person_id, interaction_id: view.start(kind, person_id=person_id, interaction_id=interaction_id)
    )
    view.changed.connect(app.journal_changed)
    app.journal_changed.connect(view.refresh)
    app.window.add_section(Section("reflect", app.tr("Reflect"), view))
    view.refresh()
