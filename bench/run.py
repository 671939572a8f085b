"""Run every speed benchmark on one generated large journal: `make bench` (about five minutes).

The journal (5,000 people, 100,000 interactions, 2,000 reflections) is generated once into bench/out/
and reused. The peers (jrnl, khard) are installed once into bench/out/peers/ (bench/bench_peers.py).
Each benchmark prints its own figures and target. The crash and fuzz campaigns, and the
frozen-app comparison (needs `make dist`), are run separately: python -m bench.crash_kill,
python -m bench.fuzz_import, python -m bench.bench_frozen.
"""

from __future__ import annotations

import sys
from pathlib import Path

from bench import (
    bench_encrypted,
    bench_import,
    bench_insights,
    bench_peers,
    bench_people_list,
    bench_prep,
    bench_reconnect,
    bench_search,
    bench_startup,
)
from bench.generate_reflections import main as generate_large

OUT = Path(__file__).resolve().parent / "out" / "large"


def main() -> int:
    if not (OUT / "journal.sqlite3").exists():
        OUT.parent.mkdir(parents=True, exist_ok=True)
        generate_large([str(OUT)])
    codes = []
    for title, run in [
        ("start-up", lambda: bench_startup.main(["--data-dir", str(OUT)])),
        ("people list", lambda: bench_people_list.main(["--data-dir", str(OUT)])),
        ("search", lambda: bench_search.main(["--dir", str(OUT)])),
        ("import", lambda: bench_import.main([])),
        ("reconnect", lambda: bench_reconnect.main([str(OUT)])),
        ("insights", lambda: bench_insights.main([str(OUT)])),
        ("prep sheet", lambda: bench_prep.main([])),
        ("beside jrnl and khard", lambda: bench_peers.main(["--dir", str(OUT)])),
        ("a locked journal beside the plain one", lambda: bench_encrypted.main(["--dir", str(OUT)])),
    ]:
        print(f"\n=== {title}", flush=True)
        codes.append(run() or 0)
    return max(codes)


if __name__ == "__main__":
    sys.exit(main())
