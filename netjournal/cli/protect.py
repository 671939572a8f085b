"""`netjournal encrypt`, `netjournal decrypt` and `netjournal passphrase`: lock the journal with a passphrase.

Passphrases come from files (--passphrase-file for the journal's current one, --new-passphrase-file for the
one to set) or are asked on a terminal; never from the command line, where other users could read them.
"""

from __future__ import annotations

import argparse
import sys

from netjournal.cli.common import ask_passphrase, data_dir, journal_passphrase, path
from netjournal.core import cipher
from netjournal.core.cipher import change_protection
from netjournal.core.db import open_journal
from netjournal.core.errors import NetjournalError
from netjournal.core.logs import setup_logging
from netjournal.core.paths import ENV_PASSPHRASE_FILE, DataDir, passphrase_file

WARNING = (
    "Before you protect your journal: netjournal keeps no copy of the passphrase, and nobody can open the "
    "journal without it. A forgotten passphrase cannot be recovered. Copies you exported or backed up "
    "elsewhere before now (JSON, CSV, vCard, Markdown, backup files) are not touched: delete them yourself "
    "if they should not stay readable."
)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    e = sub.add_parser("encrypt", parents=[common], help="protect the journal with a passphrase")
    e.set_defaults(func=run_encrypt)
    d = sub.add_parser("decrypt", parents=[common], help="remove the passphrase (the journal becomes plain)")
    d.set_defaults(func=run_decrypt)
    p = sub.add_parser("passphrase", parents=[common], help="change the journal's passphrase")
    p.add_argument("--new-passphrase-file", metavar="FILE", help="read the new passphrase from FILE (else asked twice)")
    p.set_defaults(func=run_change)
    for parser in (e,):
        parser.add_argument(
            "--new-passphrase-file",
            metavar="FILE",
            type=path,
            help="read the passphrase to set from FILE (else asked twice)",
        )


def _new_passphrase(args: argparse.Namespace) -> str:
    file = getattr(args, "new_passphrase_file", None)
    if file:
        return cipher.check_new_passphrase(cipher.read_passphrase_file(file))
    first = ask_passphrase("New passphrase: ")
    if first is None:
        raise NetjournalError(
            "A new passphrase is needed: give it with --new-passphrase-file FILE, or run this in a terminal."
        )
    cipher.check_new_passphrase(first)
    if ask_passphrase("The same passphrase again: ") != first:
        raise NetjournalError("The two passphrases were not the same; nothing was changed.")
    return first


def _current_passphrase(args: argparse.Namespace, dd: DataDir) -> str:
    if not cipher.is_encrypted(dd.database):
        raise NetjournalError("This journal is not protected with a passphrase; nothing was changed.")
    pw = journal_passphrase(args, dd)
    if pw is None:
        raise NetjournalError(
            "The journal's passphrase is needed: give it with --passphrase-file FILE "
            f"(or ${ENV_PASSPHRASE_FILE}), or run this in a terminal."
        )
    return pw


def _convert(dd: DataDir, old: str | None, new: str | None, done: str) -> int:
    """Change the journal's protection, say which automatic copies were left as they were, then `done`."""
    result = change_protection(dd, old_passphrase=old, new_passphrase=new)
    for copy in result.copies_left:
        print(
            f"netjournal: the automatic copy {copy} opens with neither passphrase and was left as it is.",
            file=sys.stderr,
        )
    print(done)
    return 0


def _journal_dir(args: argparse.Namespace) -> DataDir:
    dd = data_dir(args)
    setup_logging(dd, verbose=getattr(args, "verbose", False))
    return dd


def run_encrypt(args: argparse.Namespace) -> int:
    dd = _journal_dir(args)
    if cipher.is_encrypted(dd.database):
        raise NetjournalError("This journal is already protected with a passphrase; nothing was changed.")
    if not dd.database.exists() or dd.database.stat().st_size == 0:
        open_journal(dd).close()  # a new journal can be protected from its first entry
    # For encrypt, --passphrase-file names the passphrase to set (the journal has none yet).
    if not getattr(args, "new_passphrase_file", None) and passphrase_file(args):
        args.new_passphrase_file = passphrase_file(args)
    if args.new_passphrase_file:
        new = _new_passphrase(args)  # a file that holds no passphrase is refused before anything is said
        print(WARNING, file=sys.stderr)
    else:
        print(WARNING, file=sys.stderr)  # on a terminal: before the passphrase is asked for
        new = _new_passphrase(args)
    return _convert(
        dd, None, new, f"The journal in {dd.root} is now protected with your passphrase. Its automatic backups are too."
    )


def run_decrypt(args: argparse.Namespace) -> int:
    dd = _journal_dir(args)
    old = _current_passphrase(args, dd)
    return _convert(
        dd,
        old,
        None,
        f"The journal in {dd.root} is no longer protected: anyone with this computer's files can read it.",
    )


def run_change(args: argparse.Namespace) -> int:
    dd = _journal_dir(args)
    old = _current_passphrase(args, dd)
    cipher.key_for(dd.database, old)  # a wrong passphrase is said before asking for a new one
    new = _new_passphrase(args)
    return _convert(
        dd, old, new, "The journal's passphrase is changed; its automatic backups open with the new one too."
    )
