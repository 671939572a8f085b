"""A plain desktop without one of the libraries Qt's xcb plugin loads: one clear line, never Qt's abort.

The missing library is simulated through the check's own table (a name that exists nowhere), not by
removing system packages.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from netjournal import xcb
from tests.conftest import ROOT

ABSENT = {"libnetjournal-absent.so.0": "libnetjournal-absent0"}


def test_only_x11_windows_are_checked() -> None:
    assert xcb.uses_xcb({"DISPLAY": ":0"}, "linux")
    assert xcb.uses_xcb({"QT_QPA_PLATFORM": "xcb"}, "linux")
    assert not xcb.uses_xcb({"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"}, "linux")
    assert not xcb.uses_xcb({"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"}, "linux")
    assert not xcb.uses_xcb({}, "linux")
    assert not xcb.uses_xcb({"DISPLAY": ":0"}, "win32")


def test_a_missing_library_is_named_by_its_package() -> None:
    assert xcb.missing_packages({**ABSENT, "libc.so.6": "libc6"}) == ["libnetjournal-absent0"]


def test_the_window_command_says_which_package_is_missing_and_exits(tmp_path: Path) -> None:
    # The real entry point in a fresh interpreter, with a display to open and one library "missing".
    script = (
        "import sys, netjournal.xcb as x\n"
        f"x.XCB_LIBRARIES.update({ABSENT!r})\n"
        "from netjournal.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY")}
    env["DISPLAY"] = ":0"
    result = subprocess.run(
        [sys.executable, "-c", script, "--data-dir", str(tmp_path / "journal")],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
    )
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "libnetjournal-absent0" in lines[0] and "sudo apt install libnetjournal-absent0" in lines[0]
    assert "qt.qpa" not in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "journal").exists()  # it stopped before touching anything


@pytest.mark.skipif(shutil.which("dpkg-deb") is None, reason="dpkg-deb not installed (not a Debian system)")
def test_the_deb_depends_on_every_package_the_check_names(tmp_path: Path) -> None:
    app = tmp_path / "app"
    app.mkdir()
    (app / "netjournal").write_text("#!/bin/sh\necho netjournal\n")
    (app / "netjournal").chmod(0o755)
    env = {**os.environ, "DIST_DIR": str(app), "OUT_DIR": str(tmp_path / "out")}
    deb = subprocess.run(
        ["sh", str(ROOT / "packaging" / "linux" / "build_deb.sh")], env=env, capture_output=True, text=True, check=True
    ).stdout.strip()
    depends = subprocess.run(["dpkg-deb", "-f", deb, "Depends"], capture_output=True, text=True, check=True).stdout
    wanted = {p.strip() for p in depends.split(",")}
    assert set(xcb.XCB_LIBRARIES.values()) <= wanted
