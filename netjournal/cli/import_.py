"""`netjournal import FILE [FILE ...] [--dry-run] [--circle N]`: contacts and meetings from files."""

from __future__ import annotations

import argparse

from netjournal.cli.common import number, open_cli_journal, path, print_json
from netjournal.core.clock import utcnow
from netjournal.core.importers import ImportProblem, ImportReport, run_import
from netjournal.core.models import CIRCLES


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "import",
        parents=[common],
        help="import contacts (vCard, LinkedIn/Google/Outlook/Thunderbird CSV) and meetings (.ics)",
        description="Import contacts and meetings. The format is recognised from the content. Everything is "
        "imported in one go: if any record is wrong, nothing is kept and the problem is named.",
    )
    p.add_argument("files", nargs="+", type=path, metavar="FILE", help="files to import ('-' reads standard input)")
    p.add_argument("--dry-run", action="store_true", help="show what would happen, change nothing")
    p.add_argument(
        "--circle",
        type=number(min(CIRCLES), max(CIRCLES)),
        choices=CIRCLES,
        metavar="N",
        help=f"put everyone from these files in this circle ({', '.join(map(str, CIRCLES))})",
    )
    p.add_argument(
        "--skip-invalid",
        action="store_true",
        help="leave out records that cannot be read (each is listed) and import the rest, still in one go",
    )
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(func=run)


def report_dict(report: ImportReport) -> dict[str, object]:
    return {
        "dry_run": report.dry_run,
        "created": report.created,
        "updated": report.updated,
        "skipped": report.skipped,
        "files": [
            {
                "path": str(f.path),
                "format": f.format,
                "encoding": f.encoding_name,
                "records": [
                    {
                        "record": r.record,
                        "line": r.line,
                        "action": r.action,
                        "kind": r.kind,
                        "name": r.name,
                        "reason": r.reason,
                    }
                    for r in f.results
                ],
            }
            for f in report.files
        ],
    }


def run(args: argparse.Namespace) -> int:
    journal = open_cli_journal(args)
    try:
        report = run_import(
            journal, args.files, now=utcnow(), dry_run=args.dry_run, circle=args.circle, skip_invalid=args.skip_invalid
        )
    except ImportProblem as exc:
        if exc.invalid:
            raise ImportProblem(
                exc.path,
                exc.why + " Run again with --skip-invalid to import the other records.",
                record=exc.record,
                line=exc.line,
                invalid=exc.invalid,
            ) from exc
        raise
    finally:
        journal.close()
    if args.json:
        print_json(report_dict(report))
        return 0
    for f in report.files:
        print(
            f"{f.path} ({f.format}; read as {f.encoding_name}): {f.count('created')} new, "
            f"{f.count('updated')} updated, {f.count('skipped')} skipped"
        )
        for r in f.results:
            why = f" ({r.reason})" if r.reason else ""
            print(f"  {r.action:<8} {r.kind:<7} {r.name}{why}")
    if report.invalid:
        print(f"Left out {len(report.invalid)} record(s) that cannot be imported:")
        for path, r in report.invalid:
            print(f"  {path}, record {r.record} (line {r.line}): {r.reason}")
    verb = "Would import" if report.dry_run else "Imported"
    print(f"{verb}: {report.created} new, {report.updated} updated, {report.skipped} skipped.")
    if report.dry_run:
        print("Nothing was changed (dry run).")
    return 0
