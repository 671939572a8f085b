"""netjournal: a private desktop journal for introverted networkers."""

from __future__ import annotations

APP_NAME = "netjournal"
APP_DISPLAY_NAME = "netjournal"


def __getattr__(name: str) -> str:
    # The version is read from the installed package's metadata only when asked for: importlib.metadata
    # costs ~40 ms, more than a whole `netjournal search` should.
    if name == "__version__":
        from importlib import metadata

        try:
            version = metadata.version("netjournal")
        except metadata.PackageNotFoundError:  # running from a source tree that was never installed
            version = "0.0.0+source"
        globals()["__version__"] = version
        return version
    raise AttributeError(f"module 'netjournal' has no attribute {name!r}")
