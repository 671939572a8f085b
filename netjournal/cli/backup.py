"""`netjournal backup -o FILE` and `netjournal restore FILE`."""

from __future__ import annotations

import argparse

from netjournal.cli.common import (
    add_output,
    ask_passphrase,
    data_dir,
    open_cli_journal,
    path,
    report_written,
)
from netjournal.core import cipher
from netjournal.core.backup import backup_to, restore_from
from netjournal.core.outputs import named_fd
from netjournal.core.paths import passphrase_file


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("backup", parents=[common], help="write a consistent copy of the journal to a file")
    add_output(p, "the backup file to write (- for standard output)")
    p.set_defaults(func=run_backup)
    r = sub.add_parser("restore", parents=[common], help="replace the journal with a backup (the current one is kept)")
    r.add_argument("file", type=path, help="a backup written by `netjournal backup`")
    r.set_defaults(func=run_restore)


def run_backup(args: argparse.Namespace) -> int:
    journal = open_cli_journal(args, reading=True)
    journal.close()
    out = backup_to(journal.data_dir, args.output, key=journal.key)
    locked = " It is protected with the journal's passphrase." if journal.encrypted else ""
    report_written(f"Backed up the journal to {out}.{locked}", to_stdout=named_fd(args.output) == 1)
    return 0


def run_restore(args: argparse.Namespace) -> int:
    dd = data_dir(args)
    passphrase = None
    source = args.file / "journal.sqlite3" if args.file.is_dir() else args.file
    if source.is_file() and cipher.is_encrypted(source):
        file = passphrase_file(args)
        passphrase = (
            cipher.read_passphrase_file(file) if file else ask_passphrase(f"Passphrase of the backup {args.file}: ")
        )
    kept = restore_from(dd, args.file, passphrase=passphrase)
    replaced = f" The journal it replaced is kept at {kept}." if kept is not None else ""
    print(f"Restored the journal from {args.file}.{replaced}")
    return 0
