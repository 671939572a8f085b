"""import / export / search through the real `netjournal` command."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_cli import run
from tests.conftest import CORPUS, FIXTURES

VCARDS = sorted((CORPUS / "vcard").glob("*.vcf"))


def test_import_prints_what_happened_and_is_idempotent(tmp_path: Path) -> None:
    d = tmp_path / "j"
    gmail = str(CORPUS / "vcard" / "ezvcard_gmail-list.vcf")
    out = run("import", gmail, str(CORPUS / "vcard" / "vobject_vcard40_group.vcf"), data_dir=d).stdout
    assert "created  person  Arnold Smith" in out
    assert "skipped  other   The Doe Family (this card describes a group, not a person)" in out
    assert "Imported: 3 new, 0 updated, 1 skipped." in out
    again = run("import", gmail, data_dir=d).stdout
    assert "Imported: 0 new, 0 updated, 3 skipped." in again and "already in the journal" in again
    people = json.loads(run("people", "--json", data_dir=d).stdout)
    assert sorted(p["name"] for p in people) == ["Arnold Smith", "Chris Beatle", "Doug White"]


def test_dry_run_keeps_nothing(tmp_path: Path) -> None:
    d = tmp_path / "j"
    out = run("import", "--dry-run", *map(str, VCARDS), data_dir=d).stdout
    assert "Would import:" in out and "Nothing was changed" in out
    assert json.loads(run("people", "--json", data_dir=d).stdout) == []


def test_bad_file_names_file_and_record_and_changes_nothing(tmp_path: Path) -> None:
    d = tmp_path / "j"
    data = (CORPUS / "vcard" / "ezvcard_gmail-list.vcf").read_bytes()
    cut = tmp_path / "cut.vcf"
    cut.write_bytes(data[: data.rindex(b"END:VCARD")])
    proc = run("import", str(CORPUS / "vcard" / "vobject_vcard40_simple.vcf"), str(cut), data_dir=d, check=False)
    assert proc.returncode == 1
    assert "cut.vcf, record 3 (line 13)" in proc.stderr and "Nothing was imported" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert json.loads(run("people", "--json", data_dir=d).stdout) == []


def test_circle_option(tmp_path: Path) -> None:
    d = tmp_path / "j"
    run("import", "--circle", "50", str(FIXTURES / "import" / "linkedin_connections.csv"), data_dir=d)
    people = json.loads(run("people", "--json", data_dir=d).stdout)
    assert {p["circle"] for p in people} == {50} and len(people) == 3


def test_export_vcard_round_trip_through_the_command(tmp_path: Path) -> None:
    src, dst = tmp_path / "a", tmp_path / "b"
    names = ("vobject_vcard40_full.vcf", "folkerkinzel_outlook_v2_1.vcf", "radicale_vcard-quoted-printable1.vcf")
    run("import", *(str(CORPUS / "vcard" / n) for n in names), data_dir=src)
    out = tmp_path / "people.vcf"
    assert "Exported the journal (vcard)" in run("export", "--format", "vcard", "-o", str(out), data_dir=src).stdout
    run("import", str(out), data_dir=dst)

    def people(d: Path) -> list[dict[str, object]]:
        rows = json.loads(run("people", "--json", data_dir=d).stdout)
        return sorted(({k: v for k, v in r.items() if k != "id"} for r in rows), key=lambda r: str(r["name"]))

    assert people(dst) == people(src)
    assert any(p["name"] == "黄世勇" for p in people(dst))


def test_export_every_format(tmp_path: Path) -> None:
    d = tmp_path / "j"
    run("import", str(CORPUS / "vcard" / "ezvcard_gmail-list.vcf"), data_dir=d)
    for fmt, check in (
        ("json", '"format": "netjournal-backup"'),
        ("csv", "Arnold Smith"),
        ("markdown", "## Doug White"),
    ):
        target = tmp_path / f"out.{fmt}"
        run("export", "--format", fmt, "-o", str(target), data_dir=d)
        assert check in target.read_text(encoding="utf-8-sig")
    proc = run("export", "--format", "json", "-o", str(tmp_path / "missing" / "x.json"), data_dir=d, check=False)
    assert proc.returncode == 1 and "does not exist" in proc.stderr


def test_search_json(tmp_path: Path) -> None:
    d = tmp_path / "j"
    run("import", str(CORPUS / "vcard" / "vobject_vcard40_full.vcf"), data_dir=d)
    hits = json.loads(run("search", "vcards", "--json", data_dir=d).stdout)
    assert [(h["kind"], h["name"]) for h in hits] == [("person", "Dr. John Q. Public, III")]
    assert "«vCards»" in hits[0]["snippet"]
    assert json.loads(run("search", 'NEAR("', "--json", data_dir=d).stdout) == []
    assert "Nothing found." in run("search", "zebra", data_dir=d).stdout


def test_json_backup_loads_into_an_empty_journal_only(tmp_path: Path) -> None:
    src, dst = tmp_path / "a", tmp_path / "b"
    run("import", str(CORPUS / "vcard" / "ezvcard_gmail-list.vcf"), data_dir=src)
    backup = tmp_path / "backup.json"
    run("export", "--format", "json", "-o", str(backup), data_dir=src)
    out = run("import", str(backup), data_dir=dst).stdout
    assert "netjournal JSON backup" in out and "Imported: 3 new" in out
    assert json.loads(run("people", "--json", data_dir=dst).stdout) == json.loads(
        run("people", "--json", data_dir=src).stdout
    )
    assert json.loads(run("search", "doug", "--json", data_dir=dst).stdout)[0]["name"] == "Doug White"
    again = run("import", str(backup), data_dir=dst, check=False)
    assert again.returncode == 1 and "only be loaded into an empty journal" in again.stderr
