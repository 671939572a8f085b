"""`netjournal people`: list the people in the journal."""

from __future__ import annotations

import argparse

from sqlalchemy.orm import selectinload

from netjournal.cli.common import open_cli_journal, print_json
from netjournal.core.journal import live_people
from netjournal.core.models import Person


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("people", parents=[common], help="list the people in the journal")
    p.add_argument("--json", action="store_true", help="print a JSON list")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    journal = open_cli_journal(args, reading=True)
    with journal.read() as s:
        people = s.scalars(
            live_people().options(selectinload(Person.contact_points), selectinload(Person.tags))
            .order_by(Person.sort_name)
        ).all()  # fmt: skip
        rows = [
            {
                "id": p.id,
                "name": p.name,
                "emails": [c.value for c in p.contact_points if c.kind == "email"],
                "phones": [c.value for c in p.contact_points if c.kind == "phone"],
                "organisation": p.organisation,
                "role": p.role,
                "circle": p.circle,
                "status": str(p.status),
                "tags": [t.name for t in p.tags],
            }
            for p in people
        ]
    journal.close()
    if args.json:
        print_json(rows)
    else:
        for r in rows:
            extra = ", ".join(x for x in (r["organisation"], *r["emails"][:1]) if x)
            print(f"#{r['id']:<5} {r['name']}" + (f"  ({extra})" if extra else ""))
        if not rows:
            print("No one in this journal yet.")
    return 0
