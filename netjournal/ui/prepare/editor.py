"""The plan editor and the suggestions beside it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QDateTime, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from netjournal.core import prep, prompts
from netjournal.core.clock import utcnow
from netjournal.core.people_view import PickRow
from netjournal.ui import theme
from netjournal.ui.form_parts import ID_ROLE, moment_edit, plain_label, text_box
from netjournal.ui.layout import GrowingText, scrolling
from netjournal.ui.person_picker import PersonPicker


class SuggestionRow(theme.Card):
    add_requested = Signal(object)

    TARGETS = {
        "questions": "Question",
        "follow_up_prompts": "Follow-up",
        "offers": "Offer",
        "ask": "Ask",
        "intro_script": "Intro",
        "exit_line": "Exit line",
        "research_notes": "Note",
    }

    def __init__(self, suggestion: prep.Suggestion, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.suggestion = suggestion
        text = plain_label(suggestion.text, bold=True)
        self.why = plain_label(self.tr("Why: ") + suggestion.why, muted=True)
        self.add_button = QPushButton(self.tr("Add"))
        self.add_button.setToolTip(self.tr("Add to the plan as: %s") % self.TARGETS.get(suggestion.target, ""))
        self.add_button.clicked.connect(lambda: self.add_requested.emit(self.suggestion))
        kind = plain_label(self.TARGETS.get(suggestion.target, "").upper(), wrap=False, muted=True)
        small = kind.font()
        small.setPointSizeF(max(6.0, small.pointSizeF() * 0.8))
        kind.setFont(small)
        left = QVBoxLayout()
        left.setSpacing(2)
        left.addWidget(kind)
        left.addWidget(text)
        left.addWidget(self.why)
        row = QHBoxLayout(self)
        row.addLayout(left, 1)
        row.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignTop)


class SuggestionsPanel(QWidget):
    add_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = plain_label(self.tr("Suggestions from your journal"), bold=True)
        self.inner = QWidget()
        self.rows_layout = QVBoxLayout(self.inner)
        self.rows_layout.setContentsMargins(0, 0, 0, 0)
        self.rows_layout.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(scrolling(self.inner), 1)
        self.rows: list[SuggestionRow] = []

    def set_suggestions(self, items: list[prep.Suggestion]) -> None:
        for row in self.rows:
            row.deleteLater()
        self.rows = []
        for s in items:
            row = SuggestionRow(s)
            row.add_requested.connect(self.add_requested)
            self.rows_layout.insertWidget(self.rows_layout.count() - 1, row)
            self.rows.append(row)


# ------------------------------------------------------------------------------------------------ the editor


class PlanEditor(QWidget):
    """The fields of one plan. `plan_data()` reads them; `set_data()` fills them."""

    changed = Signal()
    person_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._person_id: int | None = None
        self._meeting_id: int | None = None
        self._loading = False

        self.title = QLineEdit()
        self.title.setAccessibleName(self.tr("Title"))
        self.title.setPlaceholderText(self.tr("e.g. Coffee with Priya"))
        self.person = PersonPicker(self, placeholder=self.tr("Who you're meeting (optional for an event)"))
        self.completer = self.person.completer()
        self.person.person_changed.connect(self._person_edited)
        self.has_time = QCheckBox(self.tr("Date and time"))
        self.at = moment_edit()
        self.has_time.toggled.connect(self.at.setEnabled)
        self.format = QComboBox()
        self.format.setAccessibleName(self.tr("Format"))
        for key, label in prep.FORMATS.items():
            self.format.addItem(self.tr(label), key)
        self.duration = QSpinBox()
        self.duration.setAccessibleName(self.tr("Length in minutes"))
        self.duration.setRange(0, 24 * 60)
        self.duration.setSingleStep(15)
        self.duration.setSuffix(self.tr(" min"))
        self.situation = QComboBox()
        self.situation.setAccessibleName(self.tr("Situation"))
        for key, label in prompts.SITUATIONS.items():
            self.situation.addItem(self.tr(label), key)
        self.job_search = QCheckBox(self.tr("I'm job hunting (ask for advice, not a job)"))
        self.purpose = text_box(self.tr("One sentence: why this person, why now"), 48)
        self.research = text_box(self.tr("Their role, recent work, mutual ties, what you know"), 64)
        self.intro = text_box(self.tr("Two or three sentences about you"), 48)
        self.questions = QListWidget()
        self.questions.setAccessibleName(self.tr("Questions"))
        self.questions.setObjectName("planQuestions")
        self.questions.setWordWrap(True)
        self.questions.setMinimumHeight(90)
        self.questions.setMinimumWidth(120)
        self.questions.setMaximumHeight(150)
        q_add = QPushButton(theme.icon("new"), self.tr("Add"))
        q_add.setToolTip(self.tr("Add a question of your own"))
        q_add.clicked.connect(lambda: self.add_question("", None, edit=True))
        q_remove = QPushButton(theme.icon("remove"), self.tr("Remove"))
        q_remove.setToolTip(self.tr("Remove the selected question"))
        q_remove.clicked.connect(self._remove_question)
        # Up and down are icons alone: their names and tooltips say what they do, to a screen reader too.
        q_up = QPushButton(theme.icon("up"), "")
        q_up.setAccessibleName(self.tr("Move question up"))
        q_up.setToolTip(self.tr("Move the selected question up"))
        q_up.clicked.connect(lambda: self._move_question(-1))
        q_down = QPushButton(theme.icon("down"), "")
        q_down.setAccessibleName(self.tr("Move question down"))
        q_down.setToolTip(self.tr("Move the selected question down"))
        q_down.clicked.connect(lambda: self._move_question(1))
        q_buttons = QHBoxLayout()
        for b in (q_add, q_remove, q_up, q_down):
            q_buttons.addWidget(b)
        q_buttons.addStretch(1)
        self.follow_ups = text_box(self.tr("One per line, e.g. What made you decide to do that?"), 60)
        self.offers = [QLineEdit() for _ in range(prep.MAX_OFFERS)]
        for n, offer in enumerate(self.offers, 1):
            offer.setAccessibleName(self.tr("What I can offer ({0})").format(n))
        self.offers[0].setPlaceholderText(self.tr("An introduction, feedback, a resource, a recommendation"))
        # Sentences, not words: fields that grow with their text, so its start and end are both in view.
        self.ask = GrowingText(self.tr("One specific, small ask"))
        self.exit_line = GrowingText()
        self.if_then = GrowingText(self.tr("If … then I'll …"))
        self.hot = GrowingText(self.tr("The worrying thought"))
        self.balanced = text_box(self.tr("A kinder, more accurate way to see it"), 44)
        self.energy = GrowingText()
        self.recovery = QSpinBox()
        self.recovery.setAccessibleName(self.tr("Recovery minutes"))
        self.recovery.setRange(0, 480)
        self.recovery.setSingleStep(15)
        self.recovery.setSuffix(self.tr(" min"))
        self.recovery.setToolTip(self.tr("Quiet time to recharge within three hours after the meeting"))

        when_row = QHBoxLayout()
        when_row.addWidget(self.has_time)
        when_row.addWidget(self.at, 1)
        meta_row = QHBoxLayout()
        meta_row.addWidget(self.format)
        meta_row.addWidget(self.duration)
        meta_row.addWidget(self.situation, 1)
        offers_box = QVBoxLayout()
        offers_box.setSpacing(2)
        for o in self.offers:
            offers_box.addWidget(o)
        q_box = QVBoxLayout()
        q_box.addWidget(self.questions)
        q_box.addLayout(q_buttons)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.form = form
        form.addRow(self.tr("&Title"), self.title)
        form.addRow(self.tr("&Person"), self.person)
        form.addRow(self.tr("When"), when_row)
        form.addRow(self.tr("Format"), meta_row)
        form.addRow("", self.job_search)
        form.addRow(self.tr("P&urpose"), self.purpose)
        form.addRow(self.tr("What you know"), self.research)
        form.addRow(self.tr("&Intro script"), self.intro)
        form.addRow(self.tr("Questions"), q_box)
        form.addRow(self.tr("Follow-up prompts"), self.follow_ups)
        form.addRow(self.tr("What I can offer"), offers_box)
        form.addRow(self.tr("My one &ask"), self.ask)
        form.addRow(self.tr("E&xit line"), self.exit_line)
        form.addRow(self.tr("If-then &goal"), self.if_then)
        form.addRow(self.tr("If I think…"), self.hot)
        form.addRow(self.tr("…then remember"), self.balanced)
        form.addRow(self.tr("Energy plan"), self.energy)
        form.addRow(self.tr("Recovery block"), self.recovery)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)

        for sig in (
            self.title.textChanged,
            self.person.textChanged,
            self.at.dateTimeChanged,
            self.has_time.toggled,
            self.format.currentIndexChanged,
            self.duration.valueChanged,
            self.situation.currentIndexChanged,
            self.job_search.toggled,
            self.purpose.textChanged,
            self.research.textChanged,
            self.intro.textChanged,
            self.follow_ups.textChanged,
            self.ask.textChanged,
            self.exit_line.textChanged,
            self.if_then.textChanged,
            self.hot.textChanged,
            self.balanced.textChanged,
            self.energy.textChanged,
            self.recovery.valueChanged,
            self.questions.itemChanged,
            self.questions.model().rowsInserted,
            self.questions.model().rowsRemoved,
            self.questions.model().rowsMoved,
            *(o.textChanged for o in self.offers),
        ):
            sig.connect(self._emit_changed)
        self.situation.currentIndexChanged.connect(self._person_details_changed)
        self.job_search.toggled.connect(self._person_details_changed)
        self.duration.valueChanged.connect(self._person_details_changed)
        self.format.currentIndexChanged.connect(self._person_details_changed)

    def _person_details_changed(self, *_args: object) -> None:
        if not self._loading:
            self.person_changed.emit()

    def _emit_changed(self, *_args: object) -> None:
        if not self._loading:
            self.changed.emit()

    # people -----------------------------------------------------------------------------------------------

    def set_people(self, people: list[PickRow]) -> None:
        self.person.set_people(people)

    def person_id(self) -> int | None:
        return self._person_id

    def _person_edited(self) -> None:
        new = self.person.person_id()
        if new != self._person_id:
            self._person_id = new
            if not self._loading:
                self.person_changed.emit()

    # questions --------------------------------------------------------------------------------------------

    def add_question(self, text: str, key: str | None, *, edit: bool = False) -> None:
        item = QListWidgetItem(text)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        item.setData(ID_ROLE, key)
        self.questions.addItem(item)
        if edit:
            self.questions.setCurrentItem(item)
            self.questions.editItem(item)

    def _remove_question(self) -> None:
        row = self.questions.currentRow()
        if row >= 0:
            self.questions.takeItem(row)

    def _move_question(self, step: int) -> None:
        row = self.questions.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.questions.count():
            return
        item = self.questions.takeItem(row)
        self.questions.insertItem(target, item)
        self.questions.setCurrentRow(target)

    # whole form -------------------------------------------------------------------------------------------

    def set_data(self, data: prep.PlanData, person_name: str) -> None:
        self._loading = True
        try:
            self._person_id, self._meeting_id = data.person_id, data.meeting_id
            self.title.setText(data.title)
            self.person.set_person(data.person_id, person_name)
            self.has_time.setChecked(data.at is not None)
            self.at.setEnabled(data.at is not None)
            at = data.at or utcnow()
            self.at.setDateTime(QDateTime.fromSecsSinceEpoch(int(at.timestamp())))
            self.format.setCurrentIndex(max(0, self.format.findData(data.format)))
            self.duration.setValue(data.duration_min)
            self.situation.setCurrentIndex(max(0, self.situation.findData(data.situation)))
            self.job_search.setChecked(data.job_search)
            self.purpose.setPlainText(data.purpose)
            self.research.setPlainText(data.research_notes)
            self.intro.setPlainText(data.intro_script)
            self.questions.clear()
            for q in data.questions:
                self.add_question(str(q.get("text", "")), q.get("key"))
            self.follow_ups.setPlainText("\n".join(data.follow_up_prompts))
            for i, edit in enumerate(self.offers):
                edit.setText(data.offers[i] if i < len(data.offers) else "")
            self.ask.setText(data.ask)
            self.exit_line.setText(data.exit_line)
            self.if_then.setText(data.if_then_goal)
            self.hot.setText(data.coping_hot_thought)
            self.balanced.setPlainText(data.coping_balanced_thought)
            self.energy.setText(data.energy_plan)
            self.recovery.setValue(data.recovery_block_min)
        finally:
            self._loading = False

    def plan_data(self) -> prep.PlanData:
        at = None
        if self.has_time.isChecked():
            at = datetime.fromtimestamp(self.at.dateTime().toSecsSinceEpoch(), tz=UTC)
        questions = []
        for i in range(self.questions.count()):
            item = self.questions.item(i)
            if item.text().strip():
                questions.append({"key": item.data(ID_ROLE), "text": item.text().strip()})
        return prep.PlanData(
            person_id=self._person_id,
            meeting_id=self._meeting_id,
            title=self.title.text().strip(),
            at=at,
            format=self.format.currentData(),
            duration_min=self.duration.value(),
            situation=self.situation.currentData(),
            job_search=self.job_search.isChecked(),
            purpose=self.purpose.toPlainText().strip(),
            research_notes=self.research.toPlainText().strip(),
            intro_script=self.intro.toPlainText().strip(),
            questions=questions,
            follow_up_prompts=[ln.strip() for ln in self.follow_ups.toPlainText().splitlines() if ln.strip()],
            offers=[o.text().strip() for o in self.offers if o.text().strip()],
            ask=self.ask.text().strip(),
            exit_line=self.exit_line.text().strip(),
            if_then_goal=self.if_then.text().strip(),
            coping_hot_thought=self.hot.text().strip(),
            coping_balanced_thought=self.balanced.toPlainText().strip(),
            energy_plan=self.energy.text().strip(),
            recovery_block_min=self.recovery.value(),
        )

    def to_draft(self) -> dict[str, Any]:
        d = vars(self.plan_data()).copy()
        d["at"] = d["at"].isoformat() if d["at"] else None
        d["person_text"] = self.person.text()
        return d

    def from_draft(self, draft: dict[str, Any]) -> None:
        d = dict(draft)
        person_text = d.pop("person_text", "")
        at = d.get("at")
        d["at"] = datetime.fromisoformat(at) if at else None
        known = {k: v for k, v in d.items() if k in prep.PlanData.__dataclass_fields__}
        self.set_data(prep.PlanData(**known), person_text)

    def apply_suggestion(self, s: prep.Suggestion) -> str | None:
        """Put a suggestion where it belongs; returns a gentle note when it could not be added."""
        if s.target == "questions":
            existing = {self.questions.item(i).text().casefold() for i in range(self.questions.count())}
            if s.text.casefold() in existing:
                return self.tr("That question is already in the plan.")
            self.add_question(s.text, s.key)
        elif s.target == "follow_up_prompts":
            lines = [ln for ln in self.follow_ups.toPlainText().splitlines() if ln.strip()]
            if s.text not in lines:
                self.follow_ups.setPlainText("\n".join([*lines, s.text]))
        elif s.target == "offers":
            empty = next((o for o in self.offers if not o.text().strip()), None)
            if empty is None:
                return self.tr("There are already three offers; one is plenty, so replace one if you like.")
            empty.setText(s.text)
        elif s.target == "research_notes":
            text = self.research.toPlainText().rstrip()
            if s.text not in text:
                self.research.setPlainText(f"{text}\n{s.text}" if text else s.text)
        elif s.target == "intro_script":
            self.intro.setPlainText(s.text)
        else:
            {"ask": self.ask, "exit_line": self.exit_line}[s.target].setText(s.text)
        return None
