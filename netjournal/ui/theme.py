"""The look: line icons, light and dark palettes that follow the system, a visible focus ring, cards, avatars.

Every colour a widget draws comes from the palette, so one place decides light or dark:
- `install(qapp)` sets a calm palette that follows the system's colour scheme (Qt 6.5+
  `QStyleHints.colorScheme()` and its change signal; `NETJOURNAL_COLOR_SCHEME=light|dark` overrides it, for
  screenshots and for a desktop that does not say), and a style that draws a clear focus ring.
- `icon(name)` is one of the line icons in resources/icons/line/, drawn in the palette's text colour at
  whatever size and pixel ratio it is painted, so it stays crisp at 1x and 2x and follows a scheme change.
- `Card` is the one card (suggestions in Today, charts in Insights, suggestions in Prepare).
- `avatar(...)` draws initials on a soft colour picked from the person's id (the same person, the same colour).
- `app_icon()` is netjournal's own icon (window, tray).
"""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path

from PySide6.QtCore import QByteArray, QEvent, QObject, QRect, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QGuiApplication,
    QIcon,
    QIconEngine,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import QApplication, QFrame, QLabel, QProxyStyle, QStyle, QStyleOption, QWidget

from netjournal.core.paths import resources_dir

ICON_DIR = "icons/line"
ENV_SCHEME = "NETJOURNAL_COLOR_SCHEME"

# ------------------------------------------------------------------------------------------ palettes
# The two palettes are the only place colours are written down; everything else reads the palette.
_DARK = {
    QPalette.ColorRole.Window: "#202327",
    QPalette.ColorRole.WindowText: "#e4e6e9",
    QPalette.ColorRole.Base: "#272a2f",
    QPalette.ColorRole.AlternateBase: "#2d3136",
    QPalette.ColorRole.ToolTipBase: "#33373d",
    QPalette.ColorRole.ToolTipText: "#e4e6e9",
    QPalette.ColorRole.PlaceholderText: "#9aa1a9",
    QPalette.ColorRole.Text: "#e4e6e9",
    QPalette.ColorRole.Button: "#2f3338",
    QPalette.ColorRole.ButtonText: "#e4e6e9",
    QPalette.ColorRole.BrightText: "#ffffff",
    QPalette.ColorRole.Light: "#3d4249",
    QPalette.ColorRole.Midlight: "#353a40",
    QPalette.ColorRole.Mid: "#4a5058",
    QPalette.ColorRole.Dark: "#17191c",
    QPalette.ColorRole.Shadow: "#0d0e10",
    QPalette.ColorRole.Highlight: "#4f7fae",
    QPalette.ColorRole.HighlightedText: "#ffffff",
    QPalette.ColorRole.Link: "#8db7e3",
    QPalette.ColorRole.LinkVisited: "#b5a6dd",
    QPalette.ColorRole.Accent: "#4f7fae",
}
_LIGHT = {
    QPalette.ColorRole.Window: "#f3f4f6",
    QPalette.ColorRole.WindowText: "#1f2328",
    QPalette.ColorRole.Base: "#ffffff",
    QPalette.ColorRole.AlternateBase: "#f6f7f9",
    QPalette.ColorRole.ToolTipBase: "#fdfdfd",
    QPalette.ColorRole.ToolTipText: "#1f2328",
    QPalette.ColorRole.PlaceholderText: "#6b7280",
    QPalette.ColorRole.Text: "#1f2328",
    QPalette.ColorRole.Button: "#f7f8fa",
    QPalette.ColorRole.ButtonText: "#1f2328",
    QPalette.ColorRole.BrightText: "#000000",
    QPalette.ColorRole.Light: "#ffffff",
    QPalette.ColorRole.Midlight: "#e7e9ed",
    QPalette.ColorRole.Mid: "#c9cdd4",
    QPalette.ColorRole.Dark: "#9aa1ab",
    QPalette.ColorRole.Shadow: "#6b7280",
    QPalette.ColorRole.Highlight: "#3d6fa3",
    QPalette.ColorRole.HighlightedText: "#ffffff",
    QPalette.ColorRole.Link: "#2f5f8f",
    QPalette.ColorRole.LinkVisited: "#5b4b8a",
    QPalette.ColorRole.Accent: "#3d6fa3",
}


def make_palette(dark: bool) -> QPalette:
    pal = QPalette()
    for role, colour in (_DARK if dark else _LIGHT).items():
        pal.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        soft = QColor(pal.color(QPalette.ColorRole.PlaceholderText))
        pal.setColor(QPalette.ColorGroup.Disabled, role, soft)
    return pal


def is_dark(pal: QPalette | None = None) -> bool:
    pal = pal or QGuiApplication.palette()
    return pal.color(QPalette.ColorRole.Window).lightness() < 128


def wanted_scheme() -> Qt.ColorScheme:
    """The scheme to show: the override in the environment, else what the system says (light if unknown)."""
    forced = os.environ.get(ENV_SCHEME, "").strip().lower()
    if forced in ("dark", "light"):
        return Qt.ColorScheme.Dark if forced == "dark" else Qt.ColorScheme.Light
    hints = QGuiApplication.styleHints()
    scheme = hints.colorScheme() if hints is not None else Qt.ColorScheme.Unknown
    return Qt.ColorScheme.Dark if scheme == Qt.ColorScheme.Dark else Qt.ColorScheme.Light


class Theme(QObject):
    """Keeps the application's palette in step with the system's colour scheme."""

    def __init__(self, qapp: QApplication) -> None:
        super().__init__(qapp)
        self.qapp = qapp
        self.style = FocusRingStyle("Fusion")
        qapp.setStyle(self.style)
        hints = QGuiApplication.styleHints()
        if hints is not None:
            hints.colorSchemeChanged.connect(lambda _scheme: self.apply())
        self.apply()

    def apply(self, scheme: Qt.ColorScheme | None = None) -> None:
        dark = (scheme or wanted_scheme()) == Qt.ColorScheme.Dark
        if self.qapp.palette() == make_palette(dark):
            return
        self.qapp.setPalette(make_palette(dark))
        # Style sheets resolve palette(...) when they are applied: apply them again in the new colours.
        for widget in self.qapp.allWidgets():
            sheet = widget.styleSheet()
            if sheet:
                widget.setStyleSheet(sheet)


_theme: Theme | None = None


def install(qapp: QApplication | None = None) -> Theme:
    """The app's theme (installed once per QApplication)."""
    global _theme
    qapp = qapp or QApplication.instance()  # type: ignore[assignment]
    assert isinstance(qapp, QApplication)
    if _theme is None or _theme.qapp is not qapp:
        _theme = Theme(qapp)
    return _theme


# --------------------------------------------------------------------------------------- focus ring


class FocusRingStyle(QProxyStyle):
    """Fusion, with a focus ring you can see: a 2 px ring in the highlight colour around the focused control."""

    def styleHint(
        self,
        hint: QStyle.StyleHint,
        option: QStyleOption | None = None,
        widget: QWidget | None = None,
        data: object = None,
    ) -> int:
        # No stock floppy-disk and red-X icons on Save/Cancel: dialog buttons are words, as in GNOME.
        if hint == QStyle.StyleHint.SH_DialogButtonBox_ButtonsHaveIcons:
            return 0
        return super().styleHint(hint, option, widget, data)  # type: ignore[arg-type]

    def drawPrimitive(
        self, element: QStyle.PrimitiveElement, option: QStyleOption, painter: QPainter, widget: QWidget | None = None
    ) -> None:
        if element == QStyle.PrimitiveElement.PE_FrameFocusRect:
            _ring(painter, option, QRectF(option.rect).adjusted(1, 1, -1, -1), 3.0)
            return
        super().drawPrimitive(element, option, painter, widget)
        if option.state & QStyle.StateFlag.State_HasFocus and element in (
            QStyle.PrimitiveElement.PE_PanelButtonCommand,
            QStyle.PrimitiveElement.PE_PanelButtonTool,
            QStyle.PrimitiveElement.PE_FrameLineEdit,
        ):
            _ring(painter, option, QRectF(option.rect).adjusted(1, 1, -1, -1), 4.0)


def _ring(painter: QPainter, option: QStyleOption, rect: QRectF, radius: float) -> None:
    colour = option.palette.color(QPalette.ColorRole.Highlight)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(colour, 2.0))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRoundedRect(rect, radius, radius)
    painter.restore()


# --------------------------------------------------------------------------------------------- icons


@cache
def _svg(name: str) -> str:
    return (resources_dir() / ICON_DIR / f"{name}.svg").read_text(encoding="utf-8")


@cache  # the icons ship with the app: one look at the folder (it took ~8 ms as Today was first shown)
def icon_names() -> tuple[str, ...]:
    return tuple(sorted(p.stem for p in (resources_dir() / ICON_DIR).glob("*.svg")))


class _LineIconEngine(QIconEngine):
    """Draws one line icon in the palette's colour for the mode (selected: highlighted text; disabled: soft)."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self._cache: dict[tuple[int, int, str], QPixmap] = {}

    def _colour(self, mode: QIcon.Mode) -> QColor:
        pal = QGuiApplication.palette()
        if mode == QIcon.Mode.Selected:
            return pal.color(QPalette.ColorRole.HighlightedText)
        if mode == QIcon.Mode.Disabled:
            return pal.color(QPalette.ColorRole.PlaceholderText)
        return pal.color(QPalette.ColorRole.WindowText)

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        from PySide6.QtSvg import QSvgRenderer  # when an icon is first drawn, not before the first frame

        colour = self._colour(mode).name()
        renderer = QSvgRenderer(QByteArray(_svg(self.name).replace("currentColor", colour).encode()))
        renderer.render(painter, QRectF(rect))

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        return self.scaledPixmap(size, mode, state, 1.0)

    def scaledPixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State, scale: float) -> QPixmap:
        w, h = max(1, round(size.width() * scale)), max(1, round(size.height() * scale))
        key = (w, h, f"{self._colour(mode).name()}{int(mode == QIcon.Mode.Disabled)}")
        cached = self._cache.get(key)
        if cached is None:
            cached = QPixmap(w, h)
            cached.fill(Qt.GlobalColor.transparent)
            painter = QPainter(cached)
            self.paint(painter, QRect(0, 0, w, h), mode, state)
            painter.end()
            cached.setDevicePixelRatio(scale)
            self._cache[key] = cached
        return cached

    def actualSize(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QSize:
        side = min(size.width(), size.height())
        return QSize(side, side)

    def clone(self) -> QIconEngine:
        return _LineIconEngine(self.name)

    def key(self) -> str:
        return "netjournal-line"

    def iconName(self) -> str:
        return self.name


def icon(name: str) -> QIcon:
    """A line icon from resources/icons/line/ (KeyError-free: a missing file is a bug caught by the tests)."""
    _svg(name)  # read now: a typo fails at once, not at paint time
    return QIcon(_LineIconEngine(name))


@cache
def app_icon() -> QIcon:
    """netjournal's icon: the SVG, and the PNGs at the sizes their names give (read only when drawn)."""
    icon = QIcon()
    icons = resources_dir() / "icons"
    svg = icons / "netjournal.svg"
    if svg.exists():
        icon.addFile(str(svg))
    for png in sorted(icons.glob("netjournal-*.png")):
        icon.addFile(str(png), _named_size(png))
    return icon


def _named_size(png: Path) -> QSize:
    # netjournal-48.png is 48x48. Given its size, QIcon reads the file only when it draws it: without one
    # it reads every file at once to learn their sizes (15 ms for the 512 px one alone).
    side = png.stem.rpartition("-")[2]
    return QSize(int(side), int(side)) if side.isdigit() else QSize()


# ---------------------------------------------------------------------------------------------- cards


class Card(QFrame):
    """The one card: a rounded panel a shade off the window, with a hairline border, both from the palette."""

    RADIUS = 8.0

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setContentsMargins(6, 6, 6, 6)

    def paintEvent(self, event: QPaintEvent) -> None:
        pal = self.palette()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        border = QColor(pal.color(QPalette.ColorRole.Mid))
        painter.setPen(QPen(border, 1.0))
        painter.setBrush(pal.color(QPalette.ColorRole.Base))
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), self.RADIUS, self.RADIUS)
        painter.end()
        super().paintEvent(event)


# -------------------------------------------------------------------------------------------- avatars


def initials(name: str) -> str:
    """'Priya Raman' -> 'PR', 'Cher' -> 'C', 'jean-luc picard' -> 'JP'; nothing usable -> '?'."""
    words = [w for w in re.sub(r"\([^)]*\)", " ", name).split() if w[:1].isalnum()]  # "Chen Wei (陈伟)": CW
    if not words:
        return "?"
    first = words[0][0]
    last = words[-1][0] if len(words) > 1 else ""
    return (first + last).upper()


def avatar_colour(person_id: int, pal: QPalette | None = None) -> QColor:
    """A soft colour that is the same for the same person: pale in light mode, deep in dark mode."""
    hue = (person_id * 137) % 360  # golden-angle steps: neighbours in the list get distinct hues
    if is_dark(pal):
        return QColor.fromHsl(hue, 70, 78)
    return QColor.fromHsl(hue, 120, 214)


def paint_avatar(painter: QPainter, rect: QRectF, person_id: int, name: str, pal: QPalette) -> None:
    """Initials on a soft disc filling `rect` (a square), text in the palette's text colour."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    path = QPainterPath()
    path.addEllipse(rect)
    painter.fillPath(path, avatar_colour(person_id, pal))
    font = QFont(QGuiApplication.font())
    font.setPixelSize(max(6, round(rect.height() * 0.4)))
    font.setWeight(QFont.Weight.DemiBold)
    painter.setFont(font)
    painter.setPen(pal.color(QPalette.ColorRole.WindowText))
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, initials(name))
    painter.restore()


def avatar(person_id: int, name: str, size: int, scale: float = 1.0, pal: QPalette | None = None) -> QPixmap:
    """A round initials avatar, `size` logical pixels across, sharp at `scale` (the screen's pixel ratio)."""
    pal = pal or QGuiApplication.palette()
    px = max(1, round(size * scale))
    pm = QPixmap(px, px)
    pm.fill(Qt.GlobalColor.transparent)
    pm.setDevicePixelRatio(scale)
    painter = QPainter(pm)
    paint_avatar(painter, QRectF(0, 0, size, size), person_id, name, pal)
    painter.end()
    return pm


class Avatar(QLabel):
    """An initials avatar that redraws itself when the palette (light/dark) changes."""

    def __init__(self, size: int = 40, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._size = size
        self._who: tuple[int, str] | None = None
        self.setFixedSize(size, size)
        self.setAccessibleName(self.tr("Initials"))

    def set_person(self, person_id: int, name: str) -> None:
        self._who = (person_id, name)
        self.setAccessibleName(self.tr("Initials of {0}").format(name))
        self._redraw()

    def _redraw(self) -> None:
        if self._who is None:
            self.clear()
            return
        self.setPixmap(avatar(*self._who, self._size, self.devicePixelRatioF(), self.palette()))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._redraw()
