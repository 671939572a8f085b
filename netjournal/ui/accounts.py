"""Settings → Accounts: add an account with a connection test, choose its address books and calendars,
remove it, sync now; and the calendar subscriptions (ui/subscriptions.py). The syncing itself, off the
GUI thread, is the sync service's (ui/sync_service.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from netjournal.core.clock import utcnow
from netjournal.ui.form_parts import plain_label
from netjournal.ui.subscriptions import SubscriptionsBox
from netjournal.ui.sync_service import AccountForm, SyncService

if TYPE_CHECKING:
    from netjournal.app import NetjournalApp
    from netjournal.core.db import Session
    from netjournal.core.sync.dav import Found

# SyncService is re-exported: app.py declares `app.sync` with it.
__all__ = ["AccountForm", "AccountsDialog", "SyncService", "install"]


# ------------------------------------------------------------------------------------------- dialog


class AccountsDialog(QDialog):
    """Settings → Accounts."""

    def __init__(self, service: SyncService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.ops = service.app.ops
        self.setWindowTitle(self.tr("Accounts"))
        self.setObjectName("accounts_dialog")
        intro = plain_label(
            self.tr(
                "Sync contacts with your own CardDAV server (Nextcloud, Radicale, Fastmail, iCloud…) and read "
                "meetings from its calendars, or subscribe to a calendar by its address (below). Only "
                "contact-card fields travel; your notes stay here."
            )
        )
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
        self.status = plain_label()
        self.status.setObjectName("accounts_status")
        self.sync_button = QPushButton(self.tr("Sync now"))
        self.remove_button = QPushButton(self.tr("Remove account"))
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
        self.test_result = plain_label()
        self.test_result.setObjectName("accounts_test_result")
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
        self.subscriptions = SubscriptionsBox(self.ops, self)
        self.subscriptions.changed.connect(self._subscriptions_changed)
        layout.addWidget(self.subscriptions)
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
        self.subscriptions.reload()
        self.reload()

    def _subscriptions_changed(self, added: bool) -> None:
        self.service.accounts_changed.emit()
        if added:  # read it now (the list says how it went)
            self.service.has_accounts = True
            self.service.sync_now(quiet=True)
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
        if not self._shown_once:  # first look: the form open only when nothing is set up yet
            self._shown_once = True
            self.form.setVisible(not has and not self.subscriptions.count)
        self.add_more.setVisible(not self.form.isVisibleTo(self))
        self.add_more.setText(self.tr("Add another account…") if has else self.tr("Add an account…"))
        for w in (self.accounts, self.remove_button):
            w.setVisible(has)
        anything = has or self.subscriptions.count > 0  # Sync now reads the subscriptions too
        self.sync_button.setVisible(anything)
        self.sync_button.setEnabled(anything and not self.service.running)
        if has != self._had:
            self._had = has
            self.adjustSize()
        self.remove_button.setEnabled(has)
        if not has and self.subscriptions.count:
            self.status.setText(self.tr("No accounts yet. The calendar subscriptions are read every 30 minutes."))
        elif not has:
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
