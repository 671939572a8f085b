"""What an import reports: each record created, updated or skipped (with why), by file."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from netjournal.core.importers.base import (
    ENCODING_NAMES,
)

Action = Literal["created", "updated", "skipped"]
Progress = Callable[[int, int], None]


@dataclass
class RecordResult:
    record: int
    line: int
    action: Action
    kind: str  # person | meeting | other
    name: str
    reason: str = ""
    item_id: int | None = None


@dataclass
class FileReport:
    path: Path
    format: str
    results: list[RecordResult] = field(default_factory=list)
    encoding: str = "utf-8"  # what the text was read as (a Windows code page for classic Outlook CSVs)

    @property
    def encoding_name(self) -> str:
        return ENCODING_NAMES.get(self.encoding, self.encoding)

    @property
    def invalid(self) -> list[RecordResult]:
        """The records left out because they cannot be read (only with skip_invalid)."""
        return [r for r in self.results if r.kind == "invalid"]

    def count(self, action: Action) -> int:
        return sum(1 for r in self.results if r.action == action)


@dataclass
class ImportReport:
    files: list[FileReport] = field(default_factory=list)
    dry_run: bool = False

    def count(self, action: Action) -> int:
        return sum(f.count(action) for f in self.files)

    @property
    def created(self) -> int:
        return self.count("created")

    @property
    def updated(self) -> int:
        return self.count("updated")

    @property
    def skipped(self) -> int:
        return self.count("skipped")

    @property
    def invalid(self) -> list[tuple[Path, RecordResult]]:
        return [(f.path, r) for f in self.files for r in f.invalid]
