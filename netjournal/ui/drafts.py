"""DraftKeeper: autosave a form's text while it is typed, so a crash loses at most a second or two.

keeper = DraftKeeper(ops, "quicklog", collect=self.form_values, parent=self)
keeper.watch(self.note.textChanged, self.person.textChanged)
keeper.recover(self.apply_draft)   # called on the GUI thread with what was stored, if anything
...
keeper.discard()   # after a real save, or when the user throws the draft away

An autosave that fails for a known reason (disk full, journal busy or read-only) is not worth a dialog
at every pause in the typing: the first failure shows one gentle notice (in the nearest window that has
`show_notice`), the keeper retries on its own, and says so once it can save again. A bug still goes to
the app's crash dialog.
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QElapsedTimer, QObject, QTimer, Signal, SignalInstance
from PySide6.QtWidgets import QWidget

from netjournal.core.clock import utcnow
from netjournal.core.db import Session
from netjournal.core.drafts import discard_draft, load_draft, save_draft
from netjournal.core.errors import DatabaseBusyError, DiskFullError, NetjournalError, ReadOnlyDatabaseError
from netjournal.ui.ops import DbWorker, known

log = logging.getLogger(__name__)

AUTOSAVE_MSECS = 800
# Someone typing without a pause would keep pushing a plain debounce back forever (and lose it all in
# a crash); a save is never put off for longer than this after the first unsaved change.
AUTOSAVE_MAX_WAIT_MSECS = 1500
# After a failed autosave: try again after this long, doubling up to the cap, until one succeeds.
RETRY_MSECS = 5_000
RETRY_MAX_MSECS = 60_000

TROUBLE_NOTICE = (
    "Your typing can't be kept as a draft just now: {0} netjournal keeps trying, and nothing you've "
    "typed is gone from the window."
)
RECOVERED_NOTICE = "Drafts are being kept again."

# Per database worker: whether the one notice about failing autosaves is showing (all keepers share it).
_troubled: weakref.WeakKeyDictionary[DbWorker, bool] = weakref.WeakKeyDictionary()


def _reason(exc: NetjournalError) -> str:
    if isinstance(exc, DiskFullError):
        return "the disk is full."
    if isinstance(exc, DatabaseBusyError):
        return "another netjournal window or command is writing."
    if isinstance(exc, ReadOnlyDatabaseError):
        return "the journal file is read-only."
    return "the disk reported a problem."


def _show_notice(near: QObject | None, text: str) -> None:
    obj = near
    while obj is not None:
        show = getattr(obj, "show_notice", None)
        if callable(show):
            show(text, 0)  # stays until replaced: the trouble lasts until the disk has room
            return
        obj = obj.parent()
    log.warning("%s", text)


class DraftKeeper(QObject):
    trouble = Signal(str)  # an autosave failed for a known reason (the first time in a row)
    saved_again = Signal()  # an autosave worked after failing

    def __init__(
        self, ops: DbWorker, key: str, collect: Callable[[], dict[str, Any]], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.ops, self.key, self.collect = ops, key, collect
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(AUTOSAVE_MSECS)
        self._timer.timeout.connect(self.save_now)
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.timeout.connect(self.save_now)
        self._retry_msecs = RETRY_MSECS
        self.failing = False
        self._unsaved = QElapsedTimer()  # since the first change not yet saved
        self._active = True

    def watch(self, *signals: SignalInstance) -> None:
        for sig in signals:
            sig.connect(self._changed)

    def _changed(self, *_args: object) -> None:
        if not self._active:
            return
        if not self._timer.isActive():
            self._unsaved.start()
            self._timer.start()
        elif self._unsaved.elapsed() + AUTOSAVE_MSECS <= AUTOSAVE_MAX_WAIT_MSECS:
            self._timer.start()  # wait for a pause, but not beyond AUTOSAVE_MAX_WAIT_MSECS

    def recover(self, apply: Callable[[dict[str, Any]], None]) -> None:
        """Read the stored draft in the background; `apply(draft)` on the GUI thread if there is one.

        Jobs run in order, so this reads the draft before any autosave sent after it can replace it.
        """
        key = self.key

        def found(draft: dict[str, Any] | None) -> None:
            if draft:
                apply(draft)

        parent = self.parent()
        self.ops.read(lambda s: load_draft(s, key), found, parent=parent if isinstance(parent, QWidget) else None)

    def save_now(self) -> None:
        if not self._active:
            return
        content = self.collect()
        key = self.key

        def job(s: Session) -> None:
            save_draft(s, key, content, now=utcnow())

        self._retry.stop()
        self.ops.write(job, on_done=self._saved, on_error=known(self._failed))

    def _saved(self, _result: object) -> None:
        if _troubled.pop(self.ops, False):  # any keeper's success ends the trouble for all of them
            _show_notice(self.parent(), RECOVERED_NOTICE)
        if self.failing:
            self.failing = False
            self._retry_msecs = RETRY_MSECS
            self.saved_again.emit()

    def _failed(self, exc: NetjournalError) -> None:
        first = not self.failing
        self.failing = True
        if first:
            self.trouble.emit(exc.message)
        if not _troubled.get(self.ops, False):
            _troubled[self.ops] = True
            _show_notice(self.parent(), TROUBLE_NOTICE.format(_reason(exc)))
        log.info("autosave of %s failed (%s); retrying in %d ms", self.key, exc.message, self._retry_msecs)
        if self._active:
            self._retry.start(self._retry_msecs)
            self._retry_msecs = min(self._retry_msecs * 2, RETRY_MAX_MSECS)

    def stop(self) -> None:
        """Write a change still waiting for its autosave, then stop autosaving (the draft stays stored)."""
        if self._timer.isActive() or self._retry.isActive():
            self._timer.stop()
            self.save_now()
        self._retry.stop()
        self._active = False

    def discard(self) -> None:
        self._active = False
        self._timer.stop()
        self._retry.stop()
        key = self.key

        self.ops.write(lambda s: discard_draft(s, key))
