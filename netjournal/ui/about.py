"""Help > About: what netjournal is, its version, and where the data lives."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QLabel, QWidget

from netjournal import __version__
from netjournal.ui import theme
from netjournal.ui.form_parts import Buttons, column, dialog_buttons

if TYPE_CHECKING:
    from netjournal.app import NetjournalApp


class AboutDialog(QDialog):
    def __init__(self, data_folder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("About netjournal"))
        title = QLabel(self.tr("netjournal {0}").format(__version__))
        title.setTextFormat(Qt.TextFormat.PlainText)
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        title.setFont(font)
        self.body = QLabel(
            self.tr(
                "A self-help journal for people who find networking hard: prepare, reflect, and "
                "reconnect gently.\n\nYour data stays on this machine. Nothing is sent anywhere, unless you add a "
                "sync account: then contact cards (never your notes) go to that server only.\n\n"
                "Your journal is in:\n{0}\n\nQt {1}"
            ).format(data_folder, qVersion())
        )
        self.body.setTextFormat(Qt.TextFormat.PlainText)
        self.body.setWordWrap(True)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        column(self, title, self.body, dialog_buttons(self, Buttons.Close))
        self.setMinimumWidth(420)


def install(app: NetjournalApp) -> None:
    action = QAction(theme.icon("about"), app.tr("&About netjournal"), app.window)
    action.setMenuRole(QAction.MenuRole.AboutRole)

    def show() -> None:
        dialog = AboutDialog(str(app.journal.data_dir.root), app.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        app.about_dialog = dialog

    action.triggered.connect(show)
    app.window.menu_help.addAction(action)
    app.action_about = action
