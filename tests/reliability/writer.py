"""Crash-safety harness: a writer process that is killed with SIGKILL in the middle of its work.

A *zygote* process imports netjournal once and then, for each `go SEED` line on its stdin, forks a
child that opens the journal and writes to it in many small transactions (people, quick logs,
promises, reflections, drafts, and multi-row "bundles"). The child prints one acknowledgement line
to stdout only AFTER `journal.session()` has committed. The driver (`run_worker`) SIGKILLs the child
as soon as it has read the child's N-th acknowledgement (N drawn from a seed, so a campaign does the
same work on a busy machine as on an idle one), waits until it is gone, then checks the journal:

- `PRAGMA integrity_check` is ok;
- `open_journal` opens it normally, and a write through it works;
- every acknowledged write is present, with its text;
- every multi-row transaction is there completely or not at all.

Forking from a warm zygote makes a kill cost milliseconds instead of a fresh interpreter start, so a
few hundred kills fit in the test suite. `bench/crash_kill.py` runs longer campaigns
(and `--fresh` starts a new interpreter for every kill).

Run the zygote by hand: `python -m tests.reliability.writer serve DATA_DIR`.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

_OPEN_LOCK = threading.Lock()

# Each bundle transaction writes this many rows of each kind, all carrying the bundle's token.
BUNDLE_SHAPE = {"people": 1, "interactions": 3, "commitments": 1, "reflections": 1}
IMPORT_SIZE = 3  # people per imported file
ACK_KINDS = ("person", "interaction", "commitment", "reflection", "draft", "bundle", "import")


# --------------------------------------------------------------------------------------- the child


def _ack(line: str) -> None:
    os.write(1, (line + "\n").encode())  # one write(): atomic on a pipe, never buffered in the process


def write_until_killed(
    root: Path, seed: int, *, max_seconds: float = 20.0, max_ops: int = 10**9, ack: Callable[[str], None] = _ack
) -> None:
    """Open the journal and write small transactions until killed (or max_seconds / max_ops pass)."""
    _ack = ack
    from sqlalchemy import func, select

    from netjournal.core.db import open_journal
    from netjournal.core.drafts import save_draft
    from netjournal.core.journal import InteractionData, PersonData, add_commitment, create_person, log_interaction
    from netjournal.core.models import Channel, Direction, Person, Reflection, ReflectionKind
    from netjournal.core.paths import DataDir

    try:
        from netjournal.core.importers import run_import
    except ImportError:  # importers not on this branch yet
        run_import = None

    rng = random.Random(seed)
    journal = open_journal(DataDir(root))
    scratch = Path(root) / f"import-{seed}"
    _ack("open")
    now = datetime(2026, 3, 16, 10, 0, tzinfo=UTC)
    deadline = time.monotonic() + max_seconds
    n = 0

    def some_person(s) -> int:  # type: ignore[no-untyped-def]
        top = s.scalar(select(func.max(Person.id)))
        if top:
            pid = s.scalar(select(Person.id).where(Person.id >= rng.randint(1, top)).limit(1))
            if pid is not None:
                return int(pid)
        return create_person(s, PersonData(name=f"Someone {seed}"), now=now).id

    def text(tok: str) -> str:
        # Mostly short notes, sometimes long ones, so the WAL fills and checkpoints during the run.
        size = rng.choice((0, 40, 200, 2000, 10_000))
        return f"{tok} " + "ü" * size

    def reflection(s, tok: str, pid: int | None) -> int:  # type: ignore[no-untyped-def]
        r = Reflection(
            kind=ReflectionKind.REJECTION,
            occurred_at=now,
            person_id=pid,
            title=f"asked {tok}",
            situation=text(tok),
            predicted_suds=rng.randint(0, 100),
            data={"token": tok, "other_explanations": ["they are busy", "it got buried", "bad week"]},
            created_at=now,
            updated_at=now,
        )
        s.add(r)
        s.flush()
        return r.id

    while time.monotonic() < deadline and n < max_ops:
        n += 1
        tok = f"t{seed}x{n}"
        weights = (2, 4, 1, 2, 3, 2, 2 if run_import is not None else 0)
        op = rng.choices(ACK_KINDS, weights)[0]
        when = now - timedelta(minutes=n)
        if op == "person":
            with journal.session() as s:
                pid = create_person(s, PersonData(name=f"Person {tok}", notes=text(tok)), now=now).id
            _ack(f"person {pid} {tok}")
        elif op == "interaction":
            with journal.session() as s:
                iid = log_interaction(
                    s, [some_person(s)], InteractionData(at=when, channel=Channel.COFFEE, notes=text(tok)), now=now
                ).id
            _ack(f"interaction {iid} {tok}")
        elif op == "commitment":
            with journal.session() as s:
                cid = add_commitment(s, some_person(s), Direction.I_OWE, f"send {tok}", now=now).id
            _ack(f"commitment {cid} {tok}")
        elif op == "reflection":
            with journal.session() as s:
                rid = reflection(s, tok, None)
            _ack(f"reflection {rid} {tok}")
        elif op == "draft":
            key = f"quicklog:{seed % 3}"
            with journal.session() as s:
                save_draft(s, key, {"seq": n, "seed": seed, "note": text(tok)}, now=now)
            _ack(f"draft {key} {seed}:{n}")
        elif op == "import":
            # A small vCard file, imported in one transaction like File > Import does.
            cards = "".join(
                f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Imp {tok} {k}\r\nEMAIL:imp.{tok}.{k}@example.org\r\n"
                f"NOTE:{text(tok)}\r\nEND:VCARD\r\n"
                for k in range(IMPORT_SIZE)
            )
            scratch.write_text(cards, encoding="utf-8")
            assert run_import is not None
            run_import(journal, [scratch], now=now)
            _ack(f"import {IMPORT_SIZE} {tok}")
        else:
            btok = f"bundle:{tok}"
            with journal.session() as s:
                pid = create_person(s, PersonData(name=f"Bundle {tok}", notes=btok), now=now).id
                for k in range(BUNDLE_SHAPE["interactions"]):
                    log_interaction(
                        s, [pid], InteractionData(at=when, channel=Channel.CALL, notes=f"{btok} {k}"), now=now
                    )
                add_commitment(s, pid, Direction.THEY_OWE, f"{btok} intro", now=now)
                reflection(s, btok, pid)
            _ack(f"bundle {pid} {btok}")
    journal.close()


def serve(root: Path) -> None:
    """The zygote: fork one writer per `go SEED` line; report `pid N` and, when it is gone, `exit N CODE`."""
    import shutil
    import tempfile

    # Warm up once (imports, Alembic scripts, SQLAlchemy's statement caches) so that every forked
    # child starts writing within milliseconds, and kills land mostly in the middle of real work.
    scratch = Path(tempfile.mkdtemp(prefix="netjournal-warm-"))
    try:
        write_until_killed(scratch, 0, max_ops=60, ack=lambda _line: None)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    for line in sys.stdin:
        parts = line.split()
        if not parts or parts[0] != "go":
            continue
        seed = int(parts[1])
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                write_until_killed(root, seed)
            except BaseException as exc:  # a bug: say so, the driver counts it as a failure
                _ack(f"error {type(exc).__name__}: {exc}".replace("\n", " ")[:3000])
                code = 3
            os._exit(code)
        _ack(f"pid {pid}")
        _, status = os.waitpid(pid, 0)
        _ack(f"exit {pid} {status}")


# -------------------------------------------------------------------------------------- the driver


@dataclass
class Tally:
    kills: int = 0
    finished_unkilled: int = 0
    acks: int = 0
    bundles: int = 0
    imports: int = 0
    lost: list[str] = field(default_factory=list)  # acknowledged writes missing after a kill
    problems: list[str] = field(default_factory=list)  # integrity, open, half-written, child errors

    def add(self, other: Tally) -> None:
        self.kills += other.kills
        self.finished_unkilled += other.finished_unkilled
        self.acks += other.acks
        self.bundles += other.bundles
        self.imports += other.imports
        self.lost += other.lost
        self.problems += other.problems


def check_journal(root: Path, acks: list[str]) -> tuple[list[str], list[str]]:  # noqa: C901  (one check per invariant of the journal)
    """Check a killed journal. Returns (lost acknowledged writes, other problems)."""
    from netjournal.core.db import open_journal
    from netjournal.core.drafts import load_draft, save_draft
    from netjournal.core.paths import DataDir

    db = root / "journal.sqlite3"
    lost: list[str] = []
    problems: list[str] = []
    con = sqlite3.connect(db)
    try:
        ic = con.execute("PRAGMA integrity_check").fetchall()
        if ic != [("ok",)]:
            problems.append(f"integrity_check: {ic[:3]}")
        for ack in acks:
            kind, ident, tok = ack.split(" ", 2)
            if kind == "draft":
                continue
            if kind == "import":
                (n,) = con.execute("SELECT count(*) FROM people WHERE name LIKE ?", (f"Imp {tok} %",)).fetchone()
                if n != int(ident):
                    lost.append(f"{ack} (found {n})")
                continue
            table, column = {
                "person": ("people", "notes"),
                "interaction": ("interactions", "notes"),
                "commitment": ("commitments", "text"),
                "reflection": ("reflections", "situation"),
                "bundle": ("people", "notes"),
            }[kind]
            row = con.execute(f"SELECT {column} FROM {table} WHERE id = ?", (int(ident),)).fetchone()
            if kind == "commitment":
                ok = row is not None and row[0] == f"send {tok}"
            else:
                ok = row is not None and (row[0] == tok or row[0].startswith(tok + " "))
            if not ok:
                lost.append(ack)
        # Multi-row transactions: all of a bundle, or none of it.
        counts: dict[str, dict[str, int]] = {}
        for table, column in (
            ("people", "notes"),
            ("interactions", "notes"),
            ("commitments", "text"),
            ("reflections", "situation"),
        ):
            for (value,) in con.execute(f"SELECT {column} FROM {table} WHERE {column} LIKE 'bundle:%'"):
                tok = value.split(" ")[0]
                counts.setdefault(tok, {}).setdefault(table, 0)
                counts[tok][table] += 1
        for tok, shape in counts.items():
            if shape != BUNDLE_SHAPE:
                problems.append(f"half-written transaction {tok}: {shape}")
        imported: dict[str, int] = {}
        for (name,) in con.execute("SELECT name FROM people WHERE name LIKE 'Imp %'"):
            imported[name.split(" ")[1]] = imported.get(name.split(" ")[1], 0) + 1
        for tok, n in imported.items():
            if n != IMPORT_SIZE:
                problems.append(f"half-imported file {tok}: {n} of {IMPORT_SIZE} people")
    finally:
        con.close()
    try:
        with _OPEN_LOCK:  # Alembic keeps module-level state: one open_journal at a time per process
            journal = open_journal(DataDir(root))
    except Exception as exc:
        problems.append(f"open_journal: {type(exc).__name__}: {exc}")
        return lost, problems
    try:
        now = datetime(2026, 3, 16, 10, 0, tzinfo=UTC)
        with journal.session() as s:
            save_draft(s, "crash-check", {"ok": True}, now=now)  # the journal still takes writes
        with journal.read() as s:
            for key, (seed, seq) in _latest_drafts(acks).items():
                got = load_draft(s, key)
                # The latest acknowledged draft, or a newer one written just before the kill.
                if got is None or (int(got["seed"]), int(got["seq"])) < (seed, seq):
                    lost.append(f"draft {key} {seed}:{seq} (found {got and (got['seed'], got['seq'])})")
    finally:
        journal.close()
    return lost, problems


def _latest_drafts(acks: list[str]) -> dict[str, tuple[int, int]]:
    latest: dict[str, tuple[int, int]] = {}
    for ack in acks:
        kind, key, val = ack.split(" ", 2)
        if kind == "draft":
            seed, seq = (int(x) for x in val.split(":"))
            latest[key] = max(latest.get(key, (seed, seq)), (seed, seq))
    return latest


class Child:
    """One writer as the driver sees it: its output line by line, then its wait() status."""

    pid: int
    status: int = 0  # set once next_line() has returned None

    def next_line(self) -> str | None:
        """The writer's next line; None once it is gone."""
        raise NotImplementedError


class Zygote:
    """One serve() process, driven over its stdin/stdout."""

    def __init__(self, root: Path, python: str = sys.executable) -> None:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
        self.proc = subprocess.Popen(
            [python, "-m", "tests.reliability.writer", "serve", str(root)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
            cwd=ROOT,
            env=env,
        )

    def readline(self) -> str:
        assert self.proc.stdout
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("the writer zygote ended unexpectedly")
        return line.rstrip("\n")

    def go(self, seed: int) -> tuple[Child, list[str]]:
        """Fork one writer; returns it and the lines it wrote before the zygote reported its pid."""
        assert self.proc.stdin
        self.proc.stdin.write(f"go {seed}\n")
        self.proc.stdin.flush()
        early: list[str] = []
        while not (line := self.readline()).startswith("pid "):
            early.append(line)
        return _ForkedChild(self, int(line.split()[1])), early

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        self.proc.wait(timeout=30)


class _ForkedChild(Child):
    def __init__(self, zygote: Zygote, pid: int) -> None:
        self.zygote, self.pid, self.gone = zygote, pid, False

    def next_line(self) -> str | None:
        if self.gone:
            return None
        line = self.zygote.readline()
        if line.startswith(f"exit {self.pid} "):
            self.gone, self.status = True, int(line.split()[2])
            return None
        return line


class _FreshChild(Child):
    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.proc, self.pid = proc, proc.pid

    def next_line(self) -> str | None:
        assert self.proc.stdout
        line = self.proc.stdout.readline()
        if line:
            return line.rstrip("\n")
        rc = self.proc.wait()
        self.status = (-rc) if rc < 0 else (rc << 8)  # back to a wait() status
        return None


def _is_ack(line: str) -> bool:
    return line.split(" ", 1)[0] in ACK_KINDS


def run_worker(
    root: Path,
    kills: int,
    seed: int,
    *,
    max_acks: int = 4,
    check_every: int = 1,
    spawn: Callable[[Path, int], Child] | None = None,
) -> Tally:
    """Kill `kills` writers on one journal folder, checking the journal after each kill.

    Each kill comes right after the writer's N-th acknowledged write (N from 1 to `max_acks`, drawn
    from `seed`), while it is in the middle of its next transaction; one writer in five is killed as
    soon as it exists, while it is still opening the journal. Counting acknowledgements instead of
    waiting a random time makes the work done per kill the same on an idle machine and a busy one.
    """
    from netjournal.core.db import open_journal
    from netjournal.core.paths import DataDir

    with _OPEN_LOCK:
        open_journal(DataDir(root)).close()  # created (and migrated) before the first writer starts
    rng = random.Random(seed)
    tally = Tally()
    all_acks: list[str] = []
    zygote = Zygote(root) if spawn is None else None
    try:
        for k in range(kills):
            child_seed = seed * 100_000 + k
            lines: list[str] = []
            if zygote is not None:
                child, lines = zygote.go(child_seed)
            else:
                assert spawn is not None
                child = spawn(root, child_seed)
            wanted = rng.randint(1, max_acks) if rng.random() < 0.8 else 0
            seen = sum(map(_is_ack, lines))
            while seen < wanted and (line := child.next_line()) is not None:
                lines.append(line)
                seen += _is_ack(line)
                if line.startswith("error "):
                    break
            with contextlib.suppress(ProcessLookupError):
                os.kill(child.pid, signal.SIGKILL)
            while (line := child.next_line()) is not None:
                lines.append(line)
            killed = os.WIFSIGNALED(child.status) and os.WTERMSIG(child.status) == signal.SIGKILL
            tally.kills += killed
            tally.finished_unkilled += not killed
            for line in lines:
                if line.startswith("error "):
                    tally.problems.append(f"writer {child_seed}: {line}")
            acks = [ln for ln in lines if _is_ack(ln)]
            tally.acks += len(acks)
            tally.bundles += sum(a.startswith("bundle ") for a in acks)
            tally.imports += sum(a.startswith("import ") for a in acks)
            all_acks += acks
            if (k + 1) % check_every == 0 or k == kills - 1:
                # Every write acknowledged so far, by any earlier writer, must still be there.
                lost, problems = check_journal(root, all_acks if k == kills - 1 else acks)
                tally.lost += lost
                tally.problems += problems
    finally:
        if zygote is not None:
            zygote.close()
    return tally


def fresh_spawn(root: Path, seed: int) -> Child:
    """A new interpreter for one writer (slower, but nothing shared with a warm parent)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.reliability.writer", "child", str(root), str(seed)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=env,
    )
    return _FreshChild(proc)


def campaign(base: Path, kills: int, workers: int, seed: int = 1, **kw: object) -> Tally:
    """Spread `kills` over `workers` journal folders run side by side (one folder reused per worker)."""
    per = [kills // workers + (1 if i < kills % workers else 0) for i in range(workers)]
    results: list[Tally] = [Tally() for _ in range(workers)]
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            root = base / f"journal-{i}"
            results[i] = run_worker(root, per[i], seed * 10 + i, **kw)  # type: ignore[arg-type]
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    total = Tally()
    for r in results:
        total.add(r)
    return total


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        serve(Path(sys.argv[2]))
    elif sys.argv[1] == "child":  # child ROOT SEED [MAX_OPS]
        max_ops = int(sys.argv[4]) if len(sys.argv) > 4 else 10**9
        try:
            write_until_killed(Path(sys.argv[2]), int(sys.argv[3]), max_ops=max_ops)
        except Exception as exc:
            _ack(f"error {type(exc).__name__}: {exc}".replace("\n", " ")[:3000])
            sys.exit(3)
