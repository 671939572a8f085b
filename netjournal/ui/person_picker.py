"""The one person picker: a line edit that completes "Name · organisation" and keeps the chosen id.

Used wherever the window asks "who?" (quick log, Prepare, Reflect, the merge dialog), so namesakes are
told apart the same way everywhere and a choice is kept by id, never by name. Type part of a name and
Enter takes the top match (or pick with the arrow keys); when the top match has a namesake in the list,
Enter takes no one and asks which. Typed text that was not picked is resolved by the core resolver when
saving (`netjournal.core.journal.resolve`), which never guesses between namesakes either. While the list
is open, Alt+letter still reaches the dialog's labelled fields (Qt's popup would swallow it).
"""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import QEvent, QKeyCombination, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractButton, QCompleter, QLabel, QLineEdit, QWidget

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
    committed = Signal()  # Enter (or Tab) settled the typed text: a person, or a name no one has yet
    hint = Signal(str)  # a line for the user: which namesake?, or "" when there is nothing to say
    unknown_changed = Signal(str)  # the typed name matches no one offered ("" once it does, or is empty)

    def __init__(self, parent: QWidget | None = None, *, placeholder: str = "", enter_commits: bool = False) -> None:
        super().__init__(parent)
        # Quick log: Enter in the field settles the name and moves on instead of pressing the default button.
        self.enter_commits = enter_commits
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
        self._loaded = False
        self._unknown = ""
        # After the completer's own filter (filters run last-installed first): Enter with nothing
        # highlighted, and Alt+letter, are ours.
        popup = self._completer.popup()
        assert popup is not None  # a QCompleter always has its list view
        popup.installEventFilter(self)

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
        self._loaded = True
        # Text typed before the list arrived may now name someone: match it, and open the list on it
        # as typing would have (a fast typist's Enter then takes what the list shows).
        if self._id is None and self.text().strip():
            self._match_text(self.text())
            if self.hasFocus() and self.isModified() and not self.isReadOnly():
                self._completer.setCompletionPrefix(self.text())
                self._completer.complete()
            self._note_unknown()
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
        self.hint.emit("")
        self._note_unknown()

    # -- Enter: the top match, unless it has a namesake in the list
    def unknown_name(self) -> str:
        """The typed name when it matches no one offered (a new person, if the user says so)."""
        return self._unknown

    def _note_unknown(self) -> None:
        t = " ".join(self.text().split())
        if t and self._loaded and self._id is None:
            self._completer.setCompletionPrefix(self.text())
        unknown = t if t and self._loaded and self._id is None and not self._completer.completionCount() else ""
        if unknown != self._unknown:
            self._unknown = unknown
            self.unknown_changed.emit(unknown)

    def _matches(self) -> list[int]:
        """The ids the list shows for the typed text, top first."""
        text = self.text().strip()
        if not text:
            return []
        self._completer.setCompletionPrefix(self.text())
        cm = self._completer.completionModel()
        ids = (cm.index(r, 0).data(PERSON_ID_ROLE) for r in range(cm.rowCount()))
        return [i for i in ids if isinstance(i, int)]

    def commit(self) -> bool:
        """Settle the typed text as Enter does: True when it names one person, or no one offered (a new name)."""
        if self._id is not None:
            self.committed.emit()
            return True
        text = self.text().strip()
        if not text:
            return False
        same = self.namesakes(text)
        matches = self._matches()
        if not same and matches:
            top = self._rows[matches[0]]
            same = [i for i in matches if name_key(self._rows[i].name) == name_key(top.name)]
            if len(same) == 1:
                self.set_person(top.id)
                self.hint.emit("")
                self.committed.emit()
                return True
        if len(same) > 1:
            # Namesakes: never a guess. Open the list on them and say how to choose.
            name = self._rows[same[0]].name
            self._completer.setCompletionPrefix(name)
            self._completer.complete()
            self.hint.emit(self.tr("%d people are called %s: pick one with ↓ and Enter.") % (len(same), name))
            return False
        self._note_unknown()
        self.committed.emit()  # nobody offered has this name (or the list is still coming): saving decides
        return True

    def keyPressEvent(self, event: QKeyEvent) -> None:
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ctrl = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        popup = self._completer.popup()
        if self.enter_commits and enter and not ctrl and not (popup is not None and popup.isVisible()):
            self.commit()
            event.accept()
            return
        super().keyPressEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        popup = self._completer.popup()
        if (
            watched is popup
            and event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.modifiers() & Qt.KeyboardModifier.AltModifier
            and Qt.Key.Key_A <= event.key() <= Qt.Key.Key_Z
        ):
            popup.hide()  # a dialog's Alt+letter that reaches the shortcut map: settle the name first
            self.commit()
            return False
        if watched is popup and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key, mods = event.key(), event.modifiers()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not popup.currentIndex().isValid():
                popup.hide()
                self.commit()
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab) and popup.currentIndex().isValid():
                label = popup.currentIndex().data(Qt.ItemDataRole.DisplayRole)
                popup.hide()
                self.setText(str(label))
                self._picked(str(label))
                self.hint.emit("")
                self._note_unknown()
                self.committed.emit()
                if key == Qt.Key.Key_Tab:
                    self.focusNextChild()
                return True
            if key == Qt.Key.Key_Tab:
                popup.hide()
                self.commit()
                self.focusNextChild()
                return True
            if mods & Qt.KeyboardModifier.AltModifier and Qt.Key.Key_A <= key <= Qt.Key.Key_Z:
                popup.hide()
                self.commit()
                return _press_mnemonic(self.window(), QKeySequence(QKeyCombination(mods, Qt.Key(key))))
        return super().eventFilter(watched, event)

    def _match_text(self, text: str) -> None:
        t = text.strip()
        pid = self._by_label.get(t)
        if pid is None:
            same = self.namesakes(t)
            pid = same[0] if len(same) == 1 else None  # a unique exact name is a choice; namesakes are not
        self._set_id(pid)


def _press_mnemonic(window: QWidget, keys: QKeySequence) -> bool:
    """Do what Alt+letter does in `window` (a label's buddy gets the focus, a button is clicked)."""
    for label in window.findChildren(QLabel):
        buddy = label.buddy()
        if buddy is not None and label.isVisible() and QKeySequence.mnemonic(label.text()) == keys:
            buddy.setFocus(Qt.FocusReason.ShortcutFocusReason)
            return True
    for button in window.findChildren(QAbstractButton):
        if button.isVisible() and button.isEnabled() and QKeySequence.mnemonic(button.text()) == keys:
            button.animateClick()
            return True
    return False
