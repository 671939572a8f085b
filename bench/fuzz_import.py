"""Many mangled contact and calendar files through the importer (the test suite runs fewer).

    python -m bench.fuzz_import --payloads 2000 --seed 1

Prints how many payloads were tried, accepted, refused cleanly (and how many refusals named the
record), and every failure: a crash, a refusal that changed the journal, or one that does not say
where the problem is. The goal is zero failures.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from tests.reliability.fuzzkit import MUTATIONS, Baseline, FuzzTally, corpus_files


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--payloads", type=int, default=2000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--keep-failures", type=Path, help="write failing payloads into this folder")
    args = p.parse_args(argv)
    rng = random.Random(args.seed)
    files = corpus_files()
    tally = FuzzTally()
    by_mutation: Counter[str] = Counter()
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="netjournal-fuzz-") as tmp:
        baseline = Baseline(Path(tmp))
        for n in range(args.payloads):
            path = rng.choice(files)
            mutation = rng.choice(sorted(MUTATIONS))
            payload = MUTATIONS[mutation](path.read_bytes(), rng.randint)
            outcome = baseline.try_payload(f"mangled-{path.name}", payload)
            pid = f"#{n} {mutation} of {path.parent.name}/{path.name}"
            tally.add(pid, outcome)
            by_mutation[mutation] += 1
            if outcome.kind not in ("accepted", "refused") and args.keep_failures:
                args.keep_failures.mkdir(parents=True, exist_ok=True)
                (args.keep_failures / f"{n}-{mutation}-{path.name}").write_bytes(payload)
    secs = time.perf_counter() - t0
    print(f"corpus files: {len(files)}; payloads tried: {tally.tried} in {secs:.1f} s")
    print("by mutation: " + ", ".join(f"{k} {v}" for k, v in sorted(by_mutation.items())))
    print(
        f"accepted: {tally.accepted}; refused cleanly: {tally.refused} "
        f"({tally.refused_naming_record} naming the record)"
    )
    print(f"slowest payload: {tally.slowest:.2f} s")
    print(f"failures (crash / journal changed / problem not named): {len(tally.failures)}")
    for pid, what in tally.failures[:30]:
        print(f"  {pid}: {what}")
    return 0 if not tally.failures else 1


if __name__ == "__main__":
    sys.exit(main())
