"""The system tray icon and its menu, and notifications with a fallback where there is no tray."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

MenuFiller = Callable[[QMenu], None]


class Tray(QObject):
    """Owns the tray icon; the menu is rebuilt each time it opens so it is never stale."""

    open_requested = Signal()
    quick_log_requested = Signal()
    quit_requested = Signal()

    def __init__(self, icon: QIcon, parent: QObject | None = None, *, locked: bool = False) -> None:
        super().__init__(parent)
        # A locked journal (started at login, passphrase not remembered) shows no names until unlocked.
        self.locked = locked
        # An encrypted journal's notifications name nobody (they can show on a lock screen).
        self.private = False
        self.icon = QSystemTrayIcon(icon, self)
        self.icon.setToolTip(self.tr("netjournal is locked") if locked else "netjournal")
        self.menu = QMenu()
        self.menu.aboutToShow.connect(self._rebuild)
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._activated)
        # Other parts (suggestions, prepare) add their entries through these fillers.
        self.fillers: list[MenuFiller] = []
        self._rebuild()

    @staticmethod
    def available() -> bool:
        return QSystemTrayIcon.isSystemTrayAvailable()

    def show(self) -> None:
        self.icon.show()

    def hide(self) -> None:
        self.icon.hide()

    def _rebuild(self) -> None:
        self.menu.clear()
        if self.locked:
            self.menu.addAction(self.tr("netjournal is locked")).setEnabled(False)
            self._add(self.tr("Unlock…"), self.open_requested.emit)
            self.menu.addSeparator()
            self._add(self.tr("Quit"), self.quit_requested.emit)
            return
        for fill in self.fillers:
            fill(self.menu)
        if self.fillers:
            self.menu.addSeparator()
        self._add(self.tr("Quick log…"), self.quick_log_requested.emit)
        self._add(self.tr("Open netjournal"), self.open_requested.emit)
        self.menu.addSeparator()
        self._add(self.tr("Quit"), self.quit_requested.emit)

    def _add(self, text: str, slot: Callable[[], None]) -> QAction:
        action = self.menu.addAction(text)
        action.triggered.connect(slot)
        return action

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger, QSystemTrayIcon.ActivationReason.DoubleClick):
            self.open_requested.emit()

    def notify(self, title: str, text: str) -> None:
        if self.private:
            title, text = "netjournal", self.tr("A gentle suggestion is waiting for you in netjournal.")
        # showMessage treats text as plain text on every platform Qt supports.
        self.icon.showMessage(title, text, QSystemTrayIcon.MessageIcon.NoIcon, 10_000)
