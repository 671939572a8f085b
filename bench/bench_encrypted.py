"""A locked journal beside the same journal in plain: search, People and start-up, whole processes.

    python -m bench.bench_encrypted [--dir DIR] [--runs 7]

DIR is a large journal (bench/run.py generates one into bench/out/large); an encrypted copy of it is made
once beside it (DIR-encrypted, passphrase in bench/out/bench-passphrase.txt). Prints the key derivation
(paid once per opening), then each figure for both journals and the ratio encrypted / plain
(target <= 1.3x). Medians of --runs fresh processes after a warm-up, on a machine that may be busy.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

from bench.bench_peers import measure
from bench.bench_startup import _launch

OUT = Path(__file__).resolve().parent / "out"
TARGET = 1.3
PASSPHRASE = "bench passphrase, not a secret"


def encrypted_copy(plain: Path) -> tuple[Path, Path]:
    from netjournal.core import cipher

    pw = OUT / "bench-passphrase.txt"
    pw.parent.mkdir(parents=True, exist_ok=True)
    pw.write_text(PASSPHRASE + "\n")
    target = plain.with_name(plain.name + "-encrypted")
    db = target / "journal.sqlite3"
    if not (db.exists() and cipher.is_encrypted(db)):
        shutil.rmtree(target, ignore_errors=True)
        (target / "backups").mkdir(parents=True)
        from netjournal.core.db import backup_database

        backup_database(plain / "journal.sqlite3", db)  # a consistent single-file copy
        print(f"encrypting a copy of the journal into {target} …", flush=True)
        cipher.convert_file(db, None, PASSPHRASE)
    return target, pw


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=OUT / "large")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    plain = args.dir.resolve()
    if not (plain / "journal.sqlite3").exists():
        raise SystemExit(f"no journal in {plain}: run `make bench` (or python -m bench.run) once to generate it")
    locked, pw = encrypted_copy(plain)

    from netjournal.core import cipher

    kdf = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        cipher.key_for(locked / "journal.sqlite3", PASSPHRASE)
        kdf.append((time.perf_counter() - t0) * 1000)
    print(f"opening a locked journal: key derivation and check {statistics.median(kdf):.0f} ms (median, once per open)")

    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    locked_env = {**env, "NETJOURNAL_PASSPHRASE_FILE": str(pw)}
    cli = [sys.executable, "-m", "netjournal"]
    rows: list[tuple[str, float, float]] = []
    for label, words in [
        ("search 'research grant'", ["search", "research", "grant"]),
        ("people --json", ["people", "--json"]),
    ]:
        a, _, _ = measure([*cli, "--data-dir", str(plain), *words], env, plain, args.runs)
        b, _, _ = measure([*cli, "--data-dir", str(locked), *words], locked_env, locked, args.runs)
        rows.append((label, a, b))

    startup_env = {**env, "NETJOURNAL_BENCH_STARTUP": "1"}
    marks: dict[str, dict[str, list[float]]] = {"plain": {}, "locked": {}}
    for name, folder, extra in [("plain", plain, {}), ("locked", locked, {"NETJOURNAL_PASSPHRASE_FILE": str(pw)})]:
        cmd = [*cli, "--data-dir", str(folder)]
        _launch(cmd, {**startup_env, **extra})  # warm-up
        for _ in range(args.runs):
            for key, value in _launch(cmd, {**startup_env, **extra}).items():
                marks[name].setdefault(key, []).append(value)
    for key, label in [("window", "window shown"), ("today", "Today filled"), ("people", "People filled")]:
        if key in marks["plain"] and key in marks["locked"]:
            rows.append((label, statistics.median(marks["plain"][key]), statistics.median(marks["locked"][key])))

    # The key derivation is the price of the passphrase, paid once per process; the target is for the rest.
    k = statistics.median(kdf)
    print(f"{'':24} {'plain':>9} {'locked':>9}  ratio  without the key derivation (target <= {TARGET}x)")
    for label, a, b in rows:
        ratio, rest = b / a, max(b - k, 0.0) / a
        verdict = "OK" if rest <= TARGET else "OVER TARGET"
        print(f"{label:24} {a:7.0f} ms {b:7.0f} ms  {ratio:.2f}x  {rest:.2f}x  {verdict}")
    print(f"repeat: python -m bench.bench_encrypted --dir {plain} --runs {args.runs}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
