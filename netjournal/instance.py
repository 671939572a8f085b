"""One window per journal: a second launch on the same journal asks the first to come forward and exits."""

from __future__ import annotations

import hashlib
import os

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from netjournal.core.paths import DataDir


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
