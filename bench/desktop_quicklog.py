"""Quick logs typed as a person types them, on a real desktop: count the crashes.

    python -m bench.desktop_quicklog --saves 30

Starts its own virtual X server (Xvfb) with a window manager (openbox) and a system tray (trayer),
runs netjournal on the ordinary xcb platform with faulthandler on, and for each save sends real key
events with xdotool: Ctrl+L, a name, Down and Return in the completer, Alt+N, a note, Ctrl+Return.
When the app dies it is counted, its last Python stacks are kept, and it is started again until the
number of saves has been attempted. At the end the journal is checked for every save that was
acknowledged (the dialog closed and the app was still alive a moment later).

Needs the Debian packages xvfb openbox trayer xdotool libxcb-cursor0. The full desktop test tier
lives in tests/desktop; this is a small self-contained measurement of one bug class.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

from netjournal.core.clock import utcnow
from netjournal.core.db import open_journal
from netjournal.core.journal import PersonData, create_person
from netjournal.core.models import Interaction
from netjournal.core.paths import DataDir

TOOLS = ("Xvfb", "openbox", "trayer", "xdotool")
PEOPLE = ("Sofia Marquez", "Kwame Mensah", "Noor Haddad")


def wait_for(check: Callable[[], bool], timeout: float, step: float = 0.05) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if check():
            return True
        time.sleep(step)
    return check()


class Desktop:
    """Xvfb + openbox + trayer on a display number Xvfb picks itself."""

    def __init__(self) -> None:
        self.procs: list[subprocess.Popen[bytes]] = []
        read_fd, write_fd = os.pipe()
        xvfb = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
            pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        os.close(write_fd)
        self.procs.append(xvfb)
        with os.fdopen(read_fd) as f:
            number = f.readline().strip()
        if not number:
            raise SystemExit("Xvfb did not start")
        self.display = f":{number}"
        self.env = {**os.environ, "DISPLAY": self.display}
        self.env.pop("QT_QPA_PLATFORM", None)
        self.env.pop("WAYLAND_DISPLAY", None)
        for cmd in (["openbox"], ["trayer", "--edge", "top", "--align", "right", "--widthtype", "request"]):
            quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
            self.procs.append(subprocess.Popen(cmd, env=self.env, **quiet))  # type: ignore[call-overload]
        time.sleep(1.0)  # the window manager and the tray take their selections

    def xdotool(self, *args: str) -> str:
        out = subprocess.run(["xdotool", *args], env=self.env, capture_output=True, text=True, timeout=30)
        return out.stdout.strip()

    def window(self, title: str) -> str | None:
        ids = self.xdotool("search", "--onlyvisible", "--name", f"^{title}$").split()
        return ids[-1] if ids else None

    def close(self) -> None:
        for p in reversed(self.procs):
            p.terminate()
        for p in reversed(self.procs):
            try:
                p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                p.kill()


def make_journal(root: Path) -> DataDir:
    data_dir = DataDir(root).ensure()
    journal = open_journal(data_dir)
    with journal.session() as s:
        for name in PEOPLE:
            create_person(s, PersonData(name=name), now=utcnow())
    journal.close()
    return data_dir


class App:
    def __init__(self, desktop: Desktop, data_dir: DataDir, log_dir: Path, number: int, gdb: str | None) -> None:
        self.stderr_path = log_dir / f"app-{number}.stderr"
        env = {**desktop.env, "PYTHONFAULTHANDLER": "1"}
        cmd = [sys.executable, "-m", "netjournal", "--data-dir", str(data_dir.root)]
        if gdb is not None:  # C-level stacks of every thread at the crash (or breakpoint), besides faulthandler's
            bt = ["-ex", "set pagination off", "-ex", "set breakpoint pending on"]
            if gdb:
                bt += ["-ex", f"break {gdb}"]
            bt += ["-ex", "run", "-ex", "thread apply all bt 40", "-ex", "kill"]
            cmd = ["gdb", "-q", "-batch", *bt, "--args", *cmd]
        with self.stderr_path.open("wb") as err:
            # Started outside the checkout, so PYTHONPATH decides which netjournal runs (to compare versions).
            out = err if gdb is not None else subprocess.DEVNULL
            self.proc = subprocess.Popen(cmd, env=env, cwd=log_dir, stdout=out, stderr=err)

    def alive(self) -> bool:
        return self.proc.poll() is None

    def stop(self) -> None:
        if self.alive():
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def one_save(desktop: Desktop, app: App, note: str) -> str:
    """Type one quick log; 'saved', 'crashed' or 'stuck' (the dialog did not open or close)."""
    if not wait_for(lambda: not app.alive() or desktop.window("netjournal") is not None, 30):
        return "stuck"
    if not app.alive():
        return "crashed"
    main = desktop.window("netjournal")
    assert main is not None
    desktop.xdotool("windowactivate", "--sync", main)
    desktop.xdotool("key", "ctrl+l")
    if not wait_for(lambda: not app.alive() or desktop.window("Log an interaction") is not None, 10):
        return "stuck"
    if not app.alive():
        return "crashed"
    time.sleep(0.3)  # the completer's names arrive in the background
    desktop.xdotool("type", "--delay", "30", "sofia")
    time.sleep(0.2)
    desktop.xdotool("key", "Down", "Return")
    desktop.xdotool("key", "alt+n")
    desktop.xdotool("type", "--delay", "10", note)
    desktop.xdotool("key", "ctrl+Return")
    if not wait_for(lambda: not app.alive() or desktop.window("Log an interaction") is None, 10):
        return "stuck"
    # A crash in delivering the result comes right after the dialog closes: give it a moment.
    wait_for(lambda: not app.alive(), 1.0)
    return "saved" if app.alive() else "crashed"


def stored_notes(data_dir: DataDir) -> set[str]:
    journal = open_journal(data_dir)
    try:
        with journal.read() as s:
            return set(s.scalars(select(Interaction.notes)))
    finally:
        journal.close()


def last_stack(path: Path, lines: int = 25) -> str:
    text = path.read_text(errors="replace").splitlines()
    start = next((i for i, line in enumerate(text) if "Fatal Python error" in line), max(0, len(text) - lines))
    return "\n".join(text[start : start + lines])


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--saves", type=int, default=30)
    p.add_argument("--keep", type=Path, default=None, help="keep the journal and app logs in this folder")
    p.add_argument("--stacks", action="store_true", help="print the faulthandler stacks of each crash")
    p.add_argument(
        "--gdb", nargs="?", const="", default=None, metavar="SYMBOL",
        help="run the app under gdb and keep every thread's C stack at the crash, or at the first call of SYMBOL "
        "(e.g. Shiboken::BindingManager::addToDeletionInMainThread); read them with --keep",
    )  # fmt: skip
    args = p.parse_args(argv)
    missing = [t for t in TOOLS if shutil.which(t) is None]
    if missing:
        print(f"missing: {' '.join(missing)} (apt-get install xvfb openbox trayer xdotool libxcb-cursor0)")
        return 2
    with tempfile.TemporaryDirectory(prefix="netjournal-desktop-") as tmp:
        root = args.keep if args.keep is not None else Path(tmp)
        root.mkdir(parents=True, exist_ok=True)
        data_dir = make_journal(root / "journal")
        desktop = Desktop()
        tally = {"saved": 0, "crashed": 0, "stuck": 0}
        acknowledged: list[str] = []
        starts = 0
        app = App(desktop, data_dir, root, starts, args.gdb)
        t0 = time.perf_counter()
        try:
            for n in range(args.saves):
                note = f"desktop save {n}"
                outcome = one_save(desktop, app, note)
                tally[outcome] += 1
                if outcome == "saved":
                    acknowledged.append(note)
                if outcome != "saved":
                    code = app.proc.poll()
                    app.stop()
                    print(f"save {n}: {outcome} (exit {code})", flush=True)
                    if args.stacks and outcome == "crashed":
                        print(last_stack(app.stderr_path), flush=True)
                    starts += 1
                    app = App(desktop, data_dir, root, starts, args.gdb)
        finally:
            app.stop()
            desktop.close()
        secs = time.perf_counter() - t0
        notes = stored_notes(data_dir)
        lost = [n for n in acknowledged if n not in notes]
    print(f"saves attempted: {args.saves}; saved: {tally['saved']}; crashed: {tally['crashed']}; "
          f"stuck: {tally['stuck']}; acknowledged but missing: {len(lost)}; time: {secs:.0f} s")  # fmt: skip
    return 0 if tally["crashed"] == 0 and tally["stuck"] == 0 and not lost else 1


if __name__ == "__main__":
    sys.exit(main())
