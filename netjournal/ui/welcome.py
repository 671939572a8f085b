"""The welcome on a journal with no one in it yet: add the first person, import contacts (and where each
export comes from), open the demo journal, and the Ctrl+L tip. Today shows it instead of its week
while the journal has no people; it steps aside as soon as someone is added or imported.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from PySide6.QtCore import QProcess, Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from netjournal.core.people_view import has_people
from netjournal.ui.form_parts import plain_label
from netjournal.ui.layout import scrolling

if TYPE_CHECKING:
    from netjournal.app import NetjournalApp

# Where each kind of file comes from, one line each (menu paths as the services name them).
EXPORT_SOURCES = (
    ("Google Contacts", "Export → vCard, or Google CSV"),
    ("Outlook", "People → Export contacts (CSV)"),
    ("LinkedIn", "Settings → Data privacy → Get a copy of your data → Connections (Connections.csv)"),
    ("A phone", "share your contacts as a .vcf file and copy it here"),
)


def demo_command() -> tuple[str, list[str]]:
    """How to start this same netjournal on the demo journal (its own profile, never the user's data)."""
    if getattr(sys, "frozen", False):
        return sys.executable, ["--demo"]
    return sys.executable, ["-m", "netjournal", "--demo"]


class Welcome(QWidget):
    """Three ways to begin, each a button; what to expect, in a few plain lines."""

    add_requested = Signal()
    import_requested = Signal()
    demo_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcome")
        title = plain_label(self.tr("Welcome to netjournal"), scale=1.6, bold=True)
        intro = plain_label(
            self.tr(
                "A private journal for the people you'd like to keep in touch with: how you met, what you talked "
                "about, what you promised. It stays on this computer. Start with one person; a few good "
                "relationships matter more than many."
            )
        )
        self.add_button = QPushButton(self.tr("Add the first person…"))
        self.add_button.setDefault(True)
        self.add_button.clicked.connect(self.add_requested)
        self.import_button = QPushButton(self.tr("Import contacts…"))
        self.import_button.clicked.connect(self.import_requested)
        self.demo_button = QPushButton(self.tr("Open the demo journal"))
        self.demo_button.setToolTip(self.tr("Made-up people, in a window of its own. Your journal stays as it is."))
        self.demo_button.clicked.connect(self.demo_requested)
        buttons = QHBoxLayout()
        for b in (self.add_button, self.import_button, self.demo_button):
            buttons.addWidget(b)
        buttons.addStretch(1)

        where = plain_label(self.tr("Where to get a contacts file"), bold=True)
        sources = QVBoxLayout()
        sources.setSpacing(2)
        for service, path in EXPORT_SOURCES:
            sources.addWidget(plain_label(f"{self.tr(service)}: {self.tr(path)}", muted=True))
        calendar = plain_label(self.tr("Meetings come in the same way, from an .ics calendar file."), muted=True)
        self.tip = plain_label(
            self.tr(
                "Tip: Ctrl+L logs a meeting from anywhere in three steps: Ctrl+L, a name and Enter, a note and "
                "Ctrl+Enter."
            )
        )
        self.tip.setObjectName("quickLogTip")

        body = QWidget()
        col = QVBoxLayout(body)
        col.setContentsMargins(24, 20, 24, 20)
        col.setSpacing(10)
        col.addWidget(title)
        col.addWidget(intro)
        col.addSpacing(6)
        col.addLayout(buttons)
        col.addSpacing(14)
        col.addWidget(where)
        col.addLayout(sources)
        col.addWidget(calendar)
        col.addSpacing(14)
        col.addWidget(self.tip)
        col.addStretch(1)
        body.setMaximumWidth(820)
        holder = QWidget()
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(body, 1)
        row.addStretch(0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scrolling(holder))


def attach(app: NetjournalApp, today: QWidget) -> Welcome:
    """Put the welcome at the top of Today and show it (instead of the week) while no one is in the journal."""
    welcome = Welcome(today)
    layout = today.layout()
    assert isinstance(layout, QVBoxLayout)
    layout.insertWidget(0, welcome)
    welcome.setVisible(False)

    def show(empty: bool) -> None:
        welcome.setVisible(empty)
        for i in range(layout.count()):
            item = layout.itemAt(i)
            w = item.widget() if item is not None else None
            if w is not None and w is not welcome:
                w.setVisible(not empty)

    def check() -> None:
        app.ops.read(has_people, lambda anyone: show(not anyone), parent=welcome)

    def demo() -> None:
        program, args = demo_command()
        if not QProcess.startDetached(program, args):
            app.window.show_notice(app.tr("The demo journal could not be started."))
        else:
            app.window.show_notice(app.tr("The demo journal opens in its own window in a moment."))

    welcome.add_requested.connect(app.nav.add_person)
    welcome.import_requested.connect(app.nav.import_contacts)
    welcome.demo_requested.connect(demo)
    app.journal_changed.connect(check)
    check()
    return welcome
