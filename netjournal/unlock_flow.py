"""Opening a journal locked with a passphrase, at start-up: the passphrase file, the keyring, or a dialog."""

from __future__ import annotations

import argparse
import logging

from PySide6.QtWidgets import QWidget

from netjournal.core import cipher
from netjournal.core.errors import NetjournalError
from netjournal.core.paths import DataDir, passphrase_file

log = logging.getLogger(__name__)


def unlock(data_dir: DataDir, args: argparse.Namespace, window: QWidget) -> cipher.JournalKey | None:
    """The key of a locked journal: from --passphrase-file, the keyring (if the user chose to be
    remembered), else the unlock dialog. When started in the tray, the tray says it is locked first and
    shows no names until the journal is open."""
    from netjournal.core import keystore

    path = data_dir.database
    file = passphrase_file(args)
    if file:
        try:
            return cipher.key_for(path, cipher.read_passphrase_file(file))
        except NetjournalError as exc:
            log.info("passphrase file not used: %s", type(exc).__name__)
    remembered = keystore.recall(data_dir)
    if remembered:
        try:
            return cipher.key_for(path, remembered)
        except cipher.WrongPassphraseError:
            log.info("the remembered passphrase no longer opens the journal")
    if args.smoke:
        return None
    from netjournal.ui.tray import Tray

    if args.minimized and Tray.available() and not _wait_for_unlock_in_tray():
        return None
    from netjournal.ui.unlock import UnlockDialog

    dialog = UnlockDialog(
        data_dir,
        lambda text: cipher.key_for(path, text),
        can_remember=keystore.available(),
        parent=window if window.isVisible() else None,
    )
    if not dialog.exec() or dialog.key is None:
        return None
    if dialog.remember.isChecked():
        keystore.remember(data_dir, dialog.passphrase)
    return dialog.key


def _wait_for_unlock_in_tray() -> bool:
    """Started at login with a locked journal: a tray icon that says so, until Unlock… or Quit."""
    from PySide6.QtCore import QEventLoop

    from netjournal.ui.theme import app_icon
    from netjournal.ui.tray import Tray

    tray = Tray(app_icon(), locked=True)
    loop = QEventLoop()
    chosen: list[bool] = []
    tray.open_requested.connect(lambda: chosen.append(True))
    tray.quit_requested.connect(lambda: chosen.append(False))
    tray.open_requested.connect(loop.quit)
    tray.quit_requested.connect(loop.quit)
    tray.show()
    loop.exec()
    tray.hide()
    return bool(chosen and chosen[0])
