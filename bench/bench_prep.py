"""How long the one-page prep sheet takes for a person with 200 interactions, in process.

    python -m bench.bench_prep

Builds a small journal in a temporary folder (one busy person: 200 interactions with long notes,
a dozen open promises, a saved plan), then times, as medians of several runs:
  - assembling the sheet's data from the journal (core, the database thread),
  - laying out and rendering the PDF in memory (Qt, the GUI thread),
  - the whole thing including writing the file (what `netjournal prep` and "Save as PDF…" do).
Target: under 150 ms for the whole thing.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QGuiApplication

from bench.timing import median_ms
from netjournal.core import prep
from netjournal.core.db import open_journal
from netjournal.core.journal import InteractionData, PersonData, add_commitment, create_person, log_interaction
from netjournal.core.models import Channel, Direction
from netjournal.core.paths import DataDir
from netjournal.ui import prep_sheet

RUNS = 15
TARGET_MS = 150
NOW = datetime(2026, 3, 16, 10, 0, tzinfo=UTC)


def _median_ms(fn: Callable[[], Any], runs: int = RUNS) -> float:
    return median_ms(fn, runs)


def build(root: Path) -> tuple[Any, int, int]:
    journal = open_journal(DataDir(root).ensure())
    with journal.session() as s:
        p = create_person(
            s,
            PersonData(
                name="Priya Raman",
                role="Staff engineer",
                organisation="Northwind Labs",
                how_met="PyCon sprint table",
                ford_occupation="Leads the data platform team",
                ford_recreation="Running; half marathon in April",
            ),
            now=NOW,
        )
        channels = list(Channel)
        for i in range(200):
            data = InteractionData(
                at=NOW - timedelta(days=3 * i + 1),
                channel=channels[i % len(channels)],
                notes=f"Meeting {i}: talked about the platform migration, hiring and her training. " * 6,
                topics="platform, hiring",
                warmth=1 + i % 5,
            )
            log_interaction(s, [p.id], data, now=NOW)
        for i in range(12):
            add_commitment(s, p.id, Direction.I_OWE if i % 2 else Direction.THEY_OWE, f"promise number {i}", now=NOW)
        plan = prep.create_plan(s, prep.new_plan(s, NOW, person_id=p.id), now=NOW)
        return journal, p.id, plan.id


def run(root: Path) -> int:
    app = QGuiApplication.instance() or QGuiApplication(["bench"])
    journal, person_id, plan_id = build(root)
    page = prep_sheet.page_size_for("A4")
    out = root / "sheet.pdf"

    def data() -> prep.SheetData:
        with journal.read() as s:
            return prep.sheet_data(s, plan_id, NOW)

    def whole() -> None:
        prep_sheet.write_pdf(data(), out, page)

    whole()  # warm-up: fonts are loaded once per process
    sheet = data()
    rows = [
        ("sheet data from the journal", _median_ms(data)),
        ("fresh plan + suggestions for the person", _median_ms(lambda: _fresh(journal, person_id))),
        ("render the PDF in memory", _median_ms(lambda: prep_sheet.render_pdf(sheet, page))),
        ("render, enormous notes (shortened to fit)", _median_ms(lambda: prep_sheet.render_pdf(_huge(sheet), page))),
        ("whole: data + render + write the file", _median_ms(whole)),
    ]
    pages = prep_sheet.pdf_page_count(out.read_bytes())
    journal.close()
    del app
    for name, ms in rows:
        print(f"{name:<45} {ms:8.1f} ms (median of {RUNS})")
    total = rows[-1][1]
    print(f"pages: {pages}; target for the whole: < {TARGET_MS} ms -> {'ok' if total < TARGET_MS else 'SLOW'}")
    return 0 if total < TARGET_MS and pages == 1 else 1


def _huge(sheet: prep.SheetData) -> prep.SheetData:
    """The worst case for layout: every field enormous, so every shortening step is tried."""
    from dataclasses import replace

    big = "a long note without an end " * 400
    return replace(
        sheet,
        purpose=big,
        about=[big] * 20,
        recent=[big] * 6,
        i_owe=[big] * 10,
        they_owe=[big] * 10,
        questions=[big] * 5,
        intro_script=big,
        ask=big,
        balanced_thought=big,
    )


def _fresh(journal: Any, person_id: int) -> None:
    with journal.read() as s:
        prep.new_plan(s, NOW, person_id=person_id)


def main(argv: list[str] | None = None) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        return run(Path(tmp))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
