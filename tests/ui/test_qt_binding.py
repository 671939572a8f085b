"""Guard against a Qt binding that drops references to None (PySide6 6.12.0 on CPython 3.11 did: every
void-returning call lost one, and the app aborted with "none_dealloc" after a few thousand calls)."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel


def test_void_calls_keep_references_to_none(qtbot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for _ in range(2000):
        label.setText("x")
        label.update()
    assert sys.getrefcount(None) >= before - 50
