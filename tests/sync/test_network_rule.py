"""The network rule with an account, at process level: `netjournal sync` connects to the account's host and
port and nowhere else (no DNS, no proxy, no service discovery). Without an account, see
tests/reliability/test_privacy.py (it runs `netjournal sync` too)."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from netjournal.core.db import Journal
from tests.conftest import require, require_tool
from tests.reliability.helpers import nj
from tests.sync.helpers import add_account
from tests.sync.servers import Server, vcard


def test_sync_connects_only_to_the_accounts_host(
    radicale_server: Server, journal: Journal, now: datetime, tmp_path: Path
) -> None:
    strace = require_tool("strace", "strace")
    book = radicale_server.make_addressbook()
    radicale_server.put_vcard(book, "a.vcf", vcard("u-a", "Ana Müller", email="ana@acme.example"))
    add_account(journal, radicale_server, book, now)
    journal.close()
    trace = tmp_path / "trace"
    proc = nj(
        "sync",
        data_dir=journal.data_dir.root,
        wrapper=[strace, "-f", "-qq", "-e", "trace=connect,sendto,sendmsg", "-o", str(trace)],
    )
    require(
        proc.returncode == 0 or "ptrace" not in proc.stderr.lower(),
        "strace may not trace processes here",
        "a container needs the ptrace capability",
    )
    assert proc.returncode == 0, proc.stderr
    assert "1 new here: Ana Müller" in proc.stdout
    inet = [line for line in trace.read_text().splitlines() if re.search(r"AF_INET6?\b", line)]
    assert inet, "the trace saw the sync's connection (so it was really tracing)"
    where = {
        m for line in inet for m in re.findall(r'sin6?_port=htons\((\d+)\).*?inet_(?:addr|pton)\([^"]*"([^"]+)"', line)
    }
    assert where == {(str(radicale_server.port), "127.0.0.1")}, inet
