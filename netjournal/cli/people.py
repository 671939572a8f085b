"""`netjournal people`: list the people in the journal."""

from __future__ import annotations

import argparse

from netjournal.cli.common import cli_reader, print_json
from netjournal.core.people_list import people_rows


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("people", parents=[common], help="list the people in the journal")
    p.add_argument("--json", action="store_true", help="print a JSON list")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    with cli_reader(args) as con:
        rows = people_rows(con)
    if args.json:
        print_json(rows)
    else:
        for r in rows:
            extra = ", ".join(x for x in (r["organisation"], *r["emails"][:1]) if x)
            print(f"#{r['id']:<5} {r['name']}" + (f"  ({extra})" if extra else ""))
        if not rows:
            print("No one in this journal yet.")
    return 0
