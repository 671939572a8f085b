"""People at scale: how soon the list is shown, GUI stalls while scrolling to the end, filter and sort
times, and how long a busy person's page takes to load, on the large journal.

    python -m bench.bench_people_list [--data-dir DIR]

Targets (issue 3): list shown and scrollable within 100 ms of opening People; no GUI-thread stall
over 50 ms while scrolling to the end. Without DIR, the large journal is generated into a temp folder.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    data_dir = args.data_dir
    if data_dir is None:
        from bench.generate import generate

        data_dir = Path(tempfile.mkdtemp(prefix="netjournal-bench-")) / "journal"
        print(f"generating the large journal in {data_dir} …", flush=True)
        generate(data_dir)

    from PySide6.QtWidgets import QApplication
    from sqlalchemy import func, select

    from netjournal.app import NetjournalApp
    from netjournal.core.clock import utcnow
    from netjournal.core.db import open_journal
    from netjournal.core.journal import last_contacts
    from netjournal.core.models import PersonStatus, interaction_people
    from netjournal.core.paths import DataDir
    from netjournal.core.people_view import people_rows
    from netjournal.core.person_page import person_page
    from netjournal.ui.people_model import PeopleFilter, Sort

    def read(fn: Any) -> Any:
        with journal.read() as s:
            return fn(s)

    qapp = QApplication.instance() or QApplication(sys.argv[:1])
    journal = open_journal(DataDir.at(str(data_dir)))
    app = NetjournalApp(qapp, journal, interactive=False)  # type: ignore[arg-type]
    app.window.resize(1100, 720)
    app.window.show()
    view = app.people  # type: ignore[attr-defined]

    def wait(cond, timeout: float = 30.0) -> None:  # type: ignore[no-untyped-def]
        end = time.perf_counter() + timeout
        while not cond():
            qapp.processEvents()
            if time.perf_counter() > end:
                raise SystemExit("timed out")
            time.sleep(0.0005)

    wait(lambda: view.model.total > 0)
    shown, rows_ms, last_ms = [], [], []
    for _ in range(args.runs):
        wait(lambda: app.ops._pending == 0)  # nothing else queued: time this refresh alone
        t = time.perf_counter()
        view.model.set_rows([])
        view.refresh()
        wait(lambda: view.model.rowCount() > 0)
        shown.append((time.perf_counter() - t) * 1000)
        wait(lambda: app.ops._pending == 0)
        t = time.perf_counter()
        read(people_rows)
        rows_ms.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        read(last_contacts)
        last_ms.append((time.perf_counter() - t) * 1000)

    # Scroll to the end a page at a time, as fast as the event loop allows; every step is GUI time.
    bar = view.list.verticalScrollBar()
    bar.setValue(0)
    qapp.processEvents()
    steps = []
    for _ in range(100_000):
        t = time.perf_counter()
        bar.setValue(bar.value() + bar.pageStep())
        qapp.processEvents()
        steps.append((time.perf_counter() - t) * 1000)
        if bar.value() >= bar.maximum() and not view.model.canFetchMore(view.model.index(-1, -1).parent()):
            break
    at_end = view.model.rowCount() == view.model.matching

    filters = {
        "text 'an'": PeopleFilter(text="an"),
        "status waiting": PeopleFilter(status=PersonStatus.WAITING),
        "circle 50 + tag": PeopleFilter(circle=50, tag=(view.tag.itemData(1) or None)),
        "sort recent": PeopleFilter(sort=Sort.RECENT),
        "sort circle": PeopleFilter(sort=Sort.CIRCLE),
    }
    filter_ms = {}
    for label, spec in filters.items():
        times = []
        for _ in range(args.runs):
            t = time.perf_counter()
            view.model.set_filter(spec)
            qapp.processEvents()
            times.append((time.perf_counter() - t) * 1000)
        filter_ms[label] = (statistics.median(times), view.model.matching)
    view.model.set_filter(PeopleFilter())

    with journal.read() as s:
        busiest = s.execute(
            select(interaction_people.c.person_id, func.count())
            .group_by(interaction_people.c.person_id)
            .order_by(func.count().desc())
            .limit(1)
        ).one()
    page = []
    for _ in range(args.runs):
        t = time.perf_counter()
        read(lambda s: person_page(s, busiest[0], utcnow()))
        page.append((time.perf_counter() - t) * 1000)

    info = read(lambda s: person_page(s, busiest[0], utcnow()))
    shows = []
    view.right.setCurrentWidget(view.page)
    for _ in range(args.runs):
        view.page.person_id = None  # as when coming from someone else
        t = time.perf_counter()
        view.page.show_person(info)
        qapp.processEvents()
        shows.append((time.perf_counter() - t) * 1000)

    print(f"journal: {data_dir} ({view.model.total} people)")
    print(
        f"People list shown after refresh (rows in the view): median {statistics.median(shown):6.1f} ms  (target 100)"
    )
    print(f"  the list query run alone (in the bench thread):    median {statistics.median(rows_ms):6.1f} ms")
    print(f"last-in-touch for everyone (background, after show): median {statistics.median(last_ms):6.1f} ms")
    print(
        f"scroll to the end: {len(steps)} page steps, reached end: {at_end}; "
        f"GUI time per step median {statistics.median(steps):.1f} ms, worst {max(steps):.1f} ms  (target < 50)"
    )
    for label, (ms, n) in filter_ms.items():
        print(f"filter/sort {label:16s}: {ms:6.1f} ms on the GUI thread ({n} match)")
    print(
        f"page of the busiest person ({busiest[1]} interactions, 300 shown): median {statistics.median(page):.1f} ms"
        " (background thread)"
    )
    print(f"showing that page (300 timeline entries) on the GUI thread: median {statistics.median(shows):.1f} ms")
    app.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
