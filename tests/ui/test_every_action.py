"""Every action a user can reach, triggered once on a small real journal, with no error.

The walk finds what to trigger by itself (findChildren), so a new button, menu entry or dialog is covered
without touching this file: every section (and each of its tabs), every enabled button in it, the context
menu of every list row it shows, every menu-bar and tray entry, and inside every dialog these open,
every button (re-opening the dialog until each was pressed once, so both accepting and cancelling are
tried). Modal dialogs, menus and file/print/input dialogs never block: their exec() and the static
getters are replaced by the walker, which answers as a user would. The test fails on any exception
(the app's crash handler would show the crash dialog; here the dialog is caught and fails the walk), on
any Qt warning (qt_log_level_fail), and if the walk stops finding things (the counts at the end).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer
from PySide6.QtGui import QAction, QContextMenuEvent
from PySide6.QtPrintSupport import QPageSetupDialog, QPrintDialog
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QInputDialog,
    QLineEdit,
    QMenu,
    QMessageBox,
    QSystemTrayIcon,
    QTabWidget,
    QWidget,
)

from netjournal.app import NetjournalApp
from netjournal.core import ladder, prep
from netjournal.core import reflections as rf
from netjournal.core.clock import utcnow
from netjournal.core.journal import add_commitment
from netjournal.core.models import Direction, InteractionState
from netjournal.ui.crash import CrashDialog
from netjournal.ui.today import SuggestionCard
from netjournal.ui.tray import Tray
from tests.factories import meeting, person
from tests.qt_support import wait_idle

# What the walk leaves alone, by visible text (mnemonics removed), and why.
SKIPPED = {
    "Quit": "quits the application the walk runs in (the desktop tier quits and starts again)",
    "Close window": "triggered once at the very end, then the tray brings the window back",
}
DIGEST_DAY = datetime(2026, 3, 16, 10, 30, tzinfo=UTC)  # a Monday morning: Today gets its suggestions
MAX_OPENINGS = 10  # re-open a dialog or menu at most this often to reach each of its buttons


def plain(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").strip()


def alive(obj: object) -> bool:
    return obj is not None and shiboken6.isValid(obj)


def seed(journal) -> None:
    now = utcnow()
    with journal.session() as s:
        priya = person(s, "Priya Raman", now, organisation="Northwind", circle=15, tags=["python"])
        kwame = person(s, "Kwame Mensah", now, circle=50)
        person(s, "Noor Haddad", now)
        for i, name in enumerate(("Ada Okafor", "Ben Tran", "Cai Wen", "Dara Quinn", "Eli Moss")):
            due = person(s, name, DIGEST_DAY - timedelta(days=400), circle=50)
            meeting(s, due, DIGEST_DAY, days_ago=300 + i, warmth=5)  # due: the weekly digest suggests them
        meeting(s, priya, now, days_ago=9, notes="Half marathon training")
        meeting(s, kwame, now, days_ago=300, notes="Climate roles", awaiting_reply=True, initiated_by_me=True)
        planned = meeting(s, priya, now, days_ago=-1, state=InteractionState.PLANNED, title="Coffee at Luna")
        add_commitment(s, priya.id, Direction.I_OWE, "send the article on feedback", now=now)
        add_commitment(s, kwame.id, Direction.THEY_OWE, "an intro to the hiring lead", now=now + timedelta(0))
        prep.create_plan(s, prep.PlanData(person_id=priya.id, meeting_id=planned.id, title="Coffee at Luna"), now=now)
        rf.save_reflection(s, rf.DiscomfortForm(situation="Design meetup alone"), now=now, draft=True)
        ladder.create_starter_ladder(s, now=now)


class Walker:
    """Triggers things and answers the dialogs and menus they open; remembers what it pressed."""

    def __init__(self, qtbot, app: NetjournalApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.qtbot, self.app, self.tmp = qtbot, app, tmp_path
        self.pressed: set[str] = set()  # keys of buttons and actions triggered
        self.seen: set[str] = set()  # keys of everything found
        self.dialogs: set[str] = set()
        self.crashes: list[str] = []
        self.handled: set[int] = set()  # ids of non-modal dialogs already walked
        self.answers: dict[str, int] = {}
        self.opened: list[str] = []  # every dialog and menu opened, in order
        self.contents: dict[str, set[str]] = {}  # what each dialog or menu holds
        self.refill: dict[str, Callable[[], None]] = {}  # section: how to get more of what acting used up
        self.reopen: dict[str, set[str]] = {}  # a context-menu entry: the dialogs it opened
        self.order: list[str] = []  # what was triggered, in order (printed when the walk fails)
        self._install(monkeypatch)

    # -- answering what would block
    def _install(self, mp: pytest.MonkeyPatch) -> None:
        walker = self
        for cls in (QDialog, QMessageBox, QInputDialog, QFileDialog, QPrintDialog, QPageSetupDialog):
            mp.setattr(cls, "exec", lambda dialog, *a: walker.run_dialog(dialog))
        # QMenu.exec cannot be replaced from Python (shiboken resolves it past the class attribute), so a
        # menu that opens is answered from inside its own loop, as soon as it is shown.
        self._menus = _MenuAnswerer(self)
        QApplication.instance().installEventFilter(self._menus)
        self.uninstall = lambda: QApplication.instance().removeEventFilter(self._menus)
        files = self.tmp / "files"
        files.mkdir()
        card = files / "walk.vcf"
        card.write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Walk Imported\r\nEMAIL:walk@example.org\r\nEND:VCARD\r\n")

        def save_name(*args, **kw):
            return (str(files / f"saved-{len(walker.answers)}.out"), "") if walker.answer("save") else ("", "")

        mp.setattr(QFileDialog, "getSaveFileName", save_name)
        mp.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(card)] if self.answer("open") else [], ""))
        mp.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(card) if self.answer("open1") else "", ""))
        mp.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(files) if self.answer("dir") else "")

        def typed(what: str) -> Callable[..., tuple[str, bool]]:
            return lambda *a, **k: ("Walked through", True) if self.answer(what) else ("", False)

        mp.setattr(QInputDialog, "getMultiLineText", typed("mtext"))
        mp.setattr(QInputDialog, "getText", typed("text"))

    def answer(self, what: str) -> bool:
        """Alternately yes and no, so both the accepted and the cancelled path run."""
        n = self.answers.get(what, 0)
        self.answers[what] = n + 1
        return n % 2 == 0

    def run_dialog(self, dialog: QDialog) -> int:
        if isinstance(dialog, CrashDialog):
            self.crashes.append(dialog.report.toPlainText())
            return int(QDialog.DialogCode.Rejected)
        if isinstance(dialog, QPrintDialog | QPageSetupDialog | QFileDialog):  # Qt's own: answer, don't explore
            if isinstance(dialog, QPrintDialog):  # a "printer" that writes a PDF
                dialog.printer().setOutputFileName(str(self.tmp / "printed.pdf"))
            code = QDialog.DialogCode.Accepted if self.answer(type(dialog).__name__) else QDialog.DialogCode.Rejected
            return int(code)
        dialog.show()
        self.walk_dialog(dialog)
        return dialog.result() if alive(dialog) else 0

    def answer_menu(self, menu: QMenu) -> None:
        """A context menu is open (in its own exec loop): close it and trigger one entry not tried yet."""
        if not alive(menu):
            return
        key = f"menu:{menu.title() or type(menu.parent()).__name__}"
        self.opened.append(key)
        entries = self._menu_actions(menu, key)
        self.contents.setdefault(key, set()).update(k for k, _ in entries)
        # An entry whose dialog still has buttons not pressed comes again; then the entries not tried yet.
        todo = [(k, a) for k, a in entries if self.reopen.get(k, set()) & self.unexplored()]
        todo += [(k, a) for k, a in entries if k not in self.pressed]
        menu.hide()
        if todo:
            action_key, action = todo[0]
            self.pressed.add(action_key)
            self.order.append(action_key)
            mark = len(self.opened)
            action.trigger()
            self.reopen.setdefault(action_key, set()).update(self.opened[mark:])

    def to_press(self, key: str) -> bool:
        """Not pressed yet, or a menu button (rebuilt meanwhile) whose menu still has entries not tried."""
        if key not in self.pressed or self.reopen.get(key, set()) & self.unexplored():
            return True
        entries = self.contents.get(key, set())
        return bool(entries - self.pressed) or any(self.reopen.get(e, set()) & self.unexplored() for e in entries)

    def unexplored(self) -> set[str]:
        return {w for w, keys in self.contents.items() if keys - self.pressed}

    # -- finding
    def _menu_actions(self, menu: QMenu, key: str) -> list[tuple[str, QAction]]:
        out: list[tuple[str, QAction]] = []
        for action in menu.actions():
            if action.isSeparator() or not action.isVisible():
                continue
            sub = action.menu()
            if isinstance(sub, QMenu):
                sub.aboutToShow.emit()
                out += self._menu_actions(sub, f"{key}/{plain(action.text())}")
                continue
            if not action.isEnabled() or plain(action.text()) in SKIPPED:
                continue
            k = f"{key}/{plain(action.text())}"
            self.seen.add(k)
            out.append((k, action))
        return out

    def _buttons(self, root: QWidget, where: str) -> list[tuple[str, QAbstractButton]]:
        def rank(b: QAbstractButton) -> int:
            if any(w in plain(b.text()).lower() for w in ("trash", "delete", "remove", "merge")):
                return 5  # what takes things away goes last, so everything else still has something to act on
            if hasattr(b, "menu") and isinstance(b.menu(), QMenu):
                return 4  # menus hold "Move to trash" too: after the plain buttons
            box = b.parent()
            if not isinstance(box, QDialogButtonBox):
                return 0
            role = box.buttonRole(b)
            R = QDialogButtonBox.ButtonRole
            return {R.AcceptRole: 2, R.YesRole: 2, R.ApplyRole: 1, R.RejectRole: 3, R.NoRole: 3}.get(role, 1)

        found = []
        for b in root.findChildren(QAbstractButton):
            if not (alive(b) and b.isVisible() and b.isEnabled()) or plain(b.text()) in SKIPPED:
                continue
            label = plain(b.text()) or b.toolTip() or b.objectName() or type(b).__name__
            key = f"{where}/{type(b).__name__}:{label}"
            self.seen.add(key)
            found.append((rank(b), key, b))
        found.sort(key=lambda t: t[0])
        return [(k, b) for _, k, b in found]

    # -- doing
    def idle(self) -> None:
        wait_idle(self.qtbot, self.app.ops)

    def fire_until_explored(self, fire: Callable[[], object], again: Callable[[], None] | None = None) -> None:
        """Fire once, then again while a dialog or menu it opened still has something not pressed yet.

        `again` runs before each repeat (e.g. select a row again: a save may have refreshed the list).
        """
        opened: set[str] = set()
        for n in range(MAX_OPENINGS):
            if n and again is not None:
                again()
            mark = len(self.opened)
            if fire() is False:
                return
            self.idle()
            self.walk_open_dialogs()
            opened |= set(self.opened[mark:])
            if not any(self.contents.get(w, set()) - self.pressed for w in opened):
                return

    def press(self, root: QWidget, where: str, key: str, again: Callable[[], None] | None = None) -> None:
        """Press the button with this key (found again each time: pages are rebuilt), until explored."""

        def fire() -> bool:
            button = next((b for k, b in self._buttons(root, where) if k == key), None) if alive(root) else None
            if button is None:
                return False
            self.pressed.add(key)
            self.order.append(key)
            menu = button.menu() if hasattr(button, "menu") else None
            if isinstance(menu, QMenu):  # a button with a menu opens it: trigger its entries instead
                self.contents.setdefault(key, set()).update(k for k, _ in self._menu_actions(menu, key))
                self.walk_menu(menu, key)
                return False
            button.click()
            if button.isCheckable() and alive(button):  # a filter or option: on, then back off as it was
                self.idle()
                self.walk_open_dialogs()
                if alive(button) and button.isVisible() and button.isEnabled():
                    button.click()
            return True

        self.fire_until_explored(fire, again)

    def walk_menu(self, menu: QMenu, key: str) -> None:
        for _ in range(50):  # an entry may change what the menu holds ("Pause" becomes "Resume")
            menu.aboutToShow.emit()
            todo = [k for k, _a in self._menu_actions(menu, key) if self.to_press(k)]
            if not todo or not self._walk_menu_once(menu, key, todo):
                return

    def _walk_menu_once(self, menu: QMenu, key: str, todo: list[str]) -> bool:
        for action_key in todo:

            def fire(action_key: str = action_key) -> bool:
                if not alive(menu):
                    return False
                menu.aboutToShow.emit()  # menus are often rebuilt as they open
                action = next((a for k, a in self._menu_actions(menu, key) if k == action_key), None)
                if action is None:
                    return False
                self.pressed.add(action_key)
                self.order.append(action_key)
                mark = len(self.opened)
                action.trigger()
                self.reopen.setdefault(action_key, set()).update(self.opened[mark:])
                return True

            self.fire_until_explored(fire)
            if not alive(menu):
                return False
        return True

    def walk_dialog(self, dialog: QDialog) -> None:
        where = f"dialog:{type(dialog).__name__}:{dialog.windowTitle()}"
        self.dialogs.add(where)
        self.opened.append(where)
        self.idle()
        for _ in range(60):
            if not (alive(dialog) and dialog.isVisible()):
                return
            self.select_first_rows(dialog)  # e.g. the trash: Restore needs a row chosen
            buttons = self._buttons(dialog, where)
            self.contents.setdefault(where, set()).update(k for k, _ in buttons)
            todo = [(k, b) for k, b in buttons if self.to_press(k)]
            if not todo:
                break
            key, button = todo[0]
            if isinstance(button.parent(), QDialogButtonBox):
                self.fill_first_empty_field(dialog)
            self.press(dialog, where, key)
        if alive(dialog) and dialog.isVisible():
            dialog.reject()

    def fill_first_empty_field(self, dialog: QDialog) -> None:
        """Before OK, type a name into the first empty line (the person, the name): an accept that can work."""
        for edit in dialog.findChildren(QLineEdit):
            if edit.isVisible() and edit.isEnabled() and not edit.isReadOnly() and not edit.text():
                edit.setText("Priya Raman")
                return

    def walk_open_dialogs(self) -> None:
        """Dialogs shown with open()/show() (not exec): walk each once per opening."""
        for w in QApplication.topLevelWidgets():
            if isinstance(w, QDialog) and alive(w) and w.isVisible() and id(w) not in self.handled:
                self.handled.add(id(w))
                if isinstance(w, CrashDialog):
                    self.crashes.append(w.report.toPlainText())
                    w.reject()
                    continue
                self.walk_dialog(w)

    def walk_section(self, key: str) -> None:
        window = self.app.window
        section = window.show_section(key)
        where = f"section:{key}"
        self.idle()
        # Each tab, and the first few rows of each list (a row's page has buttons of its own).
        states: list[Callable[[], None]] = [lambda: None]
        for tab in section.findChildren(QTabWidget):
            states += [lambda t=tab, i=i: alive(t) and t.setCurrentIndex(i) for i in range(tab.count())]
        for view in section.findChildren(QAbstractItemView):
            model = view.model()
            if view.isVisible() and model is not None:
                states += [lambda v=view, r=r: _select(v, r) for r in range(min(5, model.rowCount()))]
        refills = 0
        for state in states:
            for _ in range(150):
                window.show_section(key)
                state()
                self.idle()
                self.select_first_rows(section)
                todo = [k for k, _ in self._buttons(section, where) if self.to_press(k)]
                left = [k for k in self.seen if k.startswith(where + "/") and k not in self.pressed]
                left += sorted(self.unexplored())
                if not todo and left and key in self.refill and refills < 5:
                    refills += 1  # e.g. every suggestion card was acted on: next week brings new ones
                    self.refill[key]()
                    continue
                if not todo:
                    break
                self.press(section, where, todo[0], again=lambda: self.select_first_rows(section))
            window.show_section(key)
            self.context_menus(section)

    def select_first_rows(self, section: QWidget) -> None:
        for view in section.findChildren(QAbstractItemView):
            model = view.model()
            if view.isVisible() and model is not None and model.rowCount() and not view.currentIndex().isValid():
                _select(view, 0)
                self.idle()

    def context_menus(self, section: QWidget) -> None:
        for w in [section, *section.findChildren(QWidget)]:
            if not (alive(w) and w.isVisible()):
                continue
            if w.contextMenuPolicy() == Qt.ContextMenuPolicy.CustomContextMenu:
                points = [QPoint(5, 5)]
                if isinstance(w, QAbstractItemView) and w.model() is not None:
                    points = [w.visualRect(w.model().index(r, 0)).center() for r in range(min(3, w.model().rowCount()))]
                for p in points:
                    self.fire_until_explored(lambda w=w, p=p: alive(w) and w.customContextMenuRequested.emit(p))
            elif _own_context_menu(w):
                self.fire_until_explored(lambda w=w: alive(w) and QApplication.sendEvent(w, _context_event(w)))

    def walk_menubar(self) -> None:
        for top in self.app.window.menuBar().actions():
            menu = top.menu()
            if isinstance(menu, QMenu):
                self.walk_menu(menu, f"menubar:{plain(top.text())}")

    def walk_tray(self) -> None:
        tray = self.app.tray
        assert tray is not None
        tray.icon.activated.emit(QSystemTrayIcon.ActivationReason.Trigger)
        self.idle()
        self.walk_menu(tray.menu, "tray")


def _select(view: QAbstractItemView, row: int) -> None:
    """Click the row as a user would (some lists open what is clicked, not what is current)."""
    if alive(view) and view.model() is not None and row < view.model().rowCount():
        index = view.model().index(row, 0)
        view.scrollTo(index)
        QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center())


def _context_event(w: QWidget) -> QContextMenuEvent:
    return QContextMenuEvent(QContextMenuEvent.Reason.Mouse, QPoint(5, 5), w.mapToGlobal(QPoint(5, 5)))


class _MenuAnswerer(QObject):
    def __init__(self, walker: Walker) -> None:
        super().__init__()
        self.walker = walker

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and isinstance(obj, QMenu):
            QTimer.singleShot(0, lambda m=obj: self.walker.answer_menu(m))
        return False


def _own_context_menu(w: QWidget) -> bool:
    """A netjournal widget that draws its own context menu (contextMenuEvent overridden in our code)."""
    return any("contextMenuEvent" in vars(c) and c.__module__.startswith("netjournal.") for c in type(w).__mro__)


@pytest.fixture
def walked(qtbot, journal, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[NetjournalApp, Walker]]:
    seed(journal)
    monkeypatch.setattr(Tray, "available", staticmethod(lambda: True))  # the tray's entries are walked too
    monkeypatch.setattr(QSystemTrayIcon, "show", lambda self: None)  # offscreen has no tray to show it in
    monkeypatch.setattr(QSystemTrayIcon, "showMessage", lambda self, *a: None)
    app = NetjournalApp(QApplication.instance(), journal, interactive=True)  # a bug would show the crash dialog
    qtbot.addWidget(app.window)
    walker = Walker(qtbot, app, tmp_path, monkeypatch)
    day = [DIGEST_DAY]
    app.today.clock = app.reminders.clock = lambda: day[0]

    def next_digest() -> None:
        day[0] += timedelta(days=7)
        app.reminders.check()
        walker.idle()
        app.today.refresh()
        qtbot.waitUntil(lambda: bool(app.today.findChildren(SuggestionCard)))

    app.reminders.check()
    qtbot.waitUntil(lambda: bool(app.today.findChildren(SuggestionCard)))
    walker.refill["today"] = next_digest
    try:
        yield app, walker
    finally:
        walker.uninstall()
        app.shutdown()


def test_every_section_button_menu_entry_dialog_and_tray_entry_works(qtbot, walked) -> None:
    app, walker = walked
    window = app.window
    qtbot.waitExposed(window)
    walker.idle()
    sections = list(window._sections)
    assert {"today", "people", "prepare", "reflect"} <= set(sections)
    for key in sections:
        walker.walk_section(key)
    walker.walk_menubar()
    walker.walk_tray()
    # Last: close the window (with a tray it hides), and the tray brings it back.
    window.action_close.trigger()
    qtbot.waitUntil(lambda: not window.isVisible())
    opener = next(a for a in app.tray.menu.actions() if plain(a.text()) == "Open netjournal")
    opener.trigger()
    qtbot.waitUntil(window.isVisible)
    walker.idle()

    assert not walker.crashes, "the crash dialog appeared:\n\n" + "\n\n".join(walker.crashes)
    never = sorted(walker.seen - walker.pressed)
    assert not never, "found but never triggered:\n" + "\n".join(never) + "\n\nthe walk:\n" + "\n".join(walker.order)
    # The walk really went through the app (these grow as the app does; they only guard against a walk
    # that silently stopped finding things).
    assert len(walker.pressed) >= 80, sorted(walker.pressed)
    assert len(walker.dialogs) >= 8, sorted(walker.dialogs)
    assert any(k.startswith("tray/") for k in walker.pressed)
    assert any(k.startswith("menubar:") for k in walker.pressed)
