"""`netjournal search QUERY [--json]`: search people, meetings, promises, reflections and plans."""

from __future__ import annotations

import argparse

from netjournal.cli.common import cli_reader, number, print_json, text
from netjournal.core.search import KIND_LABELS, count_matches, search


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("search", parents=[common], help="search everything in the journal")
    p.add_argument("query", nargs="+", type=text, help="words to look for (the last one may be the start of a word)")
    p.add_argument("--json", action="store_true", help="print a JSON list of {kind, name, snippet, ...}")
    p.add_argument("--limit", type=number(1, 10_000), default=50, help="at most this many results (default 50)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    query, limit = " ".join(args.query), max(1, args.limit)
    with cli_reader(args) as con:
        hits = search(con, query, limit=limit)
        total = count_matches(con, query) if len(hits) >= limit else len(hits)
    if args.json:
        print_json([h.as_dict() for h in hits])
        return 0
    if not hits:
        print("Nothing found.")
    for h in hits:
        title = f" — {h.title}" if h.title and h.title != h.name else ""
        print(f"{KIND_LABELS[h.kind]:<10} {h.name}{title}")
        if h.snippet and h.snippet != h.name:
            print(f"           {h.marked}")
    if total > len(hits):
        print(f"\nThe first {len(hits)} of {total:,} matches (--limit shows more; more words narrow it down).")
    return 0
