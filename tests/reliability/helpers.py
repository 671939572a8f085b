"""Shared helpers for the reliability tests: running the real CLI, dumping every table, dropping root."""

from __future__ import annotations

import functools
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOBODY = 65534


def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def nj(
    *args: str,
    data_dir: Path | None = None,
    env: dict[str, str] | None = None,
    unprivileged: bool = False,
    preexec: Callable[[], None] | None = None,
    timeout: float = 120,
    wrapper: list[str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run `netjournal ARGS` as a user would. With unprivileged=True and root, run as `nobody`
    (root ignores file permissions, so read-only files could not be tested otherwise)."""
    cmd = [sys.executable, "-m", "netjournal"]
    if data_dir is not None:
        cmd += ["--data-dir", str(data_dir)]
    cmd += list(args)
    if unprivileged and is_root():
        cmd = [*_as_nobody(), *cmd]
    if wrapper:
        cmd = [*wrapper, *cmd]
    full_env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})}
    return subprocess.run(
        cmd,
        capture_output=True,
        text=True,
        env=full_env,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        cwd=ROOT,
        preexec_fn=preexec,
    )


@functools.cache
def _as_nobody() -> tuple[str, ...]:
    """The prefix that runs a command as `nobody`; skips the test when `nobody` cannot run this checkout
    (e.g. a clone inside a folder only root may enter), since root itself ignores file permissions."""
    setpriv = shutil.which("setpriv")
    assert setpriv, "setpriv (util-linux) is needed to drop root for this test"
    prefix = (setpriv, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups")
    probe = subprocess.run(
        [*prefix, sys.executable, "-c", "import netjournal"],
        capture_output=True,
        text=True,
        cwd="/",
        stdin=subprocess.DEVNULL,
    )
    if probe.returncode != 0:
        pytest.skip(
            "the unprivileged user `nobody` cannot read this checkout, so file permissions cannot be "
            "tested as a normal user here; clone into a folder other users may enter, as CI does "
            f"({probe.stderr.strip().splitlines()[-1:]})"
        )
    return prefix


def give_to_nobody(path: Path) -> None:
    """When running as root, hand `path` (recursively) to `nobody` so an unprivileged run can use it."""
    if not is_root():
        return
    for p in [path, *path.rglob("*")]:
        os.chown(p, NOBODY, NOBODY, follow_symlinks=False)


def assert_plain_refusal(proc: subprocess.CompletedProcess[str], *needles: str) -> str:
    """Exit 1 with a plain message on stderr: no traceback, and every needle in it."""
    err = proc.stderr
    assert proc.returncode == 1, f"exit {proc.returncode}\nstdout: {proc.stdout}\nstderr: {err}"
    assert "Traceback" not in err and "sqlalchemy" not in err.lower(), err
    assert err.startswith("netjournal: "), err
    for needle in needles:
        assert needle in err, f"{needle!r} not in {err!r}"
    return err


def table_dump(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, exactly (bytes stay bytes), in a stable order."""
    from netjournal.core.paths import sqlite_uri

    con = sqlite3.connect(sqlite_uri(db, mode="ro"), uri=True)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        dump: dict[str, list[tuple[Any, ...]]] = {}
        for t in tables:
            cols = [r[1] for r in con.execute(f'PRAGMA table_info("{t}")')]
            order = ", ".join(f'"{c}"' for c in cols) or "rowid"
            dump[t] = con.execute(f'SELECT * FROM "{t}" ORDER BY {order}').fetchall()
        return dump
    finally:
        con.close()
