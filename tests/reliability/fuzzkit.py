"""Mangling real contact and calendar files, and checking what the importer does with each one.

Used by tests/reliability/test_fuzz_importers.py (hypothesis drives the choices) and
bench/fuzz_import.py (a plain random generator, many more payloads).

For every payload the journal starts as a copy of the same baseline. The importer may accept the
file (it was still readable) or refuse it with a NetjournalError naming the file (and the record,
when one record is at fault). Anything else is a failure: another exception (a crash), a refusal
that changed the journal (something half-written or lost), or a refusal that does not say where.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from netjournal.core.db import open_journal
from netjournal.core.errors import NetjournalError
from netjournal.core.paths import DataDir
from tests.conftest import CORPUS, NOW
from tests.reliability.helpers import table_dump

FORMATS = ("vcard", "csv", "ics")


def corpus_files() -> list[Path]:
    return sorted(p for fmt in FORMATS for p in (CORPUS / fmt).glob("*") if p.is_file())


def fmt_of(path: Path) -> str:
    return path.parent.name


# ------------------------------------------------------------------------------------ mutations
# Each takes the original bytes and a `pick(low, high)` source of integers (hypothesis or random).

Pick = Callable[[int, int], int]

ENCODINGS = ("latin-1", "cp1252", "utf-16-le", "utf-16", "utf-32", "shift_jis", "mac_roman", "utf-8-sig")


def truncate(raw: bytes, pick: Pick) -> bytes:
    return raw[: pick(0, max(0, len(raw) - 1))]


def insert_random_bytes(raw: bytes, pick: Pick) -> bytes:
    out = bytearray(raw)
    for _ in range(pick(1, 12)):
        at = pick(0, len(out))
        out[at:at] = bytes(pick(0, 255) for _ in range(pick(1, 40)))
    return bytes(out)


def flip_bytes(raw: bytes, pick: Pick) -> bytes:
    out = bytearray(raw)
    for _ in range(pick(1, 30)):
        if out:
            out[pick(0, len(out) - 1)] = pick(0, 255)
    return bytes(out)


def delete_chunk(raw: bytes, pick: Pick) -> bytes:
    a = pick(0, len(raw))
    return raw[:a] + raw[min(len(raw), a + pick(1, 400)) :]


def wrong_encoding(raw: bytes, pick: Pick) -> bytes:
    text = raw.decode("utf-8", errors="replace")
    return text.encode(ENCODINGS[pick(0, len(ENCODINGS) - 1)], errors="replace")


def odd_line_endings(raw: bytes, pick: Pick) -> bytes:
    choice = pick(0, 3)
    if choice == 0:
        return raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r")
    if choice == 1:
        return raw.replace(b"\n", b"\r\r\n")
    if choice == 2:
        return raw.replace(b"\n", b"\n ", pick(1, 20))  # lines turned into folded continuations
    return raw.replace(b"\n", b"\n\x00", 1)


def huge_field(raw: bytes, pick: Pick) -> bytes:
    """One value grows to up to ~3 MB (a pasted document, a giant photo)."""
    lines = raw.split(b"\n")
    candidates = [i for i, ln in enumerate(lines) if b":" in ln or b"," in ln or b";" in ln] or [0]
    i = candidates[pick(0, len(candidates) - 1)]
    filler = bytes([pick(0x41, 0x5A)]) * pick(100_000, 3_000_000)
    lines[i] = lines[i].rstrip(b"\r") + filler
    return b"\n".join(lines)


def many_records(raw: bytes, pick: Pick) -> bytes:
    """Thousands of records: the file's records repeated (with a counter so they differ)."""
    n = pick(500, 4000)
    text = raw.decode("utf-8", errors="replace")
    for begin, end in (("BEGIN:VCARD", "END:VCARD"), ("BEGIN:VEVENT", "END:VEVENT")):
        blocks = re.findall(rf"{begin}.*?{end}\r?\n?", text, flags=re.S | re.I)
        if blocks:
            copies = []
            for k in range(n):
                block = blocks[k % len(blocks)]
                copies.append(re.sub(r"(?im)^(FN|UID|SUMMARY):(.*)$", lambda m, k=k: f"{m[1]}:{m[2]} {k}", block))
            first = text.find(blocks[0])
            last = text.rfind(blocks[-1]) + len(blocks[-1])
            return (text[:first] + "".join(copies) + text[last:]).encode("utf-8")
    lines = text.splitlines(keepends=True)
    if len(lines) < 2:
        return raw * n
    body = lines[1:]
    return (lines[0] + "".join(body[k % len(body)] for k in range(n))).encode("utf-8")


def splice_formats(raw: bytes, pick: Pick) -> bytes:
    """Half of this file and half of another kind of file."""
    others = corpus_files()
    other = others[pick(0, len(others) - 1)].read_bytes()
    return raw[: pick(0, len(raw))] + other[pick(0, len(other)) :]


MUTATIONS: dict[str, Callable[[bytes, Pick], bytes]] = {
    "truncate": truncate,
    "insert_random_bytes": insert_random_bytes,
    "flip_bytes": flip_bytes,
    "delete_chunk": delete_chunk,
    "wrong_encoding": wrong_encoding,
    "odd_line_endings": odd_line_endings,
    "huge_field": huge_field,
    "many_records": many_records,
    "splice_formats": splice_formats,
}


# ------------------------------------------------------------------------------------- checking


@dataclass
class Outcome:
    kind: str  # accepted | refused | crash | changed | unnamed
    detail: str = ""
    seconds: float = 0.0
    names_record: bool = False


@dataclass
class FuzzTally:
    tried: int = 0
    accepted: int = 0
    refused: int = 0
    refused_naming_record: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)  # (payload id, what went wrong)
    slowest: float = 0.0

    def add(self, payload_id: str, outcome: Outcome) -> None:
        self.tried += 1
        self.slowest = max(self.slowest, outcome.seconds)
        if outcome.kind == "accepted":
            self.accepted += 1
        elif outcome.kind == "refused":
            self.refused += 1
            self.refused_naming_record += outcome.names_record
        else:
            self.failures.append((payload_id, f"{outcome.kind}: {outcome.detail}"))


class Baseline:
    """A small journal that already holds people from the corpus, so imports also update and match."""

    def __init__(self, folder: Path) -> None:
        from netjournal.core.importers import run_import

        self.folder = folder
        dd = DataDir(folder / "baseline").ensure()
        j = open_journal(dd)
        seeds = [CORPUS / "vcard" / "vobject_vcard40_full.vcf", CORPUS / "csv" / "thunderbird_export.csv"]
        run_import(j, [p for p in seeds if p.exists()], now=NOW)
        j.close()
        self.db = dd.database
        self.dump = table_dump(self.db)
        self.count = 0

    def try_payload(self, name: str, payload: bytes) -> Outcome:
        from netjournal.core.importers import run_import

        self.count += 1
        work = Path(tempfile.mkdtemp(dir=self.folder, prefix=f"p{self.count}-"))
        try:
            dd = DataDir(work / "journal").ensure()
            shutil.copyfile(self.db, dd.database)
            path = work / name
            path.write_bytes(payload)
            j = open_journal(dd)
            t0 = time.perf_counter()
            try:
                run_import(j, [path], now=NOW)
                return Outcome("accepted", seconds=time.perf_counter() - t0)
            except NetjournalError as exc:
                secs = time.perf_counter() - t0
                j.close()
                if table_dump(dd.database) != self.dump:
                    return Outcome("changed", f"refused ({exc.message[:200]}) but the journal changed", secs)
                if name not in exc.message:
                    return Outcome("unnamed", f"the message does not name the file: {exc.message[:300]}", secs)
                record = getattr(exc, "record", None)
                if record is not None and f"record {record}" not in exc.message:
                    return Outcome("unnamed", f"the message does not name record {record}: {exc.message[:300]}")
                return Outcome("refused", exc.message[:300], secs, names_record=record is not None)
            except Exception as exc:  # a crash: the user would see a traceback
                return Outcome("crash", f"{type(exc).__name__}: {str(exc)[:300]}", time.perf_counter() - t0)
            finally:
                j.close()
        finally:
            shutil.rmtree(work, ignore_errors=True)
