"""netjournal: a private desktop journal for introverted networkers."""

from importlib import metadata as _metadata

try:
    __version__ = _metadata.version("netjournal")
except _metadata.PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"

APP_NAME = "netjournal"
APP_DISPLAY_NAME = "netjournal"
