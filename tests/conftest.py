"""Every test gets its own data directory; Qt runs offscreen; the clock is fixed."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from netjournal.core.db import Journal, open_journal
from netjournal.core.paths import DataDir

NOW = datetime(2026, 3, 16, 10, 0, tzinfo=UTC)  # a Monday
ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True)
def _isolated_profile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # No test may touch a real profile: point both the env var and HOME somewhere private.
    monkeypatch.setenv("NETJOURNAL_DATA_DIR", str(tmp_path / "profile"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))


@pytest.fixture
def now() -> datetime:
    return NOW


@pytest.fixture
def data_dir(tmp_path: Path) -> DataDir:
    return DataDir(tmp_path / "journal").ensure()


@pytest.fixture
def journal(data_dir: DataDir) -> Iterator[Journal]:
    j = open_journal(data_dir)
    yield j
    j.close()
