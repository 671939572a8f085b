"""Import of 5,000 vCards against vobject parsing the same file alone, both in this process.

The whole-process figure (`netjournal import`, target at most 2x the parse) is in bench/bench_peers.py.

    python -m bench.bench_import [--cards 5000] [--seed 3]

Writes a realistic file (non-ASCII names, e-mails, phones, organisations, addresses, notes,
birthdays), then times, in the same run: (a) `vobject.readComponents` over the whole file,
(b) `netjournal.core.importers.run_import` into an empty journal (reading, checking, matching,
writing and indexing for search, in one transaction). Prints both and the ratio. Then a calendar
(.ics) of --meetings meetings, each with one of those people as attendee, imported into that journal.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import vobject

from netjournal.core.db import open_journal
from netjournal.core.importers import run_import
from netjournal.core.paths import DataDir

GIVEN = [
    "Zoë",
    "Łukasz",
    "Amélie",
    "Søren",
    "Mei",
    "Priya",
    "José",
    "Ingrid",
    "Kwame",
    "Aiko",
    "Noor",
    "Dmitri",
    "Fatima",
    "Björn",
    "Chloé",
    "Oğuz",
    "Ana",
    "Jonas",
    "Hana",
    "Rafael",
]
FAMILY = [
    "Ångström",
    "Nowak",
    "Dubois",
    "Kierkegaard",
    "Chen",
    "Raman",
    "García",
    "Müller",
    "Mensah",
    "山田",
    "Haddad",
    "Ivanov",
    "Al-Sayed",
    "Šimůnek",
    "O'Neill",
    "Lindqvist",
    "Kowalczyk",
    "Yılmaz",
    "Silva",
    "Park",
]
ORGS = [
    "Nordlicht GmbH",
    "Société Générale",
    "Kraków Labs",
    "Acme, Inc.",
    "Ørsted",
    "Universidad de Málaga",
    "Globex",
    "Initech",
    "Tōkyō Design Studio",
    "Café Ümlaut",
]
ROLES = ["Data Engineer", "Head of Growth", "Product Designer", "CTO", "Researcher", "Recruiter", "Lecturer"]


def make_vcards(path: Path, cards: int, seed: int) -> None:
    rng = random.Random(seed)
    out = []
    for i in range(cards):
        g, f = rng.choice(GIVEN), rng.choice(FAMILY)
        lines = [
            "BEGIN:VCARD",
            "VERSION:3.0",
            f"FN:{g} {f} {i}",
            f"N:{f};{g};;;",
            f"EMAIL;TYPE=INTERNET;TYPE=WORK:{i}.{rng.randint(0, 99999)}@example{rng.randint(1, 50)}.org",
            f"TEL;TYPE=CELL:+44 7700 {900000 + i}",
            f"ORG:{rng.choice(ORGS).replace(',', chr(92) + ',')}",
            f"TITLE:{rng.choice(ROLES)}",
        ]
        if rng.random() < 0.5:
            lines.append(f"EMAIL;TYPE=INTERNET;TYPE=HOME:{g.lower()}.{i}@mail.example")
        if rng.random() < 0.4:
            lines.append(f"ADR;TYPE=WORK:;;{rng.randint(1, 200)} Hauptstraße;Köln;NRW;50667;Deutschland")
        if rng.random() < 0.3:
            lines.append(f"BDAY:19{rng.randint(50, 99)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}")
        if rng.random() < 0.5:
            lines.append("NOTE:Met at the meetup\\, talked about climbing and cities. Follow up in spring.")
        lines += [f"UID:bench-{i}", "END:VCARD"]
        out.append("\r\n".join(lines))
    path.write_text("\r\n".join(out) + "\r\n", encoding="utf-8")


def make_meetings(path: Path, vcf: Path, meetings: int) -> None:
    """A calendar export: one meeting every three hours, each with a different person from `vcf` attending."""
    emails = [
        line.split(":", 1)[1] for line in vcf.read_text(encoding="utf-8").splitlines() if line.startswith("EMAIL")
    ]
    start = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    out = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//netjournal bench//EN"]
    for i in range(meetings):
        at = start + timedelta(hours=3 * i)
        out += [
            "BEGIN:VEVENT",
            f"UID:bench-meeting-{i}",
            "DTSTAMP:20260101T000000Z",
            f"DTSTART:{at:%Y%m%dT%H%M%SZ}",
            f"DTEND:{at + timedelta(minutes=30):%Y%m%dT%H%M%SZ}",
            f"SUMMARY:Coffee {i}",
            "ORGANIZER:mailto:me@example.org",
            f"ATTENDEE;CN=Guest:mailto:{emails[i % len(emails)]}",
            "END:VEVENT",
        ]
    out.append("END:VCALENDAR")
    path.write_text("\r\n".join(out) + "\r\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="import benchmark")
    parser.add_argument("--cards", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--meetings", type=int, default=2000)
    args = parser.parse_args(argv)
    now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    with tempfile.TemporaryDirectory() as tmp:
        vcf = Path(tmp) / "contacts.vcf"
        make_vcards(vcf, args.cards, args.seed)
        ics = Path(tmp) / "meetings.ics"
        make_meetings(ics, vcf, args.meetings)
        parse_times, import_times, again_times, meeting_times = [], [], [], []
        for r in range(args.repeat):
            t0 = time.perf_counter()
            n = sum(1 for _ in vobject.readComponents(vcf.read_text(encoding="utf-8")))
            parse_times.append(time.perf_counter() - t0)
            assert n == args.cards
            journal = open_journal(DataDir(Path(tmp) / f"j{r}").ensure())
            t0 = time.perf_counter()
            report = run_import(journal, [vcf], now=now)
            import_times.append(time.perf_counter() - t0)
            assert report.created == args.cards, report.created
            t0 = time.perf_counter()
            again = run_import(journal, [vcf], now=now)
            again_times.append(time.perf_counter() - t0)
            assert again.created == 0 and again.skipped == args.cards
            t0 = time.perf_counter()
            met = run_import(journal, [ics], now=now)
            meeting_times.append(time.perf_counter() - t0)
            assert met.created == args.meetings, met.created
            journal.close()
        parse, full = statistics.median(parse_times), statistics.median(import_times)
        print(f"{args.cards} vCards ({vcf.stat().st_size / 1e6:.1f} MB), median of {args.repeat} runs")
        print(f"  vobject parse only : {parse:7.2f} s")
        print(f"  netjournal import  : {full:7.2f} s  (into an empty journal, one transaction)")
        print(f"  ratio              : {full / parse:7.2f}x  (in process; whole process: bench_peers)")
        print(f"  same file again    : {statistics.median(again_times):7.2f} s  (everyone recognised, nothing new)")
        print(
            f"  {args.meetings} meetings (.ics): {statistics.median(meeting_times):7.2f} s  (each linked to its person)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
