"""Merge two entries that are the same person: everything of the other moves to the one you keep."""

from __future__ import annotations

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtWidgets import (
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from netjournal.core.clock import utcnow
from netjournal.core.db import Journal
from netjournal.core.errors import NetjournalError
from netjournal.core.merge import MergeResult, merge_candidates, merge_people
from netjournal.ui.ops import DbWorker
from netjournal.ui.people_model import load_names


def _plain(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


def find_candidates(journal: Journal, person_id: int) -> list[tuple[int, str, str]]:
    with journal.read() as s:
        return [(p.id, p.name, p.organisation) for p in merge_candidates(s, person_id)]


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
        self.suggestions.itemClicked.connect(lambda item: self.other.setText(item.text().split("  ·  ")[0]))
        self.other = QLineEdit()
        self.other.setPlaceholderText(self.tr("Start typing the other entry's name"))
        self.names = QStringListModel(self)
        completer = QCompleter(self.names, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.other.setCompleter(completer)
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
        self._ids: dict[str, int] = {}
        self._suggested: dict[str, int] = {}
        self.suggest_label.hide()
        self.suggestions.hide()
        ops.run(load_names, self._set_names)
        ops.run(lambda j: find_candidates(j, keep_id), self._set_candidates)

    def _set_names(self, names: list[tuple[int, str]]) -> None:
        self._ids = {name: pid for pid, name in names if pid != self.keep_id}
        self.names.setStringList(list(self._ids))

    def _set_candidates(self, candidates: list[tuple[int, str, str]]) -> None:
        for pid, name, org in candidates:
            item = QListWidgetItem(f"{name}  ·  {org}" if org else name)
            self._suggested[name] = pid
            self.suggestions.addItem(item)
        self.suggest_label.setVisible(bool(candidates))
        self.suggestions.setVisible(bool(candidates))

    def merge(self) -> None:
        if self._merging:
            return  # one merge at a time: the first one decides
        name = self.other.text().strip()
        other_id = self._suggested.get(name) or self._ids.get(name)
        if other_id is None:
            matches = [n for n in self._ids if n.casefold() == name.casefold()]
            other_id = self._ids[matches[0]] if len(matches) == 1 else None
        if other_id is None:
            self.error.setText(
                self.tr("Pick the other entry from the suggestions or by its name.")
                if not name
                else self.tr("No one else called {0!r} is in the journal.").format(name)
            )
            return
        keep_id = self.keep_id

        def done(result: MergeResult) -> None:
            self._merging = False
            self.result_info = result
            self.merged_name = name
            self.accept()

        def failed(exc: BaseException) -> None:
            self._merging = False
            if not isinstance(exc, NetjournalError):
                raise exc
            self.error.setText(exc.message)

        self._merging = True
        self.ops.write(lambda s: merge_people(s, keep_id, other_id, utcnow()), done, failed, parent=self)
