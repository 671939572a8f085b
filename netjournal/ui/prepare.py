"""Prepare: upcoming meetings and plans, the plan editor with personal suggestions, the question bank,
the PDF prep sheet (save or print) and the ten-minute debrief.

All database work goes through app.ops; the PDF is rendered on the GUI thread (tens of milliseconds).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDateTime, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QPalette, QShortcut
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from netjournal.core import prep, prompts, settings
from netjournal.core.clock import utcnow
from netjournal.core.db import Session
from netjournal.core.errors import NetjournalError
from netjournal.core.journal import resolve_person
from netjournal.core.models import Direction
from netjournal.core.people_view import PickRow, pick_rows
from netjournal.ui.drafts import DraftKeeper
from netjournal.ui.messages import inform
from netjournal.ui.ops import DbWorker
from netjournal.ui.person_picker import PersonPicker
from netjournal.ui.reflect import RatingSpin
from netjournal.ui.trash import Deleter, direct_deleter

if TYPE_CHECKING:
    from netjournal.app import NetjournalApp

ID_ROLE = Qt.ItemDataRole.UserRole + 1
KIND_ROLE = Qt.ItemDataRole.UserRole + 2


def _label(text: str = "", *, wrap: bool = True, muted: bool = False) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    if muted:
        label.setStyleSheet("color: palette(placeholder-text);")
    return label


def _text_edit(height: int = 56, placeholder: str = "") -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setTabChangesFocus(True)
    edit.setFixedHeight(height)
    edit.setPlaceholderText(placeholder)
    edit.setMinimumWidth(120)
    return edit


def _when(at: datetime | None) -> str:
    return at.astimezone().strftime("%a %d %b, %H:%M") if at else ""


# ------------------------------------------------------------------------------------------------- loading


# ------------------------------------------------------------------------------------------ suggestion rows


class SuggestionRow(QFrame):
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
        self.setFrameShape(QFrame.Shape.StyledPanel)
        text = _label(suggestion.text)
        font = text.font()
        font.setBold(True)
        text.setFont(font)
        self.why = _label(self.tr("Why: ") + suggestion.why, muted=True)
        self.add_button = QPushButton(self.tr("Add"))
        self.add_button.setToolTip(self.tr("Add to the plan as: %s") % self.TARGETS.get(suggestion.target, ""))
        self.add_button.clicked.connect(lambda: self.add_requested.emit(self.suggestion))
        kind = _label(self.TARGETS.get(suggestion.target, "").upper(), wrap=False, muted=True)
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
        self.heading = _label(self.tr("Suggestions from your journal"))
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.inner = QWidget()
        self.rows_layout = QVBoxLayout(self.inner)
        self.rows_layout.setContentsMargins(0, 0, 0, 0)
        self.rows_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.inner)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(scroll, 1)
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
        self.title.setPlaceholderText(self.tr("e.g. Coffee with Priya"))
        self.person = PersonPicker(self, placeholder=self.tr("Who you're meeting (optional for an event)"))
        self.completer = self.person.completer()
        self.person.person_changed.connect(self._person_edited)
        self.has_time = QCheckBox(self.tr("Date and time"))
        self.at = QDateTimeEdit()
        self.at.setCalendarPopup(True)
        self.at.setDisplayFormat("ddd d MMM yyyy, HH:mm")
        self.has_time.toggled.connect(self.at.setEnabled)
        self.format = QComboBox()
        for key, label in prep.FORMATS.items():
            self.format.addItem(self.tr(label), key)
        self.duration = QSpinBox()
        self.duration.setRange(0, 24 * 60)
        self.duration.setSingleStep(15)
        self.duration.setSuffix(self.tr(" min"))
        self.situation = QComboBox()
        for key, label in prompts.SITUATIONS.items():
            self.situation.addItem(self.tr(label), key)
        self.job_search = QCheckBox(self.tr("I'm job hunting (ask for advice, not a job)"))
        self.purpose = _text_edit(48, self.tr("One sentence: why this person, why now"))
        self.research = _text_edit(64, self.tr("Their role, recent work, mutual ties, what you know"))
        self.intro = _text_edit(48, self.tr("Two or three sentences about you"))
        self.questions = QListWidget()
        self.questions.setObjectName("planQuestions")
        self.questions.setWordWrap(True)
        self.questions.setMinimumHeight(90)
        self.questions.setMinimumWidth(120)
        self.questions.setMaximumHeight(150)
        q_add = QPushButton(self.tr("Add"))
        q_add.setToolTip(self.tr("Add a question of your own"))
        q_add.clicked.connect(lambda: self.add_question("", None, edit=True))
        q_remove = QPushButton(self.tr("Remove"))
        q_remove.clicked.connect(self._remove_question)
        q_up = QPushButton(self.tr("↑"))
        q_up.setToolTip(self.tr("Move up"))
        q_up.clicked.connect(lambda: self._move_question(-1))
        q_down = QPushButton(self.tr("↓"))
        q_down.setToolTip(self.tr("Move down"))
        q_down.clicked.connect(lambda: self._move_question(1))
        q_buttons = QHBoxLayout()
        for b in (q_add, q_remove, q_up, q_down):
            q_buttons.addWidget(b)
        q_buttons.addStretch(1)
        self.follow_ups = _text_edit(60, self.tr("One per line, e.g. What made you decide to do that?"))
        self.offers = [QLineEdit() for _ in range(prep.MAX_OFFERS)]
        self.offers[0].setPlaceholderText(self.tr("An introduction, feedback, a resource, a recommendation"))
        self.ask = QLineEdit()
        self.ask.setPlaceholderText(self.tr("One specific, small ask"))
        self.exit_line = QLineEdit()
        self.if_then = QLineEdit()
        self.if_then.setPlaceholderText(self.tr("If … then I'll …"))
        self.hot = QLineEdit()
        self.hot.setPlaceholderText(self.tr("The worrying thought"))
        self.balanced = _text_edit(44, self.tr("A kinder, more accurate way to see it"))
        self.energy = QLineEdit()
        self.recovery = QSpinBox()
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
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
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
            self.title.textChanged, self.person.textChanged, self.at.dateTimeChanged, self.has_time.toggled,
            self.format.currentIndexChanged, self.duration.valueChanged, self.situation.currentIndexChanged,
            self.job_search.toggled, self.purpose.textChanged, self.research.textChanged, self.intro.textChanged,
            self.follow_ups.textChanged, self.ask.textChanged, self.exit_line.textChanged, self.if_then.textChanged,
            self.hot.textChanged, self.balanced.textChanged, self.energy.textChanged, self.recovery.valueChanged,
            self.questions.itemChanged, self.questions.model().rowsInserted, self.questions.model().rowsRemoved,
            self.questions.model().rowsMoved, *(o.textChanged for o in self.offers),
        ):  # fmt: skip
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


# --------------------------------------------------------------------------------------------- the bank


class BankBrowser(QWidget):
    """Browse the question bank: filter, favourite, hide, edit, add your own, add to the plan."""

    add_to_plan = Signal(str, str)  # key, text

    def __init__(self, ops: DbWorker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.entries: list[prompts.Entry] = []
        self.situation = QComboBox()
        self.situation.addItem(self.tr("Any situation"), None)
        for key, label in prompts.SITUATIONS.items():
            self.situation.addItem(self.tr(label), key)
        self.purpose = QComboBox()
        self.purpose.addItem(self.tr("Any purpose"), None)
        for key, label in prompts.PURPOSES.items():
            self.purpose.addItem(self.tr(label), key)
        self.kind = QComboBox()
        self.kind.addItem(self.tr("Everything"), None)
        for key, label in prompts.KINDS.items():
            self.kind.addItem(self.tr(label), key)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search the bank"))
        self.search.setClearButtonEnabled(True)
        self.favourites_only = QCheckBox(self.tr("Favourites only"))
        self.show_hidden = QCheckBox(self.tr("Show hidden"))
        self.list = QTreeWidget()
        self.list.setObjectName("bankList")
        self.list.setColumnCount(3)
        self.list.setHeaderLabels([self.tr("Text"), self.tr("Kind"), self.tr("Purpose")])
        self.list.setRootIsDecorated(False)
        self.list.setWordWrap(True)
        self.list.setUniformRowHeights(False)
        self.list.setAlternatingRowColors(True)
        header = self.list.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(2, 170)
        self.list.itemDoubleClicked.connect(lambda _i, _c: self._add_selected())
        self.add_button = QPushButton(self.tr("Add to plan"))
        self.add_button.clicked.connect(self._add_selected)
        self.fav_button = QPushButton(self.tr("Favourite"))
        self.fav_button.setShortcut(QKeySequence(self.tr("Ctrl+B")))
        self.fav_button.clicked.connect(self._toggle_favourite)
        self.hide_button = QPushButton(self.tr("Hide"))
        self.hide_button.clicked.connect(self._toggle_hidden)
        self.edit_button = QPushButton(self.tr("Edit…"))
        self.edit_button.clicked.connect(self._edit)
        self.own_button = QPushButton(self.tr("Add your own…"))
        self.own_button.clicked.connect(self._add_own)
        self.count = _label(muted=True)

        filters = QHBoxLayout()
        for w in (self.situation, self.purpose, self.kind):
            filters.addWidget(w)
        filters2 = QHBoxLayout()
        filters2.addWidget(self.search, 1)
        filters2.addWidget(self.favourites_only)
        filters2.addWidget(self.show_hidden)
        buttons = QHBoxLayout()
        for b in (self.add_button, self.fav_button, self.hide_button, self.edit_button, self.own_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(filters2)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        for combo in (self.situation, self.purpose, self.kind):
            combo.currentIndexChanged.connect(self.refresh)
        self.search.textChanged.connect(self.refresh)
        self.favourites_only.toggled.connect(self.refresh)
        self.show_hidden.toggled.connect(self.refresh)
        self.list.currentItemChanged.connect(self._update_buttons)

    def refresh(self, *_args: object) -> None:
        situation, purpose, kind = self.situation.currentData(), self.purpose.currentData(), self.kind.currentData()
        text, fav, hidden = self.search.text(), self.favourites_only.isChecked(), self.show_hidden.isChecked()
        current = self.current_key()

        def job(s: Session) -> list[prompts.Entry]:
            return prompts.list_entries(
                s, situation=situation, purpose=purpose, kinds=[kind] if kind else None, text=text,
                favourites_only=fav, include_hidden=hidden,
            )  # fmt: skip

        self.ops.read(job, lambda entries: self._show(entries, current))

    def _show(self, entries: list[prompts.Entry], select_key: str | None) -> None:
        self.entries = entries
        self.list.clear()
        muted = self.palette().color(QPalette.ColorRole.PlaceholderText)
        for e in entries:
            marks = ("★ " if e.favourite else "") + (self.tr("(hidden) ") if e.hidden else "")
            kind = (
                prompts.KINDS[e.kind]
                + (self.tr(" · yours") if e.own else "")
                + (self.tr(" · edited") if e.edited else "")
            )
            tags = ", ".join(prompts.PURPOSES.get(p, p) for p in e.purposes)
            item = QTreeWidgetItem([f"{marks}{e.text}", kind, tags])
            item.setData(0, ID_ROLE, e.key)
            item.setToolTip(0, ", ".join(prompts.SITUATIONS.get(x, x) for x in e.situations))
            for col in (1, 2):
                item.setForeground(col, muted)
            self.list.addTopLevelItem(item)
            if e.key == select_key:
                self.list.setCurrentItem(item)
        self.count.setText(self.tr("%n entries", "", len(entries)))
        self._update_buttons()

    def current_entry(self) -> prompts.Entry | None:
        item = self.list.currentItem()
        row = self.list.indexOfTopLevelItem(item) if item is not None else -1
        return self.entries[row] if 0 <= row < len(self.entries) else None

    def current_key(self) -> str | None:
        e = self.current_entry()
        return e.key if e else None

    def _update_buttons(self, *_args: object) -> None:
        e = self.current_entry()
        for b in (self.add_button, self.fav_button, self.hide_button, self.edit_button):
            b.setEnabled(e is not None)
        self.fav_button.setText(self.tr("Unfavourite") if e and e.favourite else self.tr("Favourite"))
        self.hide_button.setText(self.tr("Unhide") if e and e.hidden else self.tr("Hide"))

    def _write(self, fn: Callable[[Any], Any]) -> None:
        def job(s: Session) -> None:
            fn(s)

        self.ops.write(job, lambda _r: self.refresh(), parent=self)

    def _add_selected(self) -> None:
        e = self.current_entry()
        if e is not None:
            self.add_to_plan.emit(e.key, e.text)

    def _toggle_favourite(self) -> None:
        e = self.current_entry()
        if e is not None:
            self._write(lambda s: prompts.set_favourite(s, e.key, not e.favourite, now=utcnow()))

    def _toggle_hidden(self) -> None:
        e = self.current_entry()
        if e is not None:
            self._write(lambda s: prompts.set_hidden(s, e.key, not e.hidden, now=utcnow()))

    def _edit(self) -> None:
        e = self.current_entry()
        if e is None:
            return
        text, ok = QInputDialog.getMultiLineText(self, self.tr("Edit"), self.tr("Your wording:"), e.text)
        if ok and text.strip() and text.strip() != e.text:
            self._write(lambda s: prompts.edit_entry(s, e.key, text=text, now=utcnow()))

    def _add_own(self) -> None:
        text, ok = QInputDialog.getMultiLineText(self, self.tr("Add your own"), self.tr("Your question or line:"))
        if not ok or not text.strip():
            return
        kind = self.kind.currentData() or "question"
        situation = self.situation.currentData()
        purpose = self.purpose.currentData()
        self._write(
            lambda s: prompts.add_entry(
                s, text, kind=kind, now=utcnow(), situations=[situation] if situation else list(prompts.SITUATIONS),
                purposes=[purpose] if purpose else [],
            )
        )  # fmt: skip


# ---------------------------------------------------------------------------------------------- debrief


class DebriefDialog(QDialog):
    """The short structured debrief, then stop."""

    def __init__(self, parent: QWidget | None, title: str, at: datetime | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Debrief"))
        # When it happened: the plan's time (the meeting's), so the journal does not move it to "now".
        now = utcnow()
        self.when = QDateTimeEdit(QDateTime.fromSecsSinceEpoch(int(min(at or now, now).timestamp())))
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat("ddd d MMM yyyy, HH:mm")
        self.when.setMaximumDateTime(QDateTime.fromSecsSinceEpoch(int(now.timestamp()) + 60))
        intro = _label(
            self.tr(
                "A short debrief for “%s”. It's meant to take about ten minutes: note what went well and "
                "one lesson, then stop. Going over it again and again rarely helps."
            )
            % title
        )
        self.how = _text_edit(90, self.tr("How it went: what went well, what you talked about"))
        self.lesson = QLineEdit()
        self.lesson.setPlaceholderText(self.tr("One thing you'd keep or change next time"))
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
        gap = _label(
            self.tr("Remember the liking gap: people usually like us more after a conversation than we guess."),
            muted=True,
        )
        form = QFormLayout()
        form.addRow(self.tr("W&hen"), self.when)
        form.addRow(self.tr("&How it went"), self.how)
        form.addRow(self.tr("One &lesson"), self.lesson)
        form.addRow(self.tr("&Warmth (1–5)"), self.warmth)
        form.addRow(self.tr("How much you think they liked talking with you (1–7)"), self.liking)
        form.addRow(self.tr("&Follow-up questions you asked"), self.follow_ups)
        form.addRow(self.tr("&Energy now (0–10)"), self.energy)
        form.addRow(self.tr("I said I'd…"), self.i_owe)
        form.addRow(self.tr("They said they'd…"), self.they_owe)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(gap)
        layout.addWidget(buttons)

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


# ------------------------------------------------------------------------------------------------ the view


class PrepareView(QWidget):
    saved = Signal(int)

    def __init__(self, ops: DbWorker, parent: QWidget | None = None, *, notice: Callable[[str], None] | None = None):
        super().__init__(parent)
        self.ops = ops
        self.notice = notice or (lambda _t: None)
        self.plan_id: int | None = None
        self.debriefed = False
        self.keeper: DraftKeeper | None = None
        self.last_pdf: Path | None = None
        self.delete_item: Deleter = direct_deleter(ops)  # install() gives it the app's trash with Undo

        # Left: upcoming meetings and plans.
        self.upcoming = QListWidget()
        self.upcoming.setObjectName("upcomingMeetings")
        self.upcoming.setWordWrap(True)
        self.upcoming.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.upcoming.itemActivated.connect(self._meeting_chosen)
        self.upcoming.itemClicked.connect(self._meeting_chosen)
        self.plans = QListWidget()
        self.plans.setObjectName("plansList")
        self.plans.setWordWrap(True)
        self.plans.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.plans.itemActivated.connect(self._plan_chosen)
        self.plans.itemClicked.connect(self._plan_chosen)
        self.new_button = QPushButton(self.tr("&New plan"))
        self.new_button.clicked.connect(lambda: self.new_plan())
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(8, 8, 0, 8)
        ll.addWidget(_label(self.tr("Upcoming meetings")))
        ll.addWidget(self.upcoming, 1)
        ll.addWidget(_label(self.tr("Plans")))
        ll.addWidget(self.plans, 2)
        ll.addWidget(self.new_button)

        # Right: the editor with suggestions, and the bank.
        self.heading = _label()
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.heading.setFont(font)
        self.status = _label(muted=True)
        self.editor = PlanEditor()
        self.editor.changed.connect(self._changed)
        self.editor.person_changed.connect(self.refresh_suggestions)
        editor_scroll = QScrollArea()
        editor_scroll.setWidgetResizable(True)
        editor_scroll.setWidget(self.editor)
        editor_scroll.setFrameShape(QFrame.Shape.NoFrame)
        editor_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.suggestions = SuggestionsPanel()
        self.suggestions.add_requested.connect(self._add_suggestion)
        plan_split = QSplitter()
        plan_split.addWidget(editor_scroll)
        plan_split.addWidget(self.suggestions)
        plan_split.setStretchFactor(0, 3)
        plan_split.setStretchFactor(1, 2)
        plan_split.setSizes([640, 300])
        self.suggestions.setMinimumWidth(240)
        self.bank = BankBrowser(ops)
        self.bank.add_to_plan.connect(self._add_from_bank)
        self.tabs = QTabWidget()
        self.tabs.addTab(plan_split, self.tr("&Plan"))
        self.tabs.addTab(self.bank, self.tr("Question &bank"))
        self.tabs.currentChanged.connect(self._tab_changed)

        self.save_button = QPushButton(self.tr("&Save"))
        self.save_button.setShortcut(QKeySequence.StandardKey.Save)
        self.save_button.clicked.connect(self.save)
        self.pdf_button = QPushButton(self.tr("Save as P&DF…"))
        self.pdf_button.setToolTip(self.tr("Save the one-page prep sheet (Ctrl+Shift+S)"))
        self.pdf_button.clicked.connect(self.save_pdf)
        self.print_button = QPushButton(self.tr("P&rint…"))
        self.print_button.setShortcut(QKeySequence.StandardKey.Print)
        self.print_button.clicked.connect(self.print_sheet)
        self.debrief_button = QPushButton(self.tr("De&brief…"))
        self.debrief_button.clicked.connect(self.debrief)
        self.delete_button = QPushButton(self.tr("Delete plan"))
        self.delete_button.clicked.connect(self.delete_plan)
        actions = QHBoxLayout()
        actions.addWidget(self.save_button)
        actions.addWidget(self.pdf_button)
        actions.addWidget(self.print_button)
        actions.addWidget(self.debrief_button)
        actions.addStretch(1)
        actions.addWidget(self.delete_button)

        right = QWidget()
        rl = QVBoxLayout(right)
        rl.addWidget(self.heading)
        rl.addWidget(self.status)
        rl.addWidget(self.tabs, 1)
        rl.addLayout(actions)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([230, 870])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        # Only while Prepare is showing, so other sections may use the same keys.
        local = Qt.ShortcutContext.WidgetWithChildrenShortcut
        QShortcut(QKeySequence.StandardKey.SaveAs, self, self.save_pdf, local)
        QShortcut(QKeySequence(self.tr("Ctrl+Shift+N")), self, lambda: self.new_plan(), local)
        self._suggest_timer = QTimer(self)
        self._suggest_timer.setSingleShot(True)
        self._suggest_timer.setInterval(150)
        self._suggest_timer.timeout.connect(self._load_suggestions)
        self.new_plan()

    def _tab_changed(self, index: int) -> None:
        if index == 1 and not self.bank.entries:  # the question bank is read when first shown
            self.bank.refresh()

    # lists ------------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        self.ops.read(lambda s: prep.plan_lists(s, utcnow()), self._show_lists)
        self.ops.read(pick_rows, self.editor.set_people)

    def _show_lists(self, lists: prep.PlanLists) -> None:
        self.upcoming.clear()
        for m in lists.upcoming:
            who = ", ".join(m.people) or self.tr("no one linked")
            text = f"{_when(m.at)} · {m.title or who}"
            if m.title and m.people:
                text += f"\n{who}"
            if m.plan_id is not None:
                text += self.tr("  (plan ready)")
            item = QListWidgetItem(text)
            item.setData(ID_ROLE, m.id)
            item.setData(KIND_ROLE, m.plan_id)
            self.upcoming.addItem(item)
        if not lists.upcoming:
            item = QListWidgetItem(self.tr("Nothing upcoming. Meetings imported from your calendar show up here."))
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.upcoming.addItem(item)
        self.plans.clear()
        for p in lists.plans:
            bits = [p.title]
            if p.at:
                bits.append(_when(p.at))
            if p.debriefed:
                bits.append(self.tr("debriefed"))
            item = QListWidgetItem(" · ".join(bits))
            item.setData(ID_ROLE, p.id)
            self.plans.addItem(item)
            if p.id == self.plan_id:
                self.plans.setCurrentItem(item)

    def _meeting_chosen(self, item: QListWidgetItem) -> None:
        meeting_id, plan_id = item.data(ID_ROLE), item.data(KIND_ROLE)
        if meeting_id is None:
            return
        if plan_id is not None:
            self.open(plan_id)
        else:
            self.ops.read(lambda s: prep.fresh_plan(s, utcnow(), meeting_id=meeting_id), self._opened)

    def _plan_chosen(self, item: QListWidgetItem) -> None:
        pid = item.data(ID_ROLE)
        if pid is not None and pid != self.plan_id:
            self.open(pid)

    # opening ----------------------------------------------------------------------------------------------

    def open(self, plan_id: int) -> None:
        self.ops.read(lambda s: prep.open_plan(s, plan_id, utcnow()), self._opened, parent=self)

    def new_plan(self, person_id: int | None = None, meeting_id: int | None = None) -> None:
        self.ops.read(lambda s: prep.fresh_plan(s, utcnow(), person_id, meeting_id), self._opened, parent=self)

    def plan_for_person(self, person_id: int) -> None:
        self.new_plan(person_id=person_id)

    def open_next_meeting(self) -> None:
        def job(s: Session) -> int | None:
            return prep.plan_for_next_meeting(s, utcnow())

        def done(plan_id: int | None) -> None:
            if plan_id is None:
                self.notice(self.tr("No upcoming meetings in the journal; here is a fresh plan instead."))
                self.new_plan()
            else:
                self.open(plan_id)
                self.refresh()

        self.ops.write(job, done, parent=self)

    def _opened(self, opened: prep.OpenedPlan) -> None:
        self._retire_keeper()
        self.plan_id = opened.plan_id
        self.debriefed = opened.debriefed
        self.editor.set_data(opened.data, opened.person_name)
        self.heading.setText(opened.data.title or self.tr("A new plan"))
        self._set_status(saved=opened.plan_id is not None)
        self.tabs.setCurrentIndex(0)
        self._start_drafts(opened)
        self.refresh_suggestions()

    def _retire_keeper(self) -> None:
        """Stop autosaving for the plan being left; a pending change is written first, under its own key."""
        keeper, self.keeper = self.keeper, None
        if keeper is None:
            return
        keeper.stop()
        keeper.deleteLater()

    def _start_drafts(self, opened: prep.OpenedPlan) -> None:
        self.keeper = DraftKeeper(self.ops, opened.draft_key, self.editor.to_draft, self)
        self.keeper.watch(self.editor.changed)
        if opened.draft:
            self.editor.from_draft(opened.draft)
            self._set_status(saved=False, recovered=True)

    def _set_status(self, *, saved: bool, recovered: bool = False) -> None:
        if recovered:
            text = self.tr("Recovered your unsaved changes. Save to keep them.")
        elif self.debriefed:
            text = self.tr("Debriefed. Nice one.")
        elif saved:
            text = self.tr("Saved.")
        else:
            text = self.tr("Not saved yet (your typing is kept as a draft).")
        self.status.setText(text)
        self.debrief_button.setEnabled(self.plan_id is not None)
        self.delete_button.setEnabled(self.plan_id is not None)

    def _changed(self) -> None:
        self.status.setText(self.tr("Changed (kept as a draft until you save)."))

    # suggestions ------------------------------------------------------------------------------------------

    def refresh_suggestions(self) -> None:
        self._suggest_timer.start()

    def _load_suggestions(self) -> None:
        person_id = self.editor.person_id()
        situation = self.editor.situation.currentData()
        job_search = self.editor.job_search.isChecked()
        duration = self.editor.duration.value()  # exit lines say the meeting's length
        event = prep.event_name(self.editor.plan_data())

        def job(s: Session) -> list[prep.Suggestion]:
            return prep.suggestions(
                s, person_id, utcnow(), situation=situation, job_search=job_search, duration_min=duration,
                event=event,
            )  # fmt: skip

        self.ops.read(job, self.suggestions.set_suggestions, parent=self)

    def _add_suggestion(self, s: prep.Suggestion) -> None:
        note = self.editor.apply_suggestion(s)
        self.notice(note or self.tr("Added to the plan."))

    def _add_from_bank(self, key: str, text: str) -> None:
        data = self.editor.plan_data()

        def job(s: Session) -> tuple[str, str, list[str]]:
            try:
                kind = prompts.get_entry(s, key).kind
            except NetjournalError:
                kind = "question"
            return (kind, *prep.fill_entry(s, data, text, kind, utcnow()))

        def done(result: tuple[str, str, list[str]]) -> None:
            kind, filled, missing = result
            target = {
                "follow_up": "follow_up_prompts", "exit_line": "exit_line", "intro_script": "intro_script",
            }.get(kind, "questions")  # fmt: skip
            # What the journal cannot know, the user types; the plan never shows "[what I do]".
            for blank in missing:
                hint = self.tr(" (save your name in Settings to have it filled in)") if blank == "my name" else ""
                value, ok = QInputDialog.getText(self, self.tr("Fill in the blank"), self.tr("“%s”%s:") % (blank, hint))
                if not ok or not value.strip():
                    self.notice(self.tr("Not added: it needs “%s”.") % blank)
                    return
                filled = filled.replace(f"[{blank}]", value.strip(), 1)
            self._add_suggestion(prep.Suggestion(target, filled, "", key))

        self.ops.read(job, done, parent=self)

    # saving -----------------------------------------------------------------------------------------------

    def save(self, *, then: Callable[[int], None] | None = None) -> None:
        # `then` is keyword-only: the Save button's clicked(bool) must not land in it.
        data = self.editor.plan_data()
        if not data.title:
            data.title = self.editor.person.text().strip() and f"Meeting {self.editor.person.text().strip()}"
        person_text = self.editor.person.text().strip()
        plan_id = self.plan_id

        def job(s: Session) -> int:
            if data.person_id is None and person_text:  # typed, not picked: never a guess
                data.person_id = resolve_person(s, person_text).id
            if plan_id is None:
                return prep.create_plan(s, data, now=utcnow()).id
            return prep.update_plan(s, plan_id, data, now=utcnow()).id

        def done(new_id: int) -> None:
            old_keeper, self.keeper = self.keeper, None
            self.plan_id = new_id
            if old_keeper is not None:
                old_keeper.discard()  # the plan is saved for real: its draft is no longer needed
                old_keeper.deleteLater()
            self.keeper = DraftKeeper(self.ops, f"plan:{new_id}", self.editor.to_draft, self)
            self.keeper.watch(self.editor.changed)
            self.heading.setText(data.title or self.tr("A plan"))
            self._set_status(saved=True)
            self.saved.emit(new_id)
            self.refresh()
            if then is not None:
                then(new_id)

        self.ops.write(job, done, parent=self)

    def delete_plan(self) -> None:
        plan_id = self.plan_id
        if plan_id is None:
            return

        def done() -> None:
            # Stop autosaving but keep the draft: after an Undo, opening the plan offers unsaved typing back.
            self._retire_keeper()
            self.plan_id = None
            self.refresh()
            self.new_plan()

        # The app's trash: the same Undo (Ctrl+Z) as every other delete, and File > Trash… later.
        self.delete_item("plan", plan_id, self.editor.title.text().strip() or self.tr("the plan"), done)

    # the sheet --------------------------------------------------------------------------------------------

    def _with_sheet(self, then: Callable[[prep.SheetData, str | None], None]) -> None:
        """Gather the sheet's data (and the page size) in the background, then `then(sheet, page)`."""
        data = self.editor.plan_data()
        try:
            data.validate()
        except NetjournalError as exc:
            inform(self, exc.message)
            return

        def job(s: Session) -> tuple[prep.SheetData, str | None]:
            return prep.sheet_data(s, data, utcnow()), settings.get(s, "prep.page_size")

        self.ops.read(job, lambda loaded: then(*loaded), parent=self)

    def save_pdf(self) -> None:
        self._with_sheet(self._save_pdf)

    def _save_pdf(self, sheet: prep.SheetData, page: str | None) -> None:
        from netjournal.ui import prep_sheet

        suggested = "".join(c if c.isalnum() or c in " -_" else "_" for c in (sheet.person_name or sheet.title))
        path, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Save the prep sheet"), str(Path.home() / f"Prep - {suggested.strip() or 'meeting'}.pdf"),
            self.tr("PDF files (*.pdf)"),
        )  # fmt: skip
        if not path:
            return
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        try:
            written = prep_sheet.write_pdf(sheet, path, prep_sheet.page_size_for(page), self.ops.journal.data_dir)
        except NetjournalError as exc:
            inform(self, exc.message)
            return
        self.last_pdf = written
        self.notice(self.tr("Saved the prep sheet to %s.") % written)

    def print_sheet(self) -> None:
        self._with_sheet(self._print_sheet)

    def _print_sheet(self, sheet: prep.SheetData, page: str | None) -> None:
        from netjournal.ui import prep_sheet

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageSize(prep_sheet.page_size_for(page))
        printer.setDocName(sheet.title)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(self.tr("Print the prep sheet"))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            prep_sheet.paint_sheet(sheet, printer)
        except NetjournalError as exc:
            inform(self, exc.message)
            return
        self.notice(self.tr("Sent the prep sheet to the printer."))

    # debrief ----------------------------------------------------------------------------------------------

    def debrief(self) -> None:
        if self.plan_id is None:
            inform(self, self.tr("Save the plan first; the debrief is saved with it."))
            return
        # Save the plan as it is now, then debrief it, so nothing typed is lost.
        self.save(then=self._debrief_saved)

    def _debrief_saved(self, plan_id: int) -> None:
        dialog = DebriefDialog(self, self.editor.title.text() or self.tr("this meeting"), self.editor.plan_data().at)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        values = dialog.values()

        def job(s: Session) -> int:
            return prep.debrief(s, plan_id, now=utcnow(), **values).id

        def done(_interaction_id: int) -> None:
            self.debriefed = True
            self._set_status(saved=True)
            self.notice(self.tr("Saved to the journal. Well done for going; that's enough for today."))
            self.saved.emit(plan_id)
            self.refresh()

        self.ops.write(job, done, parent=self)


def install(app: NetjournalApp) -> None:
    from netjournal.ui.main_window import Section
    from netjournal.ui.trash import controller

    view = PrepareView(app.ops, notice=app.window.show_notice)
    view.delete_item = controller(app).delete
    app.prepare = view
    app.nav.offer_prepare(lambda person_id, meeting_id: view.new_plan(person_id, meeting_id))
    view.saved.connect(lambda _id: app.journal_changed.emit())
    app.journal_changed.connect(view.refresh)
    app.window.add_section(Section("prepare", app.tr("Prepare"), view, "Ctrl+3"))

    def prepare_next() -> None:
        app.window.bring_forward()
        app.window.show_section("prepare")
        view.open_next_meeting()

    def prepare_person() -> None:
        app.nav.prepare_meeting(person_id=app.nav.person_in_view())

    action = app.window.menu_go.addAction(app.tr("Prepare next meeting…"))
    action.triggered.connect(prepare_next)
    person_action = app.window.menu_go.addAction(app.tr("Prepare a meeting with this person…"))
    person_action.setShortcut(QKeySequence(app.tr("Ctrl+Shift+P")))
    person_action.triggered.connect(prepare_person)
    app.prepare_next = prepare_next

    if app.tray is not None:

        def fill(menu: QMenu) -> None:
            menu.addAction(app.tr("Prepare next meeting…")).triggered.connect(prepare_next)

        app.tray.fillers.append(fill)
    view.refresh()
