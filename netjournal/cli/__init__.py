"""The `netjournal` command: the window by default, subcommands for scripting and tests.

Each subcommand lives in its own module in this package and exposes `register(subparsers)`; the
module is listed in COMMANDS. Known problems (NetjournalError) become one plain message and exit 1;
they never print a traceback.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import sys
from collections.abc import Sequence

from netjournal import __version__
from netjournal.core.errors import NetjournalError

COMMANDS = ["people", "log", "backup", "import_", "export", "search", "prep", "suggest", "protect"]

EXIT_OK = 0
EXIT_PROBLEM = 1
EXIT_USAGE = 2


def _common(default: object) -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    common.add_argument(
        "--data-dir", metavar="DIR", default=default,
        help="the journal's folder (default: $NETJOURNAL_DATA_DIR, else the platform's user data folder)",
    )  # fmt: skip
    common.add_argument(
        "--passphrase-file", metavar="FILE", default=default,
        help="read the passphrase of a protected journal from FILE (or $NETJOURNAL_PASSPHRASE_FILE)",
    )  # fmt: skip
    common.add_argument(
        "-v", "--verbose", action="store_true", default=default, help="log more, and to the terminal too"
    )
    return common


def build_parser(with_commands: bool = True) -> argparse.ArgumentParser:
    # Subcommands accept the common options too; SUPPRESS keeps their absence there from
    # overwriting a value given before the subcommand ("netjournal --data-dir X people").
    common = _common(argparse.SUPPRESS)
    # No abbreviations: "--passphrase SECRET" must not be taken for "--passphrase-file" (and then echoed).
    parser = argparse.ArgumentParser(
        allow_abbrev=False,
        prog="netjournal",
        description="A private journal for people who find networking hard. With no command, it opens the window.",
        parents=[_common(None)],
    )
    parser.add_argument("--version", action="version", version=f"netjournal {__version__}")
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="start the whole app, run its event loop briefly and exit 0 (for checks)",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open the app on a demo journal in its own profile (never your data)",
    )
    parser.add_argument("--minimized", action="store_true", help="start in the tray (used by start at login)")
    parser.set_defaults(command=None)
    if not with_commands:
        return parser
    sub = parser.add_subparsers(
        dest="command", metavar="COMMAND", parser_class=functools.partial(argparse.ArgumentParser, allow_abbrev=False)
    )
    for name in COMMANDS:
        module = importlib.import_module(f"netjournal.cli.{name}")
        module.register(sub, common)
    return parser


def _window_only(words: list[str]) -> bool:
    """True when the arguments are only options (no subcommand, no help): the window is wanted."""
    takes_value = {"--data-dir", "--passphrase-file"}
    skip = False
    for w in words:
        if skip:
            skip = False
        elif w in takes_value:
            skip = True
        elif w in ("-h", "--help") or not w.startswith("-"):
            return False
    return True


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    # Opening the window needs none of the subcommands: skip importing them (and the database
    # layer they pull in) so the window appears sooner. Anything that might name one gets them all.
    window_only = _window_only(words)
    parser = build_parser(with_commands=not window_only)
    args = parser.parse_args(argv)
    try:
        if args.command is None:
            from netjournal.app import run_gui  # Qt is imported only when the window is wanted

            return run_gui(args)
        return int(args.func(args) or 0)
    except NetjournalError as exc:
        print(f"netjournal: {exc.message}", file=sys.stderr)
        return EXIT_PROBLEM
    except KeyboardInterrupt:
        print("netjournal: interrupted; nothing half-written was kept.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
