"""`netjournal backup -o FILE` and `netjournal restore FILE`."""

from __future__ import annotations

import argparse
from pathlib import Path

from netjournal.cli.common import ask_passphrase, data_dir, open_cli_journal, passphrase_file
from netjournal.core import cipher
from netjournal.core.backup import backup_to, restore_from


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("backup", parents=[common], help="write a consistent copy of the journal to a file")
    p.add_argument("-o", "--output", required=True, type=Path, help="the backup file to write")
    p.set_defaults(func=run_backup)
    r = sub.add_parser("restore", parents=[common], help="replace the journal with a backup (the current one is kept)")
    r.add_argument("file", type=Path, help="a backup written by `netjournal backup`")
    r.set_defaults(func=run_restore)


def run_backup(args: argparse.Namespace) -> int:
    journal = open_cli_journal(args)
    journal.close()
    out = backup_to(journal.data_dir, args.output, key=journal.key)
    locked = " It is protected with the journal's passphrase." if journal.encrypted else ""
    print(f"Backed up the journal to {out}.{locked}")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    dd = data_dir(args)
    passphrase = None
    if args.file.is_file() and cipher.is_encrypted(args.file):
        file = passphrase_file(args)
        passphrase = (
            cipher.read_passphrase_file(file) if file else ask_passphrase(f"Passphrase of the backup {args.file}: ")
        )
    kept = restore_from(dd, args.file, passphrase=passphrase)
    print(f"Restored the journal from {args.file}. The journal it replaced is kept at {kept}.")
    return 0
