"""The installed app against the source install: size on disk and time until the window shows.

    python -m bench.bench_frozen [--runs 7] [--dist dist/netjournal]

Needs `make dist` first. Each run starts a fresh process of the frozen app (dist/netjournal/netjournal)
and of the source install (.venv/bin/netjournal), alternating them, offscreen, on the same small
journal (a copy of the schema fixture). When the app has the start-up probe (NETJOURNAL_BENCH_STARTUP=1
prints `netjournal-bench window <epoch seconds>` when the window is first exposed) that time is used;
otherwise the wall time of `--smoke` minus its fixed wait. Prints medians, the ratio and the size.
Targets: frozen at most 1.5x the source install; the onedir at most 150 MB.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_RATIO = 1.5
TARGET_MB = 150
SMOKE_SECONDS = 1.5  # netjournal.startup.SMOKE_MSECS: how long --smoke keeps the event loop running


def dir_size_mb(path: Path) -> float:
    """Disk usage like `du -s` (MiB), counting each file once."""
    out = subprocess.run(["du", "-sk", str(path)], capture_output=True, text=True, check=True).stdout
    return int(out.split()[0]) / 1024


def launch(cmd: list[str], env: dict[str, str]) -> tuple[float, str]:
    """Seconds from launch until the window showed, and how that was measured."""
    start = time.time()
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120, check=False)
    end = time.time()
    if out.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} exited {out.returncode}:\n{out.stderr[-2000:]}")
    for line in out.stdout.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[:2] == ["netjournal-bench", "window"]:
            return float(parts[2]) - start, "window exposed (start-up probe)"
    return end - start - SMOKE_SECONDS, "--smoke wall time minus its 1.5 s wait"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--dist", type=Path, default=ROOT / "dist" / "netjournal")
    args = parser.parse_args(argv)
    frozen = args.dist / ("netjournal.exe" if sys.platform == "win32" else "netjournal")
    source = Path(sys.executable).parent / "netjournal"
    for exe, hint in ((frozen, "run `make dist` first"), (source, "run `make install` first")):
        if not exe.exists():
            raise SystemExit(f"{exe} not found: {hint}")

    with tempfile.TemporaryDirectory(prefix="netjournal-bench-") as tmp:
        data = Path(tmp) / "journal"
        data.mkdir()
        shutil.copyfile(ROOT / "tests" / "fixtures" / "schema_0001.sqlite3", data / "journal.sqlite3")
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", NETJOURNAL_BENCH_STARTUP="1")
        commands = {
            "source": [str(source), "--smoke", "--data-dir", str(data)],
            "frozen": [str(frozen), "--smoke", "--data-dir", str(data)],
        }
        for cmd in commands.values():  # migrate the copy and warm the file cache for both
            launch(cmd, env)
        times: dict[str, list[float]] = {"source": [], "frozen": []}
        how = ""
        for _ in range(args.runs):
            for name, cmd in commands.items():
                seconds, how = launch(cmd, env)
                times[name].append(seconds)

    source_ms = statistics.median(times["source"]) * 1000
    frozen_ms = statistics.median(times["frozen"]) * 1000
    ratio = frozen_ms / source_ms
    size = dir_size_mb(args.dist)
    print(f"start-up to window ({how}), median of {args.runs} runs, offscreen:")
    print(f"  source install  {source_ms:7.0f} ms   ({source})")
    print(f"  frozen app      {frozen_ms:7.0f} ms   ({frozen})")
    print(f"  ratio frozen/source {ratio:.2f}  (target at most {TARGET_RATIO})")
    print(f"onedir size {size:.0f} MB  (target at most {TARGET_MB} MB)  {args.dist}")
    ok = ratio <= TARGET_RATIO and size <= TARGET_MB
    print("within targets" if ok else "OVER TARGET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
