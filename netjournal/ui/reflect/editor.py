"""One reflection form: fields from its spec, autosave to drafts, a gentle save."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from netjournal.core import reflections as rf
from netjournal.core.clock import utcnow
from netjournal.core.db import Session
from netjournal.core.errors import NetjournalError
from netjournal.core.journal import resolve
from netjournal.core.models import ReflectionKind
from netjournal.core.people_view import PickRow
from netjournal.ui import theme
from netjournal.ui.drafts import DraftKeeper
from netjournal.ui.form_parts import GENTLE_STYLE, FormHeader, RatingSpin, moment_edit, plain_label, text_box
from netjournal.ui.layout import reflow_form, scrolling
from netjournal.ui.ops import DbWorker, known
from netjournal.ui.person_picker import PersonPicker
from netjournal.ui.qt import qdatetime, shortcut, to_datetime
from netjournal.ui.reflect.fields import COMMON_NOTE, SPECS, AlternativesBox, DistortionList, RowsBox, blank


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

        self.header = FormHeader(
            rf.KIND_LABELS[kind], self.tr("{0}. {1}").format(rf.duration_text(kind), self.tr(COMMON_NOTE))
        )
        self.duration = self.header.line

        form_host = QWidget()
        rows = QFormLayout(form_host)
        # Text grows with the width; ratings and choices keep their natural size (not 1,000-pixel spin boxes).
        rows.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.title = QLineEdit()
        self.title.setPlaceholderText(self.tr("A short name (optional)"))
        self.when = moment_edit()
        self.person = PersonPicker(self, placeholder=self.tr("Not linked to anyone"))
        self.person.set_people(people)
        rows.addRow(self.tr("&Title"), self.title)
        rows.addRow(self.tr("&When"), self.when)
        rows.addRow(self.tr("&Person"), self.person)
        for kind_, name, label, extra in SPECS[kind]:
            if kind_ == "section":
                sec = plain_label(self.tr(label), wrap=False, bold=True)
                sec.setContentsMargins(0, 10, 0, 0)  # a little air above each part of the form
                rows.addRow(sec)
                continue
            if kind_ == "note":
                rows.addRow(plain_label(self.tr(label), muted=True))
                continue
            widget: QWidget
            if kind_ == "text":
                widget = text_box(self.tr(extra) if extra else "")
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

        # A readable line length on a wide screen, and spare height below the form, not between its rows.
        form_host.setMaximumWidth(900)
        page = QWidget()
        page_layout = QVBoxLayout(page)
        page_layout.setContentsMargins(0, 0, 0, 0)
        page_layout.addWidget(form_host)
        page_layout.addStretch(1)
        scroll = scrolling(page)
        # Labels above their fields when narrow: side by side, long labels pushed the fields out of view.
        self._reflow = reflow_form(scroll.viewport(), rows, 560)

        self.prompt = plain_label("")
        self.prompt.setObjectName("gentlePrompt")
        self.prompt.setStyleSheet(GENTLE_STYLE)
        self.prompt.hide()
        self.save_button = QPushButton(theme.icon("save"), self.tr("&Save"))
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
        layout.addWidget(self.header)
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
        if blank(draft) or draft == self.values() or self.values() != self._as_opened:
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
        if blank(self.values()):
            self.keeper.discard()
        else:
            self.keeper.save_now()

    def close_editor(self) -> None:
        self.park()
        self.closed.emit()
