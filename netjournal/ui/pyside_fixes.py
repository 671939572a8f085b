"""Workarounds for bugs in the Qt bindings, each naming what it works around.

PySide6 6.12.0 with Python 3.11: every call of a method that returns nothing (QLabel.setText,
QPainter.save, QFont.setPointSizeF, ...) and every invalid QVariant handed back to Python
(QModelIndex.data() for an empty role, QComboBox.currentData() of None) drops one reference to None
without having taken it. After some tens of thousands of such calls (scrolling through a few thousand
people is enough) the interpreter aborts with "Fatal Python error: none_dealloc". Measured here with
sys.getrefcount(None) before and after 1,000 calls of QLabel.setText: -1,000. From Python 3.12 on,
None is immortal and the bug is harmless, so this does nothing there.
"""

from __future__ import annotations

import ctypes
import sys

_HEADROOM = 1 << 48  # ~2.8e14 calls; None is never freed anyway


def keep_none_alive() -> None:
    """Give None enough references that the leak above can never bring it to zero."""
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return
    refcount = ctypes.c_ssize_t.from_address(id(None))  # ob_refcnt is a PyObject's first field
    if refcount.value < _HEADROOM:
        refcount.value += _HEADROOM
