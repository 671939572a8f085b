"""DraftKeeper: autosave a form's text while it is typed, so a crash loses at most a second or two.

keeper = DraftKeeper(ops, "quicklog", collect=self.form_values, parent=self)
keeper.watch(self.note.textChanged, self.person.textChanged)
keeper.recover(self.apply_draft)   # called on the GUI thread with what was stored, if anything
...
keeper.discard()   # after a real save, or when the user throws the draft away
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QElapsedTimer, QObject, QTimer, SignalInstance
from PySide6.QtWidgets import QWidget

from netjournal.core.clock import utcnow
from netjournal.core.drafts import discard_draft, load_draft, save_draft
from netjournal.ui.ops import DbWorker

AUTOSAVE_MSECS = 800
# Someone typing without a pause would keep pushing a plain debounce back forever (and lose it all in
# a crash); a save is never put off for longer than this after the first unsaved change.
AUTOSAVE_MAX_WAIT_MSECS = 1500


class DraftKeeper(QObject):
    def __init__(
        self, ops: DbWorker, key: str, collect: Callable[[], dict[str, Any]], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.ops, self.key, self.collect = ops, key, collect
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(AUTOSAVE_MSECS)
        self._timer.timeout.connect(self.save_now)
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

        self.ops.write(lambda s: save_draft(s, key, content, now=utcnow()))

    def stop(self) -> None:
        """Write a change still waiting for its autosave, then stop autosaving (the draft stays stored)."""
        if self._timer.isActive():
            self._timer.stop()
            self.save_now()
        self._active = False

    def discard(self) -> None:
        self._active = False
        self._timer.stop()
        key = self.key

        self.ops.write(lambda s: discard_draft(s, key))
