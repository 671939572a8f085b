"""Asking for the passphrase of a locked journal: a calm dialog, three tries, never a lockout.

Stretching the passphrase takes a few hundred milliseconds, so it runs on a plain Python thread that
touches no Qt object; the dialog polls for the answer with a timer on the GUI thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from netjournal.core.cipher import JournalKey, WrongPassphraseError
from netjournal.core.paths import DataDir

TRIES = 3


class UnlockDialog(QDialog):
    """Asks for the passphrase until it opens the journal (then `key` is set) or three tries are used."""

    def __init__(
        self,
        data_dir: DataDir,
        check: Callable[[str], JournalKey],
        *,
        can_remember: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Unlock your journal"))
        self.setModal(True)
        self._check = check
        self.key: JournalKey | None = None
        self.passphrase = ""
        self.tries = 0
        self._result: JournalKey | BaseException | None = None
        self._worker: threading.Thread | None = None

        intro = QLabel(self.tr("Your journal is protected with a passphrase. Type it to open the journal in:"))
        intro.setWordWrap(True)
        folder = QLabel(str(data_dir.root))
        folder.setTextFormat(Qt.TextFormat.PlainText)
        folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        folder.setWordWrap(True)
        self.field = QLineEdit()
        self.field.setEchoMode(QLineEdit.EchoMode.Password)
        self.field.setAccessibleName(self.tr("Passphrase"))
        self.field.setPlaceholderText(self.tr("Passphrase"))
        self.remember = QCheckBox(self.tr("Remember on this computer"))
        self.remember.setVisible(can_remember)
        remember_note = QLabel(
            self.tr(
                "The passphrase is then kept in this computer's keyring, and anyone who can log in as you "
                "can open the journal without typing it. Reminders at login need this."
            )
        )
        remember_note.setWordWrap(True)
        remember_note.setVisible(can_remember)
        remember_note.setEnabled(False)
        self.status = QLabel("")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox()
        self.unlock_button = self.buttons.addButton(self.tr("Unlock"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.tr("Quit"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self._try)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        for w in (intro, folder, self.field, self.remember, remember_note, self.status, self.buttons):
            layout.addWidget(w)
        self.setMinimumWidth(420)
        self._poll = QTimer(self)
        self._poll.setInterval(20)
        self._poll.timeout.connect(self._collect)

    def busy(self) -> bool:
        """True while a passphrase is being checked."""
        return self._worker is not None

    def _try(self) -> None:
        if self._worker is not None or not self.field.text():
            return
        text = self.field.text()
        self.unlock_button.setEnabled(False)
        self.field.setEnabled(False)
        self.status.setText(self.tr("Opening…"))

        def work() -> None:
            try:
                self._result = self._check(text)
            except BaseException as exc:  # delivered to the GUI thread by _collect
                self._result = exc

        self._result = None
        self._worker = threading.Thread(target=work, name="netjournal-unlock", daemon=True)
        self._worker.start()
        self._poll.start()

    def _collect(self) -> None:
        if self._worker is None or self._worker.is_alive():
            return
        self._poll.stop()
        self._worker = None
        result = self._result
        self.field.setEnabled(True)
        self.unlock_button.setEnabled(True)
        if isinstance(result, JournalKey):
            self.key = result
            self.passphrase = self.field.text()
            self.accept()
            return
        if not isinstance(result, WrongPassphraseError):
            self.status.setText(str(result))
            return
        self.tries += 1
        self.field.clear()
        self.field.setFocus()
        if self.tries >= TRIES:
            self.status.setText(
                self.tr(
                    "That passphrase did not open the journal three times, so netjournal will close now. "
                    "Nothing was changed. Start netjournal again whenever you like to try once more."
                )
            )
            self.unlock_button.setEnabled(False)
            self.field.setEnabled(False)
            return
        left = TRIES - self.tries
        self.status.setText(
            self.tr("That passphrase does not open this journal. Please try again ({n} more tries).").format(n=left)
            if left > 1
            else self.tr("That passphrase does not open this journal. Please try once more.")
        )
