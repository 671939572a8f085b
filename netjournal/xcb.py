"""Before Qt opens a window on X11: are the libraries its xcb plugin loads there?

Without one of them Qt aborts (exit 134) with its own long message, or one that names the wrong
library. netjournal checks first and says in one line which Debian package to install. The list is
what PySide6's libqxcb.so and libQt6XcbQpa need (`readelf -d`), with the package that ships each;
packaging/linux/build_deb.sh depends on the same packages. No Qt here: this runs before Qt loads.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

# soname -> Debian package
XCB_LIBRARIES: dict[str, str] = {
    "libxcb.so.1": "libxcb1",
    "libX11.so.6": "libx11-6",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libGL.so.1": "libgl1",
    "libEGL.so.1": "libegl1",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libdbus-1.so.3": "libdbus-1-3",
}


def uses_xcb(environ: Mapping[str, str] = os.environ, platform: str = sys.platform) -> bool:
    """True when Qt would open its window through the xcb plugin (X11 with a DISPLAY)."""
    if not platform.startswith("linux") and "bsd" not in platform:
        return False
    chosen = environ.get("QT_QPA_PLATFORM", "")
    if chosen:
        return chosen.split(";")[0].split(":")[0] == "xcb"
    # On a Wayland session Qt picks its wayland plugin; xcb only where there is just an X display.
    return bool(environ.get("DISPLAY")) and not environ.get("WAYLAND_DISPLAY")


def _load(soname: str) -> object:
    import ctypes  # only on X11: elsewhere start-up does not pay for it

    try:
        return ctypes.CDLL(soname)
    except OSError:
        bundle = getattr(sys, "_MEIPASS", None)  # the PyInstaller build may carry its own copy
        if bundle and (Path(bundle) / soname).exists():
            return ctypes.CDLL(str(Path(bundle) / soname))
        raise


def missing_packages(libraries: Mapping[str, str] | None = None, load: Callable[[str], object] = _load) -> list[str]:
    """The Debian packages whose library cannot be loaded, in the table's order (empty if all load)."""
    table = XCB_LIBRARIES if libraries is None else libraries
    missing: list[str] = []
    for soname, package in table.items():
        try:
            load(soname)
        except OSError:
            if package not in missing:
                missing.append(package)
    return missing


def problem(environ: Mapping[str, str] = os.environ) -> str | None:
    """One line for the terminal when the window cannot open for want of a library, else None."""
    if not uses_xcb(environ):
        return None
    missing = missing_packages()
    if not missing:
        return None
    what = "a library" if len(missing) == 1 else "libraries"
    return (
        f"netjournal: can't open the window: {what} of the X11 desktop is missing: {', '.join(missing)} "
        f"(on Debian or Ubuntu: sudo apt install {' '.join(missing)})"
    )
