"""Search speed on the large generated journal (target: median under 10 ms for a two-word query).

    python -m bench.bench_search [--dir DIR] [--queries 300]

Generates the journal with bench/generate.py (5,000 people, 100,000 interactions) unless --dir
points at one already generated, then times `netjournal.core.search.search` (ranked, top 50, with
snippets and names, as the Search box and `netjournal search` call it) for many two-word queries
drawn from the journal's own vocabulary: names, organisations, topics, common note words, and
prefixes of a last word still being typed. Prints the median, 90th percentile and worst case.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import tempfile
import time
from pathlib import Path

from bench.generate import FAMILY, GIVEN, ORGS, TOPICS, generate
from netjournal.core.db import open_journal
from netjournal.core.paths import DataDir
from netjournal.core.search import search


def vocabulary() -> list[str]:
    words = set(GIVEN) | set(FAMILY)
    for text in ORGS + TOPICS:
        words |= {w for w in re.findall(r"\w+", text) if len(w) > 2}
    return sorted(words)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="search benchmark")
    parser.add_argument("--dir", type=Path, help="an existing generated journal (else one is generated)")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args(argv)
    tmp = None
    if args.dir and DataDir(args.dir).database.exists():
        dd = DataDir(args.dir)
    else:
        tmp = tempfile.TemporaryDirectory()
        dd = DataDir(args.dir or Path(tmp.name) / "large").ensure()
        t0 = time.perf_counter()
        generate(dd).close()
        print(f"generated the large journal in {time.perf_counter() - t0:.1f} s")
    journal = open_journal(dd)
    rng = random.Random(args.seed)
    words = vocabulary()
    queries = []
    for i in range(args.queries):
        a, b = rng.sample(words, 2)
        if i % 3 == 0:
            b = b[: max(2, len(b) // 2)]  # still typing the second word
        queries.append(f"{a} {b}")
    times: list[float] = []
    hits = 0
    with journal.read() as s:
        search(s, "warm up")
        for q in queries:
            t0 = time.perf_counter()
            found = search(s, q)
            times.append((time.perf_counter() - t0) * 1000)
            hits += len(found)
        common = []
        for q in ("the and", "talked about", "a the"):
            t0 = time.perf_counter()
            search(s, q)
            common.append((q, (time.perf_counter() - t0) * 1000))
    journal.close()
    times.sort()
    print(f"{len(queries)} two-word queries over 5,000 people / 100,000 interactions (top 50, ranked, snippets)")
    print(
        f"  median {statistics.median(times):6.2f} ms   p90 {times[int(len(times) * 0.9)]:6.2f} ms   "
        f"max {times[-1]:6.2f} ms   (target: median < 10 ms); {hits / len(queries):.1f} hits per query"
    )
    for q, ms in common:
        print(f"  very common words {q!r}: {ms:6.1f} ms")
    if tmp is not None:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
