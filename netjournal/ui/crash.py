"""One dialog for bugs: a calm message, a copyable report, and the log file's location."""

from __future__ import annotations

import logging
import platform
import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from netjournal import __version__

log = logging.getLogger(__name__)


def crash_report(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> str:
    lines = [
        f"netjournal {__version__}",
        f"Python {platform.python_version()} on {platform.platform()}",
        f"Qt {qVersion()}",
        "",
        *traceback.format_exception(exc_type, exc, tb),
    ]
    return "\n".join(line.rstrip("\n") for line in lines)


class CrashDialog(QDialog):
    def __init__(self, report: str, log_file: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("netjournal ran into a problem"))
        intro = QLabel(
            self.tr(
                "Something went wrong inside netjournal. Your journal is safe: everything you saved is "
                "stored, and nothing half-done was written.\n\nIf you'd like to report it, copy the details "
                "below and read them over before you share them."
            )
        )
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        self.report = QPlainTextEdit(report)
        self.report.setReadOnly(True)
        self.report.setMinimumSize(560, 220)
        copy = QPushButton(self.tr("&Copy report"))
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(report))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.report)
        if log_file is not None:
            where = QLabel(self.tr("The log file is {0}").format(log_file))
            where.setTextFormat(Qt.TextFormat.PlainText)
            where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            layout.addWidget(where)
        layout.addWidget(buttons)


class CrashHandler:
    """sys.excepthook for the GUI: log the bug, show one dialog (not one per repeat)."""

    def __init__(self, log_file: Path | None, *, interactive: bool = True) -> None:
        self.log_file = log_file
        self.interactive = interactive
        self.showing = False
        self.reports: list[str] = []

    def install(self) -> None:
        sys.excepthook = self

    def __call__(self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        report = crash_report(exc_type, exc, tb)
        self.reports.append(report)
        log.error("unexpected error\n%s", report)
        if self.showing or not self.interactive or QApplication.instance() is None:
            return
        self.showing = True
        try:
            CrashDialog(report, self.log_file).exec()
        finally:
            self.showing = False
