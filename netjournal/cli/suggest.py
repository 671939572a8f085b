"""`netjournal suggest [--at WHEN] [--json]`: what the reconnect engine would surface at a moment.

A look, not a delivery: nothing is recorded unless --deliver is given (then it counts against the
week's budget exactly as if the app had shown it).
"""

from __future__ import annotations

import argparse

from netjournal.cli.common import open_cli_journal, parse_when, print_json


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "suggest", parents=[common], help="show who netjournal would gently suggest getting back in touch with"
    )
    p.add_argument("--at", help="the moment to ask about, as ISO date-time (default: now)")
    p.add_argument("--json", action="store_true", help="print a JSON list (name, reason, kind, ...)")
    p.add_argument(
        "--deliver", action="store_true", help="record the suggestions as shown (counts against the week's budget)"
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from netjournal.core import reconnect

    journal = open_cli_journal(args)
    at = parse_when(args.at)
    try:
        with journal.session() as s:
            surface = reconnect.what_to_surface(s, at)
            if args.deliver and surface:
                reconnect.record_delivery(s, surface, at)
    finally:
        journal.close()
    if args.json:
        print_json([{"surface": surface.kind, **s.as_dict()} for s in surface.suggestions])
        return 0
    if not surface:
        print(f"Nothing to suggest right now. {surface.note}".strip())
        return 0
    head = "This week's suggestions" if surface.kind == "digest" else "One gentle reminder"
    print(f"{head}:")
    for suggestion in surface.suggestions:
        print(f"\n  {suggestion.name}\n    {suggestion.reason}\n    A message you could send: {suggestion.template}")
    if args.deliver:
        print("\n(Recorded as shown.)")
    return 0
