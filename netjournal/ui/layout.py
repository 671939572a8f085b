"""Layout pieces several sections share."""

from __future__ import annotations

from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget


def list_beside_page(owner: QWidget, left: QWidget, right: QWidget) -> QSplitter:
    """The sections' shape: a list on the left, the selected item's page taking the rest of the width."""
    splitter = QSplitter(owner)
    splitter.addWidget(left)
    splitter.addWidget(right)
    splitter.setStretchFactor(1, 1)
    splitter.setSizes([300, 700])
    layout = QVBoxLayout(owner)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(splitter)
    return splitter
