"""Render the app icon to PNGs: resources/icons/netjournal-<size>.png for every size desktops ask for.

netjournal.svg is the icon; netjournal-16.svg is the same drawing aligned to the 16 px grid, used for
16 px (tray, menus) where the big drawing would blur. Run after editing either SVG:

    python packaging/make_icons.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"
SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
SMALL_SOURCE_MAX = 16  # sizes up to this use the pixel-aligned drawing


def source_for(size: int) -> Path:
    return ICONS / ("netjournal-16.svg" if size <= SMALL_SOURCE_MAX else "netjournal.svg")


def render(svg: Path, size: int) -> QImage:
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg}: not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return image


def main(out_dir: Path = ICONS) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    written = []
    for size in SIZES:
        out = out_dir / f"netjournal-{size}.png"
        if not render(source_for(size), size).save(str(out), "PNG"):
            raise SystemExit(f"could not write {out}")
        written.append(out)
    return written


if __name__ == "__main__":
    for path in main():
        print(path.relative_to(ICONS.parents[1]))
