"""Soak: 1,000 mixed actions on a real desktop with a tray, against the large journal.

    python -m bench.soak_desktop [--actions 1000] [--seed 1] [--keep DIR]     (or: make bench-soak)

The app runs as a user runs it (Xvfb + openbox + trayer, Qt's xcb platform, PYTHONFAULTHANDLER=1) on a
copy of the large benchmark journal (bench/out/large: 5,000 people, 100,000 interactions, 2,000
reflections; generated first if missing). Actions, typed with xdotool in a seeded random order: quick
logs (Ctrl+L and from the tray), editing an entry, deleting one and undoing it (Ctrl+Z), search,
switching sections, the tray menu (and closing to the tray and back), a Prepare plan saved and saved
as PDF, a reflection.

Reports: crashes (the process died: its faulthandler trace is kept and the app started again), crash
dialogs and other unexpected windows (by action), whether every acknowledged write is in the journal
at the end, and the app's resident memory (VmRSS) at start and at the end.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from bench.generate_reflections import main as generate_large
from bench.timing import open_large_journal
from netjournal.core.clock import utcnow
from netjournal.core.db import open_journal
from netjournal.core.journal import PersonData, create_person
from netjournal.core.models import Interaction, Person, Plan, Reflection
from netjournal.core.paths import DataDir
from tests.desktop.harness import App, AppDied, Desktop, DesktopError, missing_tools

LARGE = Path(__file__).resolve().parent / "out" / "large"
SOAK_PERSON = "Zephyrine Soakwell"  # the person whose entries are edited, deleted and restored
CRASH_TITLE = "ran into a problem"

# Where the clicks land, relative to the main window at its default size (1100x720), for the widgets
# that have no keyboard route: the first row of the people list, the first timeline entry, a plan's title.
PEOPLE_FIRST_ROW = (240, 113)
TIMELINE_FIRST = (615, 185)
PLAN_TITLE = (685, 90)
SECTIONS = [
    ("ctrl+1", "Today"),
    ("ctrl+2", "People"),
    ("ctrl+3", "Prepare"),
    ("ctrl+5", "Reflect"),
    ("ctrl+6", "Insights"),
    ("ctrl+shift+f", "Search"),
]
WEIGHTS = {
    "quick_log": 22,
    "quick_log_tray": 6,
    "quick_log_soak": 8,
    "edit": 8,
    "delete_undo": 8,
    "search": 10,
    "section": 18,
    "tray": 8,
    "prepare": 6,
    "reflection": 6,
}


@dataclass
class Tally:
    done: Counter[str] = field(default_factory=Counter)
    crashes: list[tuple[str, str]] = field(default_factory=list)  # (action, stderr)
    dialogs: Counter[str] = field(default_factory=Counter)  # "action: window title"
    misses: Counter[str] = field(default_factory=Counter)  # a step that did not happen in time
    notes: dict[str, str] = field(default_factory=dict)  # quick-log note -> person
    soak_logs: int = 0
    last_edit: str | None = None
    plans: list[str] = field(default_factory=list)
    pdfs: list[Path] = field(default_factory=list)
    reflections: list[str] = field(default_factory=list)


def unique_names(root: Path, count: int) -> list[str]:
    """People whose full name is in no one else's name, so typing it and Down picks exactly them."""
    journal = open_journal(DataDir.at(root))
    try:
        with journal.read() as s:
            names = list(s.scalars(select(Person.name).order_by(Person.id)))
    finally:
        journal.close()
    lowered = [n.lower() for n in names]
    picked: list[str] = []
    for name in names[::97]:
        low = name.lower()
        if name.isascii() and sum(low in other for other in lowered) == 1:
            picked.append(name)
        if len(picked) == count:
            break
    return picked


def prepare_journal(work: Path) -> Path:
    open_large_journal(LARGE, lambda argv: generate_large(argv)).close()
    root = work / "journal"
    shutil.copytree(LARGE, root, ignore=shutil.ignore_patterns("backups", "logs"))
    journal = open_journal(DataDir.at(root))
    with journal.session() as s:
        create_person(s, PersonData(name=SOAK_PERSON, circle=150), now=utcnow() - timedelta(days=30))
    journal.close()
    return root


class Soak:
    def __init__(self, app: App, people: list[str], home: Path, rng: random.Random) -> None:
        self.app = app
        self.d = app.desktop
        self.people = people
        self.home = home
        self.rng = rng
        self.t = Tally()
        self.n = 0

    def at(self, offset: tuple[int, int]) -> None:
        assert self.app.main_window is not None
        x, y, _, _ = self.d.geometry(self.app.main_window)
        self.d.click(x + offset[0], y + offset[1])

    def section(self, key: str, title: str) -> None:
        self.app.focus_main()
        self.d.key(key)
        self.app.wait(lambda: self.app.title() == f"{title} — netjournal", 10, f"the {title} section")

    # -- the actions
    def quick_log(self, via_tray: bool = False) -> None:
        who = self.rng.choice(self.people)
        note = f"soak note {self.n} with {who}"
        self.app.quick_log(who, note, via_tray=via_tray)
        self.t.notes[note] = who

    def quick_log_tray(self) -> None:
        self.quick_log(via_tray=True)

    def quick_log_soak(self) -> None:
        self.app.quick_log(SOAK_PERSON, f"soak entry {self.n}")
        self.t.soak_logs += 1

    def _soak_page(self) -> None:
        self.section("ctrl+2", "People")
        self.d.key("ctrl+f", "ctrl+a")
        self.d.type(SOAK_PERSON.split()[0])
        time.sleep(0.4)  # the list filters as one types
        self.at(PEOPLE_FIRST_ROW)
        time.sleep(0.6)  # the page loads from the database worker
        self.at(TIMELINE_FIRST)

    def edit(self) -> None:
        if not self.t.soak_logs:
            return self.quick_log_soak()
        self._soak_page()
        self.d.key("Return")
        dialog = self.app.wait(lambda: self.app.window_titled("^Edit entry"), 10, "the entry's edit dialog")
        self.app.wait(lambda: self.d.active_window() == dialog, 10, "the edit dialog to have focus")
        note = f"soak edit {self.n}"
        self.d.key("alt+n", "ctrl+a")
        self.d.type(note)
        self.d.key("ctrl+Return")
        self.app.wait(lambda: self.app.window_titled("^Edit entry") is None, 20, "the edit dialog to close")
        self.t.last_edit = note
        return None

    def delete_undo(self) -> None:
        if not self.t.soak_logs:
            return self.quick_log_soak()
        self._soak_page()
        self.d.key("Delete")
        time.sleep(0.5)
        self.d.key("ctrl+z")
        time.sleep(0.5)
        return None

    def search(self) -> None:
        self.section("ctrl+shift+f", "Search")
        self.d.key("ctrl+a")
        self.d.type(self.rng.choice(["coffee", "intro", self.rng.choice(self.people).split()[0], "soak note"]))
        time.sleep(0.4)

    def switch(self) -> None:
        self.section(*self.rng.choice(SECTIONS))

    def section_action(self) -> None:
        self.switch()

    def tray(self) -> None:
        if self.rng.random() < 0.5:
            self.app.focus_main()
            self.d.key("ctrl+w")  # close to the tray, then back from its menu
            self.app.wait(lambda: not self.app.main_visible(), 10, "the window to close into the tray")
        self.app.tray_menu_pick("Open netjournal")
        self.app.wait(self.app.main_visible, 10, "the window back from the tray")

    def prepare(self) -> None:
        self.section("ctrl+3", "Prepare")
        self.d.key("ctrl+shift+n")
        # The new plan arrives from the database worker; typing before it does lands in the old form.
        time.sleep(1.2)
        self.at(PLAN_TITLE)
        title = f"Soak plan {self.n}"
        self.d.type(title)
        self.d.key("ctrl+s")
        time.sleep(0.6)
        self.dismiss_unexpected("prepare save")
        self.t.plans.append(title)
        self.app.focus_main()
        self.d.key("ctrl+shift+s")
        self.app.wait(lambda: self.app.window_titled("^Save the prep sheet"), 10, "the PDF file dialog")
        pdf = self.home / f"soak-{self.n}.pdf"
        self.d.type(str(pdf))
        self.d.key("Return")
        self.app.wait(lambda: pdf.exists() and pdf.stat().st_size > 0, 20, "the PDF to be written")
        self.t.pdfs.append(pdf)

    def reflection(self) -> None:
        self.section("ctrl+5", "Reflect")
        self.d.key("ctrl+shift+t")
        time.sleep(0.6)
        title = f"soak reflection {self.n}"
        self.d.type(title)
        self.d.key("ctrl+s")
        time.sleep(0.5)
        self.t.reflections.append(title)

    # -- around every action
    def dismiss_unexpected(self, action: str) -> None:
        """Note any window left open (a crash dialog, a question) and close it, so the soak goes on."""
        for _ in range(5):
            extra = [w for w in self.app.popups() if self.d.window_name(w) not in ("", "netjournal")]
            if not extra:
                return
            wid = extra[0]
            name = self.d.window_name(wid)
            self.t.dialogs[f"{action}: {name}"] += 1
            self.d.xdo("windowactivate", "--sync", str(wid), check=False)
            self.d.key("Escape")
            time.sleep(0.4)

    def step(self, action: str) -> None:
        self.n += 1
        run = getattr(self, "section_action" if action == "section" else action)
        try:
            run()
            self.app.check()
            self.t.done[action] += 1
        except AppDied as exc:
            self.t.crashes.append((action, exc.stderr))
            print(f"action {self.n} ({action}): the app died; starting it again", flush=True)
            self.app.start()
            return
        except DesktopError as exc:
            self.t.misses[f"{action}: {exc}"] += 1
            print(f"action {self.n} ({action}): {exc}", flush=True)
            if not self.app.alive():
                self.t.crashes.append((action, self.app.stderr()))
                self.app.start()
                return
            self.recover(action)
            return
        self.dismiss_unexpected(action)

    def recover(self, action: str) -> None:
        """After a step that did not happen: close what is open and bring the window back."""
        try:
            self.dismiss_unexpected(action)
            self.d.key("Escape")
            if not self.app.main_visible():
                self.app.tray_menu_pick("Open netjournal")
                self.app.wait(self.app.main_visible, 10, "the window back from the tray")
        except DesktopError as exc:
            print(f"  could not recover: {exc}", flush=True)


def verify(root: Path, t: Tally) -> list[str]:
    """What was acknowledged but is not in the journal."""
    problems: list[str] = []
    journal = open_journal(DataDir.at(root))
    try:
        with journal.read() as s:
            live = [i for i in s.scalars(select(Interaction)) if i.deleted_at is None]
            by_note = {i.notes: sorted(p.name for p in i.people) for i in live}
            for note, who in t.notes.items():
                if by_note.get(note) != [who]:
                    problems.append(f"quick log {note!r} ({who}) is missing")
            soak = [i for i in live if any(p.name == SOAK_PERSON for p in i.people)]
            if len(soak) != t.soak_logs:
                problems.append(f"{SOAK_PERSON} has {len(soak)} live entries, {t.soak_logs} were logged")
            if t.last_edit and t.last_edit not in {i.notes for i in soak}:
                problems.append(f"the last edit {t.last_edit!r} is missing")
            plans = set(s.scalars(select(Plan.title)))
            problems += [f"plan {p!r} is missing" for p in t.plans if p not in plans]
            titles = set(s.scalars(select(Reflection.title)))
            problems += [f"reflection {r!r} is missing" for r in t.reflections if r not in titles]
    finally:
        journal.close()
    problems += [f"PDF {p.name} is not a PDF" for p in t.pdfs if not p.read_bytes().startswith(b"%PDF")]
    return problems


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--actions", type=int, default=1000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--minutes", type=float, default=None, help="stop early after this long (and still report)")
    p.add_argument("--keep", type=Path, default=None, help="work in this folder and keep it (logs, journal)")
    args = p.parse_args(argv)
    if missing_tools():
        print(f"the soak needs {', '.join(missing_tools())} (see tests/desktop/harness.py)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="netjournal-soak-") as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        root = prepare_journal(work)
        people = unique_names(root, 6)
        home = work / "home"
        home.mkdir(exist_ok=True)
        rng = random.Random(args.seed)
        actions = rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()), k=args.actions)
        desktop = Desktop(work / "x").start()
        app = App(desktop, root, work / "logs", env={"HOME": str(home)})
        soak = Soak(app, people, home, rng)
        t0 = time.perf_counter()
        try:
            app.start(timeout=120)
            time.sleep(3)  # let start-up work (the first lists, the reminder look) settle
            rss_start = app.rss_kb()
            samples = [rss_start]
            done = 0
            for i, action in enumerate(actions, 1):
                if args.minutes is not None and time.perf_counter() - t0 > args.minutes * 60:
                    print(f"time budget of {args.minutes:g} min reached after {done} actions", flush=True)
                    break
                soak.step(action)
                done = i
                if i % 100 == 0:
                    samples.append(app.rss_kb())
                    print(f"{i} actions, {time.perf_counter() - t0:.0f} s, RSS {samples[-1] / 1024:.0f} MB", flush=True)
            rss_end = app.rss_kb()
            code = app.quit()
        finally:
            app.stop()
            desktop.stop()
        secs = time.perf_counter() - t0
        t = soak.t
        problems = verify(root, t)
        print(f"\n{done} of {args.actions} actions in {secs:.0f} s (seed {args.seed}); done: {dict(t.done)}")
        print(f"crashes (the process died): {len(t.crashes)}")
        for action, err in t.crashes[:3]:
            print(f"--- during {action}:\n{err[-4000:]}")
        print(f"windows left open after an action (crash dialogs, questions): {dict(t.dialogs) or 'none'}")
        print(f"steps that did not happen in time: {dict(t.misses) or 'none'}")
        writes = (
            len(t.notes) + t.soak_logs + len(t.plans) + len(t.reflections) + len(t.pdfs) + (1 if t.last_edit else 0)
        )
        print(f"acknowledged writes checked: {writes}; missing: {len(problems)}")
        for line in problems[:20]:
            print(f"  {line}")
        print(
            f"RSS at start {rss_start / 1024:.0f} MB, at the end {rss_end / 1024:.0f} MB "
            f"(every 100 actions: {', '.join(f'{s / 1024:.0f}' for s in samples)} MB); exit code {code}"
        )
        return 1 if t.crashes or problems or code != 0 else 0


if __name__ == "__main__":
    sys.exit(main())
