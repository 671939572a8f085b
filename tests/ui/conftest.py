"""The one app for UI tests: the whole NetjournalApp on the test's own journal, shut down afterwards."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from netjournal.app import NetjournalApp
from netjournal.core.db import Journal


@pytest.fixture
def app(qtbot: QtBot, journal: Journal) -> Iterator[NetjournalApp]:
    qapp = QApplication.instance()
    assert isinstance(qapp, QApplication)
    a = NetjournalApp(qapp, journal, interactive=False)
    qtbot.addWidget(a.window)
    yield a
    a.shutdown()


@pytest.fixture
def make_app(qtbot: QtBot, journal: Journal) -> Iterator[Callable[[], NetjournalApp]]:
    """For a test that fills the journal first: `app = make_app()` builds it then (shut down afterwards)."""
    made: list[NetjournalApp] = []

    def make() -> NetjournalApp:
        qapp = QApplication.instance()
        assert isinstance(qapp, QApplication)
        a = NetjournalApp(qapp, journal, interactive=False)
        qtbot.addWidget(a.window)
        made.append(a)
        return a

    yield make
    for a in made:
        a.shutdown()
