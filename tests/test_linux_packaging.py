"""Linux desktop integration: menu entry, metainfo, icons, the ~/.local tarball install and the .deb.

The install scripts run against a stand-in app (a tiny script where the PyInstaller build would be),
so these tests are quick; tests/test_frozen.py covers the real build.
"""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import tarfile
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.conftest import ROOT, require_tool

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux packaging")

LINUX = ROOT / "packaging" / "linux"
ICONS = ROOT / "resources" / "icons"
SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    width, height = struct.unpack(">II", header[16:24])
    return width, height


def test_icons_exist_in_every_size_desktops_ask_for() -> None:
    for size in SIZES:
        assert png_size(ICONS / f"netjournal-{size}.png") == (size, size)
    assert ET.parse(ICONS / "netjournal.svg").getroot().tag.endswith("svg")


def test_metainfo_names_the_desktop_entry_and_this_version() -> None:
    root = ET.parse(LINUX / "io.github.netjournal.metainfo.xml").getroot()
    assert root.findtext("id") == "io.github.netjournal"
    assert root.findtext("launchable") == "netjournal.desktop"
    newest = root.find("releases/release")
    assert newest is not None and newest.get("version") == VERSION, "add a <release> for the pyproject version"


def test_desktop_entry_is_valid() -> None:
    validate = require_tool("desktop-file-validate", "desktop-file-utils")
    result = subprocess.run([validate, str(LINUX / "netjournal.desktop")], capture_output=True)
    assert result.returncode == 0 and not result.stdout, result.stdout


def test_metainfo_is_valid() -> None:
    appstreamcli = require_tool("appstreamcli", "appstream")
    result = subprocess.run(
        [appstreamcli, "validate", "--no-net", str(LINUX / "io.github.netjournal.metainfo.xml")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout


@pytest.fixture
def fake_app(tmp_path: Path) -> Path:
    """Where dist/netjournal would be: an executable that answers --version."""
    app = tmp_path / "dist" / "netjournal"
    (app / "_internal").mkdir(parents=True)
    exe = app / "netjournal"
    exe.write_text(f'#!/bin/sh\necho "netjournal {VERSION}"\n')
    exe.chmod(0o755)
    return app


def build(script: str, fake_app: Path, out: Path) -> Path:
    env = {**os.environ, "DIST_DIR": str(fake_app), "OUT_DIR": str(out)}
    result = subprocess.run(["sh", str(LINUX / script)], capture_output=True, text=True, env=env, check=False)
    assert result.returncode == 0, result.stderr
    return Path(result.stdout.strip())


def test_tarball_install_and_uninstall_leave_the_journal_alone(fake_app: Path, tmp_path: Path) -> None:
    tarball = build("build_tarball.sh", fake_app, tmp_path / "out")
    with tarfile.open(tarball) as tar:
        tar.extractall(tmp_path / "unpacked", filter="tar")
    (folder,) = (tmp_path / "unpacked").iterdir()
    home = tmp_path / "home"
    data_home = tmp_path / "my-data"  # XDG_DATA_HOME set: everything goes there, not ~/.local/share
    journal = data_home / "netjournal"
    (journal / "backups").mkdir(parents=True)
    (journal / "journal.sqlite3").write_bytes(b"my journal")
    (journal / "backups" / "daily.sqlite3").write_bytes(b"my backup")
    env = {"HOME": str(home), "XDG_DATA_HOME": str(data_home), "PATH": os.environ["PATH"]}

    for _ in range(2):  # installing again (an upgrade) works the same
        result = subprocess.run(["sh", str(folder / "install.sh")], capture_output=True, text=True, env=env)
        assert result.returncode == 0, result.stderr

    opt = home / ".local" / "opt" / "netjournal"
    command = home / ".local" / "bin" / "netjournal"
    assert subprocess.run([str(command)], capture_output=True, text=True).stdout.strip() == f"netjournal {VERSION}"
    desktop = (data_home / "applications" / "netjournal.desktop").read_text()
    assert f'Exec="{opt}/netjournal"' in desktop.splitlines()
    assert (data_home / "icons" / "hicolor" / "16x16" / "apps" / "netjournal.png").exists()
    assert (data_home / "icons" / "hicolor" / "256x256" / "apps" / "netjournal.png").exists()
    assert (data_home / "icons" / "hicolor" / "scalable" / "apps" / "netjournal.svg").exists()
    assert (data_home / "metainfo" / "io.github.netjournal.metainfo.xml").exists()
    assert not (home / ".local" / "share").exists()

    result = subprocess.run(["sh", str(opt / "uninstall.sh")], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    assert not opt.exists() and not command.is_symlink()
    assert not (data_home / "applications" / "netjournal.desktop").exists()
    assert not list((data_home / "icons").rglob("netjournal.*"))
    assert (journal / "journal.sqlite3").read_bytes() == b"my journal"
    assert (journal / "backups" / "daily.sqlite3").read_bytes() == b"my backup"


def test_install_leaves_someone_elses_netjournal_command_alone(fake_app: Path, tmp_path: Path) -> None:
    tarball = build("build_tarball.sh", fake_app, tmp_path / "out")
    with tarfile.open(tarball) as tar:
        tar.extractall(tmp_path / "unpacked", filter="tar")
    (folder,) = (tmp_path / "unpacked").iterdir()
    home = tmp_path / "home"
    other = home / ".local" / "bin" / "netjournal"
    other.parent.mkdir(parents=True)
    other.write_text("#!/bin/sh\necho pip-installed\n")
    env = {"HOME": str(home), "PATH": os.environ["PATH"]}

    result = subprocess.run(["sh", str(folder / "install.sh")], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    assert "left it alone" in result.stderr
    subprocess.run(["sh", str(home / ".local/opt/netjournal/uninstall.sh")], check=True, capture_output=True, env=env)
    assert other.read_text() == "#!/bin/sh\necho pip-installed\n"


def test_deb_puts_the_app_in_opt_with_a_command_menu_entry_and_icons(fake_app: Path, tmp_path: Path) -> None:
    require_tool("dpkg-deb", "dpkg")
    deb = build("build_deb.sh", fake_app, tmp_path / "out")
    listing = subprocess.run(["dpkg-deb", "-c", str(deb)], capture_output=True, text=True, check=True).stdout
    assert "./opt/netjournal/netjournal" in listing
    assert "./usr/bin/netjournal -> /opt/netjournal/netjournal" in listing
    for path in (
        "./usr/share/applications/netjournal.desktop",
        "./usr/share/metainfo/io.github.netjournal.metainfo.xml",
        "./usr/share/icons/hicolor/16x16/apps/netjournal.png",
        "./usr/share/icons/hicolor/scalable/apps/netjournal.svg",
    ):
        assert path in listing
    fields = subprocess.run(["dpkg-deb", "-f", str(deb), "Package", "Version"], capture_output=True, text=True).stdout
    assert fields.split() == ["Package:", "netjournal", "Version:", VERSION]
