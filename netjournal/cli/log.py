"""`netjournal log PERSON --channel ...`: log an interaction from the command line."""

from __future__ import annotations

import argparse

from netjournal.cli.common import number, open_cli_journal, parse_when, text
from netjournal.core.clock import utcnow
from netjournal.core.journal import InteractionData, log_interaction, resolve_person
from netjournal.core.models import Channel


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("log", parents=[common], help="log a meeting, call or message with someone")
    p.add_argument("person", type=text, help="who: a name, an e-mail address or #id (namesakes: use the e-mail or #id)")
    p.add_argument("--channel", required=True, choices=[c.value for c in Channel])
    p.add_argument("--note", type=text, default="", help="what you talked about")
    p.add_argument("--at", help="when, as ISO date-time (default: now)")
    p.add_argument("--warmth", type=number(1, 5), metavar="1-5", help="how warm it felt")
    p.add_argument("--waiting", action="store_true", help="you are waiting for their reply")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    journal = open_cli_journal(args)
    at = parse_when(args.at)
    with journal.session() as s:
        person = resolve_person(s, args.person)
        data = InteractionData(
            at=at,
            channel=Channel(args.channel),
            notes=args.note,
            warmth=args.warmth,
            awaiting_reply=args.waiting,
            initiated_by_me=True if args.waiting else None,
        )
        interaction = log_interaction(s, [person.id], data, now=utcnow())
        name, iid = person.name, interaction.id
    journal.close()
    print(f"Logged {args.channel} with {name} (#{iid}).")
    return 0
