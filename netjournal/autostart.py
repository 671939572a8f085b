"""Start netjournal at login, minimised to the tray, on each desktop platform (off by default).

- Linux and other XDG desktops: a `.desktop` file in `$XDG_CONFIG_HOME/autostart` (default ~/.config).
- Windows: a value under HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Run.
- macOS: a LaunchAgent property list in ~/Library/LaunchAgents.

No Qt and no journal: this only writes or removes the one small file (or registry value) the platform
reads at login.
"""

from __future__ import annotations

import os
import plistlib
import subprocess
import sys
from pathlib import Path

APP_ID = "netjournal"
MAC_LABEL = "org.netjournal.app"
RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"


def launch_command() -> list[str]:
    """How to start this netjournal minimised: the bundle's executable, or this Python with -m."""
    if getattr(sys, "frozen", False):
        return [sys.executable, "--minimized"]
    return [sys.executable, "-m", "netjournal", "--minimized"]


def _xdg_file() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "autostart" / f"{APP_ID}.desktop"


def _mac_file() -> Path:
    return Path.home() / "Library" / "LaunchAgents" / f"{MAC_LABEL}.plist"


def _desktop_quote(arg: str) -> str:
    """Quote one Exec argument as the Desktop Entry Specification asks."""
    if arg and not any(c in arg for c in " \t\n\"'\\><~|&;$*?#()`="):
        return arg
    escaped = "".join("\\" + c if c in '"`$\\' else c for c in arg)
    return f'"{escaped}"'.replace("%", "%%")


def desktop_entry(command: list[str]) -> str:
    exec_line = " ".join(_desktop_quote(a) for a in command)
    return (
        "[Desktop Entry]\n"
        "Type=Application\n"
        "Name=netjournal\n"
        "Comment=Your private networking journal, with gentle reminders in the tray\n"
        f"Exec={exec_line}\n"
        "Icon=netjournal\n"
        "Terminal=false\n"
        "X-GNOME-Autostart-enabled=true\n"
    )


def is_enabled() -> bool:
    if sys.platform == "win32":
        import winreg

        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY) as key:
                winreg.QueryValueEx(key, APP_ID)
            return True
        except OSError:
            return False
    if sys.platform == "darwin":
        return _mac_file().exists()
    return _xdg_file().exists()


def enable(command: list[str] | None = None) -> Path | None:
    """Start netjournal at login. Returns the file written (None on Windows, where it is the registry)."""
    command = command or launch_command()
    if sys.platform == "win32":
        import winreg

        with winreg.CreateKey(winreg.HKEY_CURRENT_USER, RUN_KEY) as key:
            winreg.SetValueEx(key, APP_ID, 0, winreg.REG_SZ, subprocess.list2cmdline(command))
        return None
    if sys.platform == "darwin":
        path = _mac_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {"Label": MAC_LABEL, "ProgramArguments": command, "RunAtLoad": True, "ProcessType": "Interactive"}
        path.write_bytes(plistlib.dumps(data))
        return path
    path = _xdg_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".desktop.part")
    tmp.write_text(desktop_entry(command), encoding="utf-8")
    os.replace(tmp, path)
    return path


def disable() -> None:
    if sys.platform == "win32":
        import winreg

        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY, 0, winreg.KEY_SET_VALUE) as key:
                winreg.DeleteValue(key, APP_ID)
        except OSError:
            pass
        return
    path = _mac_file() if sys.platform == "darwin" else _xdg_file()
    path.unlink(missing_ok=True)


def set_enabled(on: bool) -> None:
    if on:
        enable()
    else:
        disable()
