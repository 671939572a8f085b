"""Where the desktop tier's tools are missing: a developer is told plainly, CI fails instead of skipping."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def _env_without_tools(tmp_path: Path, **extra: str) -> dict[str, str]:
    empty = tmp_path / "bin"
    empty.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env.update(PATH=str(empty), **extra)  # Xvfb, openbox, trayer and xdotool are nowhere on it
    return env


def test_without_the_tools_make_test_says_it_skipped_the_tier_and_how_to_get_it(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tests.desktop.harness", "--have-tools"],
        cwd=ROOT,
        env=_env_without_tools(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "Skipped the desktop test tier" in result.stdout
    assert "sudo apt-get install -y xvfb openbox trayer xdotool" in result.stdout


def test_in_ci_a_missing_tool_fails_the_tier(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-m",
            "desktop",
            "tests/desktop",
            "-q",
            "-p",
            "no:randomly",
            "-p",
            "no:cacheprovider",
            "-k",
            "notification",
        ],
        cwd=ROOT,
        env=_env_without_tools(tmp_path, CI="true"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1, result.stdout
    assert "CI must run the desktop tier" in result.stdout
