"""The installed app: the PyInstaller build (dist/netjournal/) run as a user would run it.

Slow (a build takes about 30-45 s), so it runs when CI=true or NETJOURNAL_TEST_FROZEN=1. Under
pytest-xdist `make test` keeps this file on one worker (`--dist loadfile`): one build into dist/. It reuses
dist/netjournal when that build is newer than every source file, and builds it otherwise.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest

from netjournal.core.db import head_revision
from tests.conftest import CORPUS, FIXTURES, ROOT

RUN_FROZEN = os.environ.get("CI", "").lower() == "true" or os.environ.get("NETJOURNAL_TEST_FROZEN") == "1"

pytestmark = [
    pytest.mark.frozen,
    pytest.mark.skipif(
        not RUN_FROZEN,
        reason="builds and runs the PyInstaller app (~40 s); runs when CI=true or NETJOURNAL_TEST_FROZEN=1",
    ),
]

DIST = ROOT / "dist" / "netjournal"
EXE = DIST / ("netjournal.exe" if sys.platform == "win32" else "netjournal")
SOURCES = [ROOT / "netjournal", ROOT / "resources", ROOT / "build.spec", ROOT / "pyproject.toml", ROOT / "packaging"]

# Commands other branches add. Until a command is in this set, a build without it skips its test;
# once it is listed, the command must be there and work.
REQUIRED_COMMANDS: set[str] = {"prep", "import", "export", "search", "suggest"}


def newest_source_mtime() -> float:
    newest = 0.0
    for src in SOURCES:
        files = [src] if src.is_file() else [p for p in src.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
        newest = max([newest, *(p.stat().st_mtime for p in files)])
    return newest


@pytest.fixture(scope="session")
def frozen_app() -> Path:
    if EXE.exists() and EXE.stat().st_mtime > newest_source_mtime():
        return EXE
    if shutil.which("pyinstaller", path=str(Path(sys.executable).parent)) is None:
        pytest.fail("PyInstaller is not installed: run `make install-test` (it installs the `dist` extra)")
    # PyInstaller's cache of stripped binaries lives in ~/.cache by default, where another checkout's
    # build (`--clean` empties it) can change it under this one: this build keeps its own under build/.
    env = {**os.environ, "PYINSTALLER_CONFIG_DIR": str(ROOT / "build" / "pyinstaller-cache")}
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN", "build.spec"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=600,
    )
    assert EXE.exists(), f"the build did not produce {EXE}"
    return EXE


Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def run(frozen_app: Path, tmp_path: Path) -> Run:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "NETJOURNAL_DATA_DIR": str(tmp_path / "unused-profile")}

    def _run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(frozen_app), *args], capture_output=True, text=True, env=env, timeout=timeout, cwd=tmp_path
        )

    return _run


def people_names(database: Path) -> list[str]:
    with sqlite3.connect(database) as conn:
        return sorted(r[0] for r in conn.execute("SELECT name FROM people WHERE deleted_at IS NULL"))


def test_version_is_the_projects(run: Run) -> None:
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    result = run("--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"netjournal {version}"


def test_smoke_on_a_fresh_journal(run: Run, tmp_path: Path) -> None:
    data = tmp_path / "fresh"
    result = run("--smoke", "--data-dir", str(data))
    assert result.returncode == 0, result.stderr
    assert "smoke test passed" in result.stdout
    assert (data / "journal.sqlite3").exists()


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("schema_*.sqlite3")), ids=lambda p: p.stem)
def test_smoke_on_a_journal_from_an_earlier_schema(run: Run, tmp_path: Path, fixture: Path) -> None:
    data = tmp_path / "old"
    data.mkdir()
    shutil.copyfile(fixture, data / "journal.sqlite3")
    before = people_names(data / "journal.sqlite3")
    assert before, "the fixture should hold some people"

    result = run("--smoke", "--data-dir", str(data))

    assert result.returncode == 0, result.stderr
    assert people_names(data / "journal.sqlite3") == before
    with sqlite3.connect(data / "journal.sqlite3") as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == head_revision()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the tarball is the Linux install")
def test_installed_from_the_tarball_it_starts_and_uninstalling_keeps_the_journal(
    frozen_app: Path, tmp_path: Path
) -> None:
    env = {**os.environ, "DIST_DIR": str(frozen_app.parent), "OUT_DIR": str(tmp_path)}
    built = subprocess.run(
        ["sh", str(ROOT / "packaging" / "linux" / "build_tarball.sh")], capture_output=True, text=True, env=env
    )
    assert built.returncode == 0, built.stderr
    with tarfile.open(built.stdout.strip()) as tar:
        tar.extractall(tmp_path / "unpacked", filter="tar")
    (folder,) = (tmp_path / "unpacked").iterdir()
    home = tmp_path / "home"
    user_env = {
        "HOME": str(home),
        "PATH": os.environ["PATH"],
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_DATA_HOME": str(home / ".local" / "share"),
    }
    subprocess.run(["sh", str(folder / "install.sh")], check=True, capture_output=True, env=user_env)

    # Started by its command, with no --data-dir: the journal goes where a user's would.
    started = subprocess.run(
        [str(home / ".local" / "bin" / "netjournal"), "--smoke"], capture_output=True, text=True, env=user_env
    )
    assert started.returncode == 0, started.stderr
    journal = home / ".local" / "share" / "netjournal" / "journal.sqlite3"
    content = journal.read_bytes()

    subprocess.run(
        ["sh", str(home / ".local/opt/netjournal/uninstall.sh")], check=True, capture_output=True, env=user_env
    )
    assert not (home / ".local" / "opt" / "netjournal").exists()
    assert journal.read_bytes() == content


def needs_command(run, name: str) -> None:
    """Skip while another branch has not brought `name` yet, unless it is required."""
    result = run(name, "--help")
    if result.returncode != 0 and "invalid choice" in result.stderr and name not in REQUIRED_COMMANDS:
        pytest.skip(f"`netjournal {name}` is not in this build yet")
    assert result.returncode == 0, result.stderr
    assert f"netjournal {name}" in result.stdout


@pytest.fixture
def old_journal(tmp_path: Path) -> Path:
    data = tmp_path / "journal"
    data.mkdir()
    shutil.copyfile(FIXTURES / "schema_0001.sqlite3", data / "journal.sqlite3")
    return data


def test_import_vcard_and_calendar(run: Run, tmp_path: Path) -> None:
    needs_command(run, "import")
    data = tmp_path / "journal"
    vcard = CORPUS / "vcard" / "thunderbird_export.vcf"
    ics = CORPUS / "ics" / "icalendar_created_calendar_with_unicode_fields.ics"
    result = run("import", str(vcard), str(ics), "--data-dir", str(data))
    assert result.returncode == 0, result.stderr
    assert people_names(data / "journal.sqlite3"), "the imported people should be in the journal"


@pytest.mark.parametrize("fmt", ["json", "vcard", "csv", "markdown"])
def test_export(run: Run, old_journal: Path, tmp_path: Path, fmt: str) -> None:
    needs_command(run, "export")
    out = tmp_path / f"export.{fmt}"
    result = run("export", "--format", fmt, "-o", str(out), "--data-dir", str(old_journal))
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert people_names(old_journal / "journal.sqlite3")[0] in text
    if fmt == "json":
        json.loads(text)


def test_suggest(run: Run, old_journal: Path) -> None:
    needs_command(run, "suggest")
    result = run("suggest", "--json", "--data-dir", str(old_journal))
    assert result.returncode == 0, result.stderr
    assert isinstance(json.loads(result.stdout), list | dict)


def test_search(run: Run, old_journal: Path) -> None:
    needs_command(run, "search")
    person = people_names(old_journal / "journal.sqlite3")[0]
    result = run("search", person.split()[0], "--json", "--data-dir", str(old_journal))
    assert result.returncode == 0, result.stderr
    assert any(person in hit.get("name", "") for hit in json.loads(result.stdout))


def test_prep_writes_a_pdf(run: Run, old_journal: Path, tmp_path: Path) -> None:
    needs_command(run, "prep")
    person = people_names(old_journal / "journal.sqlite3")[0]
    out = tmp_path / "prep.pdf"
    result = run("prep", person, "-o", str(out), "--data-dir", str(old_journal))
    assert result.returncode == 0, result.stderr
    assert out.read_bytes().startswith(b"%PDF")


def test_an_encrypted_journal_works_in_the_installed_app(run: Run, old_journal: Path, tmp_path: Path) -> None:
    # The build bundles SQLCipher: encrypt an older journal (it migrates first), then search and start on it.
    person = people_names(old_journal / "journal.sqlite3")[0]
    pw = tmp_path / "passphrase.txt"
    pw.write_text("a frozen winter lake\n")
    assert run("people", "--data-dir", str(old_journal)).returncode == 0  # migrate to this release
    result = run("encrypt", "--passphrase-file", str(pw), "--data-dir", str(old_journal))
    assert result.returncode == 0, result.stderr
    assert all(person.encode() not in f.read_bytes() for f in old_journal.rglob("*") if f.is_file())
    locked = run("search", person.split()[0], "--data-dir", str(old_journal))
    assert locked.returncode == 1 and "passphrase" in locked.stderr
    result = run("search", person.split()[0], "--json", "--passphrase-file", str(pw), "--data-dir", str(old_journal))
    assert result.returncode == 0, result.stderr
    assert any(person in hit.get("name", "") for hit in json.loads(result.stdout))
    result = run("--smoke", "--passphrase-file", str(pw), "--data-dir", str(old_journal))
    assert result.returncode == 0, result.stderr
