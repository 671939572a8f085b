"""Two-way contact sync of 5,000 cards from a real Radicale on 127.0.0.1: the first sync into an empty
journal, then an incremental sync after 10 cards changed on the server.

    python -m bench.bench_sync [--cards 5000] [--changes 10]

The cards are written straight into Radicale's storage folder before it starts (PUTting 5,000 cards
one by one would time Radicale, not netjournal). Prints both times and what each sync reported.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from netjournal.core.db import open_journal
from netjournal.core.paths import DataDir
from netjournal.core.sync.run import sync_one
from tests.sync.helpers import add_account
from tests.sync.servers import USER, radicale, vcard

GIVEN = ["Zoë", "Łukasz", "Amélie", "Søren", "Mei", "Priya", "José", "Ingrid", "Kwame", "Aiko", "Noor", "Dmitri"]
FAMILY = ["Müller", "Nakamura", "Okafor", "Lindqvist", "García", "Kowalska", "Haddad", "O'Brien", "Rossi", "Chen"]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cards", type=int, default=5000)
    ap.add_argument("--changes", type=int, default=10)
    args = ap.parse_args()
    rnd = random.Random(3)
    now = datetime(2026, 3, 16, 10, 0, tzinfo=UTC)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        server = radicale(root / "radicale")
        book = root / "radicale" / "collections" / "collection-root" / USER / "contacts"
        book.mkdir(parents=True)
        (book / ".Radicale.props").write_text(json.dumps({"tag": "VADDRESSBOOK", "D:displayname": "Contacts"}))
        uids = []
        for i in range(args.cards):
            uid = str(uuid.UUID(int=rnd.getrandbits(128)))
            uids.append(uid)
            name = f"{rnd.choice(GIVEN)} {rnd.choice(FAMILY)} {i}"
            (book / f"{uid}.vcf").write_text(
                vcard(
                    uid,
                    name,
                    email=f"p{i}@example.org",
                    tel=f"+49 30 {100000 + i}",
                    org=rnd.choice(["Acme", "Globex", "Initech", ""]),
                )
            )
        server.start(timeout=120)
        try:
            # Radicale parses every card the first time it lists a collection (its own cache): do that
            # before timing, as a server in use has long done it.
            w0 = time.perf_counter()
            server.list_hrefs(f"/{USER}/contacts/")
            warm = time.perf_counter() - w0
            dd = DataDir(root / "journal").ensure()
            journal = open_journal(dd)
            add_account(journal, server, f"/{USER}/contacts/", now, name="bench")
            t0 = time.perf_counter()
            first = sync_one(journal, "bench", now=now, timeout=600)
            t1 = time.perf_counter()
            assert not first.problem, first.problem
            for i in rnd.sample(range(args.cards), args.changes):
                uid = uids[i]
                card = vcard(uid, f"Changed Person {i}", email=f"p{i}@example.org", tel="+49 30 999")
                server.put_vcard(f"/{USER}/contacts/", f"{uid}.vcf", card)
            t2 = time.perf_counter()
            second = sync_one(journal, "bench", now=now, timeout=600)
            t3 = time.perf_counter()
            assert not second.problem, second.problem
            journal.close()
        finally:
            server.stop()
    print(f"(Radicale's own first listing, not timed below: {warm:.1f} s)")
    print(
        f"first sync of {args.cards} cards: {t1 - t0:.1f} s ({len(first.down_added)} people added, "
        f"{len(first.up_added)} sent up, {len(first.skipped)} skipped)"
    )
    print(
        f"incremental sync after {args.changes} changes: {t3 - t2:.2f} s ({len(second.down_updated)} updated here, "
        f"{len(second.up_updated)} sent up)"
    )


if __name__ == "__main__":
    main()
