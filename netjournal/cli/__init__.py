"""The `netjournal` command: the window by default, subcommands for scripting and tests.

Each subcommand lives in its own module in this package and exposes `register(subparsers)`; the
module is listed in COMMANDS. Known problems (NetjournalError) become one plain message and exit 1;
they never print a traceback.

Start-up is lean: only the module of the command named on the line is imported (with what it needs);
the others appear as one-line stubs, so `netjournal --help` and `--version` import no command at all.
tests/cli/test_lean.py checks the stubs' help says what each command's own registration says.
"""

from __future__ import annotations

import argparse
import codecs
import contextlib
import importlib
import io
import os
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from netjournal.cli.argtypes import path
from netjournal.core.errors import NetjournalError
from netjournal.core.text import TerminalText

# command -> (its module in this package, the one line `netjournal --help` shows for it)
COMMANDS: dict[str, tuple[str, str]] = {
    "people": ("people", "list the people in the journal"),
    "log": ("log", "log a meeting, call or message with someone"),
    "backup": ("backup", "write a consistent copy of the journal to a file"),
    "restore": ("backup", "replace the journal with a backup (the current one is kept)"),
    "import": ("import_", "import contacts (vCard, LinkedIn/Google/Outlook/Thunderbird CSV) and meetings (.ics)"),
    "export": ("export", "export the journal (json: a complete backup; vcard; csv; markdown)"),
    "search": ("search", "search everything in the journal"),
    "prep": ("prep", "save a one-page prep sheet (PDF) for meeting someone"),
    "suggest": ("suggest", "show who netjournal would gently suggest getting back in touch with"),
    "encrypt": ("protect", "protect the journal with a passphrase"),
    "decrypt": ("protect", "remove the passphrase (the journal becomes plain)"),
    "passphrase": ("protect", "change the journal's passphrase"),
    "account": ("sync", "add, list or remove CardDAV/CalDAV accounts for sync"),
    "sync": ("sync", "sync contacts (and calendars) with your accounts once"),
    "calendar": ("calendar", "subscribe to an iCalendar address (read-only): its meetings come up in Today"),
}

EXIT_OK = 0
EXIT_PROBLEM = 1
EXIT_USAGE = 2


def _common(default: object) -> _Parser:
    common = _Parser(add_help=False)
    common.add_argument(
        "--data-dir",
        metavar="DIR",
        default=default,
        type=path,
        help="the journal's folder (default: $NETJOURNAL_DATA_DIR, else the platform's user data folder)",
    )
    common.add_argument(
        "--passphrase-file",
        metavar="FILE",
        default=default,
        type=path,
        help="read the passphrase of a protected journal from FILE (or $NETJOURNAL_PASSPHRASE_FILE)",
    )
    common.add_argument(
        "-v", "--verbose", action="store_true", default=default, help="log more, and to the terminal too"
    )
    return common


class _Parser(argparse.ArgumentParser):
    """Usage mistakes are one line ("netjournal log: argument --at: ..."), like every other problem. No
    abbreviations: "--passphrase SECRET" must not be taken for "--passphrase-file" (and then echoed)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: {message} (see {self.prog} --help)\n")


class _Version(argparse.Action):
    """`--version`, reading the version only when asked (see netjournal/__init__.py)."""

    def __call__(self, parser: argparse.ArgumentParser, *_args: object, **_kw: object) -> None:
        import netjournal

        print(f"netjournal {netjournal.__version__}")  # on stdout, as argparse's own version action
        parser.exit()


def build_parser(with_commands: bool = True, only: str | None = None, lean: bool = False) -> argparse.ArgumentParser:
    """The whole parser. With `lean`, only the command `only` (if any) is registered in full, the rest as stubs."""
    # Subcommands accept the common options too; SUPPRESS keeps their absence there from
    # overwriting a value given before the subcommand ("netjournal --data-dir X people").
    common = _common(argparse.SUPPRESS)
    parser = _Parser(
        prog="netjournal",
        description="A private journal for people who find networking hard. With no command, it opens the window.",
        parents=[_common(None)],
    )
    parser.add_argument("--version", action=_Version, nargs=0, help="show program's version number and exit")
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
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    if not lean:
        modules = dict.fromkeys(m for m, _ in COMMANDS.values())
    else:
        modules = {COMMANDS[only][0]: None} if only is not None else {}
    for module_name in modules:
        importlib.import_module(f"netjournal.cli.{module_name}").register(sub, common)
    for name, (module_name, summary) in COMMANDS.items():
        if module_name not in modules:  # listed (and named in errors), never run: its module was not needed
            sub.add_parser(name, parents=[common], help=summary, add_help=False)
    if lean:  # keep `netjournal --help`'s order whatever was registered first
        sub._choices_actions.sort(key=lambda a: list(COMMANDS).index(a.dest))
    return parser


def _command_named(words: list[str]) -> str | None:
    """The subcommand on the line (the first word that is neither an option nor its value), if known."""
    skip = False
    for w in words:
        if skip:
            skip = False
        elif w in ("--data-dir", "--passphrase-file"):
            skip = True
        elif not w.startswith("-"):
            return w if w in COMMANDS else None
    return None


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
    for stream in (sys.stdout, sys.stderr):
        # A file name that was not UTF-8 is printed with \\x escapes instead of failing the whole command.
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors=_ESCAPE)
    # Names, notes and file names are user text: a terminal must show an escape sequence in one, not obey it.
    real_out, real_err = sys.stdout, sys.stderr
    if real_out is not None and real_err is not None:  # None in a windowed frozen app
        sys.stdout, sys.stderr = TerminalText(real_out), TerminalText(real_err)
    try:
        return _main(argv)
    finally:
        with contextlib.suppress(OSError, ValueError):
            sys.stdout.flush()
        sys.stdout, sys.stderr = real_out, real_err


def _main(argv: Sequence[str] | None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    # Opening the window needs none of the subcommands: skip importing them (and the database
    # layer they pull in) so the window appears sooner. Anything that might name one gets them all.
    window_only = _window_only(words)
    parser = build_parser(with_commands=not window_only, only=_command_named(words), lean=True)
    args = parser.parse_args(argv)
    try:
        if args.command is None:
            from netjournal.startup import run_gui  # Qt is imported only when the window is wanted

            return run_gui(args)
        return int(args.func(args) or 0)
    except NetjournalError as exc:
        print(f"netjournal: {exc.message}", file=sys.stderr)
        return EXIT_PROBLEM
    except KeyboardInterrupt:
        print("netjournal: interrupted; nothing half-written was kept.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`| head`): that is fine. Point stdout at nothing so the interpreter's
        # last flush at exit does not complain about the closed pipe.
        with contextlib.suppress(OSError, ValueError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.__stdout__.fileno() if sys.__stdout__ else 1)
        return EXIT_OK
    except OSError as exc:  # a target the system refuses (a folder in /proc, a full disk, no permission)
        where = f" ({os.fsdecode(exc.filename)})" if exc.filename else ""
        print(f"netjournal: {exc.strerror or exc}{where}; nothing was written there.", file=sys.stderr)
        return EXIT_PROBLEM


def _escape_undecodable(exc: UnicodeError) -> tuple[str, int]:
    """Bytes that were not UTF-8 (kept as surrogates by Python) shown as \\xNN; anything else as \\uNNNN."""
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    bad = exc.object[exc.start : exc.end]
    shown = "".join(f"\\x{ord(ch) - 0xDC00:02x}" if 0xDC80 <= ord(ch) <= 0xDCFF else f"\\u{ord(ch):04x}" for ch in bad)
    return shown, exc.end


_ESCAPE = "netjournal-escape"
codecs.register_error(_ESCAPE, _escape_undecodable)
