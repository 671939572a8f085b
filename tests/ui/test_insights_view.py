"""The Insights section: captions follow the data, and a chart saves as a real PNG."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtWidgets import QFileDialog

from netjournal.core import reflections as rf
from netjournal.core.clock import utcnow
from netjournal.ui.insights import InsightsView
from netjournal.ui.ops import DbWorker


def _view(qtbot, journal) -> tuple[InsightsView, DbWorker]:
    ops = DbWorker(journal)
    view = InsightsView(ops)
    qtbot.addWidget(view)
    view.resize(1000, 800)
    return view, ops


def test_caption_reflects_the_data(qtbot, journal) -> None:
    now = utcnow()
    with journal.session() as s:
        for days, pred, act in ((20, 80, 50), (10, 70, 40), (5, 60, 30)):
            rf.save_reflection(
                s,
                rf.DiscomfortForm(
                    situation="meetup",
                    prediction="awkward",
                    predicted_suds=pred,
                    actual_suds=act,
                    occurred_at=now - timedelta(days=days),
                ),
                now=now,
            )
    view, ops = _view(qtbot, journal)
    try:
        view.show()
        qtbot.waitUntil(lambda: "30 points more worried" in view.discomfort.caption)
        assert view.discomfort.accessibleDescription() == view.discomfort.caption
        assert len(view.discomfort.categories) == 3
        assert "Nothing to compare yet" in view.liking.caption
    finally:
        ops.stop()


def test_save_as_png_writes_a_picture(qtbot, journal, tmp_path, monkeypatch) -> None:
    view, ops = _view(qtbot, journal)
    try:
        view.show()
        qtbot.waitUntil(lambda: bool(view.attempts.caption))
        target = tmp_path / "attempts"
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "PNG pictures (*.png)"))
        view.cards[2].save_button.click()
        png = tmp_path / "attempts.png"
        assert png.exists() and png.stat().st_size > 1000
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    finally:
        ops.stop()
