"""Settings → Accounts (add with a connection test, choose address books and calendars, remove, sync now),
"Sync now" in the tray, and the background sync every 30 minutes while an account exists.

Network work never runs on the GUI thread, nor on the database worker (a slow server must not hold up
the journal). A `NetWorker` lives in a `QThread` of its own (one for syncs, one for connection tests,
so a test is not queued behind a slow sync): plain data goes in by a queued signal, and plain data
comes back by typed, queued signals (a `SyncRun`, a probe's result, a message). No callable crosses,
and the worker touches no Qt object of the GUI thread, so nothing the GUI owns is released elsewhere
(the same rule as `ui/ops.py`). Without an account nothing here opens a connection, nor a thread.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from netjournal.core.clock import utcnow
from netjournal.core.errors import NetjournalError

if TYPE_CHECKING:
    from netjournal.app import NetjournalApp
    from netjournal.core.db import Journal, Session
    from netjournal.core.sync.dav import Found
    from netjournal.core.sync.run import SyncRun

log = logging.getLogger(__name__)

INTERVAL_SECONDS = 30 * 60
STOP_WAIT_MS = 30_000  # at quit, how long a running sync may take to finish


@dataclass(frozen=True)
class AccountForm:
    """What the "Add an account" form holds: the plain data a connection test needs."""

    name: str
    url: str
    username: str
    password: str
    allow_http: bool


# ------------------------------------------------------------------------------------------- worker


class NetWorker(QObject):
    """Lives in a network thread (moveToThread); runs one sync or one connection test at a time."""

    synced = Signal(object)  # SyncRun
    sync_failed = Signal(str)  # what went wrong, in words
    tested = Signal(str, object)  # (principal URL, the address books and calendars found: list[Found])
    test_failed = Signal(str, str)  # (a known problem in words, or "" for a bug; the exception's type name)

    def __init__(self, journal: Journal) -> None:
        super().__init__()
        self.journal = journal

    @Slot()
    def sync(self) -> None:
        from netjournal.core.sync.run import sync_all

        try:
            run = sync_all(self.journal, now=utcnow())
        except Exception as exc:  # told in plain words on the GUI thread; the thread lives on
            log.warning("sync failed: %s", type(exc).__name__)
            self.sync_failed.emit(str(exc) or type(exc).__name__)
            return
        self.synced.emit(run)

    @Slot(object)
    def test(self, form: AccountForm) -> None:
        from netjournal.core.sync.accounts import check_name, probe

        try:
            principal, found = probe(check_name(form.name), form.url, form.username, form.password, form.allow_http)
        except NetjournalError as exc:
            self.test_failed.emit(str(exc), type(exc).__name__)
            return
        except Exception as exc:  # a bug or an odd server: the dialog says it did not work
            log.warning("connection test failed: %s", type(exc).__name__)
            self.test_failed.emit("", type(exc).__name__)
            return
        self.tested.emit(principal, found)


class _Lane(QObject):
    """One QThread with its NetWorker, started on first use (no thread at all without an account)."""

    _sync = Signal()
    _test = Signal(object)  # AccountForm

    def __init__(self, journal: Journal, name: str, parent: QObject) -> None:
        super().__init__(parent)
        self.thread_ = QThread()
        self.thread_.setObjectName(name)
        self.worker = NetWorker(journal)
        self.worker.moveToThread(self.thread_)
        # Queued: the slots run in the network thread, whatever thread these signals are emitted from.
        self._sync.connect(self.worker.sync, Qt.ConnectionType.QueuedConnection)
        self._test.connect(self.worker.test, Qt.ConnectionType.QueuedConnection)
        self.thread_.finished.connect(self.worker.deleteLater)
        self.thread_.start()

    def stop(self) -> None:
        self.thread_.quit()  # after the job it is running
        if not self.thread_.wait(STOP_WAIT_MS):
            log.warning("the %s thread did not finish within %d s", self.thread_.objectName(), STOP_WAIT_MS // 1000)


# ------------------------------------------------------------------------------------------ service


class SyncService(QObject):
    """Syncs in the background every 30 minutes while an account exists; offline is skipped quietly.

    Every signal here is emitted on the GUI thread."""

    synced = Signal(object)  # list[SyncReport] of the sync that just finished (empty when it failed)
    tested = Signal(str, object)  # a connection test worked: (principal URL, list[Found])
    test_failed = Signal(str, str)  # (a known problem in words, or ""; the exception's type name)
    accounts_changed = Signal()

    def __init__(self, app: NetjournalApp) -> None:
        super().__init__(app)
        self.app = app
        self.has_accounts = False
        self.running = False
        self.quiet = True  # the running sync's: no notice when it ends
        self.last_attempt: float | None = None
        self._lanes: dict[str, _Lane] = {}
        self.accounts_changed.connect(self.refresh)
        self.refresh()

    def _lane(self, name: str) -> _Lane:
        lane = self._lanes.get(name)
        if lane is None:
            lane = self._lanes[name] = _Lane(self.app.journal, name, self)
            # Queued back to this object's (the GUI) thread.
            queued = Qt.ConnectionType.QueuedConnection
            lane.worker.synced.connect(self._synced, queued)
            lane.worker.sync_failed.connect(self._sync_failed, queued)
            lane.worker.tested.connect(self.tested, queued)
            lane.worker.test_failed.connect(self.test_failed, queued)
        return lane

    @property
    def sync_thread(self) -> QThread | None:
        """The thread syncs run in, once one has run (for tests)."""
        lane = self._lanes.get("netjournal-sync")
        return lane.thread_ if lane is not None else None

    def refresh(self) -> None:
        from netjournal.core.sync.run import anything_to_sync

        self.app.ops.read(anything_to_sync, self._has_accounts, lambda _e: None)

    def _has_accounts(self, has: object) -> None:
        self.has_accounts = bool(has)

    def attach(self) -> None:
        waker = self.app.waker
        if waker is not None:
            waker.tick.connect(self._tick)
            waker.resumed.connect(self._resumed)
        if self.app.tray is not None:
            self.app.tray.fillers.append(self._fill_tray)

    def _fill_tray(self, menu: QMenu) -> None:
        if self.has_accounts:
            action = menu.addAction(self.tr("Syncing…") if self.running else self.tr("Sync now"))
            action.setEnabled(not self.running)
            action.triggered.connect(lambda: self.sync_now(quiet=False))

    def _resumed(self, _gap: float) -> None:
        self._tick(catch_up=True)

    def _tick(self, catch_up: bool = False) -> None:
        due = self.last_attempt is None or time.monotonic() - self.last_attempt >= INTERVAL_SECONDS
        if self.has_accounts and (due or catch_up):
            self.sync_now(quiet=True)

    def sync_now(self, quiet: bool = False) -> bool:
        """Start one sync of every account (False when one is already running or there is no account).

        When it ends, `synced` is emitted (on the GUI thread); unless `quiet`, a notice says how it went."""
        if self.running or not self.has_accounts:
            return False
        self.running = True
        self.quiet = quiet
        self.last_attempt = time.monotonic()
        self._lane("netjournal-sync")._sync.emit()
        return True

    def test_connection(self, form: AccountForm) -> None:
        """Probe a server with the form's details; `tested` or `test_failed` follows (on the GUI thread)."""
        self._lane("netjournal-account-test")._test.emit(form)

    @Slot(object)
    def _synced(self, run: SyncRun) -> None:
        if run.changed:
            self.app.journal_changed.emit()
        self._done(list(run.accounts), "; ".join(run.problems))

    @Slot(str)
    def _sync_failed(self, problem: str) -> None:
        self._done([], problem)

    def _done(self, reports: list[Any], problem: str) -> None:
        self.running = False
        self.synced.emit(reports)
        if not self.quiet:
            self.app.window.show_notice(self.tr("Sync: {0}").format(problem) if problem else self.tr("Synced."))

    def stop(self) -> None:
        for lane in self._lanes.values():
            lane.stop()


# ------------------------------------------------------------------------------------------- dialog


class AccountsDialog(QDialog):
    """Settings → Accounts."""

    def __init__(self, service: SyncService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.ops = service.app.ops
        self.setWindowTitle(self.tr("Accounts"))
        self.setObjectName("accounts_dialog")
        intro = QLabel(
            self.tr(
                "Sync contacts with your own CardDAV server (Nextcloud, Radicale, Fastmail, iCloud…) and read "
                "meetings from its calendars. Only contact-card fields travel; your notes stay here."
            )
        )
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        self.accounts = QListWidget()
        self.accounts.setObjectName("accounts_list")
        self.accounts.setAccessibleName(self.tr("Accounts"))
        self.accounts.currentItemChanged.connect(lambda *_a: self._show_collections())
        # The selected account's address books and calendars: ticked ones are synced.
        self.collections = QListWidget()
        self.collections.setObjectName("accounts_collections")
        self.collections.setAccessibleName(self.tr("Address books and calendars of this account"))
        self.collections.setMaximumHeight(70)
        self.collections.itemChanged.connect(self._toggled)
        self._infos: dict[str, Any] = {}
        self.status = QLabel()
        self.status.setObjectName("accounts_status")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        self.sync_button = QPushButton(self.tr("Sync now"))
        self.remove_button = QPushButton(self.tr("Remove"))
        self.sync_button.clicked.connect(self._sync)
        self.remove_button.clicked.connect(self._remove)
        # The form stays folded while accounts exist, so the dialog fits a small screen.
        self.add_more = QPushButton(self.tr("Add another account…"))
        self.add_more.clicked.connect(self._open_form)
        row = QHBoxLayout()
        row.addWidget(self.sync_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        row.addWidget(self.add_more)

        self.form = QGroupBox(self.tr("Add an account"))
        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("a short name, like home"))
        self.url = QLineEdit()
        self.url.setPlaceholderText("https://dav.example.org/")
        self.username = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.allow_http = QCheckBox(self.tr("Allow plain HTTP to another machine (unencrypted)"))
        for w, name in (
            (self.name, "Account name"),
            (self.url, "Server address"),
            (self.username, "User name"),
            (self.password, "Password"),
        ):
            w.setAccessibleName(self.tr(name))
        form = QFormLayout(self.form)
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Server"), self.url)
        form.addRow(self.tr("User name"), self.username)
        form.addRow(self.tr("Password"), self.password)
        form.addRow("", self.allow_http)
        self.test_button = QPushButton(self.tr("Test connection"))
        self.test_button.clicked.connect(self._test)
        self.test_result = QLabel()
        self.test_result.setObjectName("accounts_test_result")
        self.test_result.setTextFormat(Qt.TextFormat.PlainText)
        self.test_result.setWordWrap(True)
        self.found = QListWidget()
        self.found.setObjectName("accounts_found")
        self.found.setAccessibleName(self.tr("Address books and calendars to sync"))
        self.found.setMaximumHeight(110)
        self.found.hide()
        self.add_button = QPushButton(self.tr("Add account"))
        self.add_button.setEnabled(False)
        self.add_button.clicked.connect(self._add)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addWidget(self.add_button)
        test_row.addStretch(1)
        form.addRow(test_row)
        form.addRow(self.test_result)
        form.addRow(self.found)
        for w in (self.url, self.username, self.password):
            w.textChanged.connect(lambda _t: self.add_button.setEnabled(False))

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        self.accounts.setMaximumHeight(80)  # a few accounts at most; the dialog must fit 760x480
        layout.addWidget(self.accounts)
        layout.addWidget(self.collections)
        layout.addWidget(self.status)
        layout.addLayout(row)
        layout.addWidget(self.form)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)
        self._probe: tuple[str, list[Found]] | None = None
        self._shown_once = False
        # Folded from the start when the service knows of an account (no jump once the list arrives).
        self._had = service.has_accounts
        self.form.setVisible(not self._had)
        for shown in (self.accounts, self.collections, self.sync_button, self.remove_button):
            shown.setVisible(self._had)
        self.add_more.setVisible(self._had)
        service.synced.connect(self._synced)  # a bound slot: disconnected when the dialog goes
        service.tested.connect(self._tested)
        service.test_failed.connect(self._test_failed)
        self.reload()

    # ------------------------------------------------------------------------------------ listing
    def _synced(self, _reports: object) -> None:
        self.reload()

    def reload(self) -> None:
        from netjournal.core.sync.accounts import all_accounts, info

        self.ops.read(lambda s: [info(a) for a in all_accounts(s)], self._show, parent=self)

    def _show(self, infos: list[Any]) -> None:
        from netjournal.core.sync.status import status_line

        current = self.accounts.currentItem()
        keep = current.data(Qt.ItemDataRole.UserRole) if current is not None else None
        self._infos = {i.name: i for i in infos}
        self.accounts.blockSignals(True)
        self.accounts.clear()
        now = utcnow()
        for i in infos:
            books = ", ".join(n for n, on in i.addressbooks if on) or self.tr("no address book")
            status = status_line(i.last_sync_at, i.last_ok_at, i.last_problem, now)
            item = QListWidgetItem(f"{i.name} — {i.username} ({books})\n{status}")
            item.setData(Qt.ItemDataRole.UserRole, i.name)
            self.accounts.addItem(item)
            if i.name == keep or keep is None:
                self.accounts.setCurrentItem(item)
                keep = i.name
        self.accounts.blockSignals(False)
        self._show_collections()
        has = bool(infos)
        if not self._shown_once:  # first look: the form open only when there is no account yet
            self._shown_once = True
            self.form.setVisible(not has)
        self.add_more.setVisible(has and not self.form.isVisible())
        for w in (self.accounts, self.sync_button, self.remove_button):
            w.setVisible(has)
        self.sync_button.setEnabled(has and not self.service.running)
        if has != self._had:
            self._had = has
            self.adjustSize()
        self.remove_button.setEnabled(has)
        if not has:
            self.status.setText(self.tr("No accounts yet. Without one, netjournal opens no connection at all."))
        elif self.service.running:
            self.status.setText(self.tr("Syncing…"))
        else:
            self.status.setText(self.tr("netjournal syncs every 30 minutes while it runs."))

    def _open_form(self) -> None:
        self.form.show()
        self.add_more.hide()
        self.name.setFocus()
        self.adjustSize()

    def _show_collections(self) -> None:
        info = self._infos.get(self._selected() or "")
        self.collections.blockSignals(True)
        self.collections.clear()
        for url, name, kind, chosen in info.collections if info is not None else []:
            what = self.tr("address book") if kind == "addressbook" else self.tr("calendar")
            item = QListWidgetItem(f"{name} ({what})")
            item.setData(Qt.ItemDataRole.UserRole, url)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if chosen else Qt.CheckState.Unchecked)
            self.collections.addItem(item)
        self.collections.blockSignals(False)
        self.collections.setVisible(info is not None and bool(info.collections))

    def _toggled(self, item: QListWidgetItem) -> None:
        name = self._selected()
        if name is None:
            return
        url = item.data(Qt.ItemDataRole.UserRole)
        on = item.checkState() == Qt.CheckState.Checked

        from netjournal.core.sync.accounts import choose

        self.ops.write(lambda s: choose(s, name, {url: on}), lambda _r: self.reload(), parent=self)

    def _selected(self) -> str | None:
        item = self.accounts.currentItem()
        name = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return str(name) if name is not None else None

    def _sync(self) -> None:
        if self.service.sync_now(quiet=False):
            self.status.setText(self.tr("Syncing…"))
            self.sync_button.setEnabled(False)

    def _remove(self) -> None:
        name = self._selected()
        if name is None:
            return

        from netjournal.core.sync.accounts import remove_account

        data_dir = self.ops.journal.data_dir

        def done(_r: object) -> None:
            self.service.accounts_changed.emit()
            self.status.setText(self.tr("Removed {0}. The people it brought stay in the journal.").format(name))
            self.reload()

        self.ops.write(lambda s: remove_account(s, data_dir, name), done, parent=self)

    # -------------------------------------------------------------------------------------- adding
    def _form(self) -> AccountForm:
        return AccountForm(
            self.name.text().strip(),
            self.url.text().strip(),
            self.username.text().strip(),
            self.password.text(),
            self.allow_http.isChecked(),
        )

    def _test(self) -> None:
        self.test_button.setEnabled(False)
        self.add_button.setEnabled(False)
        self.test_result.setText(self.tr("Connecting…"))
        self.service.test_connection(self._form())

    def _test_failed(self, message: str, kind: str) -> None:
        self.test_button.setEnabled(True)
        self.found.clear()
        self.found.hide()
        self.test_result.setText(message or self.tr("That did not work ({0}).").format(kind))

    def _tested(self, principal: str, found: list[Found]) -> None:
        self.test_button.setEnabled(True)
        self.found.clear()
        self._probe = (principal, found)
        for f in found:
            kind = self.tr("address book") if f.kind == "addressbook" else self.tr("calendar")
            item = QListWidgetItem(f"{f.name} ({kind})")
            item.setData(Qt.ItemDataRole.UserRole, f.url)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.found.addItem(item)
        self.found.setVisible(bool(found))
        self.test_result.setText(
            self.tr("Connected. Choose what to sync:")
            if found
            else self.tr("Connected, but nothing to sync was found.")
        )
        self.add_button.setEnabled(True)

    def _add(self) -> None:
        if self._probe is None:
            return
        form = self._form()
        principal, found = self._probe
        chosen = {
            self.found.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.found.count())
            if self.found.item(i).checkState() == Qt.CheckState.Checked
        }

        from netjournal.core.sync.accounts import save_account

        data_dir = self.ops.journal.data_dir

        def job(s: Session) -> None:
            save_account(
                s,
                data_dir,
                name=form.name,
                url=form.url,
                username=form.username,
                password=form.password,
                allow_http=form.allow_http,
                principal=principal,
                found=found,
                now=utcnow(),
                chosen=chosen,
            )

        def done(_r: object) -> None:
            self.password.clear()
            self.found.clear()
            self.found.hide()
            self._probe = None
            self.add_button.setEnabled(False)
            self.test_result.setText(self.tr("Added {0}. The first sync starts now.").format(form.name))
            self.service.has_accounts = True
            self.service.accounts_changed.emit()
            self.reload()
            self.service.sync_now(quiet=True)  # `synced` reloads the list when it ends

        self.ops.write(job, done, parent=self)


def install(app: NetjournalApp) -> None:
    service = SyncService(app)
    app.sync = service
    app.started.connect(service.attach)
    found = [a.menu() for a in app.window.menuBar().actions() if a.objectName() == "menu_settings"]
    menu = next((m for m in found if isinstance(m, QMenu)), None)
    if menu is None:
        menu = QMenu(app.tr("&Settings"), app.window)
        menu.menuAction().setObjectName("menu_settings")
        app.window.menuBar().insertMenu(app.window.menu_help.menuAction(), menu)
    action = QAction(app.tr("&Accounts…"), app.window)

    def show() -> None:
        dialog = AccountsDialog(service, app.window)
        dialog.exec()
        dialog.deleteLater()

    action.triggered.connect(show)
    menu.addAction(action)
