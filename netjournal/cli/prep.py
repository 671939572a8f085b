"""`netjournal prep PERSON [--plan ID] -o FILE.pdf`: print the one-page prep sheet to a PDF."""

from __future__ import annotations

import argparse
import os

from sqlalchemy import select

from netjournal.cli.common import MAX_ID, add_output, data_dir, number, open_cli_journal, report_written, text
from netjournal.core import prep, settings
from netjournal.core.clock import utcnow
from netjournal.core.errors import NotFoundError, ValidationError
from netjournal.core.journal import resolve_person
from netjournal.core.models import Plan


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "prep",
        parents=[common],
        help="save a one-page prep sheet (PDF) for meeting someone",
        description="Without --plan, the person's latest plan that has not been debriefed is used; "
        "if they have none, a fresh plan is suggested from the journal (and not saved).",
    )
    p.add_argument("person", nargs="?", type=text, help="who: a name, an e-mail address or #id (optional with --plan)")
    p.add_argument("--plan", type=number(1, MAX_ID), metavar="ID", help="print this plan")
    add_output(p, "where to save the PDF (- for standard output)", metavar="FILE.pdf")
    p.add_argument("--page-size", choices=["A4", "Letter"], help="default: the prep.page_size setting, else the locale")
    p.add_argument("--job-search", action="store_true", help="for a fresh plan: lean to asking for advice")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.person is None and args.plan is None:
        raise ValidationError("Say who the sheet is for (a name or #id), or give --plan ID.")
    # Rendering needs Qt but no screen: choose the offscreen platform before Qt's GUI module loads.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from netjournal.ui import prep_sheet

    output = prep_sheet.check_writable(args.output, data_dir(args))
    journal = open_cli_journal(args, reading=True)
    now = utcnow()
    try:
        with journal.read() as s:
            person = resolve_person(s, args.person) if args.person is not None else None
            if args.plan is not None:
                plan = prep.get_plan(s, args.plan)
                if person is not None and plan.person_id != person.id:
                    raise NotFoundError(f"Plan {args.plan} is not a plan for {person.name}.")
                sheet = prep.sheet_data(s, plan, now)
                used = f"plan {plan.id}"
            else:
                assert person is not None
                latest = s.scalar(
                    select(Plan)
                    .where(Plan.person_id == person.id, Plan.deleted_at.is_(None), Plan.debrief_id.is_(None))
                    .order_by(Plan.updated_at.desc())
                    .limit(1)
                )
                if latest is not None:
                    sheet, used = prep.sheet_data(s, latest, now), f"plan {latest.id}"
                else:
                    fresh = prep.new_plan(s, now, person_id=person.id, job_search=args.job_search)
                    sheet, used = prep.sheet_data(s, fresh, now), "suggestions from the journal"
            page = args.page_size or settings.get(s, "prep.page_size")
    finally:
        journal.close()

    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(["netjournal"])
    prep_sheet.write_pdf(sheet, output, prep_sheet.page_size_for(page), journal.data_dir)
    del app
    saved = f"Saved the prep sheet for {sheet.person_name or sheet.title} ({used}) to {output.shown}."
    report_written(saved, to_stdout=output.is_stdout)
    return 0
