"""How long Insights takes on a large journal (5,000 people, 100,000 interactions, 2,000 reflections).

    python -m bench.bench_insights [DIR]

Without DIR a journal is generated in a temporary folder first (about half a minute). Prints the
median of several runs for each chart's numbers, for all five together (what opening Insights costs
on the database thread), and for drawing the Insights section offscreen. Target: under 300 ms.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench.generate import NOW
from bench.generate_reflections import main as generate_main
from bench.timing import median_ms, open_large_journal
from netjournal.core import insights as ins

RUNS = 7
TARGET_MS = 300


def _median_ms(fn: Callable[[], Any], runs: int = RUNS) -> float:
    return median_ms(fn, runs)


def run(root: Path) -> int:
    journal = open_large_journal(root, generate_main)
    rows: list[tuple[str, float]] = []
    with journal.read() as s:
        start = time.perf_counter()
        ins.all_insights(s, NOW)  # the first time also compiles the SQL statements
        first = (time.perf_counter() - start) * 1000
        for name, fn in (
            ("discomfort gap", ins.discomfort_gap),
            ("liking gap", ins.liking_gap),
            ("attempts per month", ins.attempts_per_month),
            ("energy by kind of meeting", ins.energy_by_kind),
            ("circles", ins.circles),
        ):
            rows.append((name, _median_ms(lambda fn=fn: fn(s, NOW))))
        total = _median_ms(lambda: ins.all_insights(s, NOW))
        data = ins.all_insights(s, NOW)

    from PySide6.QtWidgets import QApplication

    from netjournal.ui.insights import InsightsView
    from netjournal.ui.ops import DbWorker

    app = QApplication.instance() or QApplication([])
    ops = DbWorker(journal)
    view = InsightsView(ops)
    view.resize(1100, 1100)

    def draw() -> None:
        view.show_insights(data)
        view.grab()

    draw_ms = _median_ms(draw)

    from netjournal.core.clock import utcnow
    from netjournal.core.ladder import LadderView, ladder_views
    from netjournal.core.reflections import ReflectPage, reflect_page
    from netjournal.ui.reflect.section import ReflectView

    def load_page() -> ReflectPage:
        with journal.read() as s:
            return reflect_page(s, utcnow())

    def load_ladders() -> list[LadderView]:
        with journal.read() as s:
            return ladder_views(s)

    reflect = ReflectView(ops)
    page_ms = _median_ms(load_page, runs=3)
    page = load_page()
    list_ms = _median_ms(lambda: reflect._show_page(page), runs=3)
    ladders_ms = _median_ms(load_ladders, runs=3)
    ops.stop()
    journal.close()
    del app

    for name, ms in rows:
        print(f"  {name:<28} {ms:7.1f} ms")
    verdict = "ok" if total < TARGET_MS else "SLOW"
    print(f"  {'all five insights (db)':<28} {total:7.1f} ms   target < {TARGET_MS} ms: {verdict}")
    print(f"  {'first time after start':<28} {first:7.1f} ms   (compiles the queries once)")
    print(f"  {'draw the five charts':<28} {draw_ms:7.1f} ms")
    print(f"  {'open Insights (db + draw)':<28} {total + draw_ms:7.1f} ms   first time {first + draw_ms:.1f} ms")
    print(
        f"  {'Reflect list: load':<28} {page_ms:7.1f} ms   ({len(page.items)} reflections, {len(page.people)} people)"
    )
    print(f"  {'Reflect list: fill':<28} {list_ms:7.1f} ms")
    print(f"  {'ladders: load':<28} {ladders_ms:7.1f} ms")
    print(f"  discomfort: {data.discomfort.n} compared; {data.discomfort.caption}")
    return 0 if first + draw_ms < TARGET_MS else 1


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args:
        return run(Path(args[0]))
    with tempfile.TemporaryDirectory(prefix="netjournal-bench-") as tmp:
        return run(Path(tmp))


if __name__ == "__main__":
    sys.exit(main())
