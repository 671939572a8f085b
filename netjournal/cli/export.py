"""`netjournal export --format json|vcard|csv|markdown -o FILE`."""

from __future__ import annotations

import argparse

from netjournal.cli.common import open_cli_journal, path
from netjournal.core.clock import utcnow
from netjournal.core.exporters import FORMATS, export_to


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "export",
        parents=[common],
        help="export the journal (json: a complete backup; vcard; csv; markdown)",
    )
    p.add_argument("--format", "-f", choices=FORMATS, required=True, help="what kind of file to write")
    p.add_argument("-o", "--output", type=path, required=True, help="the file to write (readable by you only)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    journal = open_cli_journal(args)
    try:
        with journal.read() as s:
            out = export_to(s, args.format, args.output, now=utcnow())
    finally:
        journal.close()
    print(f"Exported the journal ({args.format}) to {out}.")
    return 0
