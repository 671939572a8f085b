"""Helpers shared by the subcommands."""

from __future__ import annotations

import argparse
import contextlib
import getpass
import json
import sqlite3
import sys
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any

from netjournal.cli.argtypes import MAX_ID, number, output, path, shown, text
from netjournal.core import cipher
from netjournal.core.clock import as_utc, utcnow
from netjournal.core.errors import DataDirError, ValidationError
from netjournal.core.logs import setup_logging
from netjournal.core.paths import DataDir, passphrase_file

__all__ = [
    "MAX_ID",
    "add_list_and_remove",
    "cli_session",
    "data_dir",
    "number",
    "open_cli_journal",
    "output",
    "parse_when",
    "path",
    "print_json",
    "shown",
    "text",
]

if TYPE_CHECKING:
    from netjournal.core.db import Journal, Session


def data_dir(args: argparse.Namespace) -> DataDir:
    return DataDir.at(getattr(args, "data_dir", None))


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


def open_cli_journal(args: argparse.Namespace, *, reading: bool = False) -> Journal:
    """The journal for a command. `reading` commands also work on a read-only journal (to rescue it)."""
    from netjournal.core.db import open_journal, open_journal_for_reading  # SQLAlchemy: only when needed

    dd = data_dir(args)
    if not reading:
        setup_logging(dd, verbose=getattr(args, "verbose", False))
        return open_journal(dd, passphrase=journal_passphrase(args, dd))
    with contextlib.suppress(DataDirError, OSError):  # a read-only journal folder: reading needs no log file
        setup_logging(dd, verbose=getattr(args, "verbose", False))
    return open_journal_for_reading(dd, passphrase=journal_passphrase(args, dd))


@contextlib.contextmanager
def cli_session(args: argparse.Namespace) -> Iterator[Session]:
    """One transaction on the command's journal (committed, or rolled back on an error); closed after."""
    journal = open_cli_journal(args)
    try:
        with journal.session() as s:
            yield s
    finally:
        journal.close()


def add_list_and_remove(
    actions: argparse._SubParsersAction,  # type: ignore[type-arg]
    common: argparse.ArgumentParser,
    *,
    listing: str,
    removing: str,
    run_list: Callable[[argparse.Namespace], int],
    run_remove: Callable[[argparse.Namespace], int],
) -> None:
    """The `list [--json]` and `remove NAME` actions that sync accounts and calendar subscriptions share."""
    ls = actions.add_parser("list", parents=[common], help=listing)
    ls.add_argument("--json", action="store_true", help="print a JSON list")
    ls.set_defaults(func=run_list)
    rm = actions.add_parser("remove", parents=[common], help=removing)
    rm.add_argument("name", type=text)
    rm.set_defaults(func=run_remove)


@contextlib.contextmanager
def cli_reader(args: argparse.Namespace) -> Iterator[sqlite3.Connection]:
    """The thin read path (core/reader.py) for commands that only read: no SQLAlchemy to import."""
    from netjournal.core.reader import reading

    dd = data_dir(args)
    with contextlib.suppress(DataDirError, OSError):  # a read-only journal folder: reading needs no log file
        setup_logging(dd, verbose=getattr(args, "verbose", False))
    with reading(dd, journal_passphrase(args, dd)) as con:
        yield con


# Dates the journal accepts from the command line: far enough for any real meeting, and far from the
# ends of Python's calendar (year 9999 plus a time zone or a reminder's interval would overflow).
FIRST_YEAR, LAST_YEAR = 1900, 2199


def parse_when(text: str | None) -> datetime:
    """An ISO date or date-time from the command line; naive values are local time."""
    if not text:
        return utcnow()
    example = "like 2026-03-14T09:30 or 2026-03-14"
    try:
        value = datetime.fromisoformat(text)
    except ValueError as exc:
        raise ValidationError(f"{shown(text)} is not a date and time {example}.") from exc
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValidationError(f"{shown(text)} is too far from today: give a date between {FIRST_YEAR} and {LAST_YEAR}.")
    try:
        return as_utc(value)
    except (OverflowError, ValueError, OSError) as exc:  # a local time the system cannot convert
        raise ValidationError(f"{shown(text)} cannot be read as a local date and time; {example}.") from exc


def add_output(p: argparse.ArgumentParser, what: str, metavar: str = "FILE") -> None:
    """The `-o/--output` of a command that writes a file (or to standard output)."""
    p.add_argument("-o", "--output", required=True, type=output, metavar=metavar, help=what)


def report_written(message: str, *, to_stdout: bool) -> None:
    """Say what was written; on standard error when the output itself went to standard output."""
    print(message, file=sys.stderr if to_stdout else sys.stdout)


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")
