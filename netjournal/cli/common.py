"""Helpers shared by the subcommands."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from datetime import datetime
from typing import Any

from netjournal.core.clock import as_utc, utcnow
from netjournal.core.db import Journal, open_journal, open_journal_for_reading
from netjournal.core.errors import DataDirError, ValidationError
from netjournal.core.logs import setup_logging
from netjournal.core.paths import DataDir


def data_dir(args: argparse.Namespace) -> DataDir:
    return DataDir.at(getattr(args, "data_dir", None))


def open_cli_journal(args: argparse.Namespace, *, reading: bool = False) -> Journal:
    """The journal for a command. `reading` commands also work on a read-only journal (to rescue it)."""
    dd = data_dir(args)
    if not reading:
        setup_logging(dd, verbose=getattr(args, "verbose", False))
        return open_journal(dd)
    with contextlib.suppress(DataDirError, OSError):  # a read-only journal folder: reading needs no log file
        setup_logging(dd, verbose=getattr(args, "verbose", False))
    return open_journal_for_reading(dd)


def parse_when(text: str | None) -> datetime:
    """An ISO date or date-time from the command line; naive values are local time."""
    if not text:
        return utcnow()
    try:
        return as_utc(datetime.fromisoformat(text))
    except ValueError as exc:
        raise ValidationError(f"{text!r} is not a date and time like 2026-03-14T09:30 or 2026-03-14.") from exc


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")
