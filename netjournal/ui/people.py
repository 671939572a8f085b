"""People: the list, a person's page with their timeline, and the add/edit form."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select

from netjournal.core.clock import utcnow
from netjournal.core.db import Journal
from netjournal.core.errors import NetjournalError
from netjournal.core.journal import (
    CHANNEL_LABELS,
    CIRCLE_LABELS,
    STATUS_LABELS,
    PersonData,
    create_person,
    get_person,
    last_contacts,
    open_commitments,
    timeline,
    update_person,
)
from netjournal.core.models import Direction, Person, PersonStatus
from netjournal.ui.messages import inform
from netjournal.ui.ops import DbWorker
from netjournal.ui.plain import plain_tooltip

if TYPE_CHECKING:
    from netjournal.app import NetjournalApp

PERSON_ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2


@dataclass(frozen=True)
class PersonRow:
    id: int
    name: str
    sort_name: str
    organisation: str
    circle: int | None
    status: PersonStatus


def load_rows(journal: Journal) -> list[PersonRow]:
    """The columns the list shows, for everyone (one narrow query: ~5 ms for 5,000 people)."""
    with journal.read() as s:
        stmt = (
            select(Person.id, Person.name, Person.sort_name, Person.organisation, Person.circle, Person.status)
            .where(Person.deleted_at.is_(None))
            .order_by(Person.sort_name)
        )
        return [PersonRow(*r) for r in s.execute(stmt)]


class PeopleModel(QAbstractListModel):
    """A flat list of people, filled in batches as the view scrolls (fetchMore)."""

    BATCH = 400

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[PersonRow] = []
        self._shown = 0

    def set_rows(self, rows: list[PersonRow]) -> None:
        self.beginResetModel()
        self._rows = rows
        self._shown = min(len(rows), self.BATCH)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._shown

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> bool:
        return not parent.isValid() and self._shown < len(self._rows)

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> None:
        if parent.isValid():
            return
        more = min(self.BATCH, len(self._rows) - self._shown)
        self.beginInsertRows(QModelIndex(), self._shown, self._shown + more - 1)
        self._shown += more
        self.endInsertRows()

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= self._shown:
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{row.name}\n{row.organisation}" if row.organisation else row.name
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(row.name)
        if role == PERSON_ID_ROLE:
            return row.id
        if role == SORT_ROLE:
            return row.sort_name
        return None

    def row_of(self, person_id: int) -> int:
        for i, r in enumerate(self._rows):
            if r.id == person_id:
                while i >= self._shown:
                    self.fetchMore(QModelIndex())
                return i
        return -1


class PersonDialog(QDialog):
    """Add or edit a person. Only a name is required."""

    def __init__(self, parent: QWidget | None, data: PersonData | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Edit person") if data else self.tr("Add a person"))
        self._data = data or PersonData(name="")
        form = QFormLayout()
        self.name = QLineEdit(self._data.name)
        self.name.setPlaceholderText(self.tr("Their name"))
        self.organisation = QLineEdit(self._data.organisation)
        self.role = QLineEdit(self._data.role)
        self.email = QLineEdit(", ".join(v for _, v in self._data.emails))
        self.phone = QLineEdit(", ".join(v for _, v in self._data.phones))
        self.circle = QComboBox()
        self.circle.addItem(self.tr("Not placed yet"), None)
        for value, label in CIRCLE_LABELS.items():
            self.circle.addItem(label, value)
        self.circle.setCurrentIndex(max(0, self.circle.findData(self._data.circle)))
        self.status = QComboBox()
        for st, label in STATUS_LABELS.items():
            self.status.addItem(label, st)
        self.status.setCurrentIndex(max(0, self.status.findData(self._data.status)))
        self.how_met = QLineEdit(self._data.how_met)
        self.how_met.setPlaceholderText(self.tr("e.g. the design meetup in March"))
        self.notes = QPlainTextEdit(self._data.notes)
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(80)
        form.addRow(self.tr("&Name"), self.name)
        form.addRow(self.tr("&Organisation"), self.organisation)
        form.addRow(self.tr("&Role"), self.role)
        form.addRow(self.tr("&Email"), self.email)
        form.addRow(self.tr("&Phone"), self.phone)
        form.addRow(self.tr("&Circle"), self.circle)
        form.addRow(self.tr("&Status"), self.status)
        form.addRow(self.tr("How you &met"), self.how_met)
        form.addRow(self.tr("No&tes"), self.notes)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        self.error = QLabel()
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _accept(self) -> None:
        if not self.name.text().strip():
            self.error.setText(self.tr("A name is all that is needed."))
            self.name.setFocus()
            return
        self.accept()

    def person_data(self) -> PersonData:
        d = self._data
        d.name = self.name.text().strip()
        d.organisation = self.organisation.text().strip()
        d.role = self.role.text().strip()
        d.emails = [("", e.strip()) for e in self.email.text().split(",") if e.strip()]
        d.phones = [("", p.strip()) for p in self.phone.text().split(",") if p.strip()]
        d.circle = self.circle.currentData()
        d.status = self.status.currentData()
        d.how_met = self.how_met.text().strip()
        d.notes = self.notes.toPlainText()
        return d


def _when(at: datetime) -> str:
    return at.astimezone().strftime("%a %d %b %Y, %H:%M")


class PersonPage(QWidget):
    """One person: who they are, open promises both ways, and the timeline."""

    log_requested = Signal(int)
    edit_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.person_id: int | None = None
        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setObjectName("personTitle")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.title.setFont(font)
        self.subtitle = QLabel()
        self.subtitle.setTextFormat(Qt.TextFormat.PlainText)
        self.subtitle.setWordWrap(True)
        self.details = QLabel()
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.log_button = QPushButton(self.tr("&Log an interaction…"))
        self.log_button.clicked.connect(lambda: self.person_id and self.log_requested.emit(self.person_id))
        self.edit_button = QPushButton(self.tr("&Edit…"))
        self.edit_button.clicked.connect(lambda: self.person_id and self.edit_requested.emit(self.person_id))
        self.promises_label = QLabel(self.tr("Open promises"))
        self.promises = QListWidget()
        self.promises.setMaximumHeight(90)
        self.timeline_label = QLabel(self.tr("Timeline"))
        self.timeline = QListWidget()
        self.timeline.setObjectName("timeline")
        self.timeline.setWordWrap(True)
        self.timeline.setAlternatingRowColors(True)

        header = QHBoxLayout()
        names = QVBoxLayout()
        names.addWidget(self.title)
        names.addWidget(self.subtitle)
        header.addLayout(names, 1)
        header.addWidget(self.edit_button, 0, Qt.AlignmentFlag.AlignTop)
        header.addWidget(self.log_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.details)
        layout.addWidget(self.promises_label)
        layout.addWidget(self.promises)
        layout.addWidget(self.timeline_label)
        layout.addWidget(self.timeline, 1)

    def show_person(self, info: dict[str, Any]) -> None:
        self.person_id = info["id"]
        self.title.setText(info["name"])
        self.subtitle.setText(info["subtitle"])
        self.details.setText(info["details"])
        self.promises.clear()
        for text in info["promises"]:
            self.promises.addItem(text)
        self.promises_label.setVisible(bool(info["promises"]))
        self.promises.setVisible(bool(info["promises"]))
        self.timeline.clear()
        for line in info["timeline"]:
            item = QListWidgetItem(line)
            self.timeline.addItem(item)
        if not info["timeline"]:
            self.timeline.addItem(self.tr("Nothing logged yet. When you meet or write, log it here (Ctrl+L)."))


def load_person_page(journal: Journal, person_id: int) -> dict[str, Any]:
    with journal.read() as s:
        p = get_person(s, person_id)
        last = last_contacts(s, [person_id]).get(person_id)
        subtitle_bits = [x for x in (p.role, p.organisation) if x]
        if p.circle:
            subtitle_bits.append(CIRCLE_LABELS[p.circle])
        if p.status is not PersonStatus.ACTIVE:
            subtitle_bits.append(STATUS_LABELS[p.status])
        details = []
        emails = [c.value for c in p.contact_points if c.kind == "email"]
        phones = [c.value for c in p.contact_points if c.kind == "phone"]
        if emails:
            details.append("Email: " + ", ".join(emails))
        if phones:
            details.append("Phone: " + ", ".join(phones))
        if p.how_met:
            details.append("How you met: " + p.how_met)
        if last:
            details.append("Last in touch: " + last.astimezone().strftime("%d %b %Y"))
        if p.notes:
            details.append(p.notes)
        promises = []
        for c in open_commitments(s, person_id):
            who = "You said you'd" if c.direction is Direction.I_OWE else "They said they'd"
            due = f" (by {c.due_on:%d %b})" if c.due_on else ""
            promises.append(f"{who}: {c.text}{due}")
        lines = []
        for it in timeline(s, person_id, limit=300):
            head = f"{_when(it.at)} · {CHANNEL_LABELS[it.channel]}"
            if it.state.value == "planned":
                head = "Upcoming: " + head
            if it.warmth:
                head += " · warmth " + "●" * it.warmth + "○" * (5 - it.warmth)
            body = it.title if it.title and not it.notes else it.notes
            lines.append(head + (f"\n{body}" if body else ""))
        return {
            "id": p.id, "name": p.name, "subtitle": " · ".join(subtitle_bits),
            "details": "\n".join(details), "promises": promises, "timeline": lines,
        }  # fmt: skip


class PeopleView(QWidget):
    """The People section: a filterable list on the left, the selected person's page on the right."""

    log_requested = Signal(int)

    def __init__(self, ops: DbWorker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.model = PeopleModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(self.tr("Filter people"))
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.add_button = QPushButton(self.tr("&Add person…"))
        self.add_button.clicked.connect(self.add_person)
        self.list = QListView()
        self.list.setObjectName("peopleList")
        self.list.setModel(self.proxy)
        self.list.setUniformItemSizes(True)
        self.list.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        self.list.selectionModel().currentChanged.connect(self._current_changed)
        self.page = PersonPage()
        self.page.log_requested.connect(self.log_requested)
        self.page.edit_requested.connect(self.edit_person)
        self.empty = QLabel(
            self.tr("Pick someone on the left, or add the first person you'd like to keep in touch with.")
        )
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.right = QStackedWidget()
        self.right.addWidget(self.empty)
        self.right.addWidget(self.page)

        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(8, 8, 0, 8)
        ll.addWidget(self.filter)
        ll.addWidget(self.list, 1)
        ll.addWidget(self.add_button)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([280, 720])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        QShortcut(QKeySequence.StandardKey.Find, self, activated=self.filter.setFocus)
        QShortcut(QKeySequence(self.tr("Ctrl+N")), self, activated=self.add_person)

    def refresh(self, select_id: int | None = None) -> None:
        current = select_id if select_id is not None else self.page.person_id

        def done(rows: list[PersonRow]) -> None:
            self.model.set_rows(rows)
            if current is not None:
                self.select_person(current)

        self.ops.run(load_rows, done)

    def select_person(self, person_id: int) -> None:
        row = self.model.row_of(person_id)
        if row < 0:
            self.right.setCurrentWidget(self.empty)
            return
        index = self.proxy.mapFromSource(self.model.index(row))
        if index.isValid():
            self.list.setCurrentIndex(index)
            self.list.scrollTo(index)
        self.show_person(person_id)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        pid = current.data(PERSON_ID_ROLE)
        if pid is not None and pid != self.page.person_id:
            self.show_person(pid)

    def show_person(self, person_id: int) -> None:
        def done(info: dict[str, Any]) -> None:
            self.page.show_person(info)
            self.right.setCurrentWidget(self.page)

        self.ops.run(lambda j: load_person_page(j, person_id), done)

    def add_person(self) -> None:
        dialog = PersonDialog(self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        data = dialog.person_data()

        def save(j: Journal) -> int:
            with j.session() as s:
                return create_person(s, data, now=utcnow()).id

        self.ops.run(save, self.refresh, self._show_error)

    def edit_person(self, person_id: int) -> None:
        def load(j: Journal) -> PersonData:
            with j.read() as s:
                return PersonData.from_person(get_person(s, person_id))

        data = self.ops.call(load)
        dialog = PersonDialog(self, data)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        new = dialog.person_data()

        def save(j: Journal) -> int:
            with j.session() as s:
                return update_person(s, person_id, new, now=utcnow()).id

        self.ops.run(save, self.refresh, self._show_error)

    def _show_error(self, exc: BaseException) -> None:
        if isinstance(exc, NetjournalError):
            inform(self, exc.message)
        else:
            raise exc


def install(app: NetjournalApp) -> None:
    from netjournal.ui.main_window import Section

    view = PeopleView(app.ops)
    app.people = view
    view.log_requested.connect(app.quick_log)
    app.journal_changed.connect(view.refresh)
    app.window.add_section(Section("people", app.tr("People"), view, "Ctrl+2"))
    view.refresh()
