"""A real desktop for the real app: Xvfb + openbox + trayer, the app on Qt's xcb platform, xdotool keys.

Used by the desktop test tier (tests/desktop/) and by the desktop benchmarks (bench/soak_desktop.py,
bench/desktop_quicklog.py). Everything started here is stopped by `stop()`, which is safe to call
twice and after a crash.

    python -m tests.desktop.harness --have-tools   # exit 0 if the tier can run here, else say why
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TOOLS = ("Xvfb", "openbox", "trayer", "xdotool", "xwininfo")
# What a Debian/Ubuntu machine needs for this tier (also listed in .ci/apt-packages.txt).
APT_LINE = "sudo apt-get install -y xvfb openbox trayer xdotool x11-utils libxcb-cursor0 imagemagick"
SCREEN = "1280x800x24"
MAIN_TITLE = re.compile(r"^(?:.+ — )?netjournal$")  # "People — netjournal"
QUICK_LOG_TITLE = "^Log an interaction"


class DesktopError(AssertionError):
    """Something on the desktop did not happen in time (a window that never showed, a tool that failed)."""


class AppDied(AssertionError):
    """The app's process ended when it should not have; the message holds its stderr (faulthandler)."""

    def __init__(self, code: int | None, stderr: str) -> None:
        self.code = code
        self.stderr = stderr
        what = f"killed by signal {-code} ({signal.Signals(-code).name})" if code and code < 0 else f"exit {code}"
        super().__init__(f"netjournal ended unexpectedly ({what}); its stderr:\n{stderr}")


def missing_tools() -> list[str]:
    return [t for t in TOOLS if shutil.which(t) is None]


def wait_for(condition: Callable[[], object], timeout: float, what: str, interval: float = 0.02) -> object:
    """Poll until `condition()` is truthy; raise DesktopError naming `what` if it never is."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise DesktopError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


def _stop_process(proc: subprocess.Popen[bytes] | None, grace: float = 5.0) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


class Desktop:
    """One virtual X server with a window manager and a system tray on a free display."""

    def __init__(self, workdir: Path, screen: str = SCREEN) -> None:
        self.workdir = workdir
        self.screen = screen
        self.display = ""
        self._procs: list[subprocess.Popen[bytes]] = []

    # -- start and stop
    def start(self) -> Desktop:
        self.workdir.mkdir(parents=True, exist_ok=True)
        read_fd, write_fd = os.pipe()
        try:
            # -displayfd: Xvfb picks a free display and writes its number once it accepts clients.
            xvfb = self._spawn(
                ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", self.screen, "-nolisten", "tcp"],
                "xvfb",
                pass_fds=(write_fd,),
                with_display=False,
            )
            os.close(write_fd)
            write_fd = -1
            number = b""
            deadline = time.monotonic() + 15
            while not number.endswith(b"\n"):
                if xvfb.poll() is not None or time.monotonic() > deadline:
                    raise DesktopError(f"Xvfb did not start: {self._log('xvfb')}")
                chunk = os.read(read_fd, 16)
                if not chunk:
                    raise DesktopError(f"Xvfb did not start: {self._log('xvfb')}")
                number += chunk
        finally:
            os.close(read_fd)
            if write_fd >= 0:
                os.close(write_fd)
        self.display = f":{number.decode().strip()}"
        self._spawn(["openbox", "--sm-disable"], "openbox")
        wait_for(self._wm_running, 15, "openbox to manage the screen")
        self._spawn(
            [
                "trayer",
                "--edge",
                "top",
                "--align",
                "right",
                "--widthtype",
                "request",
                "--height",
                "28",
                "--SetDockType",
                "true",
                "--transparent",
                "false",
            ],
            "trayer",
        )
        # Qt's QSystemTrayIcon.isSystemTrayAvailable() is True once trayer's panel exists.
        wait_for(lambda: self.search("--class", "trayer"), 15, "trayer's panel (the system tray)")
        return self

    def stop(self) -> None:
        for proc in reversed(self._procs):
            _stop_process(proc)
        self._procs.clear()

    def _spawn(
        self, argv: list[str], name: str, *, pass_fds: Sequence[int] = (), with_display: bool = True
    ) -> subprocess.Popen[bytes]:
        log = (self.workdir / f"{name}.log").open("wb")
        env = self.env() if with_display else dict(os.environ)
        proc = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, env=env, pass_fds=pass_fds)
        log.close()
        self._procs.append(proc)
        return proc

    def _log(self, name: str) -> str:
        path = self.workdir / f"{name}.log"
        return path.read_text(errors="replace")[-2000:] if path.exists() else ""

    def _wm_running(self) -> bool:
        out = subprocess.run(
            ["xwininfo", "-root", "-tree"], env=self.env(), capture_output=True, text=True, timeout=10
        ).stdout
        return '"Openbox"' in out

    # -- talking to X
    def env(self, **extra: str) -> dict[str, str]:
        """The environment for a program on this desktop: its DISPLAY and Qt's default (xcb) platform."""
        env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY")}
        env["DISPLAY"] = self.display
        env.update(extra)
        return env

    def xdo(self, *args: str, check: bool = True, timeout: float = 20) -> str:
        result = subprocess.run(["xdotool", *args], env=self.env(), capture_output=True, text=True, timeout=timeout)
        if check and result.returncode != 0:
            raise DesktopError(f"xdotool {' '.join(args)} failed: {result.stderr.strip()}")
        return result.stdout

    def search(self, *args: str) -> list[int]:
        """Window ids matching an `xdotool search` (none is not an error)."""
        return [int(w) for w in self.xdo("search", *args, check=False).split()]

    def key(self, *keys: str) -> None:
        self.xdo("key", "--clearmodifiers", *keys)

    def type(self, text: str, delay_ms: int = 6) -> None:
        self.xdo("type", "--delay", str(delay_ms), "--clearmodifiers", text)

    def window_name(self, wid: int) -> str:
        return self.xdo("getwindowname", str(wid), check=False).strip()

    def geometry(self, wid: int) -> tuple[int, int, int, int]:
        out = self.xdo("getwindowgeometry", "--shell", str(wid))
        v = dict(line.split("=", 1) for line in out.split())
        return int(v["X"]), int(v["Y"]), int(v["WIDTH"]), int(v["HEIGHT"])

    def active_window(self) -> int | None:
        out = self.xdo("getactivewindow", check=False).strip()
        return int(out) if out.isdigit() else None

    def click(self, x: int, y: int, button: int = 1) -> None:
        # No --sync: it waits for the pointer to move, which never happens when it is already there.
        self.xdo("mousemove", str(x), str(y), "click", str(button))

    def screenshot(self, path: Path) -> Path | None:
        """The whole screen as a PNG (imagemagick's import); None where imagemagick is missing."""
        if not self.display or shutil.which("import") is None:
            return None
        subprocess.run(["import", "-window", "root", str(path)], env=self.env(), capture_output=True, timeout=30)
        return path if path.exists() else None


@dataclass
class Windows:
    """The app's visible top-level windows at one moment."""

    main: int | None
    others: list[int]


class App:
    """The real app (`netjournal --data-dir DIR` through its entry point) on a Desktop."""

    def __init__(
        self,
        desktop: Desktop,
        data_dir: Path,
        log_dir: Path,
        args: Sequence[str] = (),
        env: dict[str, str] | None = None,
    ) -> None:
        self.desktop = desktop
        self.extra_env = dict(env or {})
        self.data_dir = data_dir
        self.log_dir = log_dir
        self.args = list(args)
        self.proc: subprocess.Popen[bytes] | None = None
        self.main_window: int | None = None
        self._tray: int | None = None
        self._last_menu: int | None = None
        self.starts = 0
        self.stderr_path = log_dir / "app-stderr-0.log"

    @staticmethod
    def executable() -> list[str]:
        exe = Path(sys.executable).with_name("netjournal")
        return [str(exe)] if exe.exists() else [sys.executable, "-m", "netjournal"]

    def start(self, timeout: float = 60) -> App:
        self.starts += 1
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self.stderr_path = self.log_dir / f"app-stderr-{self.starts}.log"
        err = self.stderr_path.open("wb")
        out = (self.log_dir / f"app-stdout-{self.starts}.log").open("wb")
        env = self.desktop.env(
            PYTHONFAULTHANDLER="1", PYTHONUNBUFFERED="1", NETJOURNAL_REPORT_READY="1", **self.extra_env
        )
        env.pop("NETJOURNAL_DATA_DIR", None)
        self.proc = subprocess.Popen(
            [*self.executable(), "--data-dir", str(self.data_dir), *self.args],
            stdout=out,
            stderr=err,
            env=env,
            cwd=self.log_dir,
        )
        err.close()
        out.close()
        self.main_window = None
        self._tray = None
        self._last_menu = None
        self.main_window = int(str(self.wait(self._find_main, timeout, "the main window")))
        # The window shows first ("netjournal"); its title names a section once the journal is open.
        self.wait(lambda: " — " in self.title(), timeout, "the journal to open (a section in the title)")
        # The sections after the first are built a few event-loop turns later (staged start-up).
        out = self.log_dir / f"app-stdout-{self.starts}.log"
        self.wait(lambda: "netjournal ready" in out.read_text(errors="replace"), timeout, "every section to be built")
        self.desktop.xdo("windowactivate", "--sync", str(self.main_window), check=False)
        return self

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def stderr(self) -> str:
        return self.stderr_path.read_text(errors="replace") if self.stderr_path.exists() else ""

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def check(self) -> None:
        """Raise AppDied (with its stderr: every thread's stack after a segfault) if the app has ended."""
        if self.proc is None:
            raise AppDied(None, "(never started)")
        if self.proc.poll() is not None:
            time.sleep(0.2)  # let faulthandler's output reach the file
            raise AppDied(self.proc.returncode, self.stderr())

    def _names(self, wids: set[int]) -> list[str]:
        return [f"{self.desktop.window_name(w)!r} {self.desktop.geometry(w)}" for w in wids]

    def wait(self, condition: Callable[[], object], timeout: float, what: str | Callable[[], str]) -> object:
        """Like wait_for, but fails at once (with the trace) if the app dies meanwhile."""

        def step() -> object:
            self.check()
            return condition()

        try:
            return wait_for(step, timeout, "")
        except DesktopError:
            raise DesktopError(
                f"timed out after {timeout:.0f} s waiting for {what() if callable(what) else what}"
            ) from None

    # -- windows
    def visible(self) -> list[int]:
        return self.desktop.search("--all", "--onlyvisible", "--pid", str(self.pid), "--name", ".*")

    def _find_main(self) -> int | None:
        for wid in self.visible():
            if MAIN_TITLE.match(self.desktop.window_name(wid)):
                _, _, width, height = self.desktop.geometry(wid)
                if width >= 500 and height >= 300:  # not the tray icon or a notification balloon
                    return wid
        return None

    def main_visible(self) -> bool:
        return self.main_window is not None and self.main_window in self.visible()

    def title(self) -> str:
        assert self.main_window is not None
        return self.desktop.window_name(self.main_window)

    def focus_main(self) -> None:
        assert self.main_window is not None
        if self.desktop.active_window() != self.main_window:
            self.desktop.xdo("windowactivate", "--sync", str(self.main_window), check=False)
            self.wait(lambda: self.desktop.active_window() == self.main_window, 10, "the main window to have focus")

    def window_titled(self, pattern: str) -> int | None:
        found = self.desktop.search("--all", "--onlyvisible", "--pid", str(self.pid), "--name", pattern)
        return found[0] if found else None

    def tray_window(self) -> int:
        """The app's icon in trayer's panel: a small window of this app's process, embedded in trayer."""

        def find() -> int | None:
            for wid in self.desktop.search("--all", "--pid", str(self.pid), "--name", ".*"):
                x, _, w, h = self.desktop.geometry(wid)
                if w <= 48 and h <= 48 and x > 0:
                    return wid
            return None

        if self._tray is None:
            self._tray = int(str(self.wait(find, 20, "the tray icon")))
        return self._tray

    def tray_icon(self) -> tuple[int, int]:
        """The centre of the tray icon on the screen."""
        x, y, w, h = self.desktop.geometry(self.tray_window())
        return x + w // 2, y + h // 2

    def popups(self) -> list[int]:
        """Visible windows besides the main window and the tray icon (menus, balloons, lists, dialogs)."""
        skip = {self.main_window, self._tray}
        return [w for w in self.visible() if w not in skip and not self._is_small_tray(w)]

    def _is_small_tray(self, wid: int) -> bool:
        if self._tray is not None:
            return False
        _, _, w, h = self.desktop.geometry(wid)
        return w <= 48 and h <= 48

    # -- what a user does
    def quick_log(self, who: str, note: str, *, via_tray: bool = False, typed: str = "") -> None:
        """The three steps: Ctrl+L (or the tray's Quick log…), a name and Enter, the note and Ctrl+Enter.

        The name (or just `typed`, its first letters) is typed; Enter takes the top match of the list
        and moves to the note, as a person does. Returns once the dialog is gone (saved).
        """
        if via_tray:
            self.tray_menu_pick("Quick log…")
        else:
            self.focus_main()
            self.desktop.key("ctrl+l")
        dialog = int(str(self.wait(lambda: self.window_titled(QUICK_LOG_TITLE), 15, "the quick-log dialog")))
        self.wait(lambda: self.desktop.active_window() == dialog, 10, "the quick-log dialog to have focus")
        # Windows that come and go meanwhile (openbox re-maps a dialog as it frames it) are not the list.
        before = set(self.popups()) | {dialog}
        self.desktop.type(typed or who)
        # The list of matches opens as the name is typed; Enter is for it once it is there.
        self.wait(lambda: set(self.popups()) - before, 10, f"the list of names matching {typed or who!r}")
        self.desktop.key("Return")
        self.wait(
            lambda: not (set(self.popups()) - before),
            10,
            lambda: f"the list of names to close (open: {self._names(set(self.popups()) - before)})",
        )
        self.desktop.type(note)
        self.desktop.key("ctrl+Return")
        self.wait(lambda: self.window_titled(QUICK_LOG_TITLE) is None, 30, "the quick-log dialog to close (saved)")

    # The tray menu's last entries, from the bottom (netjournal/ui/tray.py): Up from an unselected menu
    # starts at the bottom, so these stay reachable whatever the suggestions above them are.
    TRAY_FROM_BOTTOM = {"Quit": 1, "Open netjournal": 2, "Quick log…": 3}

    def tray_menu_pick(self, entry: str) -> None:
        """Right-click the tray icon, wait for its menu, and pick `entry` with the arrow keys and Enter."""
        x, y = self.tray_icon()
        if self._last_menu is not None:
            # A right-click at once after the last menu closed is swallowed (it reads as the click
            # that closed it), as it would be for a person: let that menu go first.
            last = self._last_menu
            self.wait(lambda: last not in self.visible(), 10, "the last tray menu to close")
            time.sleep(0.5)
        before = set(self.popups())
        self.desktop.click(x, y, button=3)
        menu = self.wait(lambda: set(self.popups()) - before, 10, f"the tray menu (to pick {entry})")
        self._last_menu = min(menu)  # type: ignore[call-overload]
        self.desktop.key(*["Up"] * self.TRAY_FROM_BOTTOM[entry], "Return")

    def quit(self, timeout: float = 30) -> int:
        """Ctrl+Q in the main window; returns the exit code (fails if it does not end)."""
        self.focus_main()
        self.desktop.key("ctrl+q")
        assert self.proc is not None
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            raise DesktopError(f"netjournal did not quit within {timeout:.0f} s of Ctrl+Q") from None

    def rss_kb(self) -> int:
        """The app's resident memory (VmRSS in /proc/PID/status), in kB."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        return 0

    def stop(self) -> None:
        _stop_process(self.proc)


@contextlib.contextmanager
def running_desktop(workdir: Path) -> Iterator[Desktop]:
    desktop = Desktop(workdir)
    try:
        yield desktop.start()
    finally:
        desktop.stop()


def main(argv: list[str] | None = None) -> int:
    import argparse

    p = argparse.ArgumentParser(description="Can the desktop test tier run here?")
    p.add_argument("--have-tools", action="store_true", help="exit 0 if it can; else print why and how, exit 1")
    p.parse_args(argv)
    missing = missing_tools()
    if not missing:
        return 0
    print(
        f"Skipped the desktop test tier (tests/desktop): {', '.join(missing)} not found. "
        f"To run it (Debian/Ubuntu): {APT_LINE}"
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
