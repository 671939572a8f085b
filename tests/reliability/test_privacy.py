"""Nothing exposed: private files whatever the umask, no journal text in logs, no network at all."""

from __future__ import annotations

import os
import re
import socket
import stat
import sys
import tempfile
from pathlib import Path

import pytest

from netjournal.core.backup import backup_to, daily_backup, restore_from
from netjournal.core.db import open_journal
from netjournal.core.drafts import save_draft
from netjournal.core.journal import InteractionData, PersonData, add_commitment, create_person, log_interaction
from netjournal.core.logs import setup_logging
from netjournal.core.models import Direction, Reflection, ReflectionKind
from netjournal.core.paths import DataDir
from tests.conftest import NOW, NetworkAccessError, require, require_tool
from tests.reliability.helpers import nj

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")

SECRETS = ["Quillfeather Marchbanks", "worried-about-the-zebra-budget", "owe-them-the-okapi-deck", "lantern-moth-fear"]


def seed_secrets(dd: DataDir) -> None:
    j = open_journal(dd)
    with j.session() as s:
        p = create_person(s, PersonData(name=SECRETS[0], notes=SECRETS[1]), now=NOW)
        log_interaction(s, [p.id], InteractionData(at=NOW, notes=SECRETS[1]), now=NOW)
        add_commitment(s, p.id, Direction.I_OWE, SECRETS[2], now=NOW)
        s.add(
            Reflection(
                kind=ReflectionKind.REJECTION, occurred_at=NOW, situation=SECRETS[3], created_at=NOW, updated_at=NOW
            )
        )
        save_draft(s, "quicklog", {"note": SECRETS[3]}, now=NOW)
    j.close()


def modes(root: Path) -> dict[str, int]:
    return {str(p.relative_to(root)): stat.S_IMODE(p.stat().st_mode) for p in [root, *root.rglob("*")]}


def assert_private(root: Path) -> None:
    wrong = {
        name: oct(mode) for name, mode in modes(root).items() if mode != (0o700 if (root / name).is_dir() else 0o600)
    }
    assert not wrong, f"not private: {wrong}"


# ------------------------------------------------------------------------------------ permissions


@posix_only
@pytest.mark.parametrize("umask", [0o022, 0o000], ids=["umask022", "umask000"])
def test_everything_netjournal_writes_is_private_whatever_the_umask(tmp_path: Path, umask: int) -> None:
    old = os.umask(umask)
    try:
        dd = DataDir(tmp_path / "journal")
        setup_logging(dd)
        j = open_journal(dd)
        with j.session() as s:
            create_person(s, PersonData(name="Someone", notes="n" * 5000), now=NOW)
        # While the journal is open, its write-ahead log and shared-memory files hold journal text too.
        assert dd.database.with_name("journal.sqlite3-wal").exists()
        assert_private(dd.root)
        j.close()
        daily_backup(dd, now=NOW)
        out = tmp_path / "elsewhere" / "copy.sqlite3"
        out.parent.mkdir()
        backup_to(dd, out)
        assert stat.S_IMODE(out.stat().st_mode) == 0o600
        restore_from(dd, out, now=NOW)
        assert_private(dd.root)
        logging_files = list(dd.logs.iterdir())
        assert logging_files, "the log file exists (and was checked above)"
    finally:
        os.umask(old)
        import logging

        for h in list(logging.getLogger().handlers):
            if type(h).__name__ == "_PrivateRotatingHandler":
                logging.getLogger().removeHandler(h)
                h.close()


@posix_only
def test_the_app_and_commands_create_private_files_even_with_umask_000(tmp_path: Path) -> None:
    def set_umask() -> None:
        os.umask(0o000)

    root = tmp_path / "journal"
    assert nj("--smoke", data_dir=root, preexec=set_umask).returncode == 0  # new journal, log, daily backup
    assert list((root / "backups").glob("daily-*.sqlite3"))
    out = tmp_path / "out.sqlite3"
    assert nj("backup", "-o", str(out), data_dir=root, preexec=set_umask).returncode == 0
    assert nj("restore", str(out), data_dir=root, preexec=set_umask).returncode == 0
    assert_private(root)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


# ------------------------------------------------------------------------------------------- logs


def test_logs_hold_no_journal_text(tmp_path: Path) -> None:
    dd = DataDir(tmp_path / "journal").ensure()
    seed_secrets(dd)
    runs = [
        ["-v", "people", "--json"],
        ["-v", "log", "Quillfeather", "--channel", "coffee", "--note", SECRETS[1]],
        ["-v", "log", SECRETS[2], "--channel", "coffee"],  # nobody of that name: an error path
        ["-v", "backup", "-o", str(tmp_path / "b.sqlite3")],
        ["-v", "--smoke"],
    ]
    for args in runs:
        proc = nj(*args, data_dir=dd.root)
        assert "Traceback" not in proc.stderr, proc.stderr
    text = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in dd.logs.rglob("*") if p.is_file())
    assert "starting" in text, "the log was written (so the check below means something)"
    for secret in [*SECRETS, "Quillfeather", "zebra", "okapi", "lantern"]:
        assert secret.lower() not in text.lower(), f"journal text {secret!r} in the log"


# ---------------------------------------------------------------------------------------- network


def test_the_network_guard_stops_inet_and_lets_local_sockets_through(tmp_path: Path) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s, pytest.raises(NetworkAccessError):
        s.connect(("127.0.0.1", 9))
    with pytest.raises(NetworkAccessError):
        socket.getaddrinfo("example.org", 443)
    if hasattr(socket, "AF_UNIX"):
        path = str(Path(tempfile.mkdtemp()) / "s")
        with socket.socket(socket.AF_UNIX) as server, socket.socket(socket.AF_UNIX) as client:
            server.bind(path)
            server.listen(1)
            client.connect(path)  # allowed


def test_single_instance_local_socket_still_works(qtbot, tmp_path: Path) -> None:
    from netjournal.instance import InstanceServer, ask_running_instance, server_name

    name = server_name(DataDir(tmp_path / "j"))
    server = InstanceServer(name)
    try:
        with qtbot.waitSignal(server.show_requested, timeout=5000):
            assert ask_running_instance(name)
    finally:
        server.server.close()


def test_no_network_connection_at_process_level(tmp_path: Path) -> None:
    """Qt's networking is C++, out of reach of the Python guard: watch the system calls instead."""
    strace = require_tool("strace", "strace")
    dd = DataDir(tmp_path / "journal").ensure()
    seed_secrets(dd)
    trace = tmp_path / "trace"
    runs = [
        ["--smoke"],
        ["log", "Quillfeather", "--channel", "call"],
        ["backup", "-o", str(tmp_path / "b.sqlite3")],
        ["sync"],
    ]
    for i, args in enumerate(runs):
        proc = nj(
            *args,
            data_dir=dd.root,
            wrapper=[strace, "-f", "-qq", "-e", "trace=connect,sendto,sendmsg", "-o", f"{trace}.{i}"],
        )
        permitted = proc.returncode == 0 or "ptrace" not in proc.stderr.lower()
        require(permitted, "strace may not trace processes here", "a container needs the ptrace capability")
        assert proc.returncode == 0, proc.stderr
    calls = "\n".join(p.read_text() for p in tmp_path.glob("trace.*"))
    inet = [line for line in calls.splitlines() if re.search(r"AF_INET6?\b", line)]
    assert inet == [], inet
    assert "AF_UNIX" in calls, "the trace saw the single-instance check (so it was really tracing)"


@posix_only
def test_exports_are_private_and_hold_no_journal_text_in_the_log(tmp_path: Path) -> None:
    from netjournal.core import exporters

    dd = DataDir(tmp_path / "journal").ensure()
    seed_secrets(dd)

    def set_umask() -> None:
        os.umask(0o000)

    for fmt in exporters.FORMATS:
        out = tmp_path / "exports" / f"journal.{fmt}"
        out.parent.mkdir(exist_ok=True)
        proc = nj("-v", "export", "--format", fmt, "-o", str(out), data_dir=dd.root, preexec=set_umask)
        assert proc.returncode == 0, proc.stderr
        assert stat.S_IMODE(out.stat().st_mode) == 0o600, fmt
        assert SECRETS[0] in out.read_text(encoding="utf-8"), "the export holds the journal"
    assert [p.name for p in (tmp_path / "exports").iterdir() if not p.name.startswith("journal.")] == []
    log = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in dd.logs.rglob("*") if p.is_file())
    assert not any(s.lower() in log.lower() for s in SECRETS)


def test_database_errors_never_carry_journal_text(journal) -> None:
    # A bug that trips a constraint ends up in a crash report the user may share: no journal text in it.
    from sqlalchemy.exc import IntegrityError

    from netjournal.core.models import Draft

    with pytest.raises(IntegrityError) as info, journal.session() as s:
        s.add(Draft(key="k", content={"note": SECRETS[1]}, updated_at=NOW))
        s.add(Draft(key="k", content={"note": SECRETS[3]}, updated_at=NOW))
        s.flush()
    assert SECRETS[1] not in str(info.value) and SECRETS[3] not in str(info.value)
