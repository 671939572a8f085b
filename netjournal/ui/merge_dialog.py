"""Merge two entries that are the same person: everything of the other moves to the one you keep."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from netjournal.core.clock import utcnow
from netjournal.core.errors import NetjournalError, ValidationError
from netjournal.core.journal import AmbiguousPerson, get_person, resolve_person
from netjournal.core.merge import MergeResult, merge_candidates, merge_people
from netjournal.core.people_view import pick_rows
from netjournal.ui.ops import DbWorker, known
from netjournal.ui.person_picker import PERSON_ID_ROLE, PersonPicker

if TYPE_CHECKING:
    from netjournal.core.db import Session

NAME_ROLE = PERSON_ID_ROLE + 1


def _plain(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


class MergeDialog(QDialog):
    """Pick the other entry (suggestions first: same email, phone or name), then merge."""

    def __init__(self, ops: DbWorker, keep_id: int, keep_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops, self.keep_id, self.keep_name = ops, keep_id, keep_name
        self.result_info: MergeResult | None = None
        self.merged_name = ""
        self._merging = False
        self.setWindowTitle(self.tr("Merge with someone else"))
        self.setMinimumWidth(460)
        intro = _plain(
            self.tr(
                "If {0} is in your journal twice, pick the other entry. Everything logged with it "
                "(meetings, promises, notes, contact details, tags, dates) moves to {0}; the empty "
                "entry goes to the trash."
            ).format(keep_name)
        )
        self.suggest_label = _plain(self.tr("Maybe the same person:"))
        self.suggestions = QListWidget()
        self.suggestions.setMaximumHeight(110)
        self.suggestions.itemClicked.connect(self._suggestion_picked)
        self.suggestions.itemActivated.connect(self._suggestion_picked)
        self.other = PersonPicker(self, placeholder=self.tr("Start typing the other entry's name"))
        self.names = self.other.model
        self.error = _plain()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.merge_button = buttons.addButton(self.tr("&Merge"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.merge_button.setDefault(True)
        buttons.accepted.connect(self.merge)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.suggest_label)
        layout.addWidget(self.suggestions)
        layout.addWidget(self.other)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.suggest_label.hide()
        self.suggestions.hide()
        ops.read(pick_rows, lambda rows: self.other.set_people(rows, exclude={keep_id}))
        ops.read(lambda s: [(p.id, p.name, p.organisation) for p in merge_candidates(s, keep_id)], self._set_candidates)

    def _set_candidates(self, candidates: list[tuple[int, str, str]]) -> None:
        for pid, name, org in candidates:
            item = QListWidgetItem(f"{name}  ·  {org}" if org else name)
            item.setData(PERSON_ID_ROLE, pid)
            item.setData(NAME_ROLE, name)
            self.suggestions.addItem(item)
        self.suggest_label.setVisible(bool(candidates))
        self.suggestions.setVisible(bool(candidates))

    def _suggestion_picked(self, item: QListWidgetItem) -> None:
        self.other.set_person(item.data(PERSON_ID_ROLE), item.data(NAME_ROLE))  # by id, not by its name

    def merge(self) -> None:
        if self._merging:
            return  # one merge at a time: the first one decides
        name = self.other.text().strip()
        other_id = self.other.person_id()
        if other_id is None and not name:
            self.error.setText(self.tr("Pick the other entry from the suggestions or by its name."))
            return
        keep_id = self.keep_id

        def job(s: Session) -> tuple[MergeResult, str]:
            pid = other_id
            if pid is None:  # typed, not picked: the core resolver, which never guesses
                pid = resolve_person(s, name).id
            if pid == keep_id:
                raise ValidationError(f"{name!r} is the entry you are keeping; pick the other one.")
            merged = get_person(s, pid).name
            return merge_people(s, keep_id, pid, utcnow()), merged

        def done(result: tuple[MergeResult, str]) -> None:
            self._merging = False
            self.result_info, self.merged_name = result
            self.accept()

        def failed(exc: NetjournalError) -> None:
            self._merging = False
            self.error.setText(exc.message)
            if isinstance(exc, AmbiguousPerson):
                self.other.show_candidates(exc.resolution.candidates)

        self._merging = True
        self.ops.write(job, done, known(failed), parent=self)
