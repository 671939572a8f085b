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


def test_charts_draw_with_no_data_one_point_and_many(qtbot, tmp_path) -> None:
    from netjournal.ui.charts import Chart, Series, nice_ticks

    assert nice_ticks(0, 3.3, integer=True) == [0, 1, 2, 3, 4]
    for kind in ("line", "bars", "stacked"):
        for n in (0, 1, 40):
            chart = Chart("Test", kind)
            qtbot.addWidget(chart)
            chart.resize(420, 300)
            chart.set_data(
                [f"c{i}" for i in range(n)],
                [Series("a", [float(i) for i in range(n)]), Series("b", [None] * n)],
                "A caption.",
            )
            image = chart.to_image()
            assert not image.isNull() and image.width() == 840
            assert chart.save_png(tmp_path / f"{kind}-{n}.png")
