"""A clone of the repository alone runs its tests: nothing reads the project's shared folder beside it."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import CORPUS, ROOT

OUTSIDE = re.compile(r"""(\.\./|parent\s*/\s*)["']?shared|["']shared["']\s*/""")


def test_no_test_reads_the_shared_folder_beside_the_checkout() -> None:
    here = Path(__file__).resolve()
    offenders = [
        f"{p.relative_to(ROOT)}:{n}: {line.strip()}"
        for p in sorted((ROOT / "tests").rglob("*.py"))
        if p != here
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if OUTSIDE.search(line)
    ]
    assert not offenders, (
        "tests reading the shared folder beside the checkout (copy what they need to tests/fixtures):\n"
        + "\n".join(offenders)
    )


def test_the_corpus_is_inside_the_checkout_with_its_sources() -> None:
    assert CORPUS.resolve().is_relative_to(ROOT)
    sources = (CORPUS / "SOURCES.md").read_text(encoding="utf-8")
    files = sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.name != "SOURCES.md")
    assert len(files) >= 30
    missing = [p.name for p in files if f"| {p.name} |" not in sources]
    assert not missing, f"files without a line in SOURCES.md: {missing}"
