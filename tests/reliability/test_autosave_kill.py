"""Text being typed when the app is killed is kept: at most the last couple of seconds are lost."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from netjournal.core.db import open_journal
from netjournal.core.drafts import load_draft
from netjournal.core.paths import DataDir
from tests.reliability.helpers import ROOT

MAX_LOST_SECONDS = 2.0


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
@pytest.mark.parametrize("seed, form", [(1, "field"), (2, "quicklog")])
def test_killed_while_typing_keeps_all_but_the_last_seconds(qtbot, tmp_path: Path, seed: int, form: str) -> None:
    dd = DataDir(tmp_path / "journal")
    open_journal(dd).close()
    key = "quicklog" if form == "quicklog" else "typist"
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.reliability.typist", str(dd.root), key],
        cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    typed: list[tuple[float, int]] = []  # (when the parent saw it, word count)
    first = threading.Event()

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith("typed "):
                typed.append((time.monotonic(), int(line.split()[1])))
                first.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    assert first.wait(60), proc.stderr.read() if proc.stderr else ""
    time.sleep(random.Random(seed).uniform(2.5, 4.0))  # typing without a pause all along
    killed_at = time.monotonic()
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    reader.join(timeout=10)
    before = [n for t, n in typed if t <= killed_at - MAX_LOST_SECONDS]
    assert before, "the typist typed for long enough"
    j = open_journal(dd)
    with j.read() as s:
        draft = load_draft(s, key)
    if form == "quicklog":
        # The next quick log brings the text back, and says so.
        from netjournal.ui.ops import DbWorker
        from netjournal.ui.quicklog import QuickLogDialog

        ops = DbWorker(j)
        try:
            dialog = QuickLogDialog(ops)
            qtbot.addWidget(dialog)
            ops.wait_idle()  # the draft comes from the database thread
            assert dialog.note.toPlainText() == draft["note"]
            assert not dialog.notice.isHidden() and "Recovered" in dialog.notice.text()
        finally:
            ops.stop()
    j.close()
    words = draft["note"].split() if draft else []
    assert words == [f"w{i}" for i in range(1, len(words) + 1)], "the draft is a clean prefix of what was typed"
    assert len(words) >= before[-1], (
        f"{before[-1]} words were typed more than {MAX_LOST_SECONDS} s before the kill, but only {len(words)} were kept"
    )
