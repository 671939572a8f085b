"""A small chart widget drawn with QPainter: lines, grouped bars and stacked bars.

Why not QtCharts: it lives in PySide6-Addons (+157 MB in a venv here, about +3.5 MB of Qt libraries in
a onedir build) and has been deprecated since Qt 6.10; its successor, Qt Graphs, has no widget API (Qt
Quick only). These five charts need labelled axes, a legend, a caption and PNG export, which this does
in a few hundred lines with nothing to install.

Each chart draws its title, legend, axes and its plain-language caption, so a saved PNG is
self-explanatory. Colours are calm (blues, teal, sand, lavender); nothing is red.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QEvent, QIODevice, QLocale, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QFont,
    QFontMetricsF,
    QHelpEvent,
    QImage,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QFileDialog, QMenu, QSizePolicy, QToolTip, QWidget

from netjournal.core.errors import NetjournalError
from netjournal.core.outputs import write_output
from netjournal.core.paths import DataDir
from netjournal.ui.plain import plain_tooltip

# Calm, colour-blind-friendly (no red, no green/red pairs).
TEAL = QColor("#2a8c82")
SLATE = QColor("#7a6fb0")
SAND = QColor("#d2a04a")
SKY = QColor("#5a8fc7")
MIST = QColor("#a9bccf")
PALETTE = (SKY, TEAL, SAND, SLATE, MIST)
PALE = 170  # a colour lighter than this is deepened on a dark background, not lightened


@dataclass
class Series:
    name: str
    values: list[float | None]
    colour: QColor = field(default_factory=lambda: QColor(SKY))
    dashed: bool = False


def nice_ticks(low: float, high: float, count: int = 5, *, integer: bool = False) -> list[float]:
    """Round tick values covering [low, high] (1, 2, 2.5, 5 × 10^n steps; no 2.5 for whole numbers)."""
    if high <= low:
        high = low + 1
    raw = (high - low) / max(1, count)
    mag = 10 ** math.floor(math.log10(raw))
    steps = (1, 2, 5, 10) if integer else (1, 2, 2.5, 5, 10)
    step = next(m * mag for m in steps if m * mag >= raw)
    if integer:
        step = max(1, step)
    start = math.floor(low / step) * step
    ticks = []
    v = start
    while True:
        ticks.append(round(v, 6))
        if v >= high - step * 0.001:
            return ticks
        v += step


def _fmt(v: float) -> str:
    """A number as the user's locale writes it (1,234 or 1.234 or 1 234; 2.5 or 2,5)."""
    return QLocale().toString(float(v), "f", 0 if abs(v - round(v)) < 1e-6 else 1)


def split_year(label: str) -> tuple[str, str]:
    """ "Mar 2026" -> ("Mar", "2026"); a label with no year at its end -> (label, "")."""
    head, _, tail = label.rpartition(" ")
    return (head, tail) if head and len(tail) == 4 and tail.isdigit() else (label, "")


def two_lines(text: str, fm: QFontMetricsF, width: float) -> str:
    """`text` wrapped onto at most two lines of `width`; what still does not fit ends in "…"."""
    words = text.split()
    first = ""
    while words and fm.horizontalAdvance(f"{first} {words[0]}".strip()) <= width:
        first = f"{first} {words.pop(0)}".strip()
    if not first:  # one word wider than the slot
        return fm.elidedText(text, Qt.TextElideMode.ElideRight, width)
    rest = " ".join(words)
    return f"{first}\n{fm.elidedText(rest, Qt.TextElideMode.ElideRight, width)}" if rest else first


YOf = Callable[[float], float]  # a value's height on the plot


@dataclass(frozen=True)
class _Pens:
    """What a drawing writes with: the widget's font and its metrics, body text, quieter text, the grid."""

    font: QFont
    fm: QFontMetricsF
    text: QColor
    soft: QColor
    grid: QColor

    @classmethod
    def of(cls, widget: QWidget) -> _Pens:
        text = widget.palette().text().color()
        soft, grid = QColor(text), QColor(text)
        soft.setAlphaF(0.65)
        grid.setAlphaF(0.12)
        font = QFont(widget.font())
        return cls(font, QFontMetricsF(font), text, soft, grid)


@dataclass(frozen=True)
class _Axes:
    """Where the plot is drawn and how values map onto it."""

    plot: QRectF
    slot: float  # the width of one category's column
    lo: float
    hi: float
    ticks: list[float]
    tick_w: float  # the widest y tick label
    timed: bool  # the categories are months or days, each with its year

    def y_of(self, v: float) -> float:
        plot = self.plot
        return (
            plot.bottom() - (v - self.lo) / (self.hi - self.lo) * plot.height() if self.hi > self.lo else plot.bottom()
        )


class Chart(QWidget):
    """kind: "line", "bars" (grouped) or "stacked". Categories run along the x axis."""

    def __init__(self, title: str, kind: str = "line", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.kind = kind
        self.categories: list[str] = []
        self.series: list[Series] = []
        self.caption = ""
        self.x_label = ""
        self.y_label = ""
        self.y_range: tuple[float, float] | None = None  # fixed scale, e.g. (0, 100) for SUDS
        self.y_ticks: list[float] | None = None  # explicit ticks, e.g. 1..7 for a 1-7 rating
        self.integer_axis = False  # counts: ticks on whole numbers only
        self.value_labels = True  # numbers on bars when there is room
        self.empty_text = ""
        self.data_dir: DataDir | None = None  # the journal's folder: a picture is never saved over it
        # What the last drawing put under the x axis: each category's label as drawn ("…" where it was
        # shortened), and the columns a pointer can hover for the full label and values.
        self.drawn_labels: dict[int, str] = {}
        self._slots: list[tuple[QRectF, int]] = []
        self.setMinimumSize(360, 280)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName(title)
        self.setToolTip(self.tr("Right-click to save this chart as a PNG picture"))

    def sizeHint(self) -> QSize:
        return QSize(520, 340)

    def set_data(self, categories: list[str], series: list[Series], caption: str) -> None:
        self.categories = list(categories)
        self.series = list(series)
        self.caption = caption
        self.setAccessibleDescription(caption)
        self.update()

    def has_data(self) -> bool:
        return any(v is not None and v != 0 for s in self.series for v in s.values)

    # ----------------------------------------------------------------------------------- export

    def to_image(self, size: QSize | None = None, scale: float = 2.0) -> QImage:
        size = size or self.size()
        if size.width() < 200 or size.height() < 150:
            size = self.sizeHint()
        image = QImage(int(size.width() * scale), int(size.height() * scale), QImage.Format.Format_ARGB32)
        image.setDevicePixelRatio(scale)
        image.fill(self.palette().base().color())
        painter = QPainter(image)
        self._draw(painter, QRectF(0, 0, size.width(), size.height()))
        painter.end()
        return image

    def png_bytes(self) -> bytes:
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        self.to_image().save(buffer, "PNG")  # type: ignore[call-overload]  # stubs say bytes; PySide takes str
        buffer.close()
        return bytes(data.data())

    def save_png(self, path: str | Path) -> bool:
        """Save the chart as a PNG (atomically; never onto the journal's files). Raises OutputProblem."""
        content = self.png_bytes()
        write_output(path, lambda fh: fh.write(content), self.data_dir, what="chart")
        return True

    def ask_save_png(self) -> None:
        name = "".join(c if c.isalnum() else "-" for c in self.title.lower()).strip("-") or "chart"
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save chart as PNG"), str(Path.home() / f"{name}.png"), self.tr("PNG pictures (*.png)")
        )
        if path:
            if not path.lower().endswith(".png"):
                path += ".png"
            try:
                self.save_png(path)
            except NetjournalError as exc:
                from netjournal.ui.messages import inform

                inform(self, exc.message)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = QMenu(self)
        menu.addAction(self.tr("Save as PNG…"), self.ask_save_png)
        menu.exec(event.globalPos())

    # ---------------------------------------------------------------------------------- drawing

    def _ink(self, colour: QColor) -> QColor:
        """A series colour as drawn. On a dark background a little lighter, so lines and bars stay clear;
        a pale one (MIST) deeper instead: lightened, it came out nearly white and outshone the rest."""
        if self.palette().base().color().lightness() >= 128:
            return colour
        return colour.darker(150) if colour.lightness() > PALE else colour.lighter(125)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().base())
        self._draw(painter, QRectF(self.rect()))
        painter.end()

    def _draw(self, p: QPainter, area: QRectF) -> None:
        """Title, caption, legend, then the axes and what this kind of chart draws inside them."""
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = _Pens.of(self)
        pad = 12.0
        inner = area.adjusted(pad, pad, -pad, -pad)
        top = self._draw_title(p, inner, pen)
        bottom = self._draw_caption(p, inner, pen)
        top = self._draw_legend(p, inner, top, pen)
        axes = self._axes(inner, top, bottom, pen.fm)
        if axes is None:
            return  # too small to draw anything readable
        self._draw_axes(p, axes, inner, bottom, pen)
        n = len(self.categories)
        plot, slot = axes.plot, axes.slot
        self.drawn_labels = {}
        self._slots = [
            (QRectF(plot.left() + slot * i, plot.top(), slot, area.bottom() - plot.top()), i) for i in range(n)
        ]
        if n == 0 or not self.has_data():
            p.setPen(pen.soft)
            p.drawText(
                plot,
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                self.empty_text or self.tr("Nothing to show yet"),
            )
            return
        p.setPen(pen.soft)
        if axes.timed:
            self._draw_time_labels(p, plot, slot, pen.fm, inner)
        else:
            self._draw_category_labels(p, plot, slot, pen.fm)
        if self.kind == "line":
            self._draw_lines(p, plot, slot, axes.y_of)
        elif self.kind == "stacked":
            self._draw_stacked(p, plot, slot, axes.y_of, pen.fm, pen.text)
        else:
            self._draw_bars(p, plot, slot, axes.y_of, pen.fm, pen.text)

    def _draw_title(self, p: QPainter, inner: QRectF, pen: _Pens) -> float:
        """The title in bold on the first line; where what follows starts."""
        title_font = QFont(pen.font)
        title_font.setBold(True)
        title_font.setPointSizeF(pen.font.pointSizeF() * 1.15)
        p.setFont(title_font)
        p.setPen(pen.text)
        tfm = QFontMetricsF(title_font)
        p.drawText(
            QRectF(inner.left(), inner.top(), inner.width(), tfm.height()),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            self.title,
        )
        return inner.top() + tfm.height() + 6

    def _draw_caption(self, p: QPainter, inner: QRectF, pen: _Pens) -> float:
        """The caption at the bottom, word-wrapped; where the chart above it ends."""
        p.setFont(pen.font)
        cap_rect = QRectF(inner.left(), 0, inner.width(), 1000)
        flags = int(Qt.TextFlag.TextWordWrap)
        cap_h = pen.fm.boundingRect(cap_rect, flags, self.caption).height() if self.caption else 0
        bottom = inner.bottom() - cap_h - (8 if cap_h else 0)
        if self.caption:
            p.setPen(pen.text)
            p.drawText(QRectF(inner.left(), bottom + 8, inner.width(), cap_h), flags, self.caption)
        return bottom

    def _draw_legend(self, p: QPainter, inner: QRectF, top: float, pen: _Pens) -> float:
        """One row under the title naming the series (a line chart of one series needs none)."""
        named = [s for s in self.series if s.name]
        if not (len(named) > 1 or (named and self.kind != "line")):
            return top
        fm = pen.fm
        x = inner.left()
        for s in named:
            w = fm.horizontalAdvance(s.name) + 26
            if x + w > inner.right():
                break
            if self.kind == "line":
                line = QPen(self._ink(s.colour), 2.5, Qt.PenStyle.DashLine if s.dashed else Qt.PenStyle.SolidLine)
                p.setPen(line)
                p.drawLine(QPointF(x, top + fm.height() / 2), QPointF(x + 18, top + fm.height() / 2))
            else:
                p.fillRect(QRectF(x + 2, top + fm.height() / 2 - 6, 12, 12), self._ink(s.colour))
            p.setPen(pen.soft)
            p.drawText(QPointF(x + 22, top + fm.ascent()), s.name)
            x += w + 14
        return top + fm.height() + 8

    def _y_scale(self) -> tuple[float, float, list[float]]:
        """The y axis: its lowest and highest value and its ticks (stacked bars count their sums)."""
        values = [v for s in self.series for v in s.values if v is not None]
        if self.kind == "stacked" and self.categories:
            sums = [sum((s.values[i] or 0) for s in self.series) for i in range(len(self.categories))]
            values = [*values, *sums]
        lo, hi = self.y_range if self.y_range else (0.0, max([1.0, *values]) * 1.1)
        ticks = self.y_ticks or nice_ticks(lo, hi, 5, integer=self.integer_axis)
        if not self.y_range:
            hi = ticks[-1]
        return lo, hi, ticks

    def _axes(self, inner: QRectF, top: float, bottom: float, fm: QFontMetricsF) -> _Axes | None:
        """The plot area: room for y tick labels and the y-axis title on the left, x labels below; None when
        too small to draw in."""
        lo, hi, ticks = self._y_scale()
        tick_w = max(fm.horizontalAdvance(_fmt(t)) for t in ticks)
        left = inner.left() + tick_w + 8 + (fm.height() + 4 if self.y_label else 0)
        x_label_h = fm.height() + 4 if self.x_label else 0
        n = len(self.categories)
        plot_w = inner.right() - left - 4
        slot = plot_w / n if n else plot_w
        # Dates and months carry their year on a second line; other labels wrap onto a second line.
        timed = n > 0 and all(split_year(c)[1] for c in self.categories)
        lines = 2 if timed or any(fm.horizontalAdvance(c) > slot - 6 for c in self.categories) else 1
        plot = QRectF(left, top + 4, plot_w, bottom - top - 4 - fm.height() * lines - 8 - x_label_h)
        if plot.height() < 30 or plot.width() < 60:
            return None
        return _Axes(plot, slot, lo, hi, ticks, tick_w, timed)

    def _draw_axes(self, p: QPainter, axes: _Axes, inner: QRectF, bottom: float, pen: _Pens) -> None:
        """Grid lines with their y ticks, the x axis, and the axis titles."""
        fm, plot = pen.fm, axes.plot
        p.setFont(pen.font)
        for t in axes.ticks:
            if t < axes.lo - 1e-9 or t > axes.hi + 1e-9:
                continue
            y = axes.y_of(t)
            p.setPen(QPen(pen.grid, 1))
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            p.setPen(pen.soft)
            p.drawText(
                QRectF(plot.left() - axes.tick_w - 8, y - fm.height() / 2, axes.tick_w + 2, fm.height()),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                _fmt(t),
            )
        p.setPen(QPen(pen.soft, 1))
        p.drawLine(QPointF(plot.left(), plot.bottom()), QPointF(plot.right(), plot.bottom()))
        p.setPen(pen.soft)
        if self.y_label:
            p.save()
            p.translate(inner.left() + fm.ascent(), plot.center().y())
            p.rotate(-90)
            p.drawText(
                QRectF(-plot.height() / 2, -fm.ascent(), plot.height(), fm.height()),
                Qt.AlignmentFlag.AlignCenter,
                self.y_label,
            )
            p.restore()
        if self.x_label:
            p.drawText(
                QRectF(plot.left(), bottom - fm.height(), plot.width(), fm.height()),
                Qt.AlignmentFlag.AlignCenter,
                self.x_label,
            )

    def _draw_category_labels(self, p: QPainter, plot: QRectF, slot: float, fm: QFontMetricsF) -> None:
        """Each category under its column, on up to two lines ("…" where even that is too short)."""
        for i, c in enumerate(self.categories):
            text = two_lines(c, fm, slot - 6)
            p.drawText(
                QRectF(plot.left() + slot * i + 3, plot.bottom() + 4, slot - 6, fm.height() * 2),
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                text,
            )
            self.drawn_labels[i] = text

    def _draw_time_labels(self, p: QPainter, plot: QRectF, slot: float, fm: QFontMetricsF, inner: QRectF) -> None:
        """Months or days: evenly thinned when crowded (the first and last always shown; hovering a column
        names it), each year written once under its first label."""
        n = len(self.categories)
        parts = [split_year(c) for c in self.categories]
        widest = max(fm.horizontalAdvance(head) for head, _ in parts) + 8
        every = max(1, math.ceil(widest / slot)) if widest > slot else 1
        right_edge = inner.left() - 100.0
        year_shown = ""
        for i, (head, year) in enumerate(parts):
            if i % every and i != n - 1:
                continue
            w = fm.horizontalAdvance(head)
            cx = plot.left() + slot * (i + 0.5)
            left_x = min(max(cx - w / 2, inner.left()), inner.right() - w)
            if left_x < right_edge + 6:  # the last label would touch the one before: the earlier one gives way
                continue
            y = plot.bottom() + 4 + fm.ascent()
            p.drawText(QPointF(left_x, y), head)
            drawn = head
            if year != year_shown:
                yw = fm.horizontalAdvance(year)
                p.drawText(QPointF(min(max(cx - yw / 2, inner.left()), inner.right() - yw), y + fm.height()), year)
                year_shown, drawn = year, f"{head} {year}"
            self.drawn_labels[i] = drawn
            right_edge = left_x + w

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            tip = self.tip_at(QPointF(event.pos()))
            if tip:
                QToolTip.showText(event.globalPos(), plain_tooltip(tip), self)
                return True
        return super().event(event)

    def tip_at(self, pos: QPointF) -> str:
        """The full label and values of the column under `pos`: nothing shortened or skipped is out of reach."""
        for rect, i in self._slots:
            if rect.contains(pos) and i < len(self.categories):
                values = [
                    f"{s.name}: {_fmt(v)}" for s in self.series if i < len(s.values) and (v := s.values[i]) is not None
                ]
                return "\n".join([self.categories[i], *values])
        return ""

    def _draw_lines(self, p: QPainter, plot: QRectF, slot: float, y_of: YOf) -> None:
        markers = len(self.categories) <= 40
        for s in self.series:
            pen = QPen(self._ink(s.colour), 2.5, Qt.PenStyle.DashLine if s.dashed else Qt.PenStyle.SolidLine)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            prev: QPointF | None = None
            pts: list[QPointF] = []
            for i, v in enumerate(s.values):
                if v is None:
                    prev = None
                    continue
                pt = QPointF(plot.left() + slot * (i + 0.5), y_of(v))
                if prev is not None:
                    p.setPen(pen)
                    p.drawLine(prev, pt)
                prev = pt
                pts.append(pt)
            if markers or len(pts) == 1:
                p.setPen(QPen(self._ink(s.colour), 1.5))
                p.setBrush(self.palette().base())
                for pt in pts:
                    p.drawEllipse(pt, 3.5, 3.5)
                p.setBrush(Qt.BrushStyle.NoBrush)

    def _bar_label(self, p: QPainter, rect: QRectF, value: float, fm: QFontMetricsF, colour: QColor) -> None:
        if not self.value_labels or rect.width() < fm.horizontalAdvance(_fmt(value)) + 2:
            return
        p.setPen(colour)
        p.drawText(
            QRectF(rect.left() - 10, rect.top() - fm.height() - 1, rect.width() + 20, fm.height()),
            Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
            _fmt(value),
        )

    def _draw_bars(self, p: QPainter, plot: QRectF, slot: float, y_of: YOf, fm: QFontMetricsF, text: QColor) -> None:
        k = max(1, len(self.series))
        group_w = slot * 0.72
        bar_w = group_w / k
        for i in range(len(self.categories)):
            gx = plot.left() + slot * i + (slot - group_w) / 2
            for j, s in enumerate(self.series):
                v = s.values[i] if i < len(s.values) else None
                if v is None:
                    continue
                top = y_of(v)
                rect = QRectF(gx + j * bar_w + 1, top, bar_w - 2, plot.bottom() - top)
                p.fillRect(rect, self._ink(s.colour))
                self._bar_label(p, rect, v, fm, text)

    def _draw_stacked(self, p: QPainter, plot: QRectF, slot: float, y_of: YOf, fm: QFontMetricsF, text: QColor) -> None:
        bar_w = slot * 0.62
        for i in range(len(self.categories)):
            x = plot.left() + slot * i + (slot - bar_w) / 2
            acc = 0.0
            for s in self.series:
                v = s.values[i] if i < len(s.values) else None
                if not v:
                    continue
                y_top, y_bottom = y_of(acc + v), y_of(acc)
                p.fillRect(QRectF(x, y_top, bar_w, y_bottom - y_top), self._ink(s.colour))
                acc += v
            if acc:
                self._bar_label(p, QRectF(x, y_of(acc), bar_w, 0), acc, fm, text)
