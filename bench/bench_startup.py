"""Cold start to the main window shown, on the large journal, beside a bare PySide6 window.

    python -m bench.bench_startup [--data-dir DIR] [--runs 7]

Each run starts a fresh process (`python -m netjournal --data-dir DIR` with NETJOURNAL_BENCH_STARTUP=1,
and `python -m bench.bare_window`), alternating the two, and times from launch to the first expose of
the window; for netjournal also to the first section (Today) showing what it read from the journal,
and to the People list holding its rows, and the longest the GUI thread stalled meanwhile. Prints
medians and the ratios to the bare window (targets: window under 2x, first section filled under
2.5x, no stall over 30 ms). Without DIR, the large journal is generated once
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

TARGET_WINDOW = 2.0
TARGET_CONTENT = 2.5
TARGET_STALL_MS = 30.0


def _launch(cmd: list[str], env: dict[str, str]) -> dict[str, float]:
    start = time.time()
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300, check=False)
    marks = {}
    for line in out.stdout.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == "netjournal-bench":
            value = float(parts[2])
            raw = parts[1].startswith("stall") or parts[1] == "orm_before_today"
            marks[parts[1]] = value if raw else (value - start) * 1000
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
    bare, window, today, people, stall, stall_all = [], [], [], [], [], []
    for _ in range(args.runs):
        bare.append(_launch(bare_cmd, env)["window"])
        marks = _launch(app_cmd, app_env)
        window.append(marks["window"])
        today.append(marks.get("today", float("nan")))
        people.append(marks.get("people", float("nan")))
        stall.append(marks.get("stall", float("nan")))
        stall_all.append(marks.get("stall_all", float("nan")))
    b, w = statistics.median(bare), statistics.median(window)
    t, p = statistics.median(today), statistics.median(people)
    print(f"platform: {env['QT_QPA_PLATFORM']}, runs: {args.runs}, journal: {data_dir}")
    for label, values in [
        ("bare PySide6 window shown:     ", bare),
        ("netjournal main window shown:  ", window),
        ("first section (Today) filled:  ", today),
        ("People list filled:            ", people),
    ]:
        print(f"{label} median {statistics.median(values):7.1f} ms  (all: {', '.join(f'{x:.0f}' for x in values)})")
    worst = max(stall)
    print(
        f"longest GUI-thread stall while Today loads: {worst:.0f} ms (median {statistics.median(stall):.0f} ms; "
        f"target <= {TARGET_STALL_MS:.0f} ms)  {'OK' if worst <= TARGET_STALL_MS else 'OVER TARGET'}"
    )
    print(
        f"longest GUI-thread stall until People is filled too: {max(stall_all):.0f} ms "
        f"(median {statistics.median(stall_all):.0f} ms; the other sections are built then)"
    )
    print(f"ratio window / bare: {w / b:.2f}x (target <= {TARGET_WINDOW}x)  {_ok(w / b, TARGET_WINDOW)}")
    print(
        f"ratio content / bare: {t / b:.2f}x (first section, Today; target <= {TARGET_CONTENT}x)  "
        f"{_ok(t / b, TARGET_CONTENT)}"
    )
    # People is built after Today, once every feature's module is imported off the GUI thread; the
    # target is for the first section (what the window opens on), this says how long the next one takes.
    print(f"ratio content / bare: {p / b:.2f}x (People, the second section; the target is for the first)")
    return 0


def _ok(ratio: float, target: float) -> str:
    return "OK" if ratio <= target else "OVER TARGET"


if __name__ == "__main__":
    sys.exit(main())
