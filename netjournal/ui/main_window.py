"""The main window: a sidebar of sections beside the section's page.

Sections register themselves with `add_section`; only sections that exist are shown (no placeholder
screens). Each section is a plain QWidget that receives the services it needs, never the window.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QStatusBar,
    QWidget,
)


@dataclass
class Section:
    key: str
    title: str
    widget: QWidget
    shortcut: str | None = None


class MainWindow(QMainWindow):
    close_requested = Signal()  # the app decides: hide to tray, or quit

    def __init__(self, icon: QIcon | None = None) -> None:
        super().__init__()
        self.setWindowTitle(self.tr("netjournal"))
        if icon is not None:
            self.setWindowIcon(icon)
        self.resize(1100, 720)
        self.setMinimumSize(760, 480)
        self._sections: dict[str, Section] = {}
        self.hide_on_close = False

        central = QWidget(self)
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.sidebar = QListWidget(central)
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setFixedWidth(180)
        self.sidebar.setIconSize(QSize(20, 20))
        self.sidebar.setFrameShape(QListWidget.Shape.NoFrame)
        self.sidebar.setSpacing(2)
        # Roomy, calm navigation: padding and a soft selection that follows the palette.
        self.sidebar.setStyleSheet(
            "#sidebar { outline: 0; padding-top: 10px; background: palette(window);"
            " border-right: 1px solid palette(mid); }"
            "#sidebar::item { padding: 7px 14px; border-radius: 6px; margin: 0 8px; }"
            "#sidebar::item:selected { background: palette(highlight); color: palette(highlighted-text); }"
        )
        font = self.sidebar.font()
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.sidebar.setFont(font)
        self.stack = QStackedWidget(central)
        layout.addWidget(self.sidebar)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.sidebar.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.sidebar.currentRowChanged.connect(self._title_for_row)

        self.setStatusBar(QStatusBar(self))
        self.notice = QLabel(self)  # gentle in-window notices (used where there is no tray)
        self.notice.setTextFormat(Qt.TextFormat.PlainText)
        self.statusBar().addPermanentWidget(self.notice)

        self.menu_file = self.menuBar().addMenu(self.tr("&File"))
        self.menu_go = self.menuBar().addMenu(self.tr("&Go"))
        self.menu_help = self.menuBar().addMenu(self.tr("&Help"))
        self.action_quit = QAction(self.tr("&Quit"), self)
        self.action_quit.setShortcut(QKeySequence.StandardKey.Quit)
        self.action_close = QAction(self.tr("&Close window"), self)
        self.action_close.setShortcut(QKeySequence.StandardKey.Close)
        self.action_close.triggered.connect(self.close)

    def add_section(self, section: Section, icon: QIcon | None = None) -> None:
        self._sections[section.key] = section
        item = QListWidgetItem(section.title)
        if icon is not None:
            item.setIcon(icon)
        item.setData(Qt.ItemDataRole.UserRole, section.key)
        self.sidebar.addItem(item)
        self.stack.addWidget(section.widget)
        action = QAction(section.title, self)
        if section.shortcut:
            action.setShortcut(QKeySequence(section.shortcut))
        action.triggered.connect(lambda _=False, k=section.key: self.show_section(k))
        self.menu_go.addAction(action)
        if self.sidebar.currentRow() < 0:
            self.sidebar.setCurrentRow(0)

    def _title_for_row(self, row: int) -> None:
        # The title names the section ("People — netjournal" in the taskbar; Qt adds the app's name).
        item = self.sidebar.item(row)
        self.setWindowTitle(item.text() if item is not None else self.tr("netjournal"))

    def finish_menus(self) -> None:
        self.menu_file.addSeparator()
        self.menu_file.addAction(self.action_close)
        self.menu_file.addAction(self.action_quit)

    def section(self, key: str) -> QWidget:
        return self._sections[key].widget

    def has_section(self, key: str) -> bool:
        return key in self._sections

    def show_section(self, key: str) -> QWidget:
        widget = self._sections[key].widget
        self.sidebar.setCurrentRow(self.stack.indexOf(widget))
        return widget

    def bring_forward(self) -> None:
        self.show()
        self.setWindowState((self.windowState() & ~Qt.WindowState.WindowMinimized) | Qt.WindowState.WindowActive)
        self.raise_()
        self.activateWindow()

    def show_notice(self, text: str, msecs: int = 8000) -> None:
        self.statusBar().showMessage(text, msecs)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.hide_on_close:
            event.ignore()
            self.hide()
        else:
            event.accept()
        self.close_requested.emit()
