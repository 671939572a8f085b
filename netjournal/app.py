"""The running app: the services every feature uses, the features installed in sidebar order, the tray
and the scheduler wired in, and everything torn down in reverse.

Start-up (the first window, the journal opened off the GUI thread) is netjournal/startup.py and
netjournal/boot.py; one window per journal is netjournal/instance.py.
"""

from __future__ import annotations

import importlib
import logging
import os
import queue
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QMessageBox

from netjournal.core.errors import DatabaseProblem

if TYPE_CHECKING:
    from PySide6.QtGui import QAction

    from netjournal.core.db import Journal
    from netjournal.scheduler import Waker
    from netjournal.ui.about import AboutDialog
    from netjournal.ui.accounts import SyncService
    from netjournal.ui.insights import InsightsView
    from netjournal.ui.main_window import MainWindow
    from netjournal.ui.people import PeopleView
    from netjournal.ui.prepare import PrepareView
    from netjournal.ui.protect import Protection
    from netjournal.ui.reflect.section import ReflectView
    from netjournal.ui.reminders import Reminders
    from netjournal.ui.search import SearchView
    from netjournal.ui.today import TodayView
    from netjournal.ui.trash import TrashController

log = logging.getLogger(__name__)

MAINTENANCE_POLL_MSECS = 250
STAGE_MSECS = 5  # between the features built at start-up: the event loop paints and answers meanwhile

# Feature modules, in sidebar order; each has install(app: NetjournalApp).
FEATURES = [
    "netjournal.ui.today",
    "netjournal.ui.people",
    "netjournal.ui.prepare",
    "netjournal.ui.reflect",
    "netjournal.ui.insights",
    "netjournal.ui.search",
    "netjournal.ui.import_export",
    "netjournal.ui.protect",
    "netjournal.ui.about",
    "netjournal.ui.accounts",
]


class NetjournalApp(QObject):
    """Everything the running app holds, created in order and torn down in reverse.

    Features reach the services they need through it (ops, window, tray, journal_changed, nav); they
    do not reach into each other: one section asks another for something through `nav`
    (ui/navigation.py). Each feature's install() sets its handle below (tests look at them).
    """

    # Set by the features' install(), in FEATURES order. The first feature (Today) is installed before
    # __init__ returns, staged or not; a staged start-up builds the others one by one after it, so
    # until then theirs are None.
    today: TodayView
    reminders: Reminders
    settings_action: QAction
    people: PeopleView | None = None
    prepare: PrepareView | None = None
    reflect: ReflectView | None = None
    insights: InsightsView | None = None
    search: SearchView | None = None
    prepare_next: Callable[[], None] | None = None
    import_action: QAction | None = None
    export_action: QAction | None = None
    protection: Protection | None = None
    action_about: QAction | None = None
    about_dialog: AboutDialog | None = None
    sync: SyncService | None = None

    journal_changed = Signal()  # something was written: views refresh what they show
    maintenance_problem = Signal(str)
    started = Signal()  # every feature is installed (at once, or staged at the app's start)

    def __init__(
        self,
        qapp: QApplication,
        journal: Journal,
        *,
        minimized: bool = False,
        interactive: bool = True,
        window: MainWindow | None = None,
        staged: bool = False,
        module_ready: Callable[[str], bool] | None = None,
    ) -> None:
        super().__init__()
        self.ready = False  # every feature installed (at once, or when staged, a few event-loop turns later)
        self.waker: Waker | None = None  # the scheduler, once every feature is installed
        self._maintenance: threading.Thread | None = None
        self._trash: TrashController | None = None
        self._shut_down = False
        from netjournal.core import settings
        from netjournal.ui import theme
        from netjournal.ui.crash import CrashHandler
        from netjournal.ui.gui_gc import GuiThreadCollector
        from netjournal.ui.main_window import MainWindow
        from netjournal.ui.navigation import Navigation
        from netjournal.ui.ops import DbWorker
        from netjournal.ui.qt import shortcut
        from netjournal.ui.tray import Tray

        self.qapp = qapp
        theme.install(qapp)
        self.journal = journal
        self.crash = CrashHandler(journal.data_dir.log_file, interactive=interactive)
        self.crash.install()
        # Before any other thread runs Python: garbage holding widgets must be freed on this thread.
        self.collector = GuiThreadCollector(self)
        self.collector.start()
        self.icon = theme.app_icon()
        qapp.setWindowIcon(self.icon)
        self.ops = DbWorker(journal, self)
        self.maintenance_problem.connect(self._maintenance_problem)
        self.window = window if window is not None else MainWindow(self.icon)
        self.ops.message_parent = self.window
        self.nav = Navigation(self.window.show_section, self.window.section_in_front)
        self.nav.offer_quick_log(self.quick_log)
        self.tray: Tray | None = Tray(self.icon, self) if Tray.available() else None
        if self.tray is not None and journal.encrypted:
            self.tray.private = True  # until the setting is read: names only if the user allowed them
            self.ops.read(
                lambda s: bool(settings.get(s, "privacy.names_in_notifications")),
                lambda allowed: setattr(self.tray, "private", not allowed),
                on_error=lambda _exc: None,  # stays private
            )
        # Each feature adds its section, menu entries and tray entries in its own install(app). Staged (the
        # app's start): the first section now, then one feature per turn of the event loop, so the window
        # stays responsive and Today is on screen before the rest is built.
        self._module_ready = module_ready or (lambda _name: True)
        # Quick log works from the first moment the window answers, before the other sections are built.
        log_key = shortcut(
            self.tr("Ctrl+L"), self.window, lambda: self.quick_log(self.nav.person_in_view(on_screen=True))
        )
        log_key.setWhatsThis(self.tr("Quick log: a meeting, call or message"))
        if staged:
            importlib.import_module(FEATURES[0]).install(self)
            QTimer.singleShot(STAGE_MSECS, lambda: self._install_rest(FEATURES[1:], minimized))
        else:
            for name in FEATURES:
                importlib.import_module(name).install(self)
            self._finish(minimized)

    def _install_rest(self, names: list[str], minimized: bool) -> None:
        if self._shut_down:
            return
        if self._module_ready(names[0]):  # else still being imported off the GUI thread: look again soon
            importlib.import_module(names[0]).install(self)
            names = names[1:]
        if names:
            # A short pause, not 0: a chain of zero timers would hold back painting and input meanwhile.
            QTimer.singleShot(STAGE_MSECS, lambda: self._install_rest(names, minimized))
        else:
            self._finish(minimized)

    def _finish(self, minimized: bool) -> None:
        qapp = self.qapp
        self.window.finish_menus()
        self.window.action_quit.triggered.connect(self.quit)

        if self.tray is not None:
            self.tray.open_requested.connect(self.window.bring_forward)
            self.tray.quick_log_requested.connect(lambda: self.quick_log(None))
            self.tray.quit_requested.connect(self.quit)
            self.tray.show()
            # With a tray, closing the window keeps reminders running; without one, closing quits.
            qapp.setQuitOnLastWindowClosed(False)
            self.window.hide_on_close = True
        else:
            qapp.setQuitOnLastWindowClosed(True)
            minimized = False  # nowhere to minimise to: show the window
        from netjournal.scheduler import Waker

        self.waker = Waker(self)
        self.waker.start()
        if not minimized:
            self.window.show()
        self.ready = True
        if os.environ.get("NETJOURNAL_REPORT_READY"):  # the desktop tests: every section is built now
            print("netjournal ready", flush=True)
        self.started.emit()

    @property
    def trash(self) -> TrashController:
        """The one trash controller (Undo bar, File > Trash…), made when a feature first deletes through it."""
        if self._trash is None:
            from netjournal.ui.trash import TrashController

            self._trash = TrashController(self)
        return self._trash

    def quick_log(self, person_id: int | None = None) -> int | None:
        """The quick log dialog (modal): the id of the interaction it saved, or None."""
        from netjournal.ui.quicklog import QuickLogDialog

        dialog = QuickLogDialog(self.ops, self.window if self.window.isVisible() else None, person_id)
        saved = dialog.saved_interaction_id if dialog.exec() else None
        dialog.deleteLater()  # now, on this thread: not whenever Python's collector gets to the closed dialog
        if saved is not None:
            self.window.show_notice(self.tr("Logged. Nice one."))
            self.journal_changed.emit()  # every view that shows interactions reads again
        return saved

    def start_maintenance(self) -> None:
        """The daily backup and a full integrity check, off the GUI thread so start-up stays quick."""
        from netjournal.core.backup import daily_backup
        from netjournal.core.db import verify_integrity

        data_dir, key = self.journal.data_dir, self.journal.key
        problems: queue.SimpleQueue[str] = queue.SimpleQueue()

        def work() -> None:
            # Plain data in, plain text out: this thread holds no Qt object and nothing of the app.
            try:
                verify_integrity(data_dir.database, data_dir.backups, key)
                daily_backup(data_dir, key=key)
            except DatabaseProblem as exc:
                problems.put(exc.message)
            except OSError as exc:  # e.g. a full disk: the journal stays usable, the backup waits a day
                log.warning("daily backup skipped: %s", type(exc).__name__)

        thread = threading.Thread(target=work, name="netjournal-maintenance", daemon=True)
        self._maintenance = thread

        def collect() -> None:  # on the GUI thread
            finished = not thread.is_alive()
            while not problems.empty():
                self.maintenance_problem.emit(problems.get())
            if finished:
                watch.stop()

        watch = QTimer(self)
        watch.setInterval(MAINTENANCE_POLL_MSECS)
        watch.timeout.connect(collect)
        thread.start()
        watch.start()

    def _maintenance_problem(self, message: str) -> None:
        from netjournal.ui.messages import message_box

        message_box(self.window, "netjournal", message, icon=QMessageBox.Icon.Warning).open()

    def quit(self) -> None:
        self.window.hide_on_close = False
        self.qapp.quit()

    def shutdown(self) -> None:
        self._shut_down = True
        if self.waker is not None:
            self.waker.stop()
        if self._maintenance is not None:
            self._maintenance.join(timeout=30)
        if self.sync is not None:  # None when the app stopped during a staged start-up
            self.sync.stop()
        if self.tray is not None:
            self.tray.hide()
        self.ops.stop()
        self.journal.close()
        self.collector.stop()
