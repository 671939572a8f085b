"""Migration files are named so their order reads from the names: NNNN_<revision>_<what>.py, in chain order."""

from __future__ import annotations

import re
from pathlib import Path

VERSIONS = Path(__file__).resolve().parents[2] / "netjournal" / "core" / "migrations" / "versions"


def _ids(path: Path) -> tuple[str, str | None]:
    text = path.read_text(encoding="utf-8")
    revision = re.search(r'^revision = "([^"]+)"', text, re.M)
    down = re.search(r'^down_revision = (?:"([^"]+)"|None)', text, re.M)
    assert revision and down, f"{path.name}: no revision / down_revision line"
    return revision.group(1), down.group(1)


def test_the_file_names_follow_the_chain() -> None:
    files = sorted(p for p in VERSIONS.glob("*.py") if p.name != "__init__.py")
    assert files, "no migrations found"
    previous = None
    for n, path in enumerate(files, start=1):
        assert path.name.startswith(f"{n:04d}_"), f"{path.name} should start with {n:04d}_"
        revision, down = _ids(path)
        assert down == previous, f"{path.name} follows {down!r}, but the file before it is {previous!r}"
        previous = revision
