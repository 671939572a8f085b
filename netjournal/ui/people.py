"""People: the section that ties the list, a person's page, the person form and the quick log together.

The pieces live in their own modules: people_model (rows, filters, the lazy list), person_page,
person_dialog, quicklog; deletes go through ui/trash.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from netjournal.core.clock import utcnow
from netjournal.core.errors import NetjournalError
from netjournal.core.journal import (
    CIRCLE_LABELS,
    STATUS_LABELS,
    PersonData,
    create_person,
    get_person,
    last_contacts,
    set_commitment_status,
    update_person,
)
from netjournal.core.models import CommitmentStatus, PersonStatus
from netjournal.core.people_view import PersonRow, people_rows, tag_names
from netjournal.core.person_page import PageInfo, person_page
from netjournal.ui import theme
from netjournal.ui.empty_state import cover_when_empty
from netjournal.ui.form_parts import for_once
from netjournal.ui.layout import list_beside_page
from netjournal.ui.ops import DbWorker, known
from netjournal.ui.people_model import (
    PeopleFilter,
    PeopleListView,
    PeopleModel,
    Sort,
)
from netjournal.ui.person_dialog import PersonDialog
from netjournal.ui.person_page import PersonPage

if TYPE_CHECKING:
    from netjournal.app import NetjournalApp
    from netjournal.core.db import Session

__all__ = ["PeopleView", "PersonDialog", "PersonPage", "PersonRow", "install"]


def _opt(enum: type[PersonStatus], value: object) -> PersonStatus | None:
    # Combo boxes hand enum values back as plain strings.
    return enum(str(value)) if value else None


class PeopleView(QWidget):
    """The People section: a filterable list on the left, the selected person's page on the right."""

    log_requested = Signal(int)
    delete_requested = Signal(str, int, str)  # kind, id, label: the app's trash does it (with Undo)
    written = Signal()  # something was saved: the app tells every view
    merged = Signal(str)  # a plain sentence saying what a merge did

    def __init__(self, ops: DbWorker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.model = PeopleModel(self)
        self._loaded = False

        self.filter = QLineEdit()
        self.filter.setAccessibleName(self.tr("Filter people"))
        self.filter.setPlaceholderText(self.tr("Filter people (Ctrl+F)"))
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._apply_filter)
        self.sort = QComboBox()
        self.sort.setAccessibleName(self.tr("Sort people by"))
        self.sort.setToolTip(self.tr("Sort"))
        for value, label in (
            (Sort.NAME, self.tr("By name")),
            (Sort.RECENT, self.tr("Recently in touch")),
            (Sort.LONGEST, self.tr("Longest since in touch")),
            (Sort.CIRCLE, self.tr("By circle")),
        ):
            self.sort.addItem(label, value)
        self.circle = QComboBox()
        self.circle.setAccessibleName(self.tr("Circle"))
        self.circle.setToolTip(self.tr("Circle"))
        # Item data is never None (PySide6 6.12.0 lost a reference to None reading it back on Python 3.11).
        self.circle.addItem(self.tr("Any circle"), -1)
        for circle, label in CIRCLE_LABELS.items():
            self.circle.addItem(label, circle)
        self.circle.addItem(self.tr("Not placed yet"), 0)
        self.tag = QComboBox()
        self.tag.setAccessibleName(self.tr("Tag"))
        self.tag.setToolTip(self.tr("Tag"))
        self.tag.addItem(self.tr("Any tag"), "")
        self.status = QComboBox()
        self.status.setAccessibleName(self.tr("Status"))
        self.status.setToolTip(self.tr("Status"))
        self.status.addItem(self.tr("Anyone"), "")
        for st, label in STATUS_LABELS.items():
            self.status.addItem(label, st)
        for combo in (self.sort, self.circle, self.tag, self.status):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(8)
            combo.currentIndexChanged.connect(self._apply_filter)
        self.count = QLabel()
        self.count.setTextFormat(Qt.TextFormat.PlainText)
        self.count.setObjectName("peopleCount")
        self.count.setStyleSheet("color: palette(placeholder-text);")
        self.add_button = QPushButton(self.tr("&Add person…"))
        self.add_button.setToolTip(self.tr("Add someone you'd like to keep in touch with (Ctrl+N)"))
        self.add_button.clicked.connect(self.add_person)

        self.list = PeopleListView()
        self.list.setAccessibleName(self.tr("People"))
        self.list.setObjectName("peopleList")
        self.list.setModel(self.model)
        self.list.selectionModel().currentChanged.connect(self._current_changed)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._list_menu)
        cover_when_empty(
            self.list,
            "",
            "",
            texts=self._empty_words,
            empty=lambda: self.model.rows_known and self.model.rowCount() == 0,
        )
        delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.list)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self._delete_current)

        self.page = PersonPage()
        self.page.log_requested.connect(self.log_requested)
        self.page.edit_requested.connect(self.edit_person)
        self.page.delete_requested.connect(self.delete_person)
        self.page.edit_interaction_requested.connect(self.edit_interaction)
        self.page.delete_interaction_requested.connect(
            lambda iid: self.delete_requested.emit("interaction", iid, self.tr("the entry"))
        )
        self.page.promise_done.connect(self.promise_done)
        self.page.sync_choice_made.connect(self.sync_choice)
        self.page.merge_requested.connect(self.merge_person)
        self.page.timeline_jump_requested.connect(lambda pid, until: self.show_person(pid, until))
        self.empty = QLabel(
            self.tr("Pick someone on the left, or add the first person you'd like to keep in touch with.")
        )
        self.empty.setTextFormat(Qt.TextFormat.PlainText)
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.right = QStackedWidget()
        self.right.addWidget(self.empty)
        self.right.addWidget(self.page)

        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(8, 8, 0, 8)
        ll.setSpacing(6)
        ll.addWidget(self.filter)
        combos = QHBoxLayout()
        combos.setSpacing(4)
        combos.addWidget(self.circle, 1)
        combos.addWidget(self.tag, 1)
        combos2 = QHBoxLayout()
        combos2.setSpacing(4)
        combos2.addWidget(self.status, 1)
        combos2.addWidget(self.sort, 1)
        ll.addLayout(combos)
        ll.addLayout(combos2)
        ll.addWidget(self.list, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count, 1)
        bottom.addWidget(self.add_button)
        ll.addLayout(bottom)
        self.split = list_beside_page(self, left, self.right, back_text=self.tr("‹ All people"))
        # Narrow, the list and the person take turns: clicking or Enter on a person opens them.
        self.list.clicked.connect(lambda _i: self.split.show_page())
        self.list.activated.connect(lambda _i: self.split.show_page())
        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        find.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.activated.connect(self.focus_filter)
        find.setWhatsThis(self.tr("Filter people"))

    # -- loading and filtering
    def refresh(self, select_id: int | None = None) -> None:
        current = select_id if select_id is not None else self.page.person_id

        def read(s: Session) -> tuple[list[PersonRow], list[str]]:
            return people_rows(s), tag_names(s)

        def done(result: tuple[list[PersonRow], list[str]]) -> None:
            rows, tags = result
            self._set_tags(tags)
            self.model.set_rows(rows)
            self._loaded = True
            self._update_count()
            if current is not None:
                self.select_person(current)

        def last_done(last: dict[int, datetime]) -> None:
            self.model.set_last_contacts(last)
            if self.model.filter.sort in (Sort.RECENT, Sort.LONGEST):
                self._apply_filter()

        self.ops.read(read, done)
        self.ops.read(last_contacts, last_done)  # the slower part: the list is already there

    def _set_tags(self, tags: list[str]) -> None:
        chosen = self.tag.currentData()
        self.tag.blockSignals(True)
        self.tag.clear()
        self.tag.addItem(self.tr("Any tag"), "")
        for t in tags:
            self.tag.addItem(t, t)
        self.tag.setCurrentIndex(max(0, self.tag.findData(chosen)) if chosen else 0)
        self.tag.blockSignals(False)

    def _empty_words(self) -> tuple[str, str]:
        f = self.current_filter()
        if f.text.strip() or f.circle is not None or f.tag or f.status is not None:
            return self.tr("No one matches"), self.tr("Try fewer letters, or set the filters above back to “Any”.")
        return self.tr("No one here yet"), self.tr(
            "The people you add appear here, with when you last talked. Add someone with Add person… (Ctrl+N), "
            "or bring in contacts with File → Import… (Ctrl+I)."
        )

    def current_filter(self) -> PeopleFilter:
        return PeopleFilter(
            text=self.filter.text(),
            circle=None if (c := self.circle.currentData()) == -1 else c,
            tag=self.tag.currentData() or None,
            status=_opt(PersonStatus, self.status.currentData()),
            sort=Sort(self.sort.currentData() or Sort.NAME),
        )

    def _apply_filter(self, *_args: object) -> None:
        keep = self.page.person_id
        self.model.set_filter(self.current_filter())
        self._update_count()
        if keep is not None:
            row = self.model.row_of(keep)
            if row >= 0:
                self.list.selectionModel().blockSignals(True)
                self.list.setCurrentIndex(self.model.index(row))
                self.list.selectionModel().blockSignals(False)
                self.list.scrollTo(self.model.index(row))

    def set_status_filter(self, status: PersonStatus | None) -> None:
        self.status.setCurrentIndex(max(0, self.status.findData(status or "")))

    def _update_count(self) -> None:
        total, shown = self.model.total, self.model.matching
        if not self._loaded:
            self.count.setText("")
        elif shown == total:
            self.count.setText(self.tr("{0:,} people").format(total) if total != 1 else self.tr("1 person"))
        else:
            self.count.setText(self.tr("{0:,} of {1:,}").format(shown, total))

    def focus_filter(self) -> None:
        self.split.show_list()
        self.filter.setFocus()
        self.filter.selectAll()

    # -- selection and the page
    def select_person(self, person_id: int) -> None:
        row = self.model.row_of(person_id)
        if row >= 0:
            index = self.model.index(row)
            self.list.setCurrentIndex(index)
            self.list.scrollTo(index)
        self.show_person(person_id)
        self.split.show_page()

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        pid = self.model.id_at(current.row()) if current.isValid() else None
        if pid is not None and pid != self.page.person_id:
            self.show_person(pid)

    def show_person(self, person_id: int, until: datetime | None = None) -> None:
        def done(info: PageInfo) -> None:
            self.page.show_person(info)
            self.right.setCurrentWidget(self.page)

        def gone(_exc: NetjournalError) -> None:  # deleted meanwhile: show the calm empty state
            self.page.person_id = None
            self.right.setCurrentWidget(self.empty)

        self.ops.read(lambda s: person_page(s, person_id, utcnow(), until), done, known(gone), parent=self)

    def _person_name(self, person_id: int) -> str:
        for r in self.model.all_rows():
            if r.id == person_id:
                return r.name
        return self.tr("the person")

    def _list_menu(self, pos: QPoint) -> None:
        index = self.list.indexAt(pos)
        pid = self.model.id_at(index.row()) if index.isValid() else None
        if pid is None:
            return
        menu = QMenu(self)
        menu.addAction(self.tr("Log…"), lambda: self.log_requested.emit(pid))
        menu.addAction(self.tr("Edit…"), lambda: self.edit_person(pid))
        menu.addSeparator()
        menu.addAction(self.tr("Move to trash"), lambda: self.delete_person(pid))
        menu.exec(self.list.viewport().mapToGlobal(pos))

    def _delete_current(self) -> None:
        current = self.list.currentIndex()
        pid = self.model.id_at(current.row()) if current.isValid() else None
        if pid is not None:
            self.delete_person(int(pid))

    # -- writing
    def add_person(self) -> None:
        with for_once(PersonDialog(self)) as dialog:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            data = dialog.person_data()

        self.ops.write(lambda s: create_person(s, data, now=utcnow()).id, self._saved, parent=self)

    def edit_person(self, person_id: int) -> None:
        def edit(data: PersonData) -> None:
            with for_once(PersonDialog(self, data)) as dialog:
                if dialog.exec() != QDialog.DialogCode.Accepted:
                    return
                new = dialog.person_data()

            self.ops.write(lambda s: update_person(s, person_id, new, now=utcnow()).id, self._saved, parent=self)

        self.ops.read(lambda s: PersonData.from_person(get_person(s, person_id)), edit, parent=self)

    def _saved(self, person_id: int) -> None:
        self.written.emit()
        self.refresh(person_id)

    def delete_person(self, person_id: int) -> None:
        self.delete_requested.emit("person", person_id, self._person_name(person_id))

    def edit_interaction(self, interaction_id: int) -> None:
        from netjournal.ui.quicklog import QuickLogDialog

        with for_once(QuickLogDialog(self.ops, self, interaction_id=interaction_id)) as dialog:
            saved = dialog.exec() and dialog.saved_interaction_id is not None
        if saved:
            self.written.emit()

    def merge_person(self, keep_id: int) -> None:
        from netjournal.ui.merge_dialog import MergeDialog

        with for_once(MergeDialog(self.ops, keep_id, self._person_name(keep_id), self)) as dialog:
            if dialog.exec() != QDialog.DialogCode.Accepted or dialog.result_info is None:
                return
            r = dialog.result_info
        moved = [f"{r.interactions} entr{'y' if r.interactions == 1 else 'ies'}"]
        if r.commitments:
            moved.append(f"{r.commitments} promise{'' if r.commitments == 1 else 's'}")
        self.merged.emit(
            self.tr("Merged {0} into {1}; {2} moved over.").format(
                dialog.merged_name, self._person_name(keep_id), " and ".join(moved)
            )
        )
        self.written.emit()

    def sync_choice(self, link_id: int, field_name: str, keep_server: bool) -> None:
        from netjournal.core.sync.choices import choose

        def job(s: Session) -> None:
            choose(s, link_id, field_name, keep_server, now=utcnow())

        self.ops.write(job, lambda _r: self.written.emit(), parent=self)

    def promise_done(self, commitment_id: int) -> None:
        def done(s: Session) -> None:
            set_commitment_status(s, commitment_id, CommitmentStatus.DONE, now=utcnow())

        self.ops.write(done, lambda _r: self.written.emit(), parent=self)


def install(app: NetjournalApp) -> None:
    from netjournal.ui.main_window import Section
    from netjournal.ui.trash import controller

    trash = controller(app)
    view = PeopleView(app.ops)
    app.people = view
    app.nav.offer_people(view.select_person, lambda: view.page.person_id)
    app.nav.offer_add_person(lambda: view.add_person())  # looked up when asked (tests replace it)
    view.log_requested.connect(app.nav.log_interaction)
    view.delete_requested.connect(trash.delete)
    view.written.connect(app.journal_changed)
    view.merged.connect(lambda text: app.window.show_notice(text, 12_000))
    app.journal_changed.connect(view.refresh)
    app.window.add_section(Section("people", app.tr("People"), view))

    def reflect(person_id: int) -> None:
        from netjournal.core.models import ReflectionKind

        app.nav.reflect_on(ReflectionKind.DISCOMFORT, person_id=person_id)

    view.page.reflect_requested.connect(reflect)
    menu = view.page.more_button.menu()
    if menu is not None:
        menu.aboutToShow.connect(lambda: view.page.action_reflect.setVisible(app.nav.can_reflect))

    add = QAction(theme.icon("add-person"), app.tr("&Add person…"), app.window)
    add.setShortcut(QKeySequence(app.tr("Ctrl+N")))
    add.triggered.connect(app.nav.add_person)
    log = QAction(theme.icon("log"), app.tr("&Quick log…"), app.window)
    log.setShortcut(QKeySequence(app.tr("Ctrl+L")))
    log.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)  # the app's own Ctrl+L shortcut handles the key
    log.triggered.connect(lambda: app.nav.log_interaction(app.nav.person_in_view(on_screen=True)))
    app.window.menu_file.addAction(add)
    app.window.menu_file.addAction(log)
    view.refresh()
