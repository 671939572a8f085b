"""`netjournal` with no command: the window on screen first, then the journal opened and the app built
around it, Today first.

Until the window is first painted this imports and touches as little as it can (a bare PySide6 window
is the yardstick, bench/bench_startup.py): no database code, no threads, no Qt class the first frame
does not draw. The rest comes after, while the window answers: the journal's lock (unlock), Today read
on the thin path (boot.EarlyToday), the journal opened and the features imported (boot.Boot), then the
app (app.py), which builds the sections one by one.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication, QWidget

from netjournal import APP_NAME
from netjournal.core.errors import DatabaseProblem, NetjournalError
from netjournal.core.logs import setup_logging
from netjournal.core.paths import DataDir, passphrase_file

if TYPE_CHECKING:
    from netjournal.boot import Boot, EarlyToday
    from netjournal.core import cipher
    from netjournal.instance import InstanceServer
    from netjournal.ui.main_window import MainWindow
    from netjournal.ui.startup_probe import StartupProbe

log = logging.getLogger(__name__)

STARTUP_SWITCH_SECONDS = 0.001
DEFAULT_SWITCH_SECONDS = sys.getswitchinterval()
SMOKE_MSECS = 1500  # how long --smoke keeps the event loop running (bench/bench_frozen.py waits as long)


def display_available() -> bool:
    """False when Qt would abort because there is no screen to open (and no platform was chosen)."""
    if os.environ.get("QT_QPA_PLATFORM"):
        return True
    if sys.platform.startswith("linux") or "bsd" in sys.platform:
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


def _cannot_open(message: str, *, smoke: bool) -> None:
    # Started from a desktop menu there is no terminal: say it in a window too.
    print(f"netjournal: {message}", file=sys.stderr)
    if not smoke:
        from PySide6.QtWidgets import QMessageBox

        from netjournal.ui.messages import message_box

        message_box(None, "netjournal can't open your journal", message, icon=QMessageBox.Icon.Warning).exec()


def database_problem_dialog(exc: DatabaseProblem) -> None:
    from PySide6.QtWidgets import QMessageBox

    from netjournal.ui.messages import message_box

    box = message_box(None, "netjournal can't open your journal", exc.message, icon=QMessageBox.Icon.Warning)
    if exc.latest_backup is not None:
        box.setInformativeText(
            "You can restore the backup with:\n"
            f'netjournal restore "{exc.latest_backup}"\n'
            "The damaged file stays where it is, untouched."
        )
    box.exec()


def run_gui(args: argparse.Namespace) -> int:
    from netjournal.ui.pyside_feature import skip_source_scan

    skip_source_scan()  # first: every later import would have its source read (see the module)
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
        _cannot_open(exc.message, smoke=args.smoke)
        return 1
    qapp.setApplicationName(APP_NAME)
    qapp.setDesktopFileName("netjournal")
    qapp.setApplicationDisplayName("netjournal")

    from netjournal.instance import InstanceServer, ask_running_instance, server_name

    name = server_name(data_dir)
    if ask_running_instance(name):
        print("netjournal is already open on this journal; brought its window forward.", file=sys.stderr)
        return 0
    instance = InstanceServer(name)

    # While start-up threads import and open the journal, Python's lock goes to the GUI thread after
    # 1 ms when it asks, not 5 (each of its event-loop turns asks): the longest stall until People is
    # filled went from 146 to 103 ms (bench/bench_startup.py). Back to the default once all is built.
    sys.setswitchinterval(STARTUP_SWITCH_SECONDS)
    ahead = _key_ahead(data_dir, args)
    window, probe = _first_window(qapp, minimized=args.minimized)
    # From the first other thread on, garbage holding widgets is freed on this thread only (gui_gc.py).
    from netjournal.ui.gui_gc import GuiThreadCollector

    boot_collector = GuiThreadCollector()
    boot_collector.start()
    try:
        opened = _open_lock(data_dir, args, window, ahead)
        if opened is None:
            return 1
        key, early = opened
        return _run_app(args, qapp, window, data_dir, key, instance, probe, early)
    finally:
        boot_collector.stop()
        sys.setswitchinterval(DEFAULT_SWITCH_SECONDS)


def _key_ahead(data_dir: DataDir, args: argparse.Namespace) -> cipher.KeyAhead | None:
    """With a passphrase file, its key is stretched while Qt starts (the demo is never locked)."""
    file = passphrase_file(args)
    if not file or args.demo:
        return None
    from netjournal.core.cipher import KeyAhead

    return KeyAhead(data_dir.database, file)


def _first_window(qapp: QApplication, *, minimized: bool) -> tuple[MainWindow, StartupProbe | None]:
    """The main window, empty but for its menus and a notice, painted once (unless started in the tray)."""
    from netjournal.ui import theme
    from netjournal.ui.main_window import MainWindow

    theme.install(qapp)  # the palette (light or dark, as the system says) before the first widget
    window = MainWindow()
    probe = None
    if os.environ.get("NETJOURNAL_BENCH_STARTUP"):  # bench/bench_startup.py: print start-up times, then quit
        from netjournal.ui.startup_probe import StartupProbe

        probe = StartupProbe(window)
    if not minimized:
        window.show_notice(window.tr("Opening your journal…"), 0)
        # Python wrappers for the window's widgets, made here: the first paint hands widgets Qt made
        # itself to the style's Python methods (theme.FocusRingStyle), and wrapping one of those there
        # first made PySide build every QtWidgets class's enums, ~17 ms in the first frame.
        window.findChildren(QWidget)
        window.show()
        qapp.processEvents()
    # No icon yet: the app sets it once Today is on screen (app.py). Loading the SVG engine and drawing
    # the icon here held the GUI thread ~30 ms, the longest stall while Today loaded (bench/bench_startup.py).
    return window, probe


def _open_lock(
    data_dir: DataDir, args: argparse.Namespace, window: MainWindow, ahead: cipher.KeyAhead | None
) -> tuple[cipher.JournalKey | None, EarlyToday | None] | None:
    """The key of a locked journal (None for a plain one) and Today's read ahead, started (not for the
    demo, whose journal may not exist yet); None when the journal stays locked (the app exits)."""
    from netjournal.boot import EarlyToday

    early = None if args.demo else EarlyToday(data_dir, None, ahead)
    if early is not None:
        early.start()  # it looks whether the journal is locked first, off this thread
        early.wait()
        if early.key is not None:
            return early.key, early  # unlocked with the passphrase file, off this thread
        locked = early.locked
    else:
        from netjournal.core import cipher

        locked = cipher.is_encrypted(data_dir.database)
    if not locked:
        return None, early
    from netjournal.unlock_flow import unlock

    try:
        key = unlock(data_dir, args, window)
    except NetjournalError as exc:
        key, problem = None, exc.message
    else:
        problem = "the journal stays locked; nothing was opened or changed."
    if key is None:
        window.hide()
        print(f"netjournal: {problem}", file=sys.stderr)
        return None
    if early is not None:
        early = EarlyToday(data_dir, key)
        early.start()
    return key, early


def _run_app(
    args: argparse.Namespace,
    qapp: QApplication,
    window: MainWindow,
    data_dir: DataDir,
    key: cipher.JournalKey | None,
    instance: InstanceServer,
    probe: StartupProbe | None,
    early: EarlyToday | None = None,
) -> int:
    """The journal opened off the GUI thread while the window answers; then the app, Today first."""
    from netjournal.boot import Boot

    today_view = None
    early_data = early.wait() if early is not None else None
    if early_data is not None:
        # Today first, filled from the thin read path; the journal is opened (the ORM imported) after.
        from netjournal.ui.today import show_early

        today_view = show_early(window, early_data)
        if probe is not None:
            probe.watch_today(today_view)
    from netjournal.app import FEATURES

    boot = Boot(data_dir, FEATURES, demo=args.demo, smoke=args.smoke, key=key, read_today=today_view is None)
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
            database_problem_dialog(exc)
        return 1
    if boot.error is not None:
        raise boot.error
    assert boot.journal is not None
    return _serve(args, qapp, window, boot, instance, probe)


def _serve(
    args: argparse.Namespace,
    qapp: QApplication,
    window: MainWindow,
    boot: Boot,
    instance: InstanceServer,
    probe: StartupProbe | None,
) -> int:
    """Build the app on the opened journal and run it until it quits."""
    from PySide6.QtCore import QTimer

    import netjournal
    from netjournal.app import NetjournalApp

    assert boot.journal is not None
    qapp.setApplicationVersion(netjournal.__version__)  # read by the start-up thread (boot.py): no wait here
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
    app.started.connect(lambda: sys.setswitchinterval(DEFAULT_SWITCH_SECONDS))
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
        print(f"netjournal smoke test passed ({Path(boot.data_dir.root)})")
        return 0
    return int(code)
