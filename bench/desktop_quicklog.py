"""Count crashes of quick-log saves on a real desktop (Xvfb + openbox + trayer, the xcb platform).

    python -m bench.desktop_quicklog --saves 30

Each save is typed as a person would (Ctrl+L, part of a name and Enter, a note and Ctrl+Enter) with
xdotool. When the app dies, its faulthandler trace is kept, the crash is counted and
the app is started again on the same journal. At the end every save's note is looked up in the
journal: a save is acknowledged when its dialog closed, and an acknowledged save must be there.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from netjournal.core.clock import utcnow
from netjournal.core.db import open_journal
from netjournal.core.journal import PersonData, create_person
from netjournal.core.models import Interaction
from netjournal.core.paths import DataDir
from tests.desktop.harness import App, AppDied, Desktop, DesktopError, missing_tools

PEOPLE = ("Sofia Lindqvist", "Kwame Mensah", "Noor Haddad", "Priya Raman")


def seed(root: Path) -> None:
    journal = open_journal(DataDir.at(root).ensure())
    now = utcnow()
    with journal.session() as s:
        for name in PEOPLE:
            create_person(s, PersonData(name=name, circle=150), now=now - timedelta(days=30))
    journal.close()


def notes_in(root: Path) -> list[str]:
    journal = open_journal(DataDir.at(root))
    try:
        with journal.read() as s:
            return [i.notes for i in s.query(Interaction)]
    finally:
        journal.close()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--saves", type=int, default=30)
    p.add_argument("--people", type=int, default=len(PEOPLE), help="log with the first N of the seeded people")
    p.add_argument("--keep", type=Path, default=None, help="keep the journal and logs in this folder")
    args = p.parse_args(argv)
    if missing_tools():
        print(f"needs {', '.join(missing_tools())}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="netjournal-desktop-") as tmp:
        work = args.keep or Path(tmp)
        root = work / "journal"
        seed(root)
        desktop = Desktop(work / "x").start()
        app = App(desktop, root, work / "logs")
        crashes: list[str] = []
        acknowledged: list[str] = []
        t0 = time.perf_counter()
        try:
            app.start()
            for i in range(args.saves):
                who = PEOPLE[i % max(1, min(args.people, len(PEOPLE)))]
                note = f"quick log {i + 1} of {args.saves} with {who.split()[0]}"
                try:
                    app.quick_log(who, note, typed=who[:4])
                    time.sleep(0.3)  # a crash right after the save still counts for this save
                    app.check()
                    acknowledged.append(note)
                except (AppDied, DesktopError) as exc:
                    if app.alive():
                        raise  # a desktop hiccup, not a crash: stop and look
                    trace = getattr(exc, "stderr", str(exc))
                    crashes.append(trace)
                    print(f"save {i + 1}: crash (exit {app.proc.returncode if app.proc else '?'})", flush=True)
                    app.start()
            app.quit()
        finally:
            app.stop()
            desktop.stop()
        secs = time.perf_counter() - t0
        saved = notes_in(root)
        lost = [n for n in acknowledged if n not in saved]
        print(f"saves: {args.saves} in {secs:.0f} s ({secs / args.saves:.2f} s each)")
        print(f"crashes: {len(crashes)} in {args.saves} saves")
        print(f"acknowledged saves: {len(acknowledged)}, missing from the journal: {len(lost)}")
        print(f"entries in the journal: {len(saved)} (including saves the crash may have cut short)")
        if crashes:
            print("\nfirst crash's stderr (faulthandler):\n" + crashes[0][-6000:])
        return 1 if crashes or lost else 0


if __name__ == "__main__":
    sys.exit(main())
