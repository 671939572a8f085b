"""Reading a large vCard file on every core: the cards are split here, read in parallel, kept in order.

Parsing (vobject) is most of an import's time; the cards are independent, so with more than one core
the file's cards are cut into consecutive runs: this process reads the first run while forked worker
processes read the others. The records come back in file order, and the first problem in file
order is reported first, exactly as reading them one after another would (tests/core/
test_import_parallel.py). Nothing is written here: the import's one transaction is unchanged.

Only where forking is safe: a process with a single Python thread (the command line). The app
imports on its database thread, next to Qt's threads, and reads serially there. Only with free cores:
on a machine busy with other work the cards are read one after another (NETJOURNAL_IMPORT_WORKERS=N
sets the number of processes).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

from netjournal.core.importers import vcard
from netjournal.core.importers.base import ImportProblem, Record
from netjournal.core.importers.vcard import Card

MIN_CARDS = 600  # below this, starting a worker costs more than it saves
MAX_WORKERS = 4
PROC_STAT = Path("/proc/stat")  # Linux: the number of runnable tasks at this instant


def worker_count(cards: int) -> int:
    """How many processes to read `cards` cards with (1: read them here, one after another)."""
    wanted = os.environ.get("NETJOURNAL_IMPORT_WORKERS", "")
    if cards < MIN_CARDS or threading.active_count() > 1 or "fork" not in _start_methods():
        return 1
    if wanted.isdigit() and int(wanted) > 0:
        n = int(wanted)
    else:
        # Only cores that are free help: on a machine already busy with other work, extra processes
        # only add the cost of starting them and copying the records back (measured: slower).
        cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
        n = min(MAX_WORKERS, cpus - others_running())
    return max(1, min(n, cards // (MIN_CARDS // 2)))


def others_running() -> int:
    """How many other processes want a core right now.

    Linux counts the runnable tasks at this instant (/proc/stat, this process included). The load
    average is the fallback: it trails by a minute, so the command that ran just before this one
    (a shell loop, a benchmark) still counts there as a busy core.
    """
    try:
        with PROC_STAT.open(encoding="ascii") as fh:
            for line in fh:
                if line.startswith("procs_running "):
                    return max(0, int(line.split()[1]) - 1)
    except (OSError, ValueError):
        pass
    return int(os.getloadavg()[0] + 0.5) if hasattr(os, "getloadavg") else 0


def _start_methods() -> list[str]:
    import multiprocessing

    return multiprocessing.get_all_start_methods()


def _parse_run(cards: list[Card]) -> list[Record]:
    # An unreadable card comes back as a BadRecord (plain data), never as an exception.
    return [vcard.parse_card(card) for card in cards]


def parse_vcards_parallel(path: Path, text: str) -> Iterator[Record]:
    """The records of a vCard file, in order: the same as `vcard.parse_vcards`, on several cores."""
    cards: list[Card] = []
    split_problem: ImportProblem | None = None
    try:
        for card in vcard.split_cards(path, text):
            cards.append(card)
    except ImportProblem as exc:
        split_problem = exc  # raised after the cards before it, as reading one by one would
    workers = worker_count(len(cards))
    if workers == 1:
        for card in cards:
            yield vcard.parse_card(card)
    else:
        size = -(-len(cards) // workers)
        runs = [cards[i : i + size] for i in range(0, len(cards), size)]
        with ProcessPoolExecutor(max_workers=len(runs) - 1, mp_context=get_context("fork")) as pool:
            futures: list[Future[list[Record]]] = [pool.submit(_parse_run, run) for run in runs[1:]]
            results = [_parse_run(runs[0]), *(f.result() for f in futures)]
        for result in results:
            yield from result
    if split_problem is not None:
        raise split_problem
