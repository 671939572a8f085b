"""Add or edit a person: every Contact field, grouped in tabs so it never becomes a wall of boxes."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from netjournal.core.journal import CIRCLE_LABELS, STATUS_LABELS, PersonData
from netjournal.core.models import PersonStatus
from netjournal.ui.qt import qdate, to_date

ADDRESS_FIELDS = ("label", "street", "locality", "region", "postcode", "country")
DATE_KINDS = ("birthday", "anniversary", "other")
_DATE_RE = re.compile(r"^\s*(?:(\d{4})-)?(\d{1,2})-(\d{1,2})\s*$")


def _text_box(text: str, placeholder: str, height: int = 64) -> QPlainTextEdit:
    box = QPlainTextEdit(text)
    box.setPlaceholderText(placeholder)
    box.setTabChangesFocus(True)
    box.setFixedHeight(height)
    return box


def _lines(points: list[tuple[str, str]]) -> str:
    return "\n".join(v for _, v in points)


def _points(text: str, before: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """One value per line (commas also separate); labels of values that were already there are kept."""
    labels = {v.strip(): label for label, v in before}
    values = [v.strip() for line in text.splitlines() for v in line.split(",")]
    return [(labels.get(v, ""), v) for v in values if v]


def format_date(d: dict[str, Any]) -> str:
    return f"{d['year']:04d}-{d['month']:02d}-{d['day']:02d}" if d.get("year") else f"{d['month']:02d}-{d['day']:02d}"


def parse_date(text: str) -> tuple[int | None, int, int] | None:
    m = _DATE_RE.match(text)
    if not m:
        return None
    year = int(m.group(1)) if m.group(1) else None
    month, day = int(m.group(2)), int(m.group(3))
    try:
        date(year or 2000, month, day)
    except ValueError:
        return None
    return year, month, day


class _Table(QTableWidget):
    """A small editable table that always keeps one empty row at the end to type into."""

    def __init__(self, headers: list[str], parent: QWidget | None = None) -> None:
        super().__init__(0, len(headers), parent)
        self.setHorizontalHeaderLabels(headers)
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setTabKeyNavigation(False)
        self.itemChanged.connect(self._keep_spare_row)

    def add_row(self, values: list[str]) -> None:
        self.blockSignals(True)
        r = self.rowCount()
        self.insertRow(r)
        for c, v in enumerate(values):
            self.setItem(r, c, QTableWidgetItem(v))
        self.blockSignals(False)

    def finish(self) -> None:
        self.add_row([""] * self.columnCount())

    def _keep_spare_row(self, _item: QTableWidgetItem) -> None:
        if any(self._cell(self.rowCount() - 1, c) for c in range(self.columnCount())):
            self.finish()

    def _cell(self, r: int, c: int) -> str:
        item = self.item(r, c)
        return item.text().strip() if item is not None else ""

    def values(self) -> list[tuple[int, list[str]]]:
        out = []
        for r in range(self.rowCount()):
            row = [self._cell(r, c) for c in range(self.columnCount())]
            if any(row):
                out.append((r + 1, row))
        return out

    def remove_selected(self) -> None:
        for r in sorted({i.row() for i in self.selectedIndexes()}, reverse=True):
            if r < self.rowCount() - 1:
                self.removeRow(r)


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
        self.tabs.addTab(basics, self.tr("Basics"))

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
        self.tabs.addTab(ford, self.tr("About them"))

        # -- Contact details
        self.emails = _text_box(_lines(d.emails), self.tr("one per line"), 52)
        self.phones = _text_box(_lines(d.phones), self.tr("one per line"), 52)
        self.urls = _text_box(_lines(d.urls), self.tr("LinkedIn, website… one per line"), 52)
        self.addresses = _Table([self.tr("Label"), self.tr("Street"), self.tr("City"), self.tr("Region"),
                                 self.tr("Postcode"), self.tr("Country")])  # fmt: skip
        for a in d.addresses:
            self.addresses.add_row([a.get(k, "") or "" for k in ADDRESS_FIELDS])
        self.addresses.finish()
        self.addresses.setMinimumHeight(96)
        contact = QWidget()
        f = QFormLayout(contact)
        f.addRow(self.tr("&Email"), self.emails)
        f.addRow(self.tr("&Phone"), self.phones)
        f.addRow(self.tr("&Links"), self.urls)
        f.addRow(self.tr("Addresses"), self.addresses)
        self.tabs.addTab(contact, self.tr("Contact"))

        # -- Dates and notes
        self.dates = _Table([self.tr("Kind"), self.tr("What"), self.tr("Date")])
        for dd in d.dates:
            self.dates.add_row([dd.get("kind") or "other", dd.get("label") or "", format_date(dd)])
        self.dates.finish()
        remove = QPushButton(self.tr("Remove selected date"))
        remove.clicked.connect(self.dates.remove_selected)
        self.notes = QPlainTextEdit(d.notes)
        self.notes.setPlaceholderText(self.tr("Anything else worth remembering"))
        self.notes.setTabChangesFocus(True)
        more = QWidget()
        v = QVBoxLayout(more)
        dates_label = QLabel(
            self.tr(
                "Important dates. Kind: birthday, anniversary or other; date: 1990-04-12, or 04-12 without the year."
            )
        )
        dates_label.setTextFormat(Qt.TextFormat.PlainText)
        v.addWidget(dates_label)
        v.addWidget(self.dates)
        v.addWidget(remove, 0, Qt.AlignmentFlag.AlignRight)
        notes_label = QLabel(self.tr("Notes"))
        notes_label.setTextFormat(Qt.TextFormat.PlainText)
        v.addWidget(notes_label)
        v.addWidget(self.notes, 1)
        self.tabs.addTab(more, self.tr("Dates and notes"))

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        self.error = QLabel()
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.name.setFocus()

    def _accept(self) -> None:
        if not self.name.text().strip():
            self.error.setText(self.tr("A name is all that is needed."))
            self.tabs.setCurrentIndex(0)
            self.name.setFocus()
            return
        problem = self._date_problem()
        if problem:
            self.error.setText(problem)
            self.tabs.setCurrentIndex(3)
            return
        self.accept()

    def _date_problem(self) -> str:
        for line, (kind, _label, when) in self.dates.values():
            if kind and kind not in DATE_KINDS:
                return self.tr("Date {0}: the kind can be birthday, anniversary or other.").format(line)
            if parse_date(when) is None:
                return self.tr(
                    "Date {0}: {1!r} is not a date I can read. Use 1990-04-12, or 04-12 when the year is unknown."
                ).format(line, when)
        return ""

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
        d.emails = _points(self.emails.toPlainText(), d.emails)
        d.phones = _points(self.phones.toPlainText(), d.phones)
        d.urls = _points(self.urls.toPlainText(), d.urls)
        d.addresses = [dict(zip(ADDRESS_FIELDS, row, strict=True)) for _, row in self.addresses.values()]
        dates = []
        for _, (kind, label, when) in self.dates.values():
            parsed = parse_date(when)
            if parsed is not None:
                year, month, day = parsed
                dates.append({"kind": kind or "other", "label": label, "month": month, "day": day, "year": year})
        d.dates = dates
        d.notes = self.notes.toPlainText()
        return d
