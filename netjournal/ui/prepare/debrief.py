"""The short debrief after a meeting."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLineEdit,
    QWidget,
)

from netjournal.core import prep
from netjournal.core.clock import utcnow
from netjournal.core.models import Direction
from netjournal.ui.form_parts import RatingSpin, column, dialog_buttons, moment_edit, plain_label, text_box
from netjournal.ui.layout import GrowingText


class DebriefDialog(QDialog):
    """The short structured debrief, then stop."""

    def __init__(self, parent: QWidget | None, title: str, at: datetime | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Debrief"))
        self.setMinimumWidth(560)
        # When it happened: the plan's time (the meeting's), so the journal does not move it to "now".
        now = utcnow()
        self.when = moment_edit()
        self.when.setDateTime(QDateTime.fromSecsSinceEpoch(int(min(at or now, now).timestamp())))
        self.when.setMaximumDateTime(QDateTime.fromSecsSinceEpoch(int(now.timestamp()) + 60))
        intro = plain_label(
            self.tr(
                "A short debrief for “%s”. It's meant to take about ten minutes: note what went well and "
                "one lesson, then stop. Going over it again and again rarely helps."
            )
            % title
        )
        self.how = text_box(self.tr("How it went: what went well, what you talked about"), 90)
        self.lesson = GrowingText(self.tr("One thing you'd keep or change next time"))
        # Every rating starts "not rated": a number the user did not choose is not saved as theirs.
        self.warmth = RatingSpin(1, 5)
        self.liking = RatingSpin(1, 7)
        self.follow_ups = RatingSpin(0, 100)
        self.follow_ups.setSingleStep(1)
        self.follow_ups.setSpecialValueText(self.tr("not counted"))
        self.energy = RatingSpin(0, 10)
        self.i_owe = QLineEdit()
        self.i_owe.setPlaceholderText(self.tr("e.g. send the article"))
        self.they_owe = QLineEdit()
        self.they_owe.setPlaceholderText(self.tr("e.g. introduce me to Sam"))
        gap = plain_label(
            self.tr("Remember the liking gap: people usually like us more after a conversation than we guess."),
            muted=True,
        )
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.tr("W&hen"), self.when)
        form.addRow(self.tr("&How it went"), self.how)
        form.addRow(self.tr("One &lesson"), self.lesson)
        form.addRow(self.tr("&Warmth (1–5)"), self.warmth)
        # Two lines: on one, this label took half the dialog and squeezed every field beside it.
        form.addRow(self.tr("How much you think they\nliked talking with you (1–7)"), self.liking)
        form.addRow(self.tr("&Follow-up questions you asked"), self.follow_ups)
        form.addRow(self.tr("&Energy now (0–10)"), self.energy)
        form.addRow(self.tr("I said I'd…"), self.i_owe)
        form.addRow(self.tr("They said they'd…"), self.they_owe)
        column(self, intro, form, gap, dialog_buttons(self))

    def values(self) -> dict[str, Any]:
        promises = []
        if self.i_owe.text().strip():
            promises.append(prep.NewPromise(Direction.I_OWE, self.i_owe.text().strip()))
        if self.they_owe.text().strip():
            promises.append(prep.NewPromise(Direction.THEY_OWE, self.they_owe.text().strip()))
        return {
            "how_it_went": self.how.toPlainText(),
            "lesson": self.lesson.text(),
            "at": datetime.fromtimestamp(self.when.dateTime().toSecsSinceEpoch(), tz=UTC),
            "warmth": self.warmth.rating(),
            "perceived_liking": self.liking.rating(),
            "follow_up_questions": self.follow_ups.rating(),
            "energy_after": self.energy.rating(),
            "new_promises": promises,
        }
