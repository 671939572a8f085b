"""The one person picker: a line edit that completes "Name · organisation" and keeps the chosen id.

Used wherever the window asks "who?" (quick log, Prepare, Reflect, the merge dialog), so namesakes are
told apart the same way everywhere and a choice is kept by id, never by name. Type part of a name,
pick with the arrow keys and Enter; typed text that was not picked is resolved by the core resolver
when saving (`netjournal.core.journal.resolve`), which never guesses between namesakes.
"""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget

from netjournal.core.identity import name_key
from netjournal.core.journal import Candidate
from netjournal.core.people_view import PickRow

PERSON_ID_ROLE = Qt.ItemDataRole.UserRole + 1


def labels(rows: list[PickRow]) -> list[str]:
    """ "Name · organisation" for each row; namesakes also get their e-mail, then their #id."""
    base = [" · ".join(x for x in (r.name, r.organisation) if x) for r in rows]
    seen = Counter(base)
    out = [b if seen[b] == 1 else " · ".join(x for x in (b, r.email) if x) for b, r in zip(base, rows, strict=True)]
    again = Counter(out)
    return [o if again[o] == 1 else f"{o} · #{r.id}" for o, r in zip(out, rows, strict=True)]


class PersonPicker(QLineEdit):
    """Who: completes from everyone's "Name · organisation" and remembers the id of the one picked."""

    person_changed = Signal()  # the chosen id changed (to a person or to none)

    def __init__(self, parent: QWidget | None = None, *, placeholder: str = "") -> None:
        super().__init__(parent)
        self.setPlaceholderText(placeholder or self.tr("Start typing a name"))
        self.model = QStandardItemModel(self)
        self._completer = QCompleter(self.model, self)
        self._completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self._completer.setCompletionRole(Qt.ItemDataRole.DisplayRole)
        self.setCompleter(self._completer)
        self._completer.activated[str].connect(self._picked)  # type: ignore[index]  # stubs: no overloaded signals
        self.textEdited.connect(self._edited)
        self._by_label: dict[str, int] = {}
        self._label_of: dict[int, str] = {}
        self._by_name: dict[str, list[int]] = {}
        self._rows: dict[int, PickRow] = {}
        self._id: int | None = None
        self._exclude: set[int] = set()

    # -- what the picker offers
    def set_people(self, rows: list[PickRow], *, exclude: set[int] | None = None) -> None:
        self._exclude = set(exclude or ())
        rows = [r for r in rows if r.id not in self._exclude]
        self._rows = {r.id: r for r in rows}
        self.model.clear()
        self._by_label, self._label_of, self._by_name = {}, {}, {}
        for row, label in zip(rows, labels(rows), strict=True):
            item = QStandardItem(label)
            item.setData(row.id, PERSON_ID_ROLE)
            item.setEditable(False)
            self.model.appendRow(item)
            self._by_label[label] = row.id
            self._label_of[row.id] = label
            self._by_name.setdefault(name_key(row.name), []).append(row.id)
        # Text typed before the list arrived may now name someone.
        if self._id is None and self.text().strip():
            self._match_text(self.text())
        elif self._id is not None and self._id in self._label_of and not self.isModified():
            self.setText(self._label_of[self._id])

    def label_for(self, person_id: int) -> str:
        return self._label_of.get(person_id, "")

    # -- the choice
    def person_id(self) -> int | None:
        return self._id

    def set_person(self, person_id: int | None, label: str = "") -> None:
        """Show a person chosen elsewhere (by id); `label` for someone not offered (e.g. in the trash)."""
        text = self._label_of.get(person_id, "") if person_id is not None else ""
        self.setText(text or label)
        self.setModified(False)
        self._set_id(person_id)

    def clear_person(self) -> None:
        self.set_person(None)

    def namesakes(self, text: str | None = None) -> list[int]:
        """The ids of everyone offered whose name is exactly the typed one (several: say which)."""
        return list(self._by_name.get(name_key(text if text is not None else self.text()), []))

    def show_candidates(self, candidates: tuple[Candidate, ...] | list[Candidate]) -> None:
        """Open the list on the people a typed name could mean, so one can be picked with the keys."""
        if not candidates:
            return
        self._completer.setCompletionPrefix(candidates[0].name)
        self._completer.complete()

    def _set_id(self, person_id: int | None) -> None:
        if person_id != self._id:
            self._id = person_id
            self.person_changed.emit()

    def _picked(self, label: str) -> None:
        pid = self._by_label.get(label)
        if pid is not None:
            self._set_id(pid)

    def _edited(self, text: str) -> None:
        self._match_text(text)

    def _match_text(self, text: str) -> None:
        t = text.strip()
        pid = self._by_label.get(t)
        if pid is None:
            same = self.namesakes(t)
            pid = same[0] if len(same) == 1 else None  # a unique exact name is a choice; namesakes are not
        self._set_id(pid)
