"""Add or edit a person: every Contact field, grouped in tabs so it never becomes a wall of boxes."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from netjournal.core.journal import CIRCLE_LABELS, STATUS_LABELS, PersonData
from netjournal.core.models import PersonStatus
from netjournal.ui.form_parts import column, dialog_buttons, plain_label
from netjournal.ui.layout import scrolling
from netjournal.ui.qt import qdate, to_date

ADDRESS_FIELDS = ("label", "street", "locality", "region", "postcode", "country")


def _text_box(text: str, placeholder: str, height: int = 64) -> QPlainTextEdit:
    box = QPlainTextEdit(text)
    box.setPlaceholderText(placeholder)
    box.setTabChangesFocus(True)
    box.setFixedHeight(height)
    return box


def _remove_button(tip: str) -> QToolButton:
    button = QToolButton()
    button.setText("✕")
    button.setToolTip(tip)
    button.setAccessibleName(tip)
    return button


class RowList(QWidget):
    """Rows of fields with a Remove button each and an "Add" button below; empty rows are not saved."""

    def __init__(self, add_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.rows: list[QWidget] = []
        self.add_button = QPushButton(add_text)
        self.add_button.clicked.connect(lambda: self.focus_row(self.add_row()))
        self._layout.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)

    def _append(self, row: QWidget, remove: QToolButton) -> QWidget:
        remove.clicked.connect(lambda: self.remove_row(row))
        self._layout.insertWidget(len(self.rows), row)
        self.rows.append(row)
        return row

    def remove_row(self, row: QWidget) -> None:
        self.rows.remove(row)
        self._layout.removeWidget(row)
        row.deleteLater()

    def add_row(self) -> QWidget:  # pragma: no cover - each list says what a row is
        raise NotImplementedError

    def focus_row(self, row: QWidget) -> None:
        first = row.findChild(QLineEdit)
        if first is not None:
            first.setFocus()


class PointsEditor(RowList):
    """Emails, phones or links: a label you can pick or type ("work", "mobile"…) beside each value."""

    def __init__(self, points: list[tuple[str, str]], placeholder: str, labels: list[str], add_text: str) -> None:
        super().__init__(add_text)
        self.placeholder, self.labels = placeholder, labels
        for label, value in points:
            self.add_row(label, value)
        if not points:
            self.add_row()

    def add_row(self, label: str = "", value: str = "") -> QWidget:
        row = QWidget()
        h = QHBoxLayout(row)
        h.setContentsMargins(0, 0, 0, 0)
        kind = QComboBox()
        kind.setEditable(True)
        kind.addItems(["", *self.labels])
        kind.setCurrentText(label)
        line = kind.lineEdit()
        if line is not None:  # an editable combo box has one
            line.setPlaceholderText(self.tr("label"))
        kind.setAccessibleName(self.tr("Label"))
        kind.setMinimumContentsLength(7)
        kind.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        edit = QLineEdit(value)
        edit.setPlaceholderText(self.placeholder)
        h.addWidget(edit, 1)
        h.addWidget(kind)
        remove = _remove_button(self.tr("Remove"))
        h.addWidget(remove)
        row.setProperty("fields", (kind, edit))
        return self._append(row, remove)

    def points(self) -> list[tuple[str, str]]:
        out = []
        for row in self.rows:
            kind, edit = row.property("fields")
            if edit.text().strip():
                out.append((kind.currentText().strip(), edit.text().strip()))
        return out


class AddressEditor(RowList):
    """Each address as labelled rows (street, city…), not a six-column grid."""

    def __init__(self, addresses: list[dict[str, Any]]) -> None:
        super().__init__(self.tr("Add an address"))
        for a in addresses:
            self.add_row({k: a.get(k, "") or "" for k in ADDRESS_FIELDS})

    def add_row(self, values: dict[str, str] | None = None) -> QWidget:
        values = values or {}
        box = QFrame()
        box.setFrameShape(QFrame.Shape.StyledPanel)
        form = QFormLayout(box)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        edits: dict[str, QLineEdit] = {}
        names = {
            "label": self.tr("Label"),
            "street": self.tr("Street"),
            "locality": self.tr("City"),
            "region": self.tr("Region"),
            "postcode": self.tr("Postcode"),
            "country": self.tr("Country"),
        }
        for key in ADDRESS_FIELDS:
            edits[key] = QLineEdit(values.get(key, ""))
            edits[key].setAccessibleName(names[key])
        edits["label"].setPlaceholderText(self.tr("e.g. home, work"))
        remove = _remove_button(self.tr("Remove this address"))
        top = QHBoxLayout()
        top.addWidget(edits["label"], 1)
        top.addWidget(remove)
        form.addRow(names["label"], top)
        for key in ADDRESS_FIELDS[1:]:
            form.addRow(names[key], edits[key])
        box.setProperty("fields", edits)
        return self._append(box, remove)

    def values(self) -> list[dict[str, str]]:
        out = []
        for box in self.rows:
            edits = box.property("fields")
            row = {k: edits[k].text().strip() for k in ADDRESS_FIELDS}
            if any(row.values()):
                out.append(row)
        return out


class DatesEditor(RowList):
    """Birthdays and other dates with a date picker; the year may be left out ("12 April")."""

    def __init__(self, dates: list[dict[str, Any]]) -> None:
        super().__init__(self.tr("Add a date"))
        for d in dates:
            self.add_row(d)

    def add_row(self, d: dict[str, Any] | None = None) -> QWidget:
        d = d or {}
        row = QFrame()
        row.setFrameShape(QFrame.Shape.StyledPanel)
        grid = QGridLayout(row)
        kind = QComboBox()
        kinds = {"birthday": self.tr("Birthday"), "anniversary": self.tr("Anniversary"), "other": self.tr("Other")}
        for key, text in kinds.items():
            kind.addItem(text, key)
        kind.setCurrentIndex(max(0, kind.findData(d.get("kind") or "birthday")))
        kind.setAccessibleName(self.tr("Kind of date"))
        what = QLineEdit(str(d.get("label") or ""))
        what.setPlaceholderText(self.tr("What (optional), e.g. started at Northwind"))
        what.setAccessibleName(self.tr("What"))
        year = d.get("year")
        when = QDateEdit(QDate(year or 2000, int(d.get("month") or 1), int(d.get("day") or 1)))
        when.setCalendarPopup(True)
        when.setAccessibleName(self.tr("Date"))
        known = QCheckBox(self.tr("I know the year"))
        known.setChecked(bool(year) or not d)

        def show_year(on: bool) -> None:
            when.setDisplayFormat("d MMMM yyyy" if on else "d MMMM")

        known.toggled.connect(show_year)
        show_year(known.isChecked())
        if not d:
            when.setDate(QDate.currentDate())
        remove = _remove_button(self.tr("Remove this date"))
        grid.addWidget(kind, 0, 0)
        grid.addWidget(what, 0, 1)
        grid.addWidget(remove, 0, 2)
        grid.addWidget(when, 1, 0)
        grid.addWidget(known, 1, 1)
        grid.setColumnStretch(1, 1)
        row.setProperty("fields", (kind, what, when, known))
        return self._append(row, remove)

    def values(self) -> list[dict[str, Any]]:
        out = []
        for row in self.rows:
            kind, what, when, known = row.property("fields")
            day = when.date()
            year = day.year() if known.isChecked() else None
            out.append(
                {
                    "kind": kind.currentData(),
                    "label": what.text().strip(),
                    "month": day.month(),
                    "day": day.day(),
                    "year": year,
                }
            )
        return out


class PersonDialog(QDialog):
    """Add or edit a person. Only a name is required; everything else is there when you want it."""

    def __init__(self, parent: QWidget | None, data: PersonData | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Edit person") if data else self.tr("Add a person"))
        self.setMinimumWidth(560)
        self._data = data or PersonData(name="")
        d = self._data
        self.tabs = QTabWidget()

        # -- Basics
        self.name = QLineEdit(d.name)
        self.name.setPlaceholderText(self.tr("Their name"))
        self.nickname = QLineEdit(d.nickname)
        self.nickname.setPlaceholderText(self.tr("What you call them, if different"))
        self.organisation = QLineEdit(d.organisation)
        self.role = QLineEdit(d.role)
        self.circle = QComboBox()
        self.circle.addItem(self.tr("Not placed yet"), 0)
        for value, label in CIRCLE_LABELS.items():
            self.circle.addItem(label, value)
        self.circle.setCurrentIndex(max(0, self.circle.findData(d.circle or 0)))
        self.cadence = QSpinBox()
        self.cadence.setRange(0, 3650)
        self.cadence.setSpecialValueText(self.tr("the circle's usual rhythm"))
        self.cadence.setSuffix(self.tr(" days"))
        self.cadence.setValue(d.cadence_days or 0)
        self.status = QComboBox()
        for st, label in STATUS_LABELS.items():
            self.status.addItem(label, st)
        self.status.setCurrentIndex(max(0, self.status.findData(d.status)))
        self.ended_badly = QCheckBox(self.tr("It ended on a sour note (never suggest reconnecting)"))
        self.ended_badly.setChecked(d.ended_badly)
        self.tags = QLineEdit(", ".join(d.tags))
        self.tags.setPlaceholderText(self.tr("e.g. python, mentor (separate with commas)"))
        basics = QWidget()
        f = QFormLayout(basics)
        f.addRow(self.tr("&Name"), self.name)
        f.addRow(self.tr("Nic&kname"), self.nickname)
        f.addRow(self.tr("&Organisation"), self.organisation)
        f.addRow(self.tr("&Role"), self.role)
        f.addRow(self.tr("&Circle"), self.circle)
        f.addRow(self.tr("Keep in touch e&very"), self.cadence)
        f.addRow(self.tr("&Status"), self.status)
        f.addRow("", self.ended_badly)
        f.addRow(self.tr("&Tags"), self.tags)
        self.tabs.addTab(scrolling(basics, sideways=False), self.tr("Basics"))

        # -- How you met and FORD notes
        self.how_met = QLineEdit(d.how_met)
        self.how_met.setPlaceholderText(self.tr("e.g. the design meetup in March"))
        self.met_known = QCheckBox(self.tr("I know the date"))
        self.met_on = QDateEdit(qdate(d.met_on) if d.met_on else QDate.currentDate())
        self.met_on.setCalendarPopup(True)
        self.met_on.setDisplayFormat("d MMM yyyy")
        self.met_known.setChecked(d.met_on is not None)
        self.met_on.setEnabled(d.met_on is not None)
        self.met_known.toggled.connect(self.met_on.setEnabled)
        met_row = QHBoxLayout()
        met_row.addWidget(self.met_known)
        met_row.addWidget(self.met_on, 1)
        self.ford_family = _text_box(d.ford_family, self.tr("Partner, children, parents, pets…"))
        self.ford_occupation = _text_box(d.ford_occupation, self.tr("What they do, what they're working on"))
        self.ford_recreation = _text_box(d.ford_recreation, self.tr("Hobbies, sports, what they do for fun"))
        self.ford_dreams = _text_box(d.ford_dreams, self.tr("What they hope for, plans, ambitions"))
        ford = QWidget()
        f = QFormLayout(ford)
        f.addRow(self.tr("How you &met"), self.how_met)
        f.addRow(self.tr("Met on"), met_row)
        hint = QLabel(self.tr("Things to remember about them (FORD: family, occupation, recreation, dreams)"))
        hint.setTextFormat(Qt.TextFormat.PlainText)
        hint.setWordWrap(True)
        f.addRow(hint)
        f.addRow(self.tr("&Family"), self.ford_family)
        f.addRow(self.tr("&Work"), self.ford_occupation)
        f.addRow(self.tr("&Free time"), self.ford_recreation)
        f.addRow(self.tr("&Dreams"), self.ford_dreams)
        self.tabs.addTab(scrolling(ford, sideways=False), self.tr("About them"))

        # -- Contact details: one row per value, with its label ("work") editable beside it
        self.emails = PointsEditor(
            d.emails, self.tr("name@example.org"), ["work", "home", "other"], self.tr("Add an email")
        )
        phone_labels = ["mobile", "work", "home", "other"]
        self.phones = PointsEditor(d.phones, self.tr("+44 7700 900123"), phone_labels, self.tr("Add a phone number"))
        link_labels = ["LinkedIn", "website", "blog", "other"]
        self.urls = PointsEditor(d.urls, self.tr("https://…"), link_labels, self.tr("Add a link"))
        self.addresses = AddressEditor(d.addresses)
        contact = QWidget()
        f = QFormLayout(contact)
        f.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        f.addRow(self.tr("Email"), self.emails)
        f.addRow(self.tr("Phone"), self.phones)
        f.addRow(self.tr("Links"), self.urls)
        f.addRow(self.tr("Addresses"), self.addresses)
        self.tabs.addTab(scrolling(contact, sideways=False), self.tr("&Contact"))

        # -- Dates and notes
        self.dates = DatesEditor(d.dates)
        self.notes = QPlainTextEdit(d.notes)
        self.notes.setPlaceholderText(self.tr("Anything else worth remembering"))
        self.notes.setTabChangesFocus(True)
        self.notes.setMinimumHeight(96)
        more = QWidget()
        f = QFormLayout(more)
        f.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        f.addRow(self.tr("Important dates"), self.dates)
        f.addRow(self.tr("&Notes"), self.notes)
        self.tabs.addTab(scrolling(more, sideways=False), self.tr("Dates and notes"))

        self.error = plain_label()
        column(self, self.tabs, self.error, dialog_buttons(self, accept=self._accept))
        self.name.setFocus()

    def _accept(self) -> None:
        if not self.name.text().strip():
            self.error.setText(self.tr("A name is all that is needed."))
            self.tabs.setCurrentIndex(0)
            self.name.setFocus()
            return
        self.accept()

    def person_data(self) -> PersonData:
        d = self._data
        d.name = self.name.text().strip()
        d.nickname = self.nickname.text().strip()
        d.organisation = self.organisation.text().strip()
        d.role = self.role.text().strip()
        d.circle = self.circle.currentData() or None
        d.cadence_days = self.cadence.value() or None
        d.status = PersonStatus(self.status.currentData())
        d.ended_badly = self.ended_badly.isChecked()
        d.tags = [t.strip() for t in self.tags.text().split(",") if t.strip()]
        d.how_met = self.how_met.text().strip()
        d.met_on = to_date(self.met_on.date()) if self.met_known.isChecked() else None
        d.ford_family = self.ford_family.toPlainText().strip()
        d.ford_occupation = self.ford_occupation.toPlainText().strip()
        d.ford_recreation = self.ford_recreation.toPlainText().strip()
        d.ford_dreams = self.ford_dreams.toPlainText().strip()
        d.emails = self.emails.points()
        d.phones = self.phones.points()
        d.urls = self.urls.points()
        d.addresses = [dict(row) for row in self.addresses.values()]
        d.dates = self.dates.values()
        d.notes = self.notes.toPlainText()
        return d
