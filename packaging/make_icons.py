"""Render the app icon: resources/icons/netjournal-<size>.png for every size desktops ask for, plus the
Windows .ico (packaging/windows/) and macOS .icns (packaging/macos/) that build.spec uses.

netjournal.svg is the icon; netjournal-16.svg is the same drawing aligned to the 16 px grid, used for
16 px (tray, menus) where the big drawing would blur. Run after editing either SVG:

    python packaging/make_icons.py
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, QRectF, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parents[1]
ICONS = ROOT / "resources" / "icons"
ICO = ROOT / "packaging" / "windows" / "netjournal.ico"
ICNS = ROOT / "packaging" / "macos" / "netjournal.icns"
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# .icns entry types holding PNG data, by pixel size (the @2x ones double up).
ICNS_TYPES = (
    (b"ic11", 32),
    (b"ic12", 64),
    (b"ic07", 128),
    (b"ic13", 256),
    (b"ic08", 256),
    (b"ic14", 512),
    (b"ic09", 512),
    (b"ic10", 1024),
)
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


def png_bytes(size: int) -> bytes:
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    render(source_for(size), size).save(buffer, "PNG")
    return bytes(buffer.data().data())


def ico(sizes: tuple[int, ...] = ICO_SIZES) -> bytes:
    """A Windows icon holding one PNG per size (Windows Vista and later read PNG entries)."""
    images = [png_bytes(size) for size in sizes]
    out = struct.pack("<HHH", 0, 1, len(images))
    offset = 6 + 16 * len(images)
    for size, data in zip(sizes, images, strict=True):
        side = 0 if size >= 256 else size  # 0 means 256
        out += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
    return out + b"".join(images)


def icns() -> bytes:
    """A macOS icon: an 'icns' header, then one (type, length, PNG) entry per size."""
    body = b""
    for kind, size in ICNS_TYPES:
        data = png_bytes(size)
        body += kind + struct.pack(">I", 8 + len(data)) + data
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main(out_dir: Path = ICONS) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    written = []
    for size in SIZES:
        out = out_dir / f"netjournal-{size}.png"
        if not render(source_for(size), size).save(str(out), "PNG"):
            raise SystemExit(f"could not write {out}")
        written.append(out)
    for path, data in ((ICO, ico()), (ICNS, icns())):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(path)
    return written


if __name__ == "__main__":
    for path in main():
        print(path.relative_to(ROOT))
