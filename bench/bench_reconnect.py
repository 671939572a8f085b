"""How long computing reconnection suggestions takes on a large journal (5,000 people, 100,000 interactions).

    python -m bench.bench_reconnect [DIR]

Without DIR a journal is generated in a temporary folder first (bench/generate.py). Prints the median of
several runs of: scoring everyone (`candidates`), the weekly selection on top of it, and
`what_to_surface` at the digest moment (the heaviest tick) and at an ordinary tick. Target: under 50 ms.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from bench.generate import NOW
from bench.generate import main as generate_main
from bench.timing import median_ms, open_large_journal
from netjournal.core import reconnect as rc
from netjournal.core.when import to_local

RUNS = 9
TARGET_MS = 50


def _median_ms(fn: Callable[[], Any], runs: int = RUNS) -> float:
    return median_ms(fn, runs)


def run(root: Path) -> int:
    journal = open_large_journal(root, generate_main)
    local = to_local(NOW, None)
    digest_at = rc.digest_slot(local, rc.Rules()) + timedelta(minutes=5)
    if digest_at < local:
        digest_at += timedelta(days=7)
    ordinary = digest_at + timedelta(days=1, hours=3)
    found: dict[str, Any] = {}

    def score() -> None:
        with journal.read() as s:
            found["cands"] = rc.candidates(s, digest_at)

    def select() -> None:
        with journal.read() as s:
            found["picked"] = rc.select_week(rc.candidates(s, digest_at), 3, 1)

    def surface_digest() -> None:
        with journal.read() as s:
            found["digest"] = rc.what_to_surface(s, digest_at)

    rows = [
        ("score everyone (candidates)", _median_ms(score)),
        ("candidates + weekly selection", _median_ms(select)),
        ("what_to_surface at the digest time", _median_ms(surface_digest)),
    ]
    # An ordinary tick comes after the digest was delivered: record it in a transaction rolled back after.
    with journal.sessions() as s:
        rc.record_delivery(s, found["digest"], digest_at)

        def surface_tick() -> None:
            found["tick"] = rc.what_to_surface(s, ordinary)

        rows.append(("what_to_surface at an ordinary tick", _median_ms(surface_tick)))
        s.rollback()
    journal.close()
    print(f"reconnect on {root} ({len(found['cands'])} people past the filters, median of {RUNS} runs)")
    for label, ms in rows:
        print(f"  {label:<40} {ms:7.1f} ms")
    digest = found["digest"]
    tick = found["tick"]
    print(f"  digest: {len(digest.suggestions)} suggestions; ordinary tick: {tick.kind} ({tick.note})")
    for sug in digest.suggestions:
        print(f"    - {sug.name}: {sug.reason}")
    worst = max(ms for _, ms in rows)
    print(f"target < {TARGET_MS} ms: {'met' if worst < TARGET_MS else 'NOT met'} (worst {worst:.1f} ms)")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args:
        return run(Path(args[0]))
    with tempfile.TemporaryDirectory(prefix="netjournal-bench-") as tmp:
        return run(Path(tmp))


if __name__ == "__main__":
    raise SystemExit(main())
