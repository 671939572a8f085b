"""`netjournal account add/list/remove` and `netjournal sync` against a real Radicale (in process, so the
loopback-only network guard watches every connection)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from netjournal.core.paths import DataDir
from tests.sync.conftest import Run
from tests.sync.servers import PASSWORD, USER, Server, vcard


@pytest.fixture
def password_file(tmp_path: Path) -> Path:
    f = tmp_path / "pw"
    f.write_text(PASSWORD + "\n")
    f.chmod(0o600)
    return f


def add_home(run: Run, server: Server, password_file: Path) -> tuple[int, str, str]:
    """`netjournal account add home` on the test server."""
    return run("account", "add", "home", "--url", server.url, "--username", USER, "--password-file", str(password_file))


def test_account_add_sync_list_remove(
    radicale_server: Server, data_dir: DataDir, password_file: Path, run: Run
) -> None:
    book = radicale_server.make_addressbook("Friends")
    radicale_server.put_vcard(book, "a.vcf", vcard("u-a", "Ana Müller", email="ana@acme.example"))
    code, out, err = add_home(run, radicale_server, password_file)
    assert code == 0, err
    assert "Added the account home" in out and "Friends" in out
    assert PASSWORD not in out + err

    code, out, err = run("sync", "--json")
    assert code == 0, err
    [report] = json.loads(out)
    assert report["account"] == "home" and report["down_added"] == ["Ana Müller"]
    code, out, _ = run("sync")
    assert out.strip() == "home: nothing changed."

    code, out, _ = run("account", "list")
    assert "home" in out and "Friends" in out and "Last synced just now" in out

    # The password is in the database (no keyring here), never in a log.
    logs = "".join(p.read_text(errors="replace") for p in data_dir.root.rglob("*.log"))
    assert PASSWORD not in logs

    code, out, _ = run("account", "remove", "home")
    assert code == 0 and "stay in the journal" in out
    with sqlite3.connect(data_dir.database) as con:
        assert con.execute("SELECT count(*) FROM sync_accounts").fetchone() == (0,)
        assert con.execute("SELECT name FROM people").fetchall() == [("Ana Müller",)]


def test_wrong_password_names_the_account_and_exits_non_zero(
    radicale_server: Server, password_file: Path, tmp_path: Path, run: Run
) -> None:
    radicale_server.make_addressbook()
    wrong = tmp_path / "wrong"
    wrong.write_text("nope\n")
    code, _, err = add_home(run, radicale_server, wrong)
    assert code == 1 and "home" in err and "password" in err and "Traceback" not in err
    assert add_home(run, radicale_server, password_file)[0] == 0
    # The password changes on the server: sync says so, naming the account.
    (radicale_server.root / "users").write_text(f"{USER}:changed\n")
    code, _, err = run("sync")
    assert code == 1 and err.startswith("home:") and "password" in err


def test_plain_http_to_another_machine_is_refused_without_opt_in(password_file: Path, run: Run) -> None:
    args = ["account", "add", "work", "--url", "http://dav.example.org/", "--username", USER]
    code, _, err = run(*args, "--password-file", str(password_file))
    assert code == 1 and "plain HTTP" in err and "--allow-http" in err


def test_a_password_file_that_holds_no_password_is_refused_before_connecting(
    tmp_path: Path, run: Run, connections: list[object]
) -> None:
    empty = tmp_path / "empty"
    empty.write_text("\n")
    args = ["account", "add", "home", "--url", "https://dav.example.org/", "--username", USER]
    code, _, err = run(*args, "--password-file", str(empty))
    assert code == 1 and err.strip().endswith(f"The password file {empty} is empty.")
    assert connections == []
