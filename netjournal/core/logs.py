"""Logging to a rotating file in the profile. Journal text never goes into a log: log ids and counts."""

from __future__ import annotations

import functools
import logging
import os
import sys

from netjournal.core.paths import DataDir

_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


@functools.cache
def _private_handler_class() -> type[logging.FileHandler]:
    # logging.handlers (sockets, pickle, queues) is imported only when a log file is opened.
    import logging.handlers

    class _PrivateRotatingHandler(logging.handlers.RotatingFileHandler):
        def _open(self):  # type: ignore[no-untyped-def]
            # Create the file readable by the user only, before anything is written to it.
            fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            return os.fdopen(fd, self.mode, encoding=self.encoding)

    return _PrivateRotatingHandler


def setup_logging(data_dir: DataDir, *, verbose: bool = False) -> logging.Handler:
    _PrivateRotatingHandler = _private_handler_class()
    data_dir.ensure()
    root = logging.getLogger()
    for h in list(root.handlers):
        if isinstance(h, _PrivateRotatingHandler):
            root.removeHandler(h)
            h.close()
    handler: logging.Handler = _PrivateRotatingHandler(
        data_dir.log_file, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
    )  # type: ignore[call-arg]
    handler.setFormatter(logging.Formatter(_FORMAT))
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    if verbose:
        stream = logging.StreamHandler(sys.stderr)
        stream.setFormatter(logging.Formatter(_FORMAT))
        root.addHandler(stream)
    # SQLAlchemy would log statements with parameters (journal text) at INFO; keep it quiet.
    logging.getLogger("sqlalchemy").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    # HTTP libraries log request URLs at DEBUG: a calendar's secret address must not reach the log.
    for name in ("caldav", "niquests", "urllib3", "urllib3_future"):
        logging.getLogger(name).setLevel(logging.WARNING)
    return handler
