"""File → Protect with a passphrase… / Change passphrase… / Remove protection.

The conversion runs on the database worker (it owns the journal's connections), which closes them,
converts the file and every automatic copy (core/cipher.py) and opens the journal again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from netjournal.core import cipher, keystore
from netjournal.core.cipher import Conversion
from netjournal.core.db import Journal
from netjournal.core.errors import NetjournalError
from netjournal.ui import theme
from netjournal.ui.form_parts import for_once
from netjournal.ui.ops import known

if TYPE_CHECKING:
    from netjournal.app import NetjournalApp

WARNING = (
    "netjournal keeps no copy of your passphrase: if you forget it, nobody can open this journal again, "
    "and it cannot be recovered. Copies you exported or backed up elsewhere before now (JSON, CSV, vCard, "
    "Markdown, backup files) are not touched; delete them yourself if they should not stay readable."
)


def _password_field(name: str) -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setAccessibleName(name)
    return field


class PassphraseDialog(QDialog):
    """Asks for the current passphrase, a new one (twice), or both, and checks them before closing."""

    def __init__(
        self, parent: QWidget | None, *, title: str, intro: str, current: bool, new: bool, action: str
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        text = QLabel(intro)
        text.setWordWrap(True)
        text.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(text)
        form = QFormLayout()
        self.current = _password_field(self.tr("Current passphrase")) if current else None
        self.new = _password_field(self.tr("New passphrase")) if new else None
        self.again = _password_field(self.tr("New passphrase again")) if new else None
        if self.current is not None:
            form.addRow(self.tr("Current passphrase:"), self.current)
        if self.new is not None and self.again is not None:
            form.addRow(self.tr("New passphrase:"), self.new)
            form.addRow(self.tr("Once more:"), self.again)
        layout.addLayout(form)
        self.remember = QCheckBox(self.tr("Remember on this computer (in the system keyring)"))
        self.remember.setVisible(new and keystore.available())
        layout.addWidget(self.remember)
        self.problem = QLabel("")
        self.problem.setWordWrap(True)
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.addButton(action, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _check(self) -> None:
        if self.current is not None and not self.current.text():
            self.problem.setText(self.tr("Please type the current passphrase."))
            return
        if self.new is not None and self.again is not None:
            try:
                cipher.check_new_passphrase(self.new.text())
            except NetjournalError as exc:
                self.problem.setText(exc.message)
                return
            if self.new.text() != self.again.text():
                self.problem.setText(self.tr("The two new passphrases are not the same."))
                return
        self.accept()

    @property
    def old_passphrase(self) -> str | None:
        return self.current.text() if self.current is not None else None

    @property
    def new_passphrase(self) -> str | None:
        return self.new.text() if self.new is not None else None


class Protection:
    """The three File menu entries; only the ones that fit the journal's state are enabled."""

    def __init__(self, app: NetjournalApp) -> None:
        self.app = app
        window = app.window
        self.protect = QAction(theme.icon("lock"), window.tr("Protect with a &passphrase…"), window)
        self.change = QAction(window.tr("Change pass&phrase…"), window)
        self.remove = QAction(window.tr("Remove &protection…"), window)
        self.protect.triggered.connect(lambda: self.ask(current=False, new=True))
        self.change.triggered.connect(lambda: self.ask(current=True, new=True))
        self.remove.triggered.connect(lambda: self.ask(current=True, new=False))
        window.menu_file.addSeparator()
        for action in (self.protect, self.change, self.remove):
            window.menu_file.addAction(action)
        window.menu_file.aboutToShow.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        encrypted = self.app.journal.encrypted
        self.protect.setEnabled(not encrypted)
        self.change.setEnabled(encrypted)
        self.remove.setEnabled(encrypted)

    def ask(self, *, current: bool, new: bool) -> None:
        window = self.app.window
        if new and not current:
            title, action = window.tr("Protect with a passphrase"), window.tr("Protect")
            intro = window.tr("Everything in this journal will be encrypted on disk. ") + window.tr(WARNING)
        elif new:
            title, action = window.tr("Change passphrase"), window.tr("Change")
            intro = window.tr("The journal and its automatic backups will open with the new passphrase only.")
        else:
            title, action = window.tr("Remove protection"), window.tr("Remove protection")
            intro = window.tr(
                "The journal and its automatic backups will be stored as plain files again: anyone with this "
                "computer's files could read them."
            )
        with for_once(
            PassphraseDialog(window, title=title, intro=intro, current=current, new=new, action=action)
        ) as dialog:
            if not dialog.exec():
                return
            old, fresh, remember = dialog.old_passphrase, dialog.new_passphrase, dialog.remember.isChecked()
        window.show_notice(window.tr("Converting your journal…"), 60_000)

        def job(journal: Journal) -> Conversion:
            return journal.change_protection(old_passphrase=old, new_passphrase=fresh)

        def done(result: Conversion) -> None:
            data_dir = self.app.journal.data_dir
            if fresh is None:
                keystore.forget(data_dir)
            elif remember:
                keystore.remember(data_dir, fresh)
            elif keystore.recall(data_dir) is not None:
                keystore.remember(data_dir, fresh)  # a remembered passphrase follows the change
            if self.app.tray is not None:
                self.app.tray.private = result.encrypted
            self.refresh()
            if result.encrypted:
                window.show_notice(window.tr("Your journal is protected with your passphrase."))
            else:
                window.show_notice(window.tr("Your journal is no longer protected with a passphrase."))

        def failed(exc: NetjournalError) -> None:
            from netjournal.ui.messages import inform

            inform(window, exc.message)

        self.app.ops.run(job, done, known(failed, first=window.statusBar().clearMessage))


def install(app: NetjournalApp) -> None:
    app.protection = Protection(app)
