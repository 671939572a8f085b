"""The pieces of the reflection forms: which fields each form has, and the few composite fields."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from netjournal.core import reflections as rf
from netjournal.core.models import ReflectionKind
from netjournal.ui import theme
from netjournal.ui.form_parts import ID_ROLE, RatingSpin, plain_label


def blank(values: dict[str, Any]) -> bool:
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
        hint = plain_label(
            self.tr("Silence and “no” usually have reasons that have nothing to do with you."), muted=True
        )
        self._layout.addWidget(hint)
        self.add_button = QPushButton(theme.icon("new"), self.tr("Add another"))
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
        # Every trap in view, sized to its wrapped text: no list scrolling inside the scrolling form.
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._fit()

    def _fit(self) -> None:
        self.doItemsLayout()
        rows = sum(max(self.visualItemRect(self.item(i)).height(), self.sizeHintForRow(i)) for i in range(self.count()))
        self.setFixedHeight(rows + 2 * self.frameWidth() + 2)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

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
            grid.addWidget(plain_label(h, wrap=False, muted=True), 0, c)
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
