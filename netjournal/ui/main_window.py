"""The main window: a sidebar of sections beside the section's page.

Sections register themselves with `add_section`; only sections that exist are shown (no placeholder
screens). Each section is a plain QWidget that receives the services it needs, never the window.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QIcon, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPlainTextEdit,
    QStackedWidget,
    QStatusBar,
    QTextEdit,
    QWidget,
)

from netjournal.ui import theme

NOTICE_MSECS = 8000  # a status-bar notice goes away by itself
NOTICE_MAX_MSECS = 60_000


@dataclass
class Section:
    key: str
    title: str
    widget: QWidget
    shortcut: str | None = None  # Ctrl+1..9 comes from the sidebar order; this is an extra one (Ctrl+Shift+F)


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
        self.sidebar.setAccessibleName(self.tr("Sections"))
        # Roomy, calm navigation: padding and a soft selection that follows the palette. With the keyboard
        # in the sidebar, the current item gets a ring (outline: 0 only hides Qt's dotted rectangle).
        self.sidebar.setStyleSheet(
            "#sidebar { outline: 0; padding-top: 10px; background: palette(window);"
            " border: none; border-right: 1px solid palette(mid); }"
            "#sidebar::item { padding: 7px 14px; border-radius: 6px; margin: 0 8px; border: 2px solid transparent; }"
            "#sidebar::item:selected { background: palette(highlight); color: palette(highlighted-text); }"
            "#sidebar::item:selected:focus { border: 2px solid palette(highlighted-text); }"
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

        self.menu_file = self.menuBar().addMenu(self.tr("&File"))
        self.menu_edit = self.menuBar().addMenu(self.tr("&Edit"))
        self.menu_go = self.menuBar().addMenu(self.tr("&Go"))
        self.menu_help = self.menuBar().addMenu(self.tr("&Help"))
        self.action_quit = QAction(theme.icon("quit"), self.tr("&Quit"), self)
        self.action_quit.setShortcut(QKeySequence.StandardKey.Quit)
        self.action_close = QAction(self.tr("&Close window"), self)
        self.action_close.setShortcut(QKeySequence.StandardKey.Close)
        self.action_close.triggered.connect(self.close)

        # Edit: Undo/Redo act on the text being typed; with no text to undo, Undo brings back the last delete
        # (the trash sets `undo_delete` while its Undo bar is shown).
        self.undo_delete: Callable[[], None] | None = None
        self.action_undo = QAction(theme.icon("undo"), self.tr("&Undo"), self)
        self.action_undo.setShortcut(QKeySequence(QKeySequence.StandardKey.Undo))
        self.action_undo.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.action_undo.triggered.connect(self.undo)
        self.action_redo = QAction(theme.icon("redo"), self.tr("&Redo"), self)
        self.action_redo.setShortcut(QKeySequence(QKeySequence.StandardKey.Redo))
        self.action_redo.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.action_redo.triggered.connect(self.redo)
        self.menu_edit.addAction(self.action_undo)
        self.menu_edit.addAction(self.action_redo)
        self.menu_edit.aboutToShow.connect(self.refresh_edit)
        focus_changed = getattr(QApplication.instance(), "focusChanged", None)
        if focus_changed is not None:
            focus_changed.connect(self._focus_changed)  # a method: disconnected when the window goes
        self.refresh_edit()

        self.action_shortcuts = QAction(theme.icon("keyboard"), self.tr("&Keyboard shortcuts"), self)
        self.action_shortcuts.setShortcut(QKeySequence(self.tr("Ctrl+/")))
        self.action_shortcuts.triggered.connect(self.show_shortcuts)
        self.menu_help.addAction(self.action_shortcuts)

    def add_section(self, section: Section, icon: QIcon | None = None) -> None:
        # Ctrl+1..9 follow the sidebar: the fourth section is Ctrl+4, whichever features are installed.
        row = self.sidebar.count()
        extra = section.shortcut if section.shortcut and not _is_number_key(section.shortcut) else None
        numbered = f"Ctrl+{row + 1}" if row < 9 else None
        section = replace(section, shortcut=numbered or extra)
        self._sections[section.key] = section
        item = QListWidgetItem(section.title)
        if icon is None and section.key in theme.icon_names():
            icon = theme.icon(section.key)
        if icon is not None:
            item.setIcon(icon)
        item.setData(Qt.ItemDataRole.UserRole, section.key)
        if section.shortcut:
            item.setToolTip(
                f"{section.title} ({QKeySequence(section.shortcut).toString(QKeySequence.SequenceFormat.NativeText)})"
            )
        self.sidebar.addItem(item)
        self.stack.addWidget(section.widget)
        action = QAction(section.title, self)
        if icon is not None:
            action.setIcon(icon)
        keys = [QKeySequence(k) for k in (numbered, extra) if k]
        action.setShortcuts(keys)
        action.triggered.connect(lambda _=False, k=section.key: self.show_section(k))
        self.menu_go.addAction(action)
        if self.sidebar.currentRow() < 0:
            self.sidebar.setCurrentRow(0)

    def sections(self) -> list[Section]:
        """The sections in sidebar order."""
        return list(self._sections.values())

    # ---------------------------------------------------------------------------------------- edit

    def _text_widget(self) -> QLineEdit | QTextEdit | QPlainTextEdit | None:
        focus = QApplication.focusWidget()
        if isinstance(focus, (QLineEdit, QTextEdit, QPlainTextEdit)) and self.isAncestorOf(focus):
            return focus
        return None

    @staticmethod
    def _can(widget: QLineEdit | QTextEdit | QPlainTextEdit | None, redo: bool) -> bool:
        if widget is None or widget.isReadOnly():
            return False
        if isinstance(widget, QLineEdit):
            return widget.isRedoAvailable() if redo else widget.isUndoAvailable()
        doc = widget.document()
        return doc.isRedoAvailable() if redo else doc.isUndoAvailable()

    def _focus_changed(self, _old: QWidget | None, _new: QWidget | None) -> None:
        self.refresh_edit()

    def refresh_edit(self) -> None:
        text = self._text_widget()
        typed = self._can(text, redo=False)
        self.action_undo.setText(
            self.tr("&Undo typing") if typed else self.tr("&Undo delete") if self.undo_delete else self.tr("&Undo")
        )
        self.action_undo.setEnabled(typed or self.undo_delete is not None)
        self.action_redo.setEnabled(self._can(text, redo=True))

    def undo(self) -> None:
        text = self._text_widget()
        if self._can(text, redo=False):
            assert text is not None
            text.undo()
        elif self.undo_delete is not None:
            self.undo_delete()
        self.refresh_edit()

    def redo(self) -> None:
        text = self._text_widget()
        if self._can(text, redo=True):
            assert text is not None
            text.redo()
        self.refresh_edit()

    def set_undo_delete(self, undo: Callable[[], None] | None) -> None:
        self.undo_delete = undo
        self.refresh_edit()

    # ----------------------------------------------------------------------------------- shortcuts

    def shortcut_rows(self) -> list[tuple[str, str, str]]:
        """(where, what, keys) for every shortcut, read from the real menus, actions, shortcuts and buttons.

        A QShortcut is listed when it says what it does (its whatsThis); a button with a shortcut by its text.
        """
        rows: list[tuple[str, str, str]] = []
        seen: set[tuple[str, str]] = set()

        def keys_text(keys: list[QKeySequence]) -> str:
            return ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in keys if not k.isEmpty())

        def add(where: str, what: str, keys: str) -> None:
            if keys and (what, keys) not in seen:
                seen.add((what, keys))
                rows.append((where, _plain(what), keys))

        def walk(where: str, actions: list[QAction]) -> None:
            for action in actions:
                sub = action.menu()
                if sub is not None and hasattr(sub, "actions"):
                    walk(where, sub.actions())
                elif not action.isSeparator():
                    add(where, action.text(), keys_text(action.shortcuts()))

        for top in self.menuBar().actions():
            menu = top.menu()
            if menu is not None and hasattr(menu, "actions"):
                walk(_plain(top.text()), menu.actions())
        walk(self.tr("Everywhere"), self.actions())
        for shortcut in self.findChildren(QShortcut):
            if shortcut.whatsThis():
                add(self._where(shortcut.parent()), shortcut.whatsThis(), keys_text(shortcut.keys()))
        for button in self.findChildren(QAbstractButton):
            if not button.shortcut().isEmpty() and button.text():
                add(self._where(button), button.text(), keys_text([button.shortcut()]))
        return rows

    def _where(self, obj: object) -> str:
        for section in self._sections.values():
            if isinstance(obj, QWidget) and (obj is section.widget or section.widget.isAncestorOf(obj)):
                return section.title
        return self.tr("Everywhere")

    def show_shortcuts(self) -> None:
        from netjournal.ui.shortcuts import ShortcutsDialog

        dialog = ShortcutsDialog(self.shortcut_rows(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.shortcuts_dialog = dialog
        dialog.open()

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

    def section_in_front(self) -> str | None:
        """The key of the section on screen; None while the window is hidden or has no section."""
        current = self.stack.currentWidget()
        if not self.isVisible() or current is None:
            return None
        return next((key for key, s in self._sections.items() if s.widget is current), None)

    def show_section(self, key: str) -> QWidget:
        widget = self._sections[key].widget
        self.sidebar.setCurrentRow(self.stack.indexOf(widget))
        return widget

    def bring_forward(self) -> None:
        self.show()
        self.setWindowState((self.windowState() & ~Qt.WindowState.WindowMinimized) | Qt.WindowState.WindowActive)
        self.raise_()
        self.activateWindow()

    def show_notice(self, text: str, msecs: int = NOTICE_MSECS) -> None:
        """A gentle status-bar notice that goes away by itself (never longer than a minute)."""
        msecs = NOTICE_MSECS if msecs <= 0 else min(msecs, NOTICE_MAX_MSECS)
        self.statusBar().showMessage(text, msecs)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.hide_on_close:
            event.ignore()
            self.hide()
        else:
            event.accept()
        self.close_requested.emit()


def _is_number_key(keys: str) -> bool:
    return keys.replace(" ", "").lower() in {f"ctrl+{n}" for n in range(10)}


def _plain(text: str) -> str:
    """A menu text without its mnemonic ('&Undo' -> 'Undo')."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip(".…").strip()
