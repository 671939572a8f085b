"""Quick log: record a meeting in a few seconds from anywhere (Ctrl+L, or the tray)."""

from __future__ import annotations

from datetime import UTC

from PySide6.QtCore import QDateTime, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from netjournal.core.clock import utcnow
from netjournal.core.db import Journal
from netjournal.core.errors import NetjournalError
from netjournal.core.journal import CHANNEL_LABELS, InteractionData, log_interaction, resolve_person
from netjournal.core.models import Channel
from netjournal.ui.ops import DbWorker
from netjournal.ui.people import load_rows


class QuickLogDialog(QDialog):
    """Who, how, when, a note and how warm it felt. Enter saves."""

    def __init__(self, ops: DbWorker, parent: QWidget | None = None, person_id: int | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.saved_interaction_id: int | None = None
        self.setWindowTitle(self.tr("Log an interaction"))
        rows = ops.call(load_rows)
        self._ids = {r.name: r.id for r in rows}
        self.person = QLineEdit()
        self.person.setPlaceholderText(self.tr("Start typing a name"))
        completer = QCompleter(list(self._ids), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.person.setCompleter(completer)
        if person_id is not None:
            self.person.setText(next((r.name for r in rows if r.id == person_id), ""))
        self.channel = QComboBox()
        for ch, label in CHANNEL_LABELS.items():
            self.channel.addItem(label, ch)
        self.channel.setCurrentIndex(self.channel.findData(Channel.COFFEE))
        self.when = QDateTimeEdit(QDateTime.currentDateTime())
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat("ddd d MMM yyyy, HH:mm")
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText(self.tr("What did you talk about? Anything to remember?"))
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(90)
        self.warmth = QSpinBox()
        self.warmth.setRange(0, 5)
        self.warmth.setSpecialValueText(self.tr("not rated"))
        self.warmth.setSuffix(self.tr(" of 5"))
        self.error = QLabel()
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("&Who"), self.person)
        form.addRow(self.tr("&How"), self.channel)
        form.addRow(self.tr("W&hen"), self.when)
        form.addRow(self.tr("&Note"), self.note)
        form.addRow(self.tr("&Warmth"), self.warmth)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        (self.note if person_id is not None else self.person).setFocus()

    def save(self) -> None:
        name = self.person.text().strip()
        if not name:
            self.error.setText(self.tr("Who was it with? Type a name."))
            self.person.setFocus()
            return
        at = self.when.dateTime().toPython().astimezone().astimezone(UTC)
        data = InteractionData(
            at=at, channel=self.channel.currentData(), notes=self.note.toPlainText().strip(),
            warmth=self.warmth.value() or None,
        )  # fmt: skip
        person_id = self._ids.get(name)

        def job(j: Journal) -> int:
            with j.session() as s:
                pid = person_id if person_id is not None else resolve_person(s, name).id
                return log_interaction(s, [pid], data, now=utcnow()).id

        try:
            self.saved_interaction_id = self.ops.call(job)
        except NetjournalError as exc:  # e.g. no such person: say so and keep the text
            self.error.setText(str(exc))
            return
        self.accept()
