"""Start at login (Linux: an XDG autostart entry; the Windows and macOS branches cannot run here)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from netjournal import autostart

pytestmark = pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="the XDG branch")


def test_enable_writes_an_xdg_entry_that_starts_minimised(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    assert not autostart.is_enabled()
    path = autostart.enable(["/opt/net journal/netjournal", "--minimized"])
    assert path == tmp_path / "cfg" / "autostart" / "netjournal.desktop"
    text = path.read_text()
    assert text.startswith("[Desktop Entry]\n")
    assert 'Exec="/opt/net journal/netjournal" --minimized\n' in text
    assert autostart.is_enabled()
    autostart.disable()
    assert not path.exists() and not autostart.is_enabled()
    autostart.disable()  # turning it off twice is fine


def test_default_command_is_this_netjournal(monkeypatch) -> None:
    monkeypatch.delattr(sys, "frozen", raising=False)
    assert autostart.launch_command() == [sys.executable, "-m", "netjournal", "--minimized"]
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert autostart.launch_command() == [sys.executable, "--minimized"]


def test_home_config_when_xdg_is_unset(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert autostart.enable(["netjournal", "--minimized"]) == tmp_path / ".config" / "autostart" / "netjournal.desktop"
