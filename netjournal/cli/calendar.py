"""`netjournal calendar add|list|remove`: plain iCalendar subscriptions (issue 16), read-only.

A subscription is an address such as Google's "secret address in iCal format" or a calendar Outlook
publishes; its events become upcoming meetings when they name someone in the journal. CalDAV
calendars come with an account (`netjournal account`). `netjournal sync` reads both (cli/sync.py).
The sync code is imported only when used.
"""

from __future__ import annotations

import argparse

from netjournal.cli.argtypes import text
from netjournal.cli.common import add_list_and_remove, cli_session, print_json
from netjournal.core.clock import utcnow


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    c = sub.add_parser(
        "calendar",
        parents=[common],
        help="subscribe to an iCalendar address (read-only): its meetings come up in Today",
        description="Plain iCalendar subscriptions, read-only. `netjournal sync` reads them with the accounts; "
        "`netjournal sync NAME` reads one.",
    )
    csub = c.add_subparsers(dest="calendar_command", metavar="ACTION", required=True, parser_class=type(c))
    add = csub.add_parser("add", parents=[common], help="subscribe to a calendar address (https:// or webcal://)")
    add.add_argument("name", type=text, help="a short name for it, like work")
    add.add_argument(
        "url", type=text, help="the calendar's iCalendar address (keep it private: it is a secret of sorts)"
    )
    add.add_argument("--no-verify-tls", action="store_true", help="do not check the server's certificate (unsafe)")
    add.set_defaults(func=run_add)
    add_list_and_remove(
        csub,
        common,
        listing="list the subscriptions (their addresses are not shown)",
        removing="unsubscribe (its meetings stay in the journal)",
        run_list=run_list,
        run_remove=run_remove,
    )


def run_add(args: argparse.Namespace) -> int:
    from netjournal.core.sync.calendars import add_subscription

    with cli_session(args) as s:
        add_subscription(s, args.name, args.url, now=utcnow(), verify_tls=not args.no_verify_tls)
    name = args.name.strip()
    print(f"Subscribed to {name}. Run `netjournal sync {name}` to read it now (`netjournal sync` reads everything).")
    return 0


def run_list(args: argparse.Namespace) -> int:
    from netjournal.core.sync.calendars import subscription_infos

    with cli_session(args) as s:
        rows = [(x.name, x.last_synced_at, x.last_problem) for x in subscription_infos(s)]
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

    with cli_session(args) as s:
        remove_subscription(s, args.name)
    print(f"Unsubscribed from {args.name.strip()}. Its meetings stay in the journal.")
    return 0
