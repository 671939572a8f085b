"""`netjournal account add|list|remove` and `netjournal sync [NAME] [--json]` (issue 16).

caldav and the sync code are imported only when one of these commands runs, so reading commands
stay lean (tests/cli/test_lean.py).
"""

from __future__ import annotations

import argparse
import sys

from netjournal.cli.common import (
    add_list_and_remove,
    cli_session,
    data_dir,
    open_cli_journal,
    path,
    print_json,
    shown,
    text,
)
from netjournal.core.clock import utcnow
from netjournal.core.errors import ValidationError


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    a = sub.add_parser("account", parents=[common], help="add, list or remove CardDAV/CalDAV accounts for sync")
    asub = a.add_subparsers(dest="account_command", metavar="ACTION", required=True, parser_class=type(a))
    add = asub.add_parser("add", parents=[common], help="add an account (or replace one of the same name)")
    add.add_argument("name", type=text, help="a short name for the account, like home")
    add.add_argument("--url", required=True, type=text, help="the server's address, like https://dav.example.org/")
    add.add_argument("--username", required=True, type=text, help="the user name on that server")
    add.add_argument(
        "--password-file",
        required=True,
        type=path,
        metavar="FILE",
        help="read the password from FILE (its first line); it goes to the system keyring, else into the journal",
    )
    add.add_argument("--allow-http", action="store_true", help="allow plain HTTP to another machine (unencrypted)")
    add.add_argument(
        "--only",
        action="append",
        metavar="NAME",
        type=text,
        help="sync only this address book or calendar (by name; may be repeated; default: all of them)",
    )
    add.add_argument(
        "--circles",
        metavar="LIST",
        type=text,
        help="send only people in these circles to the server, like 1,2 (default: all)",
    )
    add.set_defaults(func=run_add)
    add_list_and_remove(
        asub,
        common,
        listing="list the accounts",
        removing="remove an account (its people stay in the journal)",
        run_list=run_list,
        run_remove=run_remove,
    )

    s = sub.add_parser("sync", parents=[common], help="sync contacts (and calendars) with your accounts once")
    s.add_argument("name", nargs="?", type=text, help="only this account or calendar subscription")
    s.add_argument("--json", action="store_true", help="print what changed as JSON")
    s.set_defaults(func=run_sync)


def _circles(text: str | None) -> list[int] | None:
    if text is None:
        return None
    from netjournal.core.kinds import CIRCLES

    try:
        circles = sorted({int(x) for x in text.split(",") if x.strip()})
    except ValueError:
        circles = []
    if not circles or any(c not in CIRCLES for c in circles) or not text.isascii():
        raise ValidationError(f"--circles takes circle numbers separated by commas, like 1,2 (got {shown(text)}).")
    return circles


def run_add(args: argparse.Namespace) -> int:
    from netjournal.core.cipher import read_passphrase_file
    from netjournal.core.sync import accounts
    from netjournal.core.sync.dav import check_url

    name = accounts.check_name(args.name)
    check_url(args.url, args.allow_http)
    circles = _circles(args.circles)
    password = read_passphrase_file(args.password_file, what="password")
    principal, found = accounts.probe(name, args.url, args.username, password, args.allow_http)
    with cli_session(args) as s:
        account = accounts.save_account(
            s,
            data_dir(args),
            name=name,
            url=args.url,
            username=args.username,
            password=password,
            allow_http=args.allow_http,
            principal=principal,
            found=found,
            now=utcnow(),
            chosen=set(args.only) if args.only else None,
            circles=circles,
        )
        info = accounts.info(account)
    books = ", ".join(n for n, on in info.addressbooks if on) or "none"
    cals = ", ".join(n for n, on in info.calendars if on) or "none"
    print(
        f"Added the account {name}: address books {books}; calendars {cals}. "
        f"The password is kept in {info.password_in}. Run `netjournal sync` to sync now."
    )
    return 0


def run_list(args: argparse.Namespace) -> int:
    from netjournal.core.sync import accounts

    with cli_session(args) as s:
        infos = [accounts.info(a) for a in accounts.all_accounts(s)]
    if args.json:
        print_json([i.__dict__ for i in infos])
        return 0
    if not infos:
        print(
            "No accounts yet. Add one with `netjournal account add NAME --url URL --username USER "
            "--password-file FILE`."
        )
    for i in infos:
        from netjournal.core.sync.status import status_line

        print(f"{i.name}  {i.username} at {i.url}")
        print(f"    address books: {', '.join(n + ('' if on else ' (not synced)') for n, on in i.addressbooks) or '-'}")
        print(f"    calendars: {', '.join(n + ('' if on else ' (not synced)') for n, on in i.calendars) or '-'}")
        print(f"    {status_line(i.last_sync_at, i.last_ok_at, i.last_problem, utcnow())}")
    return 0


def run_remove(args: argparse.Namespace) -> int:
    from netjournal.core.sync import accounts

    with cli_session(args) as s:
        accounts.remove_account(s, data_dir(args), args.name)
    print(f"Removed the account {args.name}. The people it brought stay in the journal.")
    return 0


def _names(names: list[str], limit: int = 5) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def run_sync(args: argparse.Namespace) -> int:
    from netjournal.core.sync.run import sync_all

    journal = open_cli_journal(args)
    try:
        run = sync_all(journal, args.name, now=utcnow())
    finally:
        journal.close()
    if args.json:
        print_json(run.as_json())
        return 1 if run.problems else 0
    if not run.accounts and not run.subscriptions:
        print(
            "Nothing to sync yet. Add an account with `netjournal account add`, or a calendar subscription "
            "with `netjournal calendar add`."
        )
    for r in run.accounts:
        if r.problem:
            print(r.problem, file=sys.stderr)
            continue
        parts = []
        for label, names in (
            ("new here", r.down_added),
            ("updated here", r.down_updated),
            ("unlinked (deleted on the server; their journal stays)", r.down_unlinked),
            ("sent to the server", r.up_added),
            ("updated on the server", r.up_updated),
            ("removed from the server", r.up_deleted),
            ("put back on the server", r.up_restored),
        ):
            if names:
                parts.append(f"{len(names)} {label}: {_names(names)}")
        print(f"{r.account}: " + ("; ".join(parts) if parts else "nothing changed") + ".")
        if r.conflicts:
            print(f"    a choice to make on their page: {_names(r.conflicts)}")
        for skipped in r.skipped:
            print(f"    skipped {skipped}")
        for line in r.calendars.get("calendar", {}).get("lines", []):
            print(f"    {line}")
    for c in run.subscriptions:
        for line in c.lines():
            print(line, file=sys.stderr if c.error else sys.stdout)
    return 1 if run.problems else 0
