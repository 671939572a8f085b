"""The Qt application: start-up, one instance per journal, window, tray and scheduler wiring."""

from __future__ import annotations

import argparse
import hashlib
import importlib
import logging
import os
import queue
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from netjournal import APP_NAME, __version__
from netjournal.core import cipher
from netjournal.core.errors import DatabaseProblem, NetjournalError
from netjournal.core.logs import setup_logging
from netjournal.core.paths import DataDir, resources_dir

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

# The database layer (SQLAlchemy, Alembic) is imported only after the window is on screen.

log = logging.getLogger(__name__)

SMOKE_MSECS = 1500
MAINTENANCE_POLL_MSECS = 250
STAGE_MSECS = 5  # between the features built at start-up: the event loop paints and answers meanwhile


def display_available() -> bool:
    """False when Qt would abort because there is no screen to open (and no platform was chosen)."""
    if os.environ.get("QT_QPA_PLATFORM"):
        return True
    if sys.platform.startswith("linux") or "bsd" in sys.platform:
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


def app_icon() -> QIcon:
    icon = QIcon()
    icons = resources_dir() / "icons"
    svg = icons / "netjournal.svg"
    if svg.exists():
        icon.addFile(str(svg))
    for png in sorted(icons.glob("netjournal-*.png")):
        icon.addFile(str(png))
    return icon


def server_name(data_dir: DataDir) -> str:
    """One name per journal folder, so two profiles can run side by side but one profile cannot."""
    digest = hashlib.sha256(str(data_dir.root).encode()).hexdigest()[:16]
    return f"netjournal-{os.getuid() if hasattr(os, 'getuid') else 0}-{digest}"


def ask_running_instance(name: str) -> bool:
    """If netjournal already runs on this journal, ask it to come forward; True if it answered."""
    sock = QLocalSocket()
    sock.connectToServer(name)
    if not sock.waitForConnected(500):
        return False
    sock.write(b"show\n")
    sock.waitForBytesWritten(500)
    sock.disconnectFromServer()
    return True


class InstanceServer(QObject):
    show_requested = Signal()

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not self.server.listen(name):
            QLocalServer.removeServer(name)  # a stale socket left by a killed process
            self.server.listen(name)
        self.server.newConnection.connect(self._on_connection)

    def _on_connection(self) -> None:
        while self.server.hasPendingConnections():
            conn = self.server.nextPendingConnection()
            conn.readyRead.connect(lambda c=conn: self._read(c))

    def _read(self, conn: QLocalSocket) -> None:
        if bytes(conn.readAll().data()).strip() == b"show":
            self.show_requested.emit()
        conn.disconnectFromServer()


def _database_problem_dialog(exc: DatabaseProblem) -> None:
    from netjournal.ui.messages import message_box

    box = message_box(None, "netjournal can't open your journal", exc.message, icon=QMessageBox.Icon.Warning)
    if exc.latest_backup is not None:
        box.setInformativeText(
            "You can restore the backup with:\n"
            f'netjournal restore "{exc.latest_backup}"\n'
            "The damaged file stays where it is, untouched."
        )
    box.exec()


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

    # Set by the features' install(), in FEATURES order (not there yet during a staged start-up).
    today: TodayView
    reminders: Reminders
    settings_action: QAction
    people: PeopleView
    prepare: PrepareView
    reflect: ReflectView
    insights: InsightsView
    search: SearchView
    prepare_next: Callable[[], None]
    import_action: QAction
    export_action: QAction
    protection: Protection
    action_about: QAction
    about_dialog: AboutDialog
    sync: SyncService

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
        self.icon = app_icon()
        qapp.setWindowIcon(self.icon)
        self.ops = DbWorker(journal, self)
        self.maintenance_problem.connect(self._maintenance_problem)
        self.window = window if window is not None else MainWindow(self.icon)
        self.ops.message_parent = self.window
        self.nav = Navigation(self.window.show_section)
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
        log_key = shortcut(self.tr("Ctrl+L"), self.window, lambda: self.quick_log(self.person_on_screen()))
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

    def person_on_screen(self) -> int | None:
        """The person whose page is showing in the window, if any (quick log starts with them)."""
        people = getattr(self, "people", None)  # not there yet during a staged start-up
        if people is None or not self.window.isVisible() or self.window.stack.currentWidget() is not people:
            return None
        return self.nav.person_in_view()

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
        sync = getattr(self, "sync", None)  # not there when the app stopped during a staged start-up
        if sync is not None:
            sync.stop()
        if self.tray is not None:
            self.tray.hide()
        self.ops.stop()
        self.journal.close()
        self.collector.stop()


def unlock(data_dir: DataDir, args: argparse.Namespace, window: QWidget) -> cipher.JournalKey | None:
    """The key of a locked journal: from --passphrase-file, the keyring (if the user chose to be
    remembered), else the unlock dialog. When started in the tray, the tray says it is locked first and
    shows no names until the journal is open."""
    from netjournal.core import keystore

    path = data_dir.database
    file = getattr(args, "passphrase_file", None) or os.environ.get(cipher.ENV_PASSPHRASE_FILE)
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


class _EarlyToday(QObject):
    """Today's content read on the thin read path (core/reader.py: plain sqlite3, no ORM) on a thread of
    its own while the window is being built, so Today is filled long before SQLAlchemy is imported.

    Reads nothing when the journal is not there yet or needs migrating (the usual open does that first,
    and reads Today after it) or when anything goes wrong (the usual open then says what)."""

    done = Signal()

    def __init__(self, data_dir: DataDir, key: cipher.JournalKey | None) -> None:
        super().__init__()
        self.data_dir = data_dir
        self.key = key
        self.data: Any = None
        self._done = threading.Event()

    def start(self) -> None:
        threading.Thread(target=self._run, name="netjournal-today", daemon=True).start()

    def _run(self) -> None:
        try:
            from netjournal.core.clock import utcnow
            from netjournal.core.reader import open_current
            from netjournal.core.today import today_data

            con = open_current(self.data_dir, self.key)
            if con is not None:
                try:
                    self.data = today_data(con, utcnow())
                finally:
                    con.close()
                importlib.import_module(FEATURES[0])  # here, so the GUI thread only builds the view
        except Exception as exc:  # read again once the journal is open, and reported the usual way
            log.info("Today not read ahead: %s", type(exc).__name__)
        finally:
            self._done.set()
            self.done.emit()

    def wait(self) -> Any:
        """Keep the window answering until the read is over; what was read, or None."""
        if not self._done.is_set():
            loop = QEventLoop()
            self.done.connect(loop.quit, Qt.ConnectionType.QueuedConnection)
            if not self._done.is_set():
                loop.exec()
        self._done.wait()
        return self.data


class _Boot(QObject):
    """Start-up work off the GUI thread: open the journal and read Today, then import the other features.

    `wait` returns as soon as Today can be shown; the features' modules are still being imported then,
    and `module_ready` says which are done (the app builds each one once its module is in).
    """

    first = Signal()

    def __init__(
        self, data_dir: DataDir, *, demo: bool, key: cipher.JournalKey | None = None, read_today: bool = True
    ) -> None:
        super().__init__()
        self.data_dir = data_dir
        self.demo = demo
        self.key = key
        self.read_today = read_today  # False when Today was read already (_EarlyToday)
        self.journal: Journal | None = None
        self.today: Any = None
        self.error: BaseException | None = None
        self._first = threading.Event()
        self._imported: set[str] = set()
        self._all_imported = False
        self._lock = threading.Lock()

    def start(self) -> None:
        threading.Thread(target=self._run, name="netjournal-start", daemon=True).start()

    def wait(self) -> None:
        """Keep the window answering (painting, moving) until Today can be shown."""
        if not self._first.is_set():
            loop = QEventLoop()
            self.first.connect(loop.quit, Qt.ConnectionType.QueuedConnection)
            if not self._first.is_set():
                loop.exec()
        self._first.wait()

    def module_ready(self, name: str) -> bool:
        """True once every feature's module is imported: building one while another is still being
        imported would make both slow (the two threads take turns holding Python's lock)."""
        with self._lock:
            return self._all_imported

    def _import(self, name: str) -> None:
        importlib.import_module(name)
        with self._lock:
            self._imported.add(name)

    def _run(self) -> None:
        try:
            from netjournal.core.clock import utcnow
            from netjournal.core.db import open_journal

            journal = open_journal(self.data_dir, key=self.key)
            if self.demo:
                from netjournal.core.demo import ensure_demo_journal

                ensure_demo_journal(journal)
            self.journal = journal
            for name in (
                "netjournal.ui.crash",
                "netjournal.ui.ops",
                "netjournal.ui.tray",
                "netjournal.core.backup",
                FEATURES[0],
            ):
                self._import(name)
            try:
                from netjournal.ui.today import load_today

                if self.read_today:
                    self.today = load_today(journal, utcnow())
            except Exception:  # Today loads again once it is built, and reports a problem the usual way
                log.exception("reading Today at start-up failed")
        except BaseException as exc:
            self.error = exc
            return
        finally:
            self._first.set()
            self.first.emit()
        # Imported here, the GUI thread only builds widgets when it installs each feature.
        for name in (*FEATURES[1:], "netjournal.scheduler"):
            try:
                self._import(name)
            except BaseException:
                log.exception("importing %s at start-up failed", name)  # the GUI thread meets it again
        with self._lock:
            self._all_imported = True


def run_gui(args: argparse.Namespace) -> int:
    if not display_available():
        print(
            "netjournal: no display to open the window on (DISPLAY is not set). "
            "Run it in a desktop session, use a subcommand (see `netjournal --help`), "
            "or set QT_QPA_PLATFORM=offscreen for a window-less check.",
            file=sys.stderr,
        )
        return 2
    from netjournal import xcb

    missing = xcb.problem()  # before QApplication: Qt would abort with its own message
    if missing:
        print(missing, file=sys.stderr)
        return 1
    if args.demo:
        from netjournal.core.demo import demo_data_dir

        data_dir = demo_data_dir()
    else:
        data_dir = DataDir.at(args.data_dir)
    qapp = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(qapp, QApplication)
    try:
        data_dir.ensure()
        setup_logging(data_dir, verbose=args.verbose)
    except NetjournalError as exc:
        # Started from a desktop menu there is no terminal: say it in a window too.
        print(f"netjournal: {exc.message}", file=sys.stderr)
        if not args.smoke:
            from netjournal.ui.messages import message_box

            message_box(None, "netjournal can't open your journal", exc.message, icon=QMessageBox.Icon.Warning).exec()
        return 1
    log.info("netjournal %s starting (smoke=%s)", __version__, args.smoke)

    qapp.setApplicationName(APP_NAME)
    qapp.setApplicationVersion(__version__)
    qapp.setDesktopFileName("netjournal")
    QGuiApplication.setApplicationDisplayName("netjournal")

    name = server_name(data_dir)
    if ask_running_instance(name):
        print("netjournal is already open on this journal; brought its window forward.", file=sys.stderr)
        return 0
    instance = InstanceServer(name)
    early = None
    if not args.demo and not cipher.is_encrypted(data_dir.database):  # a locked one: once it is unlocked
        early = _EarlyToday(data_dir, None)
        early.start()

    # Put the window on screen first (it is a plain widget), then open the journal and fill it in.
    from netjournal.ui import theme
    from netjournal.ui.main_window import MainWindow

    theme.install(qapp)  # the palette (light or dark, as the system says) before the first widget
    window = MainWindow(app_icon())
    probe = None
    if os.environ.get("NETJOURNAL_BENCH_STARTUP"):  # bench/bench_startup.py: print start-up times, then quit
        from netjournal.ui.startup_probe import StartupProbe

        probe = StartupProbe(window)
    if not args.minimized:
        window.show_notice(window.tr("Opening your journal…"), 0)
        window.show()
        qapp.processEvents()

    key = None
    if cipher.is_encrypted(data_dir.database):
        try:
            key = unlock(data_dir, args, window)
        except NetjournalError as exc:
            key, problem = None, exc.message
        else:
            problem = "the journal stays locked; nothing was opened or changed."
        if key is None:
            window.hide()
            print(f"netjournal: {problem}", file=sys.stderr)
            return 1
        if not args.demo:
            early = _EarlyToday(data_dir, key)
            early.start()
    # The journal is opened, the first section's content read and the features' modules imported on a
    # background thread while the window is put on screen and keeps answering (no long stall on the GUI
    # thread); then the app is built around it, Today first.
    from netjournal.ui.gui_gc import GuiThreadCollector

    # From the first other thread on, garbage holding widgets is freed on this thread only (gui_gc.py).
    boot_collector = GuiThreadCollector()
    boot_collector.start()
    try:
        return _run_app(args, qapp, window, data_dir, key, instance, probe, early)
    finally:
        boot_collector.stop()


def _run_app(
    args: argparse.Namespace,
    qapp: QApplication,
    window: MainWindow,
    data_dir: DataDir,
    key: cipher.JournalKey | None,
    instance: InstanceServer,
    probe: Any,
    early: _EarlyToday | None = None,
) -> int:
    today_view = None
    if early is not None and early.wait() is not None:
        # Today first, filled from the thin read path; the journal is opened (the ORM imported) after.
        from netjournal.ui.today import show_early

        today_view = show_early(window, early.data)
        if probe is not None:
            probe.watch_today(today_view)
    boot = _Boot(data_dir, demo=args.demo, key=key, read_today=today_view is None)
    boot.start()
    boot.wait()
    if not args.minimized and not window.isVisible() and boot.error is None:  # closed while it was opening
        if boot.journal is not None:
            boot.journal.close()
        return 0
    if isinstance(boot.error, DatabaseProblem):
        exc = boot.error
        window.hide()
        log.warning("could not open the journal: %s", type(exc).__name__)
        print(f"netjournal: {exc.message}", file=sys.stderr)
        if not args.smoke:
            _database_problem_dialog(exc)
        return 1
    if boot.error is not None:
        raise boot.error
    assert boot.journal is not None
    app = NetjournalApp(
        qapp,
        boot.journal,
        minimized=args.minimized,
        interactive=not args.smoke,
        window=window,
        staged=True,
        module_ready=boot.module_ready,
    )
    if boot.today is not None:
        app.today.show_data(boot.today)  # Today is the first feature: installed before the app returns
    window.statusBar().clearMessage()
    app.start_maintenance()
    instance.show_requested.connect(app.window.bring_forward)
    if probe is not None:
        probe.watch_people(app)
    if args.smoke:
        QTimer.singleShot(SMOKE_MSECS, qapp.quit)
    try:
        code = qapp.exec()
    finally:
        app.shutdown()
        instance.server.close()
    if args.smoke:
        if app.crash.reports:
            print(app.crash.reports[0], file=sys.stderr)
            return 1
        print(f"netjournal smoke test passed ({Path(data_dir.root)})")
        return 0
    return int(code)
