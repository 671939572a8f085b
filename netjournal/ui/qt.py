"""Small typed bridges over PySide, where its stubs say less than PySide does (one place, not a `type: ignore` each)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QDate, QDateTime, QObject, Qt
from PySide6.QtGui import QKeySequence, QShortcut


def shortcut(
    keys: QKeySequence | QKeySequence.StandardKey | Qt.Key | str,
    parent: QObject,
    slot: Callable[[], Any],
    context: Qt.ShortcutContext | None = None,
) -> QShortcut:
    """A shortcut on `parent` calling `slot` (what `QShortcut(keys, parent, activated=slot)` does untyped)."""
    sc = QShortcut(QKeySequence(keys), parent)
    if context is not None:
        sc.setContext(context)
    sc.activated.connect(slot)
    return sc


def qdatetime(at: datetime) -> QDateTime:
    """A QDateTime for a Python datetime (PySide converts it; the stubs list no such constructor)."""
    out: QDateTime = QDateTime(at)  # type: ignore[call-overload]
    return out


def qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def to_datetime(value: QDateTime) -> datetime:
    """The datetime a QDateTime holds (`toPython()`, typed as object in the stubs)."""
    out = value.toPython()
    assert isinstance(out, datetime)
    return out


def to_date(value: QDate) -> date:
    out = value.toPython()
    assert isinstance(out, date)
    return out
