"""Timing helpers shared by the benchmarks."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from netjournal.core.db import Journal, open_journal
from netjournal.core.paths import DataDir


def median_ms(fn: Callable[[], Any], runs: int) -> float:
    """The median wall time of `runs` calls, in milliseconds (medians resist a busy machine's outliers)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def open_large_journal(root: Path, generate: Callable[[list[str]], int]) -> Journal:
    """Open the generated journal in `root`, generating it first (with `generate`) if it is not there."""
    dd = DataDir(root)
    if not dd.database.exists():
        print(f"generating a large journal in {root} ...", flush=True)
        generate([str(root)])
    return open_journal(dd)
