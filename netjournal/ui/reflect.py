"""Reflect: short, structured reflections (discomfort, rejection, thought record) and exposure ladders.

Forms say roughly how long they take and stop there (long open-ended reflection feeds rumination).
What is typed is autosaved (DraftKeeper) and can be kept as a draft to finish later; a save that is
missing something keeps everything as a draft and says gently what would complete it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDateTime, Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QPalette, QWheelEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from netjournal.core import ladder as ld
from netjournal.core import reflections as rf
from netjournal.core.clock import utcnow
from netjournal.core.db import Session
from netjournal.core.errors import NetjournalError
from netjournal.core.journal import resolve
from netjournal.core.models import ReflectionKind
from netjournal.core.people_view import PickRow
from netjournal.ui.drafts import DraftKeeper
from netjournal.ui.layout import list_beside_page
from netjournal.ui.messages import inform
from netjournal.ui.ops import DbWorker, known
from netjournal.ui.person_picker import PersonPicker
from netjournal.ui.qt import qdatetime, shortcut, to_datetime
from netjournal.ui.trash import Deleter, direct_deleter

if TYPE_CHECKING:
    from netjournal.app import NetjournalApp

ID_ROLE = Qt.ItemDataRole.UserRole + 1
GENTLE_STYLE = "QLabel { background: #eaf2f8; color: #1f3a4d; border-radius: 4px; padding: 6px; }"


def _label(text: str, *, wrap: bool = True, soft: bool = False) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    if soft:  # quieter than body text, still easy to read
        pal = label.palette()
        fg, base = pal.color(QPalette.ColorRole.WindowText), pal.color(QPalette.ColorRole.Window)
        mixed = QColor(
            (fg.red() * 2 + base.red()) // 3,
            (fg.green() * 2 + base.green()) // 3,
            (fg.blue() * 2 + base.blue()) // 3,
        )
        pal.setColor(QPalette.ColorRole.WindowText, mixed)
        label.setPalette(pal)
    return label


def _blank(values: dict[str, Any]) -> bool:
    """True when a form's values hold nothing the user typed or chose (the date alone does not count)."""

    def has(v: Any) -> bool:
        if isinstance(v, str):
            return bool(v.strip())
        if isinstance(v, list):
            return any(has(x) for x in v)
        if isinstance(v, dict):
            return any(has(x) for k, x in v.items() if k != "hot")
        return v is not None and v is not False

    return not any(has(v) for k, v in values.items() if k not in ("occurred_at", "response", "result"))


class RatingSpin(QSpinBox):
    """A rating that may be left empty ("not rated")."""

    def __init__(self, low: int, high: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRange(low - 1, high)
        self.setSpecialValueText(self.tr("not rated"))
        self.setSingleStep(5 if high - low >= 50 else 1)
        self.setValue(low - 1)
        self.setMinimumWidth(110)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def stepBy(self, steps: int) -> None:
        # From "not rated", the first step up lands on the scale's start (0, not 4).
        if self.value() == self.minimum() and steps > 0:
            self.setValue(self.minimum() + 1)
            steps -= 1
        if steps:
            super().stepBy(steps)

    def wheelEvent(self, event: QWheelEvent) -> None:
        # Scrolling the form must not change ratings by accident.
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()

    def rating(self) -> int | None:
        return None if self.value() == self.minimum() else self.value()

    def set_rating(self, value: Any) -> None:
        ok = isinstance(value, int) and not isinstance(value, bool) and self.minimum() < value <= self.maximum()
        self.setValue(value if ok else self.minimum())


def _text_box(placeholder: str = "", height: int = 58) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setPlaceholderText(placeholder)
    box.setTabChangesFocus(True)
    box.setFixedHeight(height)
    return box


# (kind, name, label, extra) — the fields of each form, in order.
Spec = tuple[str, str, str, Any]

COMMON_NOTE = "Keep it short: a few words per box is plenty."

DISCOMFORT_SPEC: list[Spec] = [
    ("section", "", "Before", None),
    ("text", "situation", "Situation", "Who, where, when: the facts"),
    ("line", "target_belief", "What I fear is true", "e.g. People find me boring"),
    ("rating", "belief_before", "How strongly I believe it", (0, 100)),
    ("text", "prediction", "What I predict will happen", "e.g. I'll stand alone and leave after ten minutes"),
    ("rating", "predicted_suds", "Expected discomfort", (0, 100)),
    ("rating", "predicted_liking", "How much they'll like talking with me", (1, 7)),
    ("line", "safety_behaviour", "The safety behaviour I'll drop", "e.g. staying on my phone"),
    ("section", "", "After", None),
    ("text", "outcome", "What happened", ""),
    ("rating", "actual_suds", "Actual discomfort at its peak", (0, 100)),
    ("line", "signals", "Signals I noticed from them", "e.g. they asked a follow-up question"),
    ("rating", "actual_liking", "How much they seemed to like it", (1, 7)),
    ("choice", "result", "Compared with my prediction", rf.RESULTS),
    ("text", "learning", "What I learned", ""),
    ("rating", "belief_after", "How strongly I believe the fear now", (0, 100)),
]

REJECTION_SPEC: list[Spec] = [
    ("line", "ask", "What I asked", "e.g. 20 minutes of advice on switching roles"),
    ("line", "to_whom", "Of whom", "A name, or “a recruiter”"),
    ("choice", "response", "Their answer so far", rf.RESPONSES),
    ("rating", "predicted_yes_pct", "How likely I thought a yes was", (0, 100)),
    ("rating", "actual_suds", "How much it stings right now", (0, 100)),
    ("text", "first_interpretation", "The first story I told myself", "e.g. They don't think I'm worth their time"),
    ("distortions", "distortions", "Thinking traps I notice", None),
    ("alternatives", "alternatives", "Other explanations, not about me", None),
    ("text", "self_talk", "What would you tell a friend?", "Write to yourself by name, or as “you”"),
    ("section", "", "A self-compassion break", None),
    ("line", "self_compassion_mindfulness", "Name it", rf.SELF_COMPASSION_PROMPTS["self_compassion_mindfulness"]),
    (
        "line",
        "self_compassion_common_humanity",
        "Others too",
        rf.SELF_COMPASSION_PROMPTS["self_compassion_common_humanity"],
    ),
    ("line", "self_compassion_kindness", "Kind words", rf.SELF_COMPASSION_PROMPTS["self_compassion_kindness"]),
    ("section", "", "Next", None),
    ("text", "learning", "What I learned", ""),
    ("line", "next_attempt", "My next attempt", "e.g. one friendly follow-up in ten days"),
    ("note", "", "This counts as an attempt, whatever the answer.", None),
]

THOUGHT_SPEC: list[Spec] = [
    ("text", "situation", "1. Situation", "Who, what, when, where: facts only"),
    ("emotions", "emotions", "2. Moods", None),
    ("thoughts", "thoughts", "3. Automatic thoughts", None),
    ("distortions", "distortions", "Thinking traps I notice", None),
    ("text", "evidence_for", "4. Evidence for the hot thought", "Facts only"),
    ("text", "evidence_against", "5. Evidence against it", "What would you tell a friend?"),
    ("text", "balanced_thought", "6. A balanced thought", ""),
    ("rating", "belief_after", "How much I believe it", (0, 100)),
    ("note", "", "7. Now re-rate your moods in the “Now” column above.", None),
    ("line", "next_step", "A next step (optional)", ""),
]

SPECS: dict[ReflectionKind, list[Spec]] = {
    ReflectionKind.DISCOMFORT: DISCOMFORT_SPEC,
    ReflectionKind.REJECTION: REJECTION_SPEC,
    ReflectionKind.THOUGHT_RECORD: THOUGHT_SPEC,
}

ROWS = 3  # mood and thought rows shown


class AlternativesBox(QWidget):
    """At least three explanations that are not about me, with prompted examples."""

    MAX = 6

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.edits: list[QLineEdit] = []
        hint = _label(self.tr("Silence and “no” usually have reasons that have nothing to do with you."), soft=True)
        self._layout.addWidget(hint)
        self.add_button = QPushButton(self.tr("Add another"))
        self.add_button.clicked.connect(lambda: self.add_line().setFocus())
        for _ in range(rf.MIN_ALTERNATIVES):
            self.add_line()
        self._layout.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)

    def add_line(self, text: str = "") -> QLineEdit:
        edit = QLineEdit(text)
        edit.setPlaceholderText(rf.ALTERNATIVE_EXAMPLES[len(self.edits) % len(rf.ALTERNATIVE_EXAMPLES)])
        self._layout.insertWidget(1 + len(self.edits), edit)
        self.edits.append(edit)
        self.add_button.setEnabled(len(self.edits) < self.MAX)
        return edit

    def values(self) -> list[str]:
        return [e.text() for e in self.edits]

    def set_values(self, values: list[str]) -> None:
        while len(self.edits) < min(len(values), self.MAX):
            self.add_line()
        for i, e in enumerate(self.edits):
            e.setText(values[i] if i < len(values) else "")


class DistortionList(QListWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        for d in rf.load_distortions():
            item = QListWidgetItem(f"{d.name}: {d.explanation}")
            item.setData(ID_ROLE, d.key)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            item.setToolTip(d.explanation)
            self.addItem(item)
        self.setWordWrap(True)
        self.setFixedHeight(150)

    def keys(self) -> list[str]:
        return [
            self.item(i).data(ID_ROLE)
            for i in range(self.count())
            if self.item(i).checkState() == Qt.CheckState.Checked
        ]

    def set_keys(self, keys: list[str]) -> None:
        for i in range(self.count()):
            item = self.item(i)
            item.setCheckState(Qt.CheckState.Checked if item.data(ID_ROLE) in keys else Qt.CheckState.Unchecked)


class RowsBox(QWidget):
    """Moods (name, at the start, now) or automatic thoughts (text, belief, hot)."""

    def __init__(self, thoughts: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.thoughts = thoughts
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        heads = (
            (self.tr("Thought"), self.tr("Belief 0–100"), self.tr("Hot"))
            if thoughts
            else (self.tr("Mood, in one word"), self.tr("At the start"), self.tr("Now"))
        )
        for c, h in enumerate(heads):
            grid.addWidget(_label(h, wrap=False, soft=True), 0, c)
        self.rows: list[tuple[QLineEdit, RatingSpin, QCheckBox | RatingSpin]] = []
        for r in range(ROWS):
            text = QLineEdit()
            if thoughts:
                text.setPlaceholderText(self.tr("e.g. They think I'm boring") if r == 0 else "")
            else:
                text.setPlaceholderText(("anxious", "embarrassed", "")[r])
            rating = RatingSpin(0, 100)
            third: QCheckBox | RatingSpin = QCheckBox() if thoughts else RatingSpin(0, 100)
            grid.addWidget(text, r + 1, 0)
            grid.addWidget(rating, r + 1, 1)
            grid.addWidget(third, r + 1, 2)
            self.rows.append((text, rating, third))
        grid.setColumnStretch(0, 1)

    def values(self) -> list[dict[str, Any]]:
        out = []
        for text, rating, third in self.rows:
            if self.thoughts:
                assert isinstance(third, QCheckBox)
                out.append({"text": text.text(), "belief": rating.rating(), "hot": third.isChecked()})
            else:
                assert isinstance(third, RatingSpin)
                out.append({"name": text.text(), "before": rating.rating(), "after": third.rating()})
        return out

    def set_values(self, values: list[dict[str, Any]]) -> None:
        for i, (text, rating, third) in enumerate(self.rows):
            v = values[i] if i < len(values) else {}
            if self.thoughts:
                text.setText(str(v.get("text", "")))
                rating.set_rating(v.get("belief"))
                assert isinstance(third, QCheckBox)
                third.setChecked(bool(v.get("hot")))
            else:
                text.setText(str(v.get("name", "")))
                rating.set_rating(v.get("before"))
                assert isinstance(third, RatingSpin)
                third.set_rating(v.get("after"))


class ReflectionEditor(QWidget):
    """One reflection form. `saved(id, is_draft)` after a save; `closed()` when the user is done."""

    saved = Signal(int, bool)
    closed = Signal()

    def __init__(
        self,
        ops: DbWorker,
        kind: ReflectionKind,
        people: list[PickRow],
        reflection_id: int | None = None,
        form: rf.ReflectionForm | None = None,
        parent: QWidget | None = None,
        linked_label: str = "",
    ) -> None:
        super().__init__(parent)
        self.ops, self.kind = ops, kind
        self.linked_label = linked_label  # how to show a linked person who is not offered (in the trash)
        self.reflection_id = reflection_id
        # Links the form does not show (a meeting, a plan) are kept as they were.
        self.interaction_id = form.interaction_id if form else None
        self.plan_id = form.plan_id if form else None
        self.widgets: dict[str, Any] = {}

        heading = _label(rf.KIND_LABELS[kind], wrap=False)
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        heading.setFont(font)
        self.duration = _label(self.tr("{0}. {1}").format(rf.duration_text(kind), self.tr(COMMON_NOTE)), soft=True)

        form_host = QWidget()
        rows = QFormLayout(form_host)
        rows.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.title = QLineEdit()
        self.title.setPlaceholderText(self.tr("A short name (optional)"))
        self.when = QDateTimeEdit(QDateTime.currentDateTime())
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat("ddd d MMM yyyy, HH:mm")
        self.person = PersonPicker(self, placeholder=self.tr("Not linked to anyone"))
        self.person.set_people(people)
        rows.addRow(self.tr("&Title"), self.title)
        rows.addRow(self.tr("&When"), self.when)
        rows.addRow(self.tr("&Person"), self.person)
        for kind_, name, label, extra in SPECS[kind]:
            if kind_ == "section":
                sec = _label(self.tr(label), wrap=False)
                f = sec.font()
                f.setBold(True)
                sec.setFont(f)
                rows.addRow(sec)
                continue
            if kind_ == "note":
                rows.addRow(_label(self.tr(label), soft=True))
                continue
            widget: QWidget
            if kind_ == "text":
                widget = _text_box(self.tr(extra) if extra else "")
            elif kind_ == "line":
                widget = QLineEdit()
                widget.setPlaceholderText(self.tr(extra) if extra else "")
            elif kind_ == "rating":
                low, high = extra
                widget = RatingSpin(low, high)
                label = f"{self.tr(label)} ({low}–{high})"
            elif kind_ == "choice":
                widget = QComboBox()
                if name == "result":
                    widget.addItem(self.tr("Not yet"), None)
                for key, text in extra.items():
                    widget.addItem(self.tr(text), key)
            elif kind_ == "distortions":
                widget = DistortionList()
            elif kind_ == "alternatives":
                widget = AlternativesBox()
            elif kind_ in ("emotions", "thoughts"):
                widget = RowsBox(thoughts=kind_ == "thoughts")
            else:  # pragma: no cover - a spec typo
                raise ValueError(kind_)
            widget.setObjectName(name)
            self.widgets[name] = widget
            rows.addRow(self.tr(label), widget)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(form_host)

        self.prompt = _label("")
        self.prompt.setObjectName("gentlePrompt")
        self.prompt.setStyleSheet(GENTLE_STYLE)
        self.prompt.hide()
        self.save_button = QPushButton(self.tr("&Save"))
        self.save_button.setDefault(True)
        self.save_button.setToolTip(self.tr("Save (Ctrl+S)"))
        self.later_button = QPushButton(self.tr("Edit &later"))
        self.later_button.setToolTip(self.tr("Keep it as a draft and finish it another time"))
        self.close_button = QPushButton(self.tr("&Close"))
        self.save_button.clicked.connect(self.save)
        self.later_button.clicked.connect(self.save_for_later)
        self.close_button.clicked.connect(self.close_editor)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.later_button)
        buttons.addWidget(self.save_button)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.duration)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.prompt)
        layout.addLayout(buttons)
        shortcut(QKeySequence.StandardKey.Save, self, self.save)

        if form is not None:
            self.apply_form(form)
        self.keeper = self._make_keeper()
        self._as_opened = self.values()
        self.keeper.recover(self._recovered)

    def _recovered(self, draft: dict[str, Any]) -> None:
        # The draft comes a moment after the form opens: never over what was typed meanwhile.
        if _blank(draft) or draft == self.values() or self.values() != self._as_opened:
            return
        self.apply_values(draft)
        self.show_prompt(self.tr("Recovered what you were typing last time, before it was saved."))

    # -------------------------------------------------------------------------------- values

    def draft_key(self) -> str:
        return f"reflection:{self.reflection_id}" if self.reflection_id else f"reflection:new:{self.kind.value}"

    def _make_keeper(self) -> DraftKeeper:
        keeper = DraftKeeper(self.ops, self.draft_key(), self.values, self)
        signals = [self.title.textChanged, self.person.textChanged, self.when.dateTimeChanged]
        for w in self.widgets.values():
            if isinstance(w, QPlainTextEdit | QLineEdit):
                signals.append(w.textChanged)
            elif isinstance(w, QSpinBox):
                signals.append(w.valueChanged)
            elif isinstance(w, QComboBox):
                signals.append(w.currentIndexChanged)
            elif isinstance(w, QListWidget):
                signals.append(w.itemChanged)
            elif isinstance(w, AlternativesBox):
                signals.extend(e.textChanged for e in w.edits)
            elif isinstance(w, RowsBox):
                for text, rating, third in w.rows:
                    signals.extend([text.textChanged, rating.valueChanged])
                    signals.append(third.toggled if isinstance(third, QCheckBox) else third.valueChanged)
        keeper.watch(*signals)
        return keeper

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "title": self.title.text(),
            "occurred_at": to_datetime(self.when.dateTime()).astimezone().astimezone(UTC).isoformat(),
            "person": self.person.text(),
            "person_id": self.person.person_id(),
        }
        for name, w in self.widgets.items():
            if isinstance(w, QPlainTextEdit):
                out[name] = w.toPlainText()
            elif isinstance(w, QLineEdit):
                out[name] = w.text()
            elif isinstance(w, RatingSpin):
                out[name] = w.rating()
            elif isinstance(w, QComboBox):
                out[name] = w.currentData()
            elif isinstance(w, DistortionList):
                out[name] = w.keys()
            elif isinstance(w, AlternativesBox | RowsBox):
                out[name] = w.values()
        return out

    def apply_values(self, values: dict[str, Any]) -> None:
        self.title.setText(str(values.get("title") or ""))
        if values.get("occurred_at"):
            try:
                at = datetime.fromisoformat(str(values["occurred_at"]))
                self.when.setDateTime(qdatetime(at.astimezone()))
            except ValueError:
                pass
        pid = values.get("person_id")
        if isinstance(pid, int) and not isinstance(pid, bool):
            self.person.set_person(pid, str(values.get("person") or self.linked_label))
        else:
            self.person.setText(str(values.get("person") or ""))
        for name, w in self.widgets.items():
            v = values.get(name)
            if isinstance(w, QPlainTextEdit):
                w.setPlainText(str(v or ""))
            elif isinstance(w, QLineEdit):
                w.setText(str(v or ""))
            elif isinstance(w, RatingSpin):
                w.set_rating(v)
            elif isinstance(w, QComboBox):
                w.setCurrentIndex(max(0, w.findData(v)))
            elif isinstance(w, DistortionList):
                w.set_keys(list(v or []))
            elif isinstance(w, AlternativesBox):
                w.set_values([str(x) for x in (v or [])])
            elif isinstance(w, RowsBox):
                w.set_values([x for x in (v or []) if isinstance(x, dict)])

    def apply_form(self, form: rf.ReflectionForm) -> None:
        values: dict[str, Any] = form.data()
        values.update(form.columns())
        values.update(
            title=form.title,
            situation=form.situation,
            occurred_at=form.occurred_at.isoformat() if form.occurred_at else None,
            person="",
            person_id=form.person_id,
        )
        self.apply_values(values)

    def to_form(self) -> rf.ReflectionForm:
        values = self.values()
        cls = rf.FORMS[self.kind]
        names = {f for f in cls.__dataclass_fields__}
        kwargs = {k: v for k, v in values.items() if k in names and k not in ("occurred_at",)}
        if "emotions" in kwargs:
            kwargs["emotions"] = [rf.Emotion(**e) for e in kwargs["emotions"]]
        if "thoughts" in kwargs:
            kwargs["thoughts"] = [rf.AutomaticThought(**t) for t in kwargs["thoughts"]]
        form = cls(**kwargs)
        form.occurred_at = datetime.fromisoformat(values["occurred_at"])
        form.interaction_id, form.plan_id = self.interaction_id, self.plan_id
        return form

    def set_people(self, people: list[PickRow]) -> None:
        self.person.set_people(people)

    # --------------------------------------------------------------------------------- saving

    def show_prompt(self, text: str) -> None:
        self.prompt.setText(text)
        self.prompt.setVisible(bool(text))

    def save(self) -> None:
        """Save for real; if something is missing, keep it as a draft and say what would finish it."""
        form = self.to_form()
        form.clean_text()
        problems = form.problems(final=True)
        self._store(form, draft=bool(problems), problems=problems)

    def save_for_later(self) -> None:
        self._store(self.to_form(), draft=True, problems=[], closing=True)

    def _store(
        self, form: rf.ReflectionForm, *, draft: bool, problems: list[rf.Problem], closing: bool = False
    ) -> None:
        name = self.person.text().strip()
        picked_id = self.person.person_id()  # linked by id: picked, or kept from before (even if in the trash)
        rid = self.reflection_id

        def job(s: Session) -> tuple[int, bool, bool]:
            form.person_id = picked_id
            several = False
            if form.person_id is None and name:  # typed, not picked: the core resolver, no guessing
                found = resolve(s, name)
                form.person_id, several = found.person_id, found.ambiguous
            row = rf.save_reflection(s, form, now=utcnow(), reflection_id=rid, draft=draft)
            return row.id, form.person_id is not None, several

        def done(result: tuple[int, bool, bool]) -> None:
            new_id, linked, several = result
            if linked:
                person_note = None
            elif several:
                person_note = self.tr(
                    "“{0}” fits several people, so it is not linked yet: pick one from the list."
                ).format(name)
            elif name:
                person_note = self.tr("No one called “{0}” is in your journal, so it is not linked to anyone.").format(
                    name
                )
            else:
                person_note = None
            old_key = self.draft_key()
            self.reflection_id = new_id
            self.keeper.discard()
            if self.draft_key() != old_key or not self.keeper._active:
                self.keeper = self._make_keeper()
            lines = []
            if problems:
                lines.append(self.tr("Saved as a draft, so nothing is lost. To finish it:"))
                lines.extend(f"• {p.message}" for p in problems)
            elif draft:
                lines.append(self.tr("Saved as a draft. It's in the list, marked “to finish”."))
            else:
                lines.append(self.tr("Saved. That's enough for now: well done for writing it down."))
            if person_note:
                lines.append(person_note)
            self.show_prompt("\n".join(lines))
            if problems:
                self.focus_field(problems[0].field)
            self.saved.emit(new_id, draft)
            if closing:
                self.closed.emit()

        def failed(exc: NetjournalError) -> None:
            self.show_prompt(self.tr("Not saved yet: {0} Your text is still here.").format(exc.message))

        self.ops.write(job, done, known(failed), parent=self)

    def focus_field(self, name: str) -> None:
        w = self.widgets.get(name)
        if isinstance(w, AlternativesBox):
            next((e for e in w.edits if not e.text().strip()), w.edits[-1]).setFocus()
        elif isinstance(w, RowsBox):
            w.rows[0][0].setFocus()
        elif isinstance(w, QWidget):
            w.setFocus()

    def park(self) -> None:
        """Keep unsaved typing in the drafts table (or nothing, if nothing was typed)."""
        if _blank(self.values()):
            self.keeper.discard()
        else:
            self.keeper.save_now()

    def close_editor(self) -> None:
        self.park()
        self.closed.emit()


# ---------------------------------------------------------------------------------------- the list


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
        keys = {ReflectionKind.DISCOMFORT: "Ctrl+Shift+D", ReflectionKind.REJECTION: "Ctrl+Shift+R",
                ReflectionKind.THOUGHT_RECORD: "Ctrl+Shift+T"}  # fmt: skip
        for kind, label in rf.KIND_LABELS.items():
            b = QPushButton(self.tr("New {0}…").format(self.tr(label).lower()))
            b.setToolTip(f"{rf.duration_text(kind)} ({keys[kind]})")
            b.clicked.connect(lambda _=False, k=kind: self.new(k))
            shortcut(keys[kind], self, functools.partial(self.new, kind))
            ll.addWidget(b)
            self.new_buttons[kind] = b
        self.list = QListWidget()
        self.list.setObjectName("reflectionList")
        self.list.setAlternatingRowColors(True)
        self.list.setUniformItemSizes(True)  # every item is two lines; fast with thousands of reflections
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.itemActivated.connect(self._open_item)
        self.list.itemClicked.connect(self._open_item)
        self.delete_button = QPushButton(self.tr("Move to trash"))
        self.delete_button.clicked.connect(self.delete_current)
        shortcut(QKeySequence.StandardKey.Delete, self.list, self.delete_current)
        ll.addWidget(self.list, 1)
        ll.addWidget(self.delete_button)

        self.empty = _label(
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
        list_beside_page(self, left, self.right)

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


# ------------------------------------------------------------------------------------------ ladders


class LadderDialog(QDialog):
    """Write or change a ladder: a goal and up to 15 concrete steps with expected discomfort."""

    def __init__(self, parent: QWidget | None, data: ld.LadderData | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Exposure ladder"))
        self.resize(760, 560)
        self.goal = QLineEdit(data.goal if data else "")
        self.goal.setPlaceholderText(self.tr("e.g. Feel at ease at meetups"))
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Step (a specific situation)"), self.tr("Expected discomfort 0–100"),
             self.tr("Safety behaviour to drop")]
        )  # fmt: skip
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self._ids: list[int | None] = []
        for s in data.steps if data else []:
            self.add_step(s)
        if not data:
            for _ in range(ld.MIN_STEPS):
                self.add_step()
        add = QPushButton(self.tr("Add a step"))
        add.clicked.connect(lambda: self.add_step())  # not clicked's `checked` as the step
        add.clicked.connect(self._update_advice)
        remove = QPushButton(self.tr("Remove step"))
        remove.clicked.connect(self.remove_step)
        self.advice = _label("", soft=True)
        self.error = _label("")
        self.error.setStyleSheet(GENTLE_STYLE)
        self.error.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(add)
        row.addWidget(remove)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        form.addRow(self.tr("&Goal"), self.goal)
        layout.addLayout(form)
        layout.addWidget(
            _label(self.tr("Easiest first, about 5–10 points apart, with a few easy steps around 20–40."), soft=True)
        )
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(self.advice)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.table.itemChanged.connect(self._update_advice)
        self._update_advice()

    def add_step(self, step: ld.StepData | None = None) -> None:
        if self.table.rowCount() >= ld.MAX_STEPS:
            return
        r = self.table.rowCount()
        # No itemChanged while the row is half built (the advice reads every row's discomfort box).
        blocked = self.table.blockSignals(True)
        self.table.insertRow(r)
        self.table.setItem(r, 0, QTableWidgetItem(step.text if step else ""))
        spin = QSpinBox()
        spin.setRange(0, 100)
        spin.setSingleStep(5)
        spin.setValue(step.suds_expected if step else min(100, 20 + 10 * r))
        spin.valueChanged.connect(self._update_advice)
        self.table.setCellWidget(r, 1, spin)
        self.table.setItem(r, 2, QTableWidgetItem(step.safety_behaviour if step else ""))
        self._ids.append(step.id if step else None)
        self.table.blockSignals(blocked)

    def remove_step(self) -> None:
        r = self.table.currentRow()
        if r >= 0:
            self.table.removeRow(r)
            del self._ids[r]
            self._update_advice()

    def data(self) -> ld.LadderData:
        steps = []
        for r in range(self.table.rowCount()):
            text_item, safety_item = self.table.item(r, 0), self.table.item(r, 2)
            spin = self.table.cellWidget(r, 1)
            assert isinstance(spin, QSpinBox)
            text = text_item.text() if text_item else ""
            if text.strip():
                safety = safety_item.text() if safety_item else ""
                steps.append(
                    ld.StepData(text=text, suds_expected=spin.value(), safety_behaviour=safety, id=self._ids[r])
                )
        return ld.LadderData(goal=self.goal.text(), steps=steps)

    def _update_advice(self, *_: object) -> None:
        self.advice.setText("\n".join(ld.ladder_advice(self.data().steps)))

    def _accept(self) -> None:
        try:
            data = self.data()
            ld.LadderData(data.goal, [ld.StepData(**vars(s)) for s in data.steps]).validate()
        except NetjournalError as exc:
            self.error.setText(exc.message)
            self.error.show()
            return
        self.accept()


class AttemptDialog(QDialog):
    def __init__(self, parent: QWidget | None, step_text: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Log a try"))
        self.when = QDateTimeEdit(QDateTime.currentDateTime())
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat("ddd d MMM yyyy, HH:mm")
        self.before, self.peak, self.after = RatingSpin(0, 100), RatingSpin(0, 100), RatingSpin(0, 100)
        self.note = _text_box(self.tr("What helped? What did you notice?"))
        form = QFormLayout(self)
        form.addRow(_label(step_text))
        form.addRow(self.tr("&When"), self.when)
        form.addRow(self.tr("Discomfort &before (0–100)"), self.before)
        form.addRow(self.tr("At its &peak (0–100)"), self.peak)
        form.addRow(self.tr("&After (0–100)"), self.after)
        form.addRow(self.tr("&Note"), self.note)
        form.addRow(_label(self.tr("Every try counts, however it felt."), soft=True))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


class LaddersPane(QWidget):
    changed = Signal()

    def __init__(self, ops: DbWorker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.delete_item: Deleter = direct_deleter(ops)  # install() gives it the app's trash with Undo
        self.offer_undo: Callable[[str, str], None] | None = None  # install(): the app's Undo bar
        self.ladders: list[ld.LadderView] = []
        self.list = QListWidget()
        self.list.setObjectName("ladderList")
        self.list.setWordWrap(True)
        self.list.currentRowChanged.connect(self._show_current)
        self.starter_button = QPushButton(self.tr("Start the networking ladder"))
        self.starter_button.setToolTip(self.tr("Twelve small steps, from a friendly reply to reconnecting after years"))
        self.starter_button.clicked.connect(self.add_starter)
        self.new_button = QPushButton(self.tr("New ladder…"))
        self.new_button.clicked.connect(self.new_ladder)
        self.edit_button = QPushButton(self.tr("Edit…"))
        self.edit_button.clicked.connect(self.edit_ladder)
        self.delete_button = QPushButton(self.tr("Delete"))
        self.delete_button.clicked.connect(self.delete_ladder)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.list, 1)
        ll.addWidget(self.starter_button)
        ll.addWidget(self.new_button)
        row = QHBoxLayout()
        row.addWidget(self.edit_button)
        row.addWidget(self.delete_button)
        ll.addLayout(row)

        self.goal = _label("")
        f = self.goal.font()
        f.setBold(True)
        f.setPointSizeF(f.pointSizeF() * 1.2)
        self.goal.setFont(f)
        self.suggestion = _label("")
        self.suggestion.setObjectName("nextStep")
        self.suggestion.setStyleSheet(GENTLE_STYLE)
        self.advice = _label("", soft=True)
        self.steps = QTreeWidget()
        self.steps.setColumnCount(4)
        self.steps.setHeaderLabels([self.tr("Step"), self.tr("Expected"), self.tr("Tries"), self.tr("Last peak")])
        self.steps.setRootIsDecorated(False)
        self.steps.setAlternatingRowColors(True)
        self.steps.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        head = self.steps.header()
        head.setStretchLastSection(False)
        head.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 3):
            head.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.steps.itemChanged.connect(self._done_toggled)
        self.try_button = QPushButton(self.tr("&Log a try…"))
        self.try_button.clicked.connect(self.log_try)
        self.steps.itemDoubleClicked.connect(lambda *_: self.log_try())
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.addWidget(self.goal)
        rl.addWidget(self.suggestion)
        rl.addWidget(self.steps, 1)
        rl.addWidget(self.advice)
        rl.addWidget(_label(self.tr("Tick a step when it feels manageable. Double-click a step to log a try."),
                            soft=True))  # fmt: skip
        rr = QHBoxLayout()
        rr.addStretch(1)
        rr.addWidget(self.try_button)
        rl.addLayout(rr)
        self.empty = _label(
            self.tr(
                "An exposure ladder is a list of small, concrete steps from easy to hard. You climb it one "
                "try at a time, and each try makes the next one easier.\n\nStart with the networking ladder "
                "and change any step to fit your life, or write your own."
            )
        )
        self.empty.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.empty.setContentsMargins(12, 12, 12, 12)
        self.right = QStackedWidget()
        self.right.addWidget(self.empty)
        self.right.addWidget(right)
        self._detail = right
        list_beside_page(self, left, self.right)
        self._filling = False

    def show_ladders(self, ladders: list[ld.LadderView]) -> None:
        current = self.current_ladder()
        keep = current.id if current else None
        self.ladders = ladders
        self.list.blockSignals(True)
        self.list.clear()
        for lad in ladders:
            done = sum(1 for s in lad.steps if s.done)
            item = QListWidgetItem(f"{lad.goal}\n{done} of {len(lad.steps)} steps feel manageable")
            item.setData(ID_ROLE, lad.id)
            self.list.addItem(item)
        self.list.blockSignals(False)
        row = next((i for i, lad in enumerate(ladders) if lad.id == keep), 0 if ladders else -1)
        self.list.setCurrentRow(row)
        self._show_current(row)

    def current_ladder(self) -> ld.LadderView | None:
        row = self.list.currentRow()
        return self.ladders[row] if 0 <= row < len(self.ladders) else None

    def _show_current(self, _row: int = -1) -> None:
        lad = self.current_ladder()
        if lad is None:
            self.right.setCurrentWidget(self.empty)
            return
        self.right.setCurrentWidget(self._detail)
        self.goal.setText(lad.goal)
        self.suggestion.setText(lad.suggestion or "")
        self.suggestion.setVisible(bool(lad.suggestion))
        self.advice.setText("\n".join(lad.advice))
        self._filling = True
        self.steps.clear()
        for s in lad.steps:
            item = QTreeWidgetItem([s.text, str(s.suds_expected), str(s.tries) if s.tries else "",
                                    "" if s.last_peak is None else str(s.last_peak)])  # fmt: skip
            item.setData(0, ID_ROLE, s.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(0, Qt.CheckState.Checked if s.done else Qt.CheckState.Unchecked)
            tip = s.text + (f"\nSafety behaviour to drop: {s.safety_behaviour}" if s.safety_behaviour else "")
            item.setToolTip(0, tip)
            self.steps.addTopLevelItem(item)
        self._filling = False

    def _run(self, job: Callable[[Session], object]) -> None:
        self.ops.write(job, lambda _r: self.changed.emit())

    def add_starter(self) -> None:
        def job(s: Session) -> int:
            return ld.create_starter_ladder(s, now=utcnow()).id

        self._run(job)

    def new_ladder(self) -> None:
        dialog = LadderDialog(self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        data = dialog.data()

        def job(s: Session) -> int:
            return ld.create_ladder(s, data, now=utcnow()).id

        self._run(job)

    def edit_ladder(self) -> None:
        lad = self.current_ladder()
        if lad is None:
            return
        data = ld.LadderData(lad.goal, [ld.StepData(s.text, s.suds_expected, safety_behaviour=s.safety_behaviour,
                                                    done=s.done, id=s.id) for s in lad.steps])  # fmt: skip
        dialog = LadderDialog(self, data)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        new = dialog.data()
        was_done = {s.id: s.done for s in lad.steps}
        for st in new.steps:
            st.done = was_done.get(st.id, False) if st.id is not None else False

        def job(s: Session) -> str | None:
            return ld.update_ladder_steps(s, lad.id, new, now=utcnow())[1]

        def done(batch: str | None) -> None:
            # Steps left out went to the trash with their tries: the same Undo as a delete.
            if batch is not None and self.offer_undo is not None:
                removed = len(lad.steps) - len([st for st in new.steps if st.id is not None])
                steps = self.tr("1 step") if removed == 1 else self.tr("{0} steps").format(removed)
                self.offer_undo(batch, self.tr("Removed {0} from the ladder.").format(steps))
            self.changed.emit()

        self.ops.write(job, done)

    def delete_ladder(self) -> None:
        lad = self.current_ladder()
        if lad is None:
            return
        # No "are you sure": it goes to the trash with its tries, and Ctrl+Z brings it back.
        self.delete_item("ladder", lad.id, lad.goal, self.changed.emit)

    def _done_toggled(self, item: QTreeWidgetItem, column: int) -> None:
        if self._filling or column != 0:
            return
        step_id = item.data(0, ID_ROLE)
        done = item.checkState(0) == Qt.CheckState.Checked

        def job(s: Session) -> None:
            ld.set_step_done(s, step_id, done, now=utcnow())

        self._run(job)

    def log_try(self) -> None:
        item = self.steps.currentItem()
        if item is None:
            inform(self, self.tr("Pick the step you tried first."))
            return
        step_id = item.data(0, ID_ROLE)
        dialog = AttemptDialog(self, item.text(0))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        at = to_datetime(dialog.when.dateTime()).astimezone().astimezone(UTC)
        values = (dialog.before.rating(), dialog.peak.rating(), dialog.after.rating(), dialog.note.toPlainText())

        def job(s: Session) -> None:
            ld.add_attempt(s, step_id, at=at, suds_before=values[0], suds_peak=values[1], suds_after=values[2],
                           note=values[3])  # fmt: skip

        self._run(job)


# --------------------------------------------------------------------------------------- the section


class ReflectView(QWidget):
    changed = Signal()  # something was written

    def __init__(self, ops: DbWorker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.note = _label(self.tr(rf.SELF_HELP_NOTE), soft=True)
        self.note.setObjectName("selfHelpNote")
        self.hint = _label("")
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
    app.window.add_section(Section("reflect", app.tr("Reflect"), view, "Ctrl+5"))
    view.refresh()
