"""DraftKeeper: autosave a form's text while it is typed, so a crash loses at most a second or two.

keeper = DraftKeeper(ops, "quicklog", collect=self.form_values, parent=self)
keeper.watch(self.note.textChanged, self.person.textChanged)
if (saved := keeper.recovered()): self.apply(saved)   # and tell the user it was recovered
...
keeper.discard()   # after a real save, or when the user throws the draft away
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, SignalInstance

from netjournal.core.clock import utcnow
from netjournal.core.db import Journal
from netjournal.core.drafts import discard_draft, load_draft, save_draft
from netjournal.ui.ops import DbWorker

AUTOSAVE_MSECS = 800


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
        self._active = True

    def watch(self, *signals: SignalInstance) -> None:
        for sig in signals:
            sig.connect(self._changed)

    def _changed(self, *_args: object) -> None:
        if self._active:
            self._timer.start()

    def recovered(self) -> dict[str, Any] | None:
        def job(j: Journal) -> dict[str, Any] | None:
            with j.read() as s:
                return load_draft(s, self.key)

        result: dict[str, Any] | None = self.ops.call(job)
        return result

    def save_now(self) -> None:
        if not self._active:
            return
        content = self.collect()
        key = self.key

        def job(j: Journal) -> None:
            with j.session() as s:
                save_draft(s, key, content, now=utcnow())

        self.ops.run(job, on_done=lambda _r: None)

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

        def job(j: Journal) -> None:
            with j.session() as s:
                discard_draft(s, key)

        self.ops.run(job, on_done=lambda _r: None)
