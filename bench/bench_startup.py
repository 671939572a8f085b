"""Cold start to the main window shown, on the large journal, beside a bare PySide6 window.

    python -m bench.bench_startup [--data-dir DIR] [--runs 7]

Each run starts a fresh process (`python -m netjournal --data-dir DIR` with NETJOURNAL_BENCH_STARTUP=1,
and `python -m bench.bare_window`), alternating the two, and times from launch to the first expose of
the window; for netjournal also to the People list holding its rows. Prints medians and the ratio
(target: netjournal under 2.5x the bare window). Without DIR, the large journal is generated once
into a temporary folder (bench/generate.py: 5,000 people, 100,000 interactions).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET = 2.5


def _launch(cmd: list[str], env: dict[str, str]) -> dict[str, float]:
    start = time.time()
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300, check=False)
    marks = {}
    for line in out.stdout.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == "netjournal-bench":
            marks[parts[1]] = (float(parts[2]) - start) * 1000
    if "window" not in marks:
        raise SystemExit(f"{' '.join(cmd)} printed no start-up time (exit {out.returncode}):\n{out.stderr[-2000:]}")
    return marks


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    data_dir = args.data_dir
    if data_dir is None:
        from bench.generate import generate

        data_dir = Path(tempfile.mkdtemp(prefix="netjournal-bench-")) / "journal"
        print(f"generating the large journal in {data_dir} …", flush=True)
        generate(data_dir)
    app_cmd = [sys.executable, "-m", "netjournal", "--data-dir", str(data_dir)]
    bare_cmd = [sys.executable, "-m", "bench.bare_window"]
    app_env = dict(env, NETJOURNAL_BENCH_STARTUP="1")
    _launch(bare_cmd, env)  # warm the OS file cache for both, so every measured run is alike
    _launch(app_cmd, app_env)
    bare, window, people = [], [], []
    for _ in range(args.runs):
        bare.append(_launch(bare_cmd, env)["window"])
        marks = _launch(app_cmd, app_env)
        window.append(marks["window"])
        people.append(marks.get("people", float("nan")))
    b, w, p = statistics.median(bare), statistics.median(window), statistics.median(people)
    print(f"platform: {env['QT_QPA_PLATFORM']}, runs: {args.runs}, journal: {data_dir}")
    print(f"bare PySide6 window shown:      median {b:7.1f} ms  (all: {', '.join(f'{x:.0f}' for x in bare)})")
    print(f"netjournal main window shown:   median {w:7.1f} ms  (all: {', '.join(f'{x:.0f}' for x in window)})")
    print(f"netjournal People list filled:  median {p:7.1f} ms  (all: {', '.join(f'{x:.0f}' for x in people)})")
    ratio = w / b
    print(f"ratio window / bare: {ratio:.2f}x (target < {TARGET}x)  {'OK' if ratio < TARGET else 'OVER TARGET'}")
    print(f"ratio people list / bare: {p / b:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
