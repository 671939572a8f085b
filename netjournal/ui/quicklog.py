"""Quick log: record a meeting in a few seconds from anywhere (Ctrl+L, or the tray).

Three steps: Ctrl+L (the person on screen is already filled in), a name and Enter (the top match; the
focus moves to the note), the note and Ctrl+Enter (saved). A name no one has yet is offered as a new
person, added on saving after a one-Enter confirmation. Who, how, when, a note and how warm it felt;
"More" holds energy, what was given, a promise and "waiting for their reply". What is typed is
autosaved as a draft, so a crash or a kill loses nothing; the same dialog edits an existing entry.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, QDateTime, QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from netjournal.core.clock import utcnow
from netjournal.core.errors import NetjournalError, NotFoundError
from netjournal.core.journal import (
    CHANNEL_LABELS,
    AmbiguousPerson,
    InteractionData,
    PersonData,
    add_commitment,
    create_person,
    get_interaction,
    log_interaction,
    people_names,
    resolve_person,
    update_interaction,
)
from netjournal.core.models import Channel, Direction
from netjournal.core.people_view import pick_rows
from netjournal.ui.drafts import DraftKeeper
from netjournal.ui.form_parts import moment_edit
from netjournal.ui.messages import message_box
from netjournal.ui.ops import DbWorker, known
from netjournal.ui.person_picker import PersonPicker
from netjournal.ui.qt import qdatetime, to_date, to_datetime

if TYPE_CHECKING:
    from netjournal.core.db import Session

DRAFT_KEY = "quicklog"
NOT_NOTED = -1


class UnknownName(NotFoundError):
    """The typed name is no one's yet: the dialog offers to add them."""

    def __init__(self, name: str) -> None:
        super().__init__(f"No one called {name!r} is in this journal yet.")
        self.name = name


def _looks_like_a_name(text: str) -> bool:
    # "#12", "12" and e-mail addresses are references to someone, never a new person's name.
    return bool(text) and not text.startswith("#") and "@" not in text and not text.isdigit()


class WhenEdit(QDateTimeEdit):
    """Date and time as one Tab stop: Tab leaves the field instead of walking its five sections."""

    def focusNextPrevChild(self, next: bool) -> bool:
        return QWidget.focusNextPrevChild(self, next)


def _energy_box() -> QSpinBox:
    box = QSpinBox()
    box.setRange(NOT_NOTED, 10)
    box.setSpecialValueText("–")
    box.setSuffix(" / 10")
    box.setValue(NOT_NOTED)
    return box


class QuickLogDialog(QDialog):
    """Who, how, when, a note and how warm it felt. Enter saves."""

    def __init__(
        self,
        ops: DbWorker,
        parent: QWidget | None = None,
        person_id: int | None = None,
        *,
        interaction_id: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.ops = ops
        self.interaction_id = interaction_id
        self.saved_interaction_id: int | None = None
        editing = interaction_id is not None
        self.setWindowTitle(self.tr("Edit entry") if editing else self.tr("Log an interaction"))
        self.setMinimumWidth(460)

        self.person = PersonPicker(self, enter_commits=True)
        self.person.committed.connect(self._who_settled)
        self.names = self.person.model
        if not editing:
            # Everyone's names for the completer come in the background (thousands of people); the one
            # person the log is for, if any, is kept by id and shown as soon as the list arrives.
            ops.read(pick_rows, self.person.set_people)
        if person_id is not None:
            self.person.set_person(person_id)
            ops.read(
                lambda s: people_names(s, [person_id]).get(person_id, ""),
                lambda name: self._show_given(person_id, name),
                parent=self,
            )
        self.channel = QComboBox()
        for ch, label in CHANNEL_LABELS.items():
            self.channel.addItem(label, ch)
        self.channel.setCurrentIndex(self.channel.findData(Channel.COFFEE))
        self.when = moment_edit(WhenEdit(QDateTime.currentDateTime()))
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText(self.tr("What did you talk about? Anything to remember?"))
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(90)
        self.note.installEventFilter(self)  # Ctrl+Enter in the note saves (a plain Enter is a new line)
        self.warmth = QSpinBox()
        self.warmth.setRange(0, 5)
        self.warmth.setSpecialValueText(self.tr("not rated"))
        self.warmth.setSuffix(self.tr(" of 5"))

        # -- More
        self.more_toggle = QToolButton()
        self.more_toggle.setText(self.tr("&More"))
        self.more_toggle.setCheckable(True)
        self.more_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.more_toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.more_toggle.setAutoRaise(True)
        self.more_toggle.toggled.connect(self._toggle_more)
        self.energy_before = _energy_box()
        self.energy_after = _energy_box()
        energy = QHBoxLayout()
        energy.addWidget(self.energy_before)
        arrow = QLabel("→")
        energy.addWidget(arrow)
        energy.addWidget(self.energy_after)
        energy.addStretch(1)
        self.i_gave = QLineEdit()
        self.i_gave.setPlaceholderText(self.tr("an intro, a link, advice, thanks…"))
        self.they_gave = QLineEdit()
        self.promise_direction = QComboBox()
        self.promise_direction.addItem(self.tr("I'll…"), Direction.I_OWE)
        self.promise_direction.addItem(self.tr("They'll…"), Direction.THEY_OWE)
        self.promise = QLineEdit()
        self.promise.setPlaceholderText(self.tr("e.g. send the article"))
        self.promise_due_on = QCheckBox(self.tr("by"))
        self.promise_due = QDateEdit(QDate.currentDate().addDays(7))
        self.promise_due.setCalendarPopup(True)
        self.promise_due.setDisplayFormat("d MMM yyyy")
        self.promise_due.setEnabled(False)
        self.promise_due_on.toggled.connect(self.promise_due.setEnabled)
        promise = QHBoxLayout()
        promise.addWidget(self.promise_direction)
        promise.addWidget(self.promise, 1)
        due = QHBoxLayout()
        due.addWidget(self.promise_due_on)
        due.addWidget(self.promise_due)
        due.addStretch(1)
        self.awaiting = QCheckBox(self.tr("I'm waiting for their reply"))
        self.more = QWidget()
        mf = QFormLayout(self.more)
        mf.setContentsMargins(0, 0, 0, 0)
        mf.addRow(self.tr("Energy before → after"), energy)
        mf.addRow(self.tr("What I &gave"), self.i_gave)
        mf.addRow(self.tr("What they ga&ve"), self.they_gave)
        self.promise_label = QLabel(self.tr("A &promise"))
        self.promise_label.setBuddy(self.promise)
        mf.addRow(self.promise_label, promise)
        self.due_label = QLabel("")
        mf.addRow(self.due_label, due)
        mf.addRow("", self.awaiting)
        self.more.setVisible(False)

        self.notice = QLabel()
        self.notice.setObjectName("draftNotice")
        self.notice.setTextFormat(Qt.TextFormat.PlainText)
        self.notice.setWordWrap(True)
        self.notice.setVisible(False)
        self.error = QLabel()
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setWordWrap(True)
        # Under Who: the offer to add a name no one has yet.
        self.who_hint = QLabel()
        self.who_hint.setObjectName("whoHint")
        self.who_hint.setTextFormat(Qt.TextFormat.PlainText)
        self.who_hint.setWordWrap(True)
        self.who_hint.setVisible(False)
        self.add_person = QPushButton()
        self.add_person.setObjectName("addNewPerson")
        self.add_person.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Enter in Who does the same; one Tab stop less
        self.add_person.setVisible(False)
        self.add_person.clicked.connect(self.person.commit)
        self.person.hint.connect(self._show_who_hint)
        self.person.unknown_changed.connect(self._offer_new)
        hint_row = QHBoxLayout()
        hint_row.setContentsMargins(0, 0, 0, 0)
        hint_row.addWidget(self.who_hint, 1)
        hint_row.addWidget(self.add_person, 0, Qt.AlignmentFlag.AlignLeft)
        hint_row.addStretch(0)
        who = QVBoxLayout()
        who.setContentsMargins(0, 0, 0, 0)
        who.setSpacing(2)
        who.addWidget(self.person)
        who.addLayout(hint_row)
        form = QFormLayout()
        who_label = QLabel(self.tr("&Who"))
        who_label.setBuddy(self.person)
        form.addRow(who_label, who)
        form.addRow(self.tr("&How"), self.channel)
        form.addRow(self.tr("W&hen"), self.when)
        form.addRow(self.tr("&Note"), self.note)
        form.addRow(self.tr("W&armth"), self.warmth)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setDefault(True)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.notice)
        layout.addLayout(form)
        layout.addWidget(self.more_toggle, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.more)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

        self._existing: InteractionData | None = None
        self._saving = False
        self.keeper: DraftKeeper | None = None
        if editing:
            self._load_existing()
        else:
            self.keeper = DraftKeeper(ops, DRAFT_KEY, collect=self.form_values, parent=self)
            self.keeper.recover(self._recovered)
            self.keeper.watch(
                self.person.textChanged,
                self.note.textChanged,
                self.channel.currentIndexChanged,
                self.when.dateTimeChanged,
                self.warmth.valueChanged,
                self.i_gave.textChanged,
                self.they_gave.textChanged,
                self.promise.textChanged,
                self.awaiting.toggled,
                self.energy_before.valueChanged,
                self.energy_after.valueChanged,
            )
        (self.note if self.person.text() or self.person.person_id() is not None else self.person).setFocus()

    def show_notice(self, text: str, _msecs: int = 0) -> None:
        """A gentle line at the top of the dialog (e.g. that drafts cannot be kept just now)."""
        self.notice.setText(text)
        self.notice.setVisible(True)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.note
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            self.save()
            return True
        return super().eventFilter(watched, event)

    def _who_settled(self) -> None:
        self.error.clear()
        self.note.setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_who_hint(self, text: str) -> None:
        # Which namesake?: said under the form, since the list of them opens right under the field.
        self.error.setText(text)

    def _offer_new(self, name: str) -> None:
        # No one is called that: a new person, added when the entry is saved (after one confirmation).
        if self.person.isReadOnly():
            return
        self.add_person.setText(self.tr("Add '%s'…") % name)
        self.add_person.setVisible(bool(name))
        self.who_hint.setText(self.tr("No one by this name yet.") if name else "")
        self.who_hint.setVisible(bool(name))

    def _show_given(self, person_id: int, name: str) -> None:
        if self.person.person_id() == person_id and not self.person.text():
            self.person.set_person(person_id, name)
            self.note.setFocus()

    def _recovered(self, draft: dict[str, Any]) -> None:
        # The draft comes a moment after the dialog opens: never over what was typed meanwhile.
        if self.person.isModified() or self._typed_anything():
            return
        self.apply(draft)
        self.notice.setText(self.tr("Recovered what you were typing."))
        self.notice.setVisible(True)

    def _toggle_more(self, on: bool) -> None:
        self.more.setVisible(on)
        self.more_toggle.setArrowType(Qt.ArrowType.DownArrow if on else Qt.ArrowType.RightArrow)
        self.adjustSize()

    # -- the form as plain data (drafts) and back
    def form_values(self) -> dict[str, Any]:
        return {
            "person": self.person.text(),
            "person_id": self.person.person_id(),
            "channel": str(self.channel.currentData()),
            "when": to_datetime(self.when.dateTime()).isoformat(),
            "note": self.note.toPlainText(),
            "warmth": self.warmth.value(),
            "energy_before": self.energy_before.value(),
            "energy_after": self.energy_after.value(),
            "i_gave": self.i_gave.text(),
            "they_gave": self.they_gave.text(),
            "promise": self.promise.text(),
            "promise_direction": str(self.promise_direction.currentData()),
            "awaiting": self.awaiting.isChecked(),
        }

    def apply(self, v: dict[str, Any]) -> None:
        pid = v.get("person_id")
        if isinstance(pid, int) and not isinstance(pid, bool):
            self.person.set_person(pid, str(v.get("person", "")))
        else:
            self.person.setText(str(v.get("person", "")))
        idx = self.channel.findData(Channel(v["channel"])) if v.get("channel") in set(Channel) else -1
        if idx >= 0:
            self.channel.setCurrentIndex(idx)
        if v.get("when"):
            with contextlib.suppress(ValueError):
                self.when.setDateTime(qdatetime(datetime.fromisoformat(str(v["when"]))))
        self.note.setPlainText(str(v.get("note", "")))
        self.warmth.setValue(int(v.get("warmth") or 0))
        self.energy_before.setValue(int(v.get("energy_before", NOT_NOTED)))
        self.energy_after.setValue(int(v.get("energy_after", NOT_NOTED)))
        self.i_gave.setText(str(v.get("i_gave", "")))
        self.they_gave.setText(str(v.get("they_gave", "")))
        self.promise.setText(str(v.get("promise", "")))
        if v.get("promise_direction") == Direction.THEY_OWE.value:
            self.promise_direction.setCurrentIndex(1)
        self.awaiting.setChecked(bool(v.get("awaiting")))
        if any(v.get(k) for k in ("i_gave", "they_gave", "promise", "awaiting")) or any(
            int(v.get(k, NOT_NOTED)) != NOT_NOTED for k in ("energy_before", "energy_after")
        ):
            self.more_toggle.setChecked(True)

    def _load_existing(self) -> None:
        iid = self.interaction_id
        assert iid is not None

        def job(s: Session) -> tuple[InteractionData, list[str]]:
            it = get_interaction(s, iid)
            fields = InteractionData.__dataclass_fields__
            return InteractionData(**{k: getattr(it, k) for k in fields}), [p.name for p in it.people]

        self.save_button.setEnabled(False)  # until the entry is here: a save must not blank what was stored
        self.ops.read(job, self._show_existing, parent=self)

    def _show_existing(self, loaded: tuple[InteractionData, list[str]]) -> None:
        data, names = loaded
        self._existing = data
        self.save_button.setEnabled(True)
        self.person.setText(", ".join(names))
        self.person.setReadOnly(True)
        self.channel.setCurrentIndex(max(0, self.channel.findData(data.channel)))
        self.when.setDateTime(qdatetime(data.at.astimezone()))
        self.note.setPlainText(data.notes)
        self.warmth.setValue(data.warmth or 0)
        self.energy_before.setValue(NOT_NOTED if data.energy_before is None else data.energy_before)
        self.energy_after.setValue(NOT_NOTED if data.energy_after is None else data.energy_after)
        self.i_gave.setText(data.i_gave)
        self.they_gave.setText(data.they_gave)
        self.awaiting.setChecked(data.awaiting_reply)
        for w in (self.promise_label, self.promise_direction, self.promise, self.promise_due_on, self.promise_due):
            w.setVisible(False)  # promises are kept on the person's page; an edit doesn't add one
        if any((data.i_gave, data.they_gave, data.awaiting_reply)) or data.energy_before is not None:
            self.more_toggle.setChecked(True)

    def _typed_anything(self) -> bool:
        return bool(
            self.note.toPlainText().strip()
            or self.i_gave.text().strip()
            or self.they_gave.text().strip()
            or self.promise.text().strip()
        )

    # -- saving
    def _data(self) -> InteractionData:
        at = to_datetime(self.when.dateTime()).astimezone().astimezone(UTC)
        base = self._existing
        values: dict[str, Any] = dict(vars(base)) if base is not None else {}
        before, after = self.energy_before.value(), self.energy_after.value()
        values.update(
            at=at,
            channel=Channel(self.channel.currentData()),
            notes=self.note.toPlainText().strip(),
            warmth=self.warmth.value() or None,
            energy_before=None if before == NOT_NOTED else before,
            energy_after=None if after == NOT_NOTED else after,
            i_gave=self.i_gave.text().strip(),
            they_gave=self.they_gave.text().strip(),
            awaiting_reply=self.awaiting.isChecked(),
        )
        if self.awaiting.isChecked() and base is None:
            values["initiated_by_me"] = True
        return InteractionData(**values)

    def save(self, *, add_new: bool = False) -> None:
        if self._saving or not self.save_button.isEnabled():
            return  # a save is on its way, or the entry being edited is not loaded yet
        data = self._data()
        if self.interaction_id is not None:
            iid = self.interaction_id

            self._run(lambda s: update_interaction(s, iid, data, now=utcnow()).id)
            return
        name = self.person.text().strip()
        person_id = self.person.person_id()
        if not name and person_id is None:
            self.error.setText(self.tr("Who was it with? Type a name."))
            self.person.setFocus()
            return
        promise = self.promise.text().strip()
        direction = Direction(self.promise_direction.currentData())
        due = to_date(self.promise_due.date()) if self.promise_due_on.isChecked() else None

        def log(s: Session) -> int:
            # Picked from the list: by id. Typed: the core resolver, which never guesses.
            now = utcnow()
            pid = person_id if person_id is not None else _who(s, name, add_new, now)
            interaction = log_interaction(s, [pid], data, now=now)
            if promise:
                add_commitment(s, pid, direction, promise, now=now, due_on=due, interaction_id=interaction.id)
            return interaction.id

        self._run(log)

    def _run(self, change: Callable[[Session], int]) -> None:
        self._saving = True
        self.save_button.setEnabled(False)
        self.ops.write(change, self._saved, known(self._not_saved, first=self._save_ended), parent=self)

    def _saved(self, interaction_id: int) -> None:
        self._saving = False
        self.saved_interaction_id = interaction_id
        if self.keeper is not None:
            self.keeper.discard()
        self.accept()

    def _save_ended(self) -> None:
        self._saving = False
        self.save_button.setEnabled(True)

    def _not_saved(self, exc: NetjournalError) -> None:
        if isinstance(exc, UnknownName):
            if self._confirm_new_person(exc.name):
                self.save(add_new=True)
                return
            self.error.setText(self.tr("Not saved. Pick someone from the list, or save again to add %s.") % exc.name)
            self.person.setFocus()
            return
        self.error.setText(exc.message)  # e.g. no such person: say so and keep the text
        if isinstance(exc, AmbiguousPerson):  # namesakes: offer them to pick from
            self.person.show_candidates(exc.resolution.candidates)

    def reject(self) -> None:
        if self._saving:
            return  # the save decides: closing now would hide whether it was stored
        if self.keeper is not None:
            if self._typed_anything() and not self._confirm_discard():
                return
            self.keeper.discard()
        super().reject()

    def _confirm_new_person(self, name: str) -> bool:
        box = message_box(
            self,
            self.tr("Add a new person"),
            self.tr("%s is not in your journal yet. Add them and log this with them?") % name,
            icon=QMessageBox.Icon.Question,
            buttons=QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        )
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("&Add and log"))
        box.setDefaultButton(QMessageBox.StandardButton.Yes)  # one Enter
        return bool(box.exec() == QMessageBox.StandardButton.Yes)

    def _confirm_discard(self) -> bool:
        box = message_box(
            self,
            self.tr("Log an interaction"),
            self.tr("Discard what you typed?"),
            icon=QMessageBox.Icon.Question,
            buttons=QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
        )
        box.button(QMessageBox.StandardButton.Cancel).setText(self.tr("Keep writing"))
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        return bool(box.exec() == QMessageBox.StandardButton.Discard)


def _who(s: Session, name: str, add_new: bool, now: datetime) -> int:
    """The person a typed name means (core/journal.resolve's rules); a new one only when the user said so."""
    try:
        return resolve_person(s, name).id
    except AmbiguousPerson:
        raise
    except NotFoundError:
        if not _looks_like_a_name(name):
            raise
        if not add_new:
            raise UnknownName(" ".join(name.split())) from None
    return create_person(s, PersonData(name=" ".join(name.split())), now=now).id
