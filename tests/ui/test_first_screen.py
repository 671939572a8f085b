"""The first screen is alive at once: Today is built and filled first, the other sections follow."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timedelta

from PySide6.QtWidgets import QApplication

from netjournal.app import NetjournalApp
from netjournal.core.clock import utcnow
from netjournal.core.db import Journal
from netjournal.core.journal import add_commitment
from netjournal.core.models import Direction
from netjournal.core.paths import DataDir
from netjournal.core.reader import open_reader
from netjournal.core.today import today_data
from netjournal.ui.main_window import MainWindow
from netjournal.ui.today import show_early
from tests.factories import person


def test_a_staged_start_shows_today_first_then_builds_every_section(qtbot, journal: Journal) -> None:  # type: ignore[no-untyped-def]
    app = NetjournalApp(QApplication.instance(), journal, interactive=False, staged=True)
    qtbot.addWidget(app.window)
    assert app.window.sidebar.count() == 1 and hasattr(app, "today")  # Today at once, nothing else yet
    assert not app.ready
    qtbot.waitUntil(lambda: app.ready, timeout=10_000)
    staged = [app.window.sidebar.item(i).text() for i in range(app.window.sidebar.count())]
    menus = [a.text() for a in app.window.menu_file.actions()]
    app.shutdown()
    whole = NetjournalApp(QApplication.instance(), journal, interactive=False)  # every feature at once
    qtbot.addWidget(whole.window)
    assert staged == [whole.window.sidebar.item(i).text() for i in range(whole.window.sidebar.count())]
    assert menus == [a.text() for a in whole.window.menu_file.actions()]
    assert len(staged) > 3
    whole.shutdown()


def test_the_app_start_fills_today_from_the_journal_before_people(data_dir: DataDir, now: datetime) -> None:
    from netjournal.core.db import open_journal

    journal = open_journal(data_dir)
    with journal.session() as s:
        ana = person(s, "Ana Müller", now)
        add_commitment(
            s, ana.id, Direction.I_OWE, "Send Ana the slides", now=now, due_on=(now + timedelta(days=1)).date()
        )
    journal.close()
    env = dict(os.environ, NETJOURNAL_BENCH_STARTUP="1", QT_QPA_PLATFORM="offscreen")
    out = subprocess.run(
        [sys.executable, "-m", "netjournal", "--data-dir", str(data_dir.root)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    marks = {
        line.split()[1]: float(line.split()[2])
        for line in out.stdout.splitlines()
        if line.startswith("netjournal-bench")
    }
    assert {"window", "today", "people", "stall", "stall_all"} <= set(marks)
    assert marks["window"] <= marks["today"] <= marks["people"]
    assert marks["orm_before_today"] == 0  # Today was read on the thin path, before SQLAlchemy was imported


def test_today_read_ahead_is_the_view_the_app_keeps(qtbot, data_dir: DataDir, journal: Journal, now: datetime) -> None:  # type: ignore[no-untyped-def]
    with journal.session() as s:
        ana = person(s, "Ana Müller", now)
        promise = add_commitment(s, ana.id, Direction.I_OWE, "Send Ana the slides", now=now, due_on=now.date())
        promise_id = promise.id
    con = open_reader(data_dir)
    try:
        data = today_data(con, utcnow())  # what start-up reads before the journal is open
    finally:
        con.close()
    window = MainWindow()
    qtbot.addWidget(window)
    view = show_early(window, data)
    assert view.loaded and [p.id for p in view.data.promises] == [promise_id]
    view.refresh()  # nothing to refresh with yet: it keeps what it shows
    app = NetjournalApp(QApplication.instance(), journal, interactive=False, window=window, staged=True)
    try:
        assert app.today is view  # type: ignore[attr-defined]
        qtbot.waitUntil(lambda: app.ready, timeout=10_000)
        titles = [window.sidebar.item(i).text() for i in range(window.sidebar.count())]
        assert titles.count("Today") == 1 and titles[0] == "Today" and len(titles) > 3
        view.promise_done(promise_id)  # the early view works like any other once the app is built
        qtbot.waitUntil(lambda: not view.data.promises, timeout=10_000)
    finally:
        app.ops.wait_idle()
        app.shutdown()
