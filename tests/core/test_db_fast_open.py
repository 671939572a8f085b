"""Opening an up-to-date journal skips Alembic (a start-up cost); anything else still goes through it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from netjournal.core.db import head_revision, open_journal, quick_head_revision
from netjournal.core.paths import DataDir

PROBE = """
import sys
from netjournal.core.db import open_journal
from netjournal.core.paths import DataDir
open_journal(DataDir.at(sys.argv[1])).close()
print("alembic" in sys.modules)
"""


def test_quick_head_agrees_with_alembic() -> None:
    assert quick_head_revision() == head_revision()


def test_an_up_to_date_journal_opens_without_importing_alembic(data_dir: DataDir) -> None:
    open_journal(data_dir).close()  # created and migrated: Alembic is used here
    out = subprocess.run(
        [sys.executable, "-c", PROBE, str(data_dir.root)], capture_output=True, text=True, timeout=60, check=True
    )
    assert out.stdout.strip() == "False"


def test_a_fresh_folder_is_still_migrated_by_alembic(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh"
    out = subprocess.run(
        [sys.executable, "-c", PROBE, str(fresh)], capture_output=True, text=True, timeout=60, check=True
    )
    assert out.stdout.strip() == "True"
    import sqlite3

    con = sqlite3.connect(fresh / "journal.sqlite3")
    assert con.execute("SELECT version_num FROM alembic_version").fetchone() == (head_revision(),)
    con.close()
