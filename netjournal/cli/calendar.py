"""`netjournal calendar add|list|remove|sync`: plain iCalendar subscriptions (issue 16), read-only.

A subscription is an address such as Google's "secret address in iCal format" or a calendar Outlook
publishes; its events become upcoming meetings when they name someone in the journal. CalDAV
calendars come with an account (`netjournal account`). The sync code is imported only when used.
"""

from __future__ import annotations

import argparse
import sys

from netjournal.cli.argtypes import text
from netjournal.cli.common import open_cli_journal, print_json
from netjournal.core.clock import utcnow


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    c = sub.add_parser(
        "calendar",
        parents=[common],
        help="subscribe to an iCalendar address (read-only): its meetings come up in Today",
    )
    csub = c.add_subparsers(dest="calendar_command", metavar="ACTION", required=True, parser_class=type(c))
    add = csub.add_parser("add", parents=[common], help="subscribe to a calendar address (https:// or webcal://)")
    add.add_argument("name", type=text, help="a short name for it, like work")
    add.add_argument(
        "url", type=text, help="the calendar's iCalendar address (keep it private: it is a secret of sorts)"
    )
    add.add_argument("--no-verify-tls", action="store_true", help="do not check the server's certificate (unsafe)")
    add.set_defaults(func=run_add)
    ls = csub.add_parser("list", parents=[common], help="list the subscriptions (their addresses are not shown)")
    ls.add_argument("--json", action="store_true", help="print a JSON list")
    ls.set_defaults(func=run_list)
    rm = csub.add_parser("remove", parents=[common], help="unsubscribe (its meetings stay in the journal)")
    rm.add_argument("name", type=text)
    rm.set_defaults(func=run_remove)
    sy = csub.add_parser("sync", parents=[common], help="read the subscriptions once now")
    sy.add_argument("name", nargs="?", type=text, help="only this one")
    sy.add_argument("--json", action="store_true", help="print what changed as JSON")
    sy.set_defaults(func=run_sync)


def run_add(args: argparse.Namespace) -> int:
    from netjournal.core.sync.calendars import add_subscription

    journal = open_cli_journal(args)
    try:
        with journal.session() as s:
            add_subscription(s, args.name, args.url, now=utcnow(), verify_tls=not args.no_verify_tls)
    finally:
        journal.close()
    print(f"Subscribed to {args.name.strip()}. Run `netjournal calendar sync` to read it now.")
    return 0


def run_list(args: argparse.Namespace) -> int:
    from netjournal.core.sync.calendars import subscriptions

    journal = open_cli_journal(args)
    try:
        with journal.session() as s:
            rows = [(x.name, x.last_synced_at, x.last_problem) for x in subscriptions(s)]
    finally:
        journal.close()
    if args.json:
        print_json([{"name": n, "last_synced_at": t.isoformat() if t else None, "problem": p} for n, t, p in rows])
        return 0
    if not rows:
        print("No calendar subscriptions. Add one with `netjournal calendar add NAME URL`.")
    for name, at, problem in rows:
        when = f"last read {at.astimezone():%a %d %b %H:%M}" if at else "not read yet"
        print(f"{name}  {when}" + (f"  ({problem})" if problem else ""))
    return 0


def run_remove(args: argparse.Namespace) -> int:
    from netjournal.core.sync.calendars import remove_subscription

    journal = open_cli_journal(args)
    try:
        with journal.session() as s:
            remove_subscription(s, args.name)
    finally:
        journal.close()
    print(f"Unsubscribed from {args.name.strip()}. Its meetings stay in the journal.")
    return 0


def run_sync(args: argparse.Namespace) -> int:
    from netjournal.core.errors import NotFoundError
    from netjournal.core.sync.calendars import sync_subscriptions

    journal = open_cli_journal(args)
    try:
        reports = sync_subscriptions(journal, utcnow(), args.name)
    finally:
        journal.close()
    if args.name and not reports:
        raise NotFoundError(f"There is no calendar subscription called {args.name.strip()!r}.")
    if args.json:
        print_json([r.as_dict() for r in reports])
    else:
        if not reports:
            print("No calendar subscriptions. Add one with `netjournal calendar add NAME URL`.")
        for r in reports:
            for line in r.lines():
                print(line, file=sys.stderr if r.error else sys.stdout)
    return 1 if any(r.error for r in reports) else 0
