"""The real app on a real desktop (Xvfb + openbox + trayer, Qt's xcb platform), driven by key events.

Each test starts its own X server, window manager and tray, then `netjournal --data-dir DIR` through
its entry point with PYTHONFAULTHANDLER=1: if the app dies, the failure shows every thread's stack.
What the app saved is read back with the core code after it has written.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from netjournal.core import settings
from netjournal.core.clock import utcnow
from netjournal.core.db import open_journal
from netjournal.core.journal import InteractionData, PersonData, create_person, log_interaction
from netjournal.core.models import Channel, Interaction, SuggestionEvent
from netjournal.core.paths import DataDir
from tests.desktop.harness import App, Desktop, wait_for

pytestmark = pytest.mark.desktop

PEOPLE = ("Sofia Lindqvist", "Kwame Mensah", "Noor Haddad", "Priya Raman")
QUICK_LOGS = 200


def _seed(root: Path, *, digest_due: bool = False) -> Path:
    journal = open_journal(DataDir.at(root).ensure())
    now = utcnow()
    with journal.session() as s:
        for name in PEOPLE:
            create_person(s, PersonData(name=name, circle=150), now=now - timedelta(days=30))
        if digest_due:
            # No quiet hours and a digest due since Monday 00:00: the first look after start-up
            # delivers this week's digest, whatever the day and time the test runs.
            for key, value in {
                "reconnect.quiet_weekends": False,
                "reconnect.quiet_start": "00:00",
                "reconnect.quiet_end": "00:00",
                "reconnect.digest_weekday": 0,
                "reconnect.digest_time": "00:00",
            }.items():
                settings.put(s, key, value)
            jonas = create_person(s, PersonData(name="Jonas Weber", circle=50), now=now - timedelta(days=400))
            log_interaction(
                s, [jonas.id], InteractionData(at=now - timedelta(days=250), channel=Channel.COFFEE, warmth=5), now=now
            )
    journal.close()
    return root


def _logged(root: Path) -> dict[str, list[str]]:
    """Each saved note with the names of the people it is with."""
    journal = open_journal(DataDir.at(root))
    try:
        with journal.read() as s:
            return {i.notes: sorted(p.name for p in i.people) for i in s.scalars(select(Interaction))}
    finally:
        journal.close()


def test_two_hundred_quick_logs_are_saved_and_still_there_after_ctrl_q(
    start_app: Callable[[Path], App], tmp_path: Path
) -> None:
    root = _seed(tmp_path / "journal")
    app = start_app(root)
    assert app.title() == "Today — netjournal"
    expected: dict[str, list[str]] = {}
    t0 = time.monotonic()
    for i in range(QUICK_LOGS):
        who = PEOPLE[i % len(PEOPLE)]
        note = f"hello {i + 1} {who.split()[0]}"
        # Most names are typed in full, every fifth only its first letters; each is picked from the list.
        app.quick_log(who, note, typed=who[:3] if i % 5 == 0 else "")
        expected[note] = [who]
    app.check()
    print(f"{QUICK_LOGS} quick logs typed in {time.monotonic() - t0:.0f} s")
    assert app.quit() == 0, app.stderr()
    assert _logged(root) == expected

    again = start_app(root)  # the same journal: everything is still there, and it still saves
    assert again.title() == "Today — netjournal"
    again.quick_log(PEOPLE[0], "after the restart")
    assert again.quit() == 0, again.stderr()
    saved = _logged(root)
    assert len(saved) == QUICK_LOGS + 1 and saved["after the restart"] == [PEOPLE[0]]


def _sections(qtbot, tmp_path: Path) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """The sidebar's sections and their shortcuts, as the app defines them (built offscreen here)."""
    from netjournal.app import NetjournalApp

    journal = open_journal(DataDir.at(tmp_path / "offscreen").ensure())
    app = NetjournalApp(QApplication.instance(), journal, interactive=False)  # type: ignore[arg-type]
    qtbot.addWidget(app.window)
    try:
        return [(s.title, s.shortcut) for s in app.window.sections() if s.shortcut]
    finally:
        app.shutdown()


def test_every_section_opens_with_its_shortcut(
    qtbot, start_app: Callable[[Path], App], desktop: Desktop, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    sections = _sections(qtbot, tmp_path)
    assert len(sections) >= 6 and sections[0] == ("Today", "Ctrl+1")
    # Ctrl+1..N follow the sidebar: Reflect, the fourth section, is Ctrl+4.
    assert [k for _t, k in sections] == [f"Ctrl+{n}" for n in range(1, len(sections) + 1)]
    assert ("Reflect", "Ctrl+4") in sections
    app = start_app(_seed(tmp_path / "journal"))
    screens: dict[str, str] = {}
    for title, shortcut in [*sections[1:], sections[0]]:
        app.focus_main()
        app.desktop.key(shortcut.lower())  # "Ctrl+Shift+F" is xdotool's "ctrl+shift+f"
        app.wait(lambda t=title: app.title() == f"{t} — netjournal", 10, f"the {title} section")
        time.sleep(0.3)  # let the page paint before the picture
        shot = desktop.screenshot(tmp_path / f"section-{title}.png")
        if shot is not None:
            screens[title] = hashlib.sha256(shot.read_bytes()).hexdigest()
    app.check()
    if screens:  # each section looks different on the screen, not only in the title
        assert len(set(screens.values())) == len(screens), screens
    assert app.quit() == 0, app.stderr()


def test_tray_menu_logs_opens_the_window_and_quits(start_app: Callable[[Path], App], tmp_path: Path) -> None:
    root = _seed(tmp_path / "journal")
    app = start_app(root)
    app.quick_log(PEOPLE[1], "logged from the tray", via_tray=True)
    assert _logged(root) == {"logged from the tray": [PEOPLE[1]]}

    app.focus_main()
    app.desktop.key("ctrl+w")  # with a tray, closing the window keeps the app in the tray
    app.wait(lambda: not app.main_visible(), 10, "the window to close into the tray")
    app.tray_menu_pick("Open netjournal")
    app.wait(app.main_visible, 10, "the window to come back from the tray")

    app.tray_menu_pick("Quit")
    assert app.proc is not None and app.proc.wait(30) == 0, app.stderr()


def test_a_due_digest_shows_a_tray_notification(
    start_app: Callable[[Path], App], desktop: Desktop, tmp_path: Path
) -> None:
    root = _seed(tmp_path / "journal", digest_due=True)
    app = start_app(root)
    tray_x, _ = app.tray_icon()

    def balloon() -> int | None:
        # Qt's own balloon (showMessage under trayer): a window of the app's, by the tray, not a menu.
        for wid in app.popups():
            x, y, w, _ = desktop.geometry(wid)
            if y < 200 and x <= tray_x <= x + w + 40 and w > 150:
                return wid
        return None

    app.wait(balloon, 20, "the reminder's notification by the tray")
    desktop.screenshot(tmp_path / "notification.png")
    journal = open_journal(DataDir.at(root))
    try:
        with journal.read() as s:
            events = list(s.scalars(select(SuggestionEvent).where(SuggestionEvent.event == "digest")))
    finally:
        journal.close()
    assert len(events) == 1  # Jonas, delivered once
    assert app.quit() == 0, app.stderr()


LOCKED_PASS = "a desk lamp at midnight"


def _logged_locked(root: Path) -> dict[str, list[str]]:
    journal = open_journal(DataDir.at(root), passphrase=LOCKED_PASS)
    try:
        with journal.read() as s:
            return {i.notes: sorted(p.name for p in i.people) for i in s.scalars(select(Interaction))}
    finally:
        journal.close()


def test_a_locked_journal_is_unlocked_by_typing_and_stays_encrypted(desktop: Desktop, tmp_path: Path) -> None:
    import threading

    from netjournal.core.cipher import change_protection

    root = _seed(tmp_path / "journal")
    change_protection(DataDir.at(root), old_passphrase=None, new_passphrase=LOCKED_PASS)
    app = App(desktop, root, tmp_path / "logs")
    started: list[BaseException | None] = []

    def start() -> None:
        try:
            app.start(timeout=90)
            started.append(None)
        except BaseException as exc:  # reported on the test's thread below
            started.append(exc)

    starter = threading.Thread(target=start)
    starter.start()
    try:
        # The unlock dialog comes first: type as a person does (a wrong try, then the right one).
        dialog = wait_for(
            lambda: app.proc is not None and app.window_titled("Unlock your journal"), 60, "the unlock dialog"
        )
        desktop.xdo("windowactivate", "--sync", str(dialog), check=False)
        desktop.type("not the passphrase")
        desktop.key("Return")
        time.sleep(3)  # the passphrase is checked off the GUI thread (~0.4 s); the field is disabled meanwhile
        assert app.window_titled("Unlock your journal"), "a wrong passphrase keeps the dialog open"
        desktop.key("ctrl+a")
        desktop.type(LOCKED_PASS)
        desktop.key("Return")
        starter.join(120)
        assert started == [None], started
        # The unlock dialog was a window of the app too: find the main window again once it is gone.
        wait_for(lambda: not app.window_titled("Unlock your journal"), 30, "the unlock dialog to close")
        app.main_window = int(str(app.wait(app._find_main, 30, "the main window")))
        app.wait(lambda: app.title() == "Today — netjournal", 30, "Today in the title")
        for i in range(10):
            app.quick_log(PEOPLE[i % len(PEOPLE)], f"locked note {i}")
        app.check()
        assert app.quit() == 0, app.stderr()
    finally:
        starter.join(5)
        app.stop()
    saved = _logged_locked(root)
    assert {f"locked note {i}" for i in range(10)} <= set(saved)
    leaks = [f.name for f in root.rglob("*") if f.is_file() and b"locked note" in f.read_bytes()]
    assert leaks == [], f"journal text readable at rest in {leaks}"
