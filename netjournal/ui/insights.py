"""Insights: five pictures of your own journal, each with a one-sentence caption computed from the data."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from netjournal.core.clock import utcnow
from netjournal.core.insights import AllInsights, all_insights
from netjournal.ui import theme
from netjournal.ui.charts import MIST, SAND, SKY, SLATE, TEAL, Chart, Series
from netjournal.ui.layout import scrolling
from netjournal.ui.ops import DbWorker
from netjournal.ui.qt import shortcut

if TYPE_CHECKING:
    from netjournal.app import NetjournalApp


TWO_COLUMNS = 800  # pixels: two charts of about 390 each, and the space between them


class ChartCard(theme.Card):
    """A chart with its own "Save as PNG…" button."""

    def __init__(self, chart: Chart, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chart = chart
        self.save_button = QPushButton(self.tr("Save as PNG…"))
        self.save_button.setToolTip(self.tr("Save this chart, with its caption, as a picture"))
        self.save_button.clicked.connect(chart.ask_save_png)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(chart, 1)
        layout.addLayout(row)


class InsightsView(QWidget):
    def __init__(self, ops: DbWorker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self._stale = True
        self.discomfort = Chart(self.tr("Predicted vs actual discomfort"), "line")
        self.discomfort.y_range = (0, 100)
        self.discomfort.y_label = self.tr("Discomfort (0–100)")
        self.liking = Chart(self.tr("How much they liked talking with you"), "line")
        self.liking.y_range = (1, 7)
        self.liking.y_label = self.tr("Liking (1–7)")
        self.liking.y_ticks = [1, 2, 3, 4, 5, 6, 7]
        self.attempts = Chart(self.tr("Attempts per month"), "stacked")
        self.attempts.y_label = self.tr("Attempts")
        self.attempts.integer_axis = True
        self.energy = Chart(self.tr("Energy before and after, by kind of meeting"), "bars")
        self.energy.y_range = (0, 10)
        self.energy.y_label = self.tr("Energy (0–10)")
        self.circles = Chart(self.tr("Your circles"), "bars")
        self.circles.y_label = self.tr("People")
        self.circles.integer_axis = True
        self.charts = [self.discomfort, self.liking, self.attempts, self.energy, self.circles]
        for chart in self.charts:
            chart.data_dir = ops.journal.data_dir

        intro = QLabel(
            self.tr(
                "Pictures of your own notes, for noticing patterns, not for judging yourself. "
                "Right-click a chart or use its button to save it as a picture."
            )
        )
        intro.setTextFormat(Qt.TextFormat.PlainText)
        intro.setWordWrap(True)
        self.refresh_button = QPushButton(self.tr("&Refresh"))
        self.refresh_button.clicked.connect(self.refresh)
        head = QHBoxLayout()
        head.addWidget(intro, 1)
        head.addWidget(self.refresh_button, 0, Qt.AlignmentFlag.AlignTop)

        grid_host = QWidget()
        self.grid = QGridLayout(grid_host)
        self.grid.setSpacing(12)
        self.cards = [ChartCard(c) for c in self.charts]
        for card in self.cards:
            card.setMinimumHeight(330)
        self.columns = 0
        # Never sideways: two columns when two charts fit side by side, one when narrow.
        scroll = scrolling(grid_host, sideways=False)
        self.scroll_area = scroll
        scroll.viewport().installEventFilter(self)
        self.arrange(2)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(scroll, 1)
        refresh = shortcut(QKeySequence.StandardKey.Refresh, self, self.refresh)
        refresh.setWhatsThis(self.tr("Refresh the charts"))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.scroll_area.viewport() and event.type() == QEvent.Type.Resize:
            self.arrange(2 if self.scroll_area.viewport().width() >= TWO_COLUMNS else 1)
        return super().eventFilter(watched, event)

    def arrange(self, columns: int) -> None:
        """Lay the cards out in `columns` columns; a lone last card spans the whole width."""
        if columns == self.columns:
            return
        self.columns = columns
        for card in self.cards:
            self.grid.removeWidget(card)
        for i, card in enumerate(self.cards):
            lone = i == len(self.cards) - 1 and i % columns == 0
            self.grid.addWidget(card, i // columns, i % columns, 1, columns if lone else 1)
        for c in range(2):
            self.grid.setColumnStretch(c, 1 if c < columns else 0)

    def mark_stale(self) -> None:
        """Recompute when next shown (or now, if on screen)."""
        self._stale = True
        if self.isVisible():
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def refresh(self) -> None:
        self._stale = False
        self.ops.read(lambda s: all_insights(s, utcnow()), self.show_insights)

    def show_insights(self, data: AllInsights) -> None:
        d = data.discomfort
        self.discomfort.x_label = self.tr("Month") if d.per_month else self.tr("Date")
        self.discomfort.empty_text = self.tr("Your first comparison will appear here")
        self.discomfort.set_data(
            [p.label for p in d.points],
            [
                Series(self.tr("Predicted"), [p.predicted for p in d.points], SLATE, dashed=True),
                Series(self.tr("What happened"), [p.actual for p in d.points], TEAL),
            ],
            d.caption,
        )
        lk = data.liking
        self.liking.x_label = self.tr("Month")
        self.liking.empty_text = self.tr("Your first comparison will appear here")
        self.liking.set_data(
            [p.label for p in lk.points],
            [
                Series(self.tr("What I expected"), [p.predicted for p in lk.points], SLATE, dashed=True),
                Series(self.tr("What the meeting showed"), [p.actual for p in lk.points], TEAL),
            ],
            lk.caption,
        )
        at = data.attempts
        self.attempts.set_data(
            [m.label for m in at.months],
            [
                Series(self.tr("Reached out"), [float(m.reached_out) for m in at.months], SKY),
                Series(self.tr("Asked"), [float(m.asked) for m in at.months], SAND),
                Series(self.tr("Ladder steps"), [float(m.ladder) for m in at.months], TEAL),
            ],
            at.caption,
        )
        en = data.energy
        self.energy.set_data(
            [b.label for b in en.bars],
            [
                Series(self.tr("Before"), [b.before for b in en.bars], MIST),
                Series(self.tr("After"), [b.after for b in en.bars], SKY),
            ],
            en.caption,
        )
        ci = data.circles
        self.circles.set_data(
            [b.label for b in ci.bars],
            [
                Series(self.tr("People"), [float(b.people) for b in ci.bars], MIST),
                Series(self.tr("In touch in the last 3 months"), [float(b.in_touch) for b in ci.bars], TEAL),
            ],
            ci.caption,
        )


def install(app: NetjournalApp) -> None:
    from netjournal.ui.main_window import Section

    view = InsightsView(app.ops)
    app.insights = view
    app.journal_changed.connect(view.mark_stale)
    app.window.add_section(Section("insights", app.tr("Insights"), view))
