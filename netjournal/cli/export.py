"""`netjournal export --format json|vcard|csv|markdown -o FILE`."""

from __future__ import annotations

import argparse

from netjournal.cli.common import add_output, data_dir, open_cli_journal, report_written
from netjournal.core.clock import utcnow
from netjournal.core.exporters import FORMATS, export_to
from netjournal.core.outputs import check_output


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "export",
        parents=[common],
        help="export the journal (json: a complete backup; vcard; csv; markdown)",
    )
    p.add_argument("--format", "-f", choices=FORMATS, required=True, help="what kind of file to write")
    add_output(p, "the file to write (readable by you only); - writes to standard output")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    out = check_output(args.output, data_dir(args), what="export")
    journal = open_cli_journal(args, reading=True)
    try:
        with journal.read() as s:
            export_to(s, args.format, out, now=utcnow(), data_dir=journal.data_dir)
    finally:
        journal.close()
    # The confirmation must not end up inside an export sent to standard output.
    report_written(f"Exported the journal ({args.format}) to {out.shown}.", to_stdout=out.is_stdout)
    return 0
