"""A typist for the autosave kill test: types a word every 120 ms into a field watched by DraftKeeper.

    python -m tests.reliability.typist DATA_DIR KEY        # a bare text field with a DraftKeeper
    python -m tests.reliability.typist DATA_DIR quicklog   # the real quick-log dialog

Prints `typed N` after each word; the test kills it with SIGKILL mid-sentence.
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QPlainTextEdit

from netjournal.core.db import open_journal
from netjournal.core.paths import DataDir
from netjournal.ui.drafts import DraftKeeper
from netjournal.ui.ops import DbWorker

WORD_MSECS = 120


def main() -> None:
    app = QApplication([sys.argv[0]])
    journal = open_journal(DataDir.at(sys.argv[1]))
    ops = DbWorker(journal)
    if sys.argv[2] == "quicklog":
        from netjournal.ui.quicklog import QuickLogDialog

        dialog = QuickLogDialog(ops)
        dialog.show()
        edit = dialog.note
    else:
        edit = QPlainTextEdit()
        keeper = DraftKeeper(ops, sys.argv[2], collect=lambda: {"note": edit.toPlainText()})
        keeper.watch(edit.textChanged)
    count = 0

    def type_word() -> None:
        nonlocal count
        count += 1
        edit.moveCursor(edit.textCursor().MoveOperation.End)
        edit.insertPlainText(f"w{count} ")
        print(f"typed {count}", flush=True)

    timer = QTimer()
    timer.timeout.connect(type_word)
    timer.start(WORD_MSECS)
    app.exec()


if __name__ == "__main__":
    main()
