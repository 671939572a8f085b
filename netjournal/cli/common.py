"""Helpers shared by the subcommands."""

from __future__ import annotations

import argparse
import contextlib
import getpass
import json
import os
import sqlite3
import sys
from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any

from netjournal.core import cipher
from netjournal.core.clock import as_utc, utcnow
from netjournal.core.errors import ValidationError
from netjournal.core.logs import setup_logging
from netjournal.core.paths import DataDir

if TYPE_CHECKING:
    from netjournal.core.db import Journal


def data_dir(args: argparse.Namespace) -> DataDir:
    return DataDir.at(getattr(args, "data_dir", None))


def passphrase_file(args: argparse.Namespace) -> str | None:
    return getattr(args, "passphrase_file", None) or os.environ.get(cipher.ENV_PASSPHRASE_FILE) or None


def ask_passphrase(prompt: str) -> str | None:
    """Ask on the terminal (never echoed); None where there is no terminal to ask on."""
    if not (sys.stdin.isatty() and sys.stderr.isatty()):
        return None
    return getpass.getpass(prompt, stream=sys.stderr)


def journal_passphrase(args: argparse.Namespace, dd: DataDir) -> str | None:
    """The passphrase of an encrypted journal: --passphrase-file, $NETJOURNAL_PASSPHRASE_FILE, else asked on
    a terminal. Never an argument: other users can read a process's arguments. None for a plain journal."""
    if not cipher.is_encrypted(dd.database):
        return None
    file = passphrase_file(args)
    if file:
        return cipher.read_passphrase_file(file)
    return ask_passphrase(f"Passphrase for the journal in {dd.root}: ")


def open_cli_journal(args: argparse.Namespace) -> Journal:
    from netjournal.core.db import open_journal  # SQLAlchemy: only for the commands that need it

    dd = data_dir(args)
    setup_logging(dd, verbose=getattr(args, "verbose", False))
    return open_journal(dd, passphrase=journal_passphrase(args, dd))


@contextlib.contextmanager
def cli_reader(args: argparse.Namespace) -> Iterator[sqlite3.Connection]:
    """The thin read path (core/reader.py) for commands that only read: no SQLAlchemy to import."""
    from netjournal.core.reader import reading

    dd = data_dir(args)
    setup_logging(dd, verbose=getattr(args, "verbose", False))
    with reading(dd, journal_passphrase(args, dd)) as con:
        yield con


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
