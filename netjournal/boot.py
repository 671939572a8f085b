"""Start-up work off the GUI thread, so the window answers while the journal is opened.

`EarlyToday` reads Today's content on the thin read path (core/reader.py: plain sqlite3, no ORM) right
after the window is first painted, so Today is filled long before SQLAlchemy is imported. `Boot` then
opens the journal (migrating it if needed) and imports the other features' modules, so the GUI thread
only builds widgets when the app installs each feature (app.py).

Both are started only once the window is on screen: a thread running Python before then would take
turns with the GUI thread for Python's lock and hold the window back.
"""

from __future__ import annotations

import importlib
import logging
import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QEventLoop, QObject, Qt, Signal

from netjournal.core.paths import DataDir

if TYPE_CHECKING:
    from netjournal.core import cipher
    from netjournal.core.db import Journal
    from netjournal.core.today import TodayData

log = logging.getLogger(__name__)

# What the GUI thread imports as it builds the app (app.py) and installs Today (ui/today.py): imported
# here first. Left to the GUI thread they held it ~250 ms right after Today was shown.
LATER_IMPORTS = (
    "netjournal.ui.crash",
    "netjournal.ui.ops",
    "netjournal.ui.tray",
    "netjournal.core.backup",
    "netjournal.core.settings",
    "netjournal.ui.navigation",
    "netjournal.ui.reminders",
    "netjournal.ui.settings_dialog",
)


class _Staged(QObject):
    """A thread that sets an event when its first part is done; `_wait_first` keeps the window answering."""

    first = Signal()

    def __init__(self) -> None:
        super().__init__()
        self._first = threading.Event()

    def _first_done(self) -> None:
        self._first.set()
        self.first.emit()

    def _wait_first(self) -> None:
        if not self._first.is_set():
            loop = QEventLoop()
            self.first.connect(loop.quit, Qt.ConnectionType.QueuedConnection)
            if not self._first.is_set():
                loop.exec()
        self._first.wait()


class EarlyToday(_Staged):
    """Today read ahead. Reads nothing when the journal is locked and no key is given (`locked` says so),
    when it is not there yet or needs migrating (the usual open does that first, and reads Today after
    it) or when anything goes wrong (the usual open then says what).

    A locked journal with a passphrase file (--passphrase-file, NETJOURNAL_PASSPHRASE_FILE) is unlocked
    here with the key stretched since start-up (`cipher.KeyAhead`), never on the GUI thread, which
    would freeze for a few hundred milliseconds. `key` is then set; a file that does not open it leaves
    `locked` set, and the usual unlock (unlock_flow.py) says why and asks.
    """

    def __init__(self, data_dir: DataDir, key: cipher.JournalKey | None, ahead: cipher.KeyAhead | None = None) -> None:
        super().__init__()
        self.data_dir = data_dir
        self.key = key
        self.ahead = ahead
        self.locked = False
        self.data: TodayData | None = None

    def start(self) -> None:
        threading.Thread(target=self._run, name="netjournal-today", daemon=True).start()

    def _run(self) -> None:
        try:
            from netjournal.core import cipher

            from_file = False
            if self.key is None and cipher.is_encrypted(self.data_dir.database):
                self.key = self.ahead.key() if self.ahead is not None else None
                if self.key is None:
                    self.locked = True  # the GUI thread asks for the passphrase, then reads again with the key
                    return
                from_file = True
            from netjournal.app import FEATURES
            from netjournal.core.clock import utcnow
            from netjournal.core.reader import open_current
            from netjournal.core.today import today_data

            try:
                con = open_current(self.data_dir, self.key)  # its file check opens the journal with the key
            except cipher.WrongPassphraseError:
                if not from_file:
                    raise
                log.info("the passphrase file does not open the journal")
                self.key, self.locked = None, True  # the usual unlock says so and asks
                return
            if con is not None:
                try:
                    self.data = today_data(con, utcnow())
                finally:
                    con.close()
                importlib.import_module(FEATURES[0])  # here, so the GUI thread only builds the view
        except Exception as exc:  # read again once the journal is open, and reported the usual way
            log.info("Today not read ahead: %s", type(exc).__name__)
        finally:
            self._first_done()

    def wait(self) -> TodayData | None:
        """Keep the window answering until the read is over; what was read, or None."""
        self._wait_first()
        return self.data


class Boot(_Staged):
    """Open the journal and read Today, then import the other features.

    `wait` returns as soon as Today can be shown; the features' modules are still being imported then,
    and `module_ready` says when they are all in (the app builds each one once its module is there).
    """

    def __init__(
        self,
        data_dir: DataDir,
        features: list[str],
        *,
        demo: bool,
        smoke: bool = False,
        key: cipher.JournalKey | None = None,
        read_today: bool = True,
    ) -> None:
        super().__init__()
        self.data_dir = data_dir
        self.features = features
        self.demo = demo
        self.smoke = smoke
        self.key = key
        self.read_today = read_today  # False when Today was read already (EarlyToday)
        self.journal: Journal | None = None
        self.today: TodayData | None = None
        self.error: BaseException | None = None
        self._all_imported = False
        self._lock = threading.Lock()

    def start(self) -> None:
        threading.Thread(target=self._run, name="netjournal-start", daemon=True).start()

    def wait(self) -> None:
        """Keep the window answering (painting, moving) until Today can be shown."""
        self._wait_first()

    def module_ready(self, _name: str) -> bool:
        """True once every feature's module is imported: building one while another is still being
        imported would make both slow (the two threads take turns holding Python's lock)."""
        with self._lock:
            return self._all_imported

    def _run(self) -> None:
        try:
            self._open()
        except BaseException as exc:
            self.error = exc
            return
        finally:
            self._first_done()
        # Imported here, the GUI thread only builds widgets when it installs each feature.
        for name in (*self.features[1:], "netjournal.scheduler"):
            try:
                importlib.import_module(name)
            except BaseException:
                log.exception("importing %s at start-up failed", name)  # the GUI thread meets it again
        with self._lock:
            self._all_imported = True

    def _open(self) -> None:
        import netjournal
        from netjournal.core.clock import utcnow
        from netjournal.core.db import open_journal

        # The version comes from the package's metadata (~30 ms): read here, not on the GUI thread.
        log.info("netjournal %s starting (smoke=%s)", netjournal.__version__, self.smoke)
        journal = open_journal(self.data_dir, key=self.key)
        if self.demo:
            from netjournal.core.demo import ensure_demo_journal

            ensure_demo_journal(journal)
        self.journal = journal
        for name in (*LATER_IMPORTS, self.features[0]):
            importlib.import_module(name)
        try:
            from netjournal.ui.today import load_today

            if self.read_today:
                self.today = load_today(journal, utcnow())
        except Exception:  # Today loads again once it is built, and reports a problem the usual way
            log.exception("reading Today at start-up failed")
