"""A long SIGKILL campaign against journal writers (the test suite runs a shorter one).

    python -m bench.crash_kill --kills 1000 --workers 2
    python -m bench.crash_kill --kills 100 --fresh     # a new interpreter per writer

Prints how many writers were killed, how many writes they had acknowledged, and how many of those
were lost or half-written after the kills (the goal is zero).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from tests.reliability.writer import campaign, fresh_spawn


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--kills", type=int, default=1000)
    p.add_argument("--workers", type=int, default=2, help="journal folders written side by side")
    p.add_argument("--max-acks", type=int, default=20, help="most acknowledged writes before a kill")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--fresh", action="store_true", help="start a new interpreter for each writer (slower)")
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="netjournal-crash-") as tmp:
        t0 = time.perf_counter()
        tally = campaign(
            Path(tmp),
            args.kills,
            args.workers,
            seed=args.seed,
            max_acks=args.max_acks,
            spawn=fresh_spawn if args.fresh else None,
        )
        secs = time.perf_counter() - t0
        size = sum(f.stat().st_size for f in Path(tmp).rglob("journal.sqlite3"))
    print(f"kills: {tally.kills} (writers that ran out of work instead: {tally.finished_unkilled})")
    print(f"acknowledged writes: {tally.acks} ({tally.bundles} multi-row transactions, {tally.imports} file imports)")
    print(f"lost acknowledged writes: {len(tally.lost)}")
    print(f"other problems (integrity, open, half-written, writer errors): {len(tally.problems)}")
    print(f"time: {secs:.1f} s; journals at the end: {size / 1e6:.1f} MB")
    for line in (tally.lost + tally.problems)[:20]:
        print("  ", line)
    return 0 if not tally.lost and not tally.problems else 1


if __name__ == "__main__":
    sys.exit(main())
