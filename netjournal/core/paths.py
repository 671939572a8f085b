"""The one module that knows where netjournal keeps things.

Every command accepts --data-dir (or NETJOURNAL_DATA_DIR); tests always set it so that no test
touches a real profile.
"""

from __future__ import annotations

import os
import stat
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from netjournal.core.errors import DataDirError

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

ENV_DATA_DIR = "NETJOURNAL_DATA_DIR"
ENV_PASSPHRASE_FILE = "NETJOURNAL_PASSPHRASE_FILE"  # a locked journal's passphrase (core/cipher.py)
DB_FILENAME = "journal.sqlite3"


def passphrase_file(args: object) -> str | None:
    """The passphrase file a command or the app was given: --passphrase-file, else $NETJOURNAL_PASSPHRASE_FILE."""
    return getattr(args, "passphrase_file", None) or os.environ.get(ENV_PASSPHRASE_FILE) or None


def default_data_dir() -> Path:
    import platformdirs  # only when no folder was given: ~15 ms

    return Path(platformdirs.user_data_dir("netjournal", appauthor=False, roaming=False))


def resolve_data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """--data-dir wins, then NETJOURNAL_DATA_DIR, then the platform's user data directory."""
    if explicit:
        return Path(explicit).expanduser().resolve()
    env = os.environ.get(ENV_DATA_DIR)
    if env:
        return Path(env).expanduser().resolve()
    return default_data_dir()


def _private_dir(path: Path) -> Path:
    """Create `path` private (0700). An existing folder loses group/other access but keeps the owner's
    own choice: a folder the user made read-only stays read-only (and is refused clearly below)."""
    existed = path.is_dir()
    try:
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise DataDirError(
            f"netjournal cannot create the folder {path} ({exc.strerror or exc}). Check that its parent folder "
            "exists and is yours, or choose another folder with --data-dir."
        ) from exc
    if sys.platform != "win32":
        try:
            path.chmod(stat.S_IMODE(path.stat().st_mode) & 0o700 if existed else 0o700)
        except OSError as exc:
            if not os.access(path, os.R_OK | os.W_OK | os.X_OK):
                raise DataDirError(
                    f"netjournal cannot use the folder {path} ({exc.strerror or exc}): it is not yours to write "
                    "in. Check its permissions, or choose another folder with --data-dir."
                ) from exc
    if not os.access(path, os.W_OK | os.X_OK):
        raise DataDirError(
            f"netjournal cannot write in the folder {path}: it is read-only for you. Check its permissions, "
            "or choose another folder with --data-dir. Nothing was changed."
        )
    return path


@dataclass(frozen=True)
class DataDir:
    """The layout of one profile. Directories are created private (0700) on first use."""

    root: Path

    @classmethod
    def at(cls, explicit: str | os.PathLike[str] | None = None) -> DataDir:
        return cls(resolve_data_dir(explicit))

    def ensure(self) -> DataDir:
        _private_dir(self.root)
        _private_dir(self.backups)
        _private_dir(self.logs)
        return self

    @property
    def database(self) -> Path:
        return self.root / DB_FILENAME

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def log_file(self) -> Path:
        return self.logs / "netjournal.log"

    @property
    def url(self) -> URL:
        # Built, not formatted: a folder named "Journal #1 ? 50%" must not turn into a query string.
        # Imported here: the reading commands use DataDir without loading SQLAlchemy.
        from sqlalchemy.engine import URL

        return URL.create("sqlite", database=str(self.database))


def sqlite_uri(path: Path, **params: str) -> str:
    """A `file:` URI for sqlite3.connect(..., uri=True), with the path percent-encoded (`#`, `?`, `%`,
    spaces and non-ASCII letters in a folder name stay part of the path)."""
    uri = Path(os.path.abspath(path)).as_uri()
    return f"{uri}?{urlencode(params)}" if params else uri


def resources_dir() -> Path:
    """`resources/` beside the package in a source tree, or inside a PyInstaller bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"
