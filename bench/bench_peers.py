"""netjournal beside the tools people use today, whole processes, same data size, same run.

    python -m bench.bench_peers [--dir DIR] [--runs 5] [--no-install] [--keep FOLDER]

Installs the peers (pinned: PEERS) into their own virtualenv, bench/out/peers/, from the package index
(once; --no-install skips them when it is not there). Then, in one temporary folder, never the user's
home or config:

- jrnl: the large journal's 100,000 interactions written as a plain-text jrnl journal (date, topic,
  notes), with a jrnl config naming it; `jrnl -contains "research grant"` beside
  `netjournal search research grant` on the large journal.
- khard: 5,000 vCards (bench/bench_import.make_vcards), one file each in a khard address book folder,
  with a khard.conf; `khard list NAME` beside `netjournal search NAME` on a journal that imported the
  same cards (`netjournal import`, also timed, beside vobject parsing the same file in process).

Each figure is the median wall time of --runs fresh processes and the largest resident size, with
the command to repeat it (--keep FOLDER keeps the data there, so the printed commands can be run
again). Ratios above 1 mean netjournal is faster.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"
PEER_VENV = OUT / "peers"
PEERS = ["jrnl==4.6", "khard==0.22.0"]
LARGE = OUT / "large"
SEARCH_WORDS = "research grant"
CONTACT_QUERY = "Amélie Nowak"


def ensure_peers(install: bool) -> Path | None:
    """The peers' bin folder, installing them first if needed (None when they are not there)."""
    bin_dir = PEER_VENV / "bin"
    if (bin_dir / "jrnl").exists() and (bin_dir / "khard").exists():
        return bin_dir
    if not install:
        return None
    print(f"installing {' '.join(PEERS)} into {PEER_VENV} …", flush=True)
    venv.EnvBuilder(with_pip=True, clear=True).create(PEER_VENV)
    subprocess.run([str(bin_dir / "pip"), "install", "--quiet", *PEERS], check=True)
    return bin_dir


def timed(cmd: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float, str]:
    """(wall ms, peak resident MB, stdout) of one fresh process; fails loudly on a non-zero exit.

    The peak memory comes from GNU time (`-f %M`, in kB) when it is installed, else it reads 0.
    """
    gnu_time = Path("/usr/bin/time")
    full = [str(gnu_time), "-f", "maxrss-kb %M", *cmd] if gnu_time.exists() else cmd
    start = time.perf_counter()
    res = subprocess.run(full, env=env, cwd=cwd, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=600)
    wall = (time.perf_counter() - start) * 1000
    if res.returncode != 0:
        raise SystemExit(f"{shlex.join(cmd)} failed ({res.returncode}):\n{res.stderr[-2000:]}")
    rss = [line.split()[1] for line in res.stderr.splitlines() if line.startswith("maxrss-kb ")]
    return wall, (int(rss[-1]) / 1024 if rss else 0.0), res.stdout


def measure(cmd: list[str], env: dict[str, str], cwd: Path, runs: int) -> tuple[float, float, str]:
    """Median wall ms over `runs` fresh processes (after one warm-up), the largest peak MB, the output."""
    timed(cmd, env, cwd)  # warm the file cache
    results = [timed(cmd, env, cwd) for _ in range(runs)]
    return statistics.median(r[0] for r in results), max(r[1] for r in results), results[-1][2]


def write_jrnl(folder: Path, database: Path) -> Path:
    """The large journal's interactions as a jrnl journal and config; returns the config file."""
    import sqlite3

    journal = folder / "journal.txt"
    con = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        rows = con.execute("SELECT at, topics, notes FROM interactions ORDER BY at").fetchall()
    finally:
        con.close()
    with journal.open("w", encoding="utf-8") as fh:
        for at, topics, notes in rows:
            fh.write(f"[{str(at)[:16]}] {topics or 'Met up'}.\n{notes}\n\n")
    config = folder / "jrnl.yaml"
    config.write_text(
        "colors: {body: none, date: none, tags: none, title: none}\n"
        "default_hour: 9\ndefault_minute: 0\neditor: ''\nencrypt: false\nhighlight: false\n"
        "indent_character: '|'\n"
        f"journals:\n  default:\n    journal: {journal}\n"
        "linewrap: 79\ntagsymbols: '#@'\ntemplate: false\ntimeformat: '%Y-%m-%d %H:%M'\nversion: v4.6\n",
        encoding="utf-8",
    )
    return config


def write_khard(folder: Path, vcf: Path) -> Path:
    """One .vcf per card in a khard address book folder, and a khard.conf; returns the config file."""
    book = folder / "contacts"
    book.mkdir()
    text = vcf.read_text(encoding="utf-8")
    for i, card in enumerate(text.split("BEGIN:VCARD")[1:]):
        (book / f"card-{i:05d}.vcf").write_text("BEGIN:VCARD" + card.rstrip() + "\r\n", encoding="utf-8")
    config = folder / "khard.conf"
    config.write_text(
        f"[addressbooks]\n[[bench]]\npath = {book}\n\n"
        "[general]\ndebug = no\ndefault_action = list\neditor = true\nmerge_editor = true\n\n"
        "[contact table]\ndisplay = formatted_name\nsort = last_name\nshow_uids = no\n",
        encoding="utf-8",
    )
    return config


def vobject_parse_ms(vcf: Path, runs: int) -> float:
    import vobject

    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        n = sum(1 for _ in vobject.readComponents(vcf.read_text(encoding="utf-8")))
        times.append((time.perf_counter() - t0) * 1000)
    assert n > 0
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=LARGE, help="the generated large journal (bench/out/large)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--import-runs", type=int, default=3)
    parser.add_argument("--no-install", action="store_true", help="do not install the peers if they are missing")
    parser.add_argument("--keep", type=Path, help="write the peers' data here and keep it (default: a temp folder)")
    args = parser.parse_args(argv)
    from bench.bench_import import make_vcards

    peers = ensure_peers(not args.no_install)
    if peers is None:
        print("peers not installed (run without --no-install); skipped")
        return 0
    database = args.dir / "journal.sqlite3"
    if not database.exists():
        raise SystemExit(f"no generated journal in {args.dir} (python -m bench.run generates it)")
    nj = [sys.executable, "-m", "netjournal"]
    rows: list[tuple[str, float, float, str, float, float, str]] = []
    if args.keep is not None:
        shutil.rmtree(args.keep, ignore_errors=True)
        args.keep.mkdir(parents=True)
    with contextlib.ExitStack() as stack:
        tmp = args.keep or Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="netjournal-peers-")))
        # The peers must never read or write the user's own config or data: a fresh home for all.
        env = dict(os.environ, HOME=str(tmp), XDG_CONFIG_HOME=str(tmp / "config"), XDG_DATA_HOME=str(tmp / "data"))
        env.pop("NETJOURNAL_DATA_DIR", None)
        env.pop("KHARD_CONFIG", None)
        jrnl_conf = write_jrnl(tmp, database)
        vcf = tmp / "contacts.vcf"
        make_vcards(vcf, 5000, 3)
        khard_conf = write_khard(tmp, vcf)
        # The import, whole processes, beside vobject parsing the same file in this process, alternating
        # (medians): into a journal that exists (empty; created first) and into a folder with no journal
        # yet (creating it, every migration, is part of that figure).
        imports, fresh, parses = [], [], []
        for i in range(args.import_runs):
            into = tmp / f"nj-contacts-{i}"
            subprocess.run([*nj, "--data-dir", str(into), "people"], env=env, cwd=tmp, check=True, capture_output=True)
            imp_cmd = [*nj, "--data-dir", str(into), "import", str(vcf)]
            t0 = time.perf_counter()
            subprocess.run(imp_cmd, env=env, cwd=tmp, check=True, capture_output=True)
            imports.append((time.perf_counter() - t0) * 1000)
            parses.append(vobject_parse_ms(vcf, 1))
            new_cmd = [*nj, "--data-dir", str(tmp / f"nj-new-{i}"), "import", str(vcf)]
            t0 = time.perf_counter()
            subprocess.run(new_cmd, env=env, cwd=tmp, check=True, capture_output=True)
            fresh.append((time.perf_counter() - t0) * 1000)
        contacts_dir = tmp / "nj-contacts-0"
        import_ms, fresh_ms, parse_ms = (statistics.median(x) for x in (imports, fresh, parses))

        nj_search = [*nj, "--data-dir", str(args.dir), "search", *SEARCH_WORDS.split()]
        jrnl_search = [str(peers / "jrnl"), "--config-file", str(jrnl_conf), "-contains", SEARCH_WORDS, "-n", "50"]
        a_ms, a_mb, _ = measure(nj_search, env, tmp, args.runs)
        b_ms, b_mb, _ = measure(jrnl_search, env, tmp, args.runs)
        rows.append(("search 100,000 entries", a_ms, a_mb, shlex.join(nj_search), b_ms, b_mb, shlex.join(jrnl_search)))

        nj_contacts = [*nj, "--data-dir", str(contacts_dir), "search", *CONTACT_QUERY.split()]
        khard_list = [str(peers / "khard"), "-c", str(khard_conf), "list", CONTACT_QUERY]
        a_ms, a_mb, a_out = measure(nj_contacts, env, tmp, args.runs)
        b_ms, b_mb, b_out = measure(khard_list, env, tmp, args.runs)
        rows.append(("search 5,000 contacts", a_ms, a_mb, shlex.join(nj_contacts), b_ms, b_mb, shlex.join(khard_list)))
        found_nj = sum(1 for line in a_out.splitlines() if line.startswith("Person"))
        found_khard = sum(1 for line in b_out.splitlines() if "Nowak" in line)

        kept = "kept" if args.keep else "removed afterwards; --keep FOLDER keeps it"
        print(f"data: {tmp} ({kept}); medians of {args.runs} fresh processes after a warm-up each")
        print(f"{'what':<26} {'netjournal':>16} {'peer':>22} {'peer / netjournal':>18}")
        for (what, a_ms, a_mb, a_cmd, b_ms, b_mb, b_cmd), peer in zip(rows, ("jrnl 4.6", "khard 0.22"), strict=True):
            ratio = b_ms / a_ms
            print(f"{what:<26} {a_ms:8.0f} ms {a_mb:4.0f} MB {peer:>10} {b_ms:5.0f} ms {b_mb:4.0f} MB {ratio:13.1f}x")
            print(f"    netjournal: {a_cmd}\n    {peer}: {b_cmd}")
        print(f"    ('{CONTACT_QUERY}': netjournal listed {found_nj} people, khard {found_khard} lines)")
        n = args.import_runs
        print(
            f"import 5,000 vCards, whole process (median of {n}): {import_ms:6.0f} ms into an empty journal, "
            f"{fresh_ms:6.0f} ms creating the journal too; vobject parse in process: {parse_ms:6.0f} ms"
        )
        print(
            f"ratio import / vobject parse: {import_ms / parse_ms:.2f}x (target <= 2x); "
            f"creating the journal too: {fresh_ms / parse_ms:.2f}x"
        )
        print(f"    netjournal: {shlex.join(imp_cmd)}   (the journal created first: netjournal --data-dir … people)")
        print(f"    netjournal: {shlex.join(new_cmd)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
