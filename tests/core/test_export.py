"""Exports: the vCard round trip, the complete JSON backup, CSV and Markdown, written safely."""

from __future__ import annotations

import json
import stat
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from netjournal.core.db import Journal, open_journal
from netjournal.core.exporters import ExportProblem, export_to, import_json_backup, journal_tables
from netjournal.core.importers import run_import
from netjournal.core.journal import PersonData, add_commitment, create_person, live_people, trash
from netjournal.core.models import (
    Direction,
    Ladder,
    LadderStep,
    Person,
    Plan,
    Reflection,
    ReflectionKind,
    Setting,
)
from netjournal.core.paths import DataDir
from netjournal.core.search import search
from tests.factories import meeting


def _rich_people(journal: Journal, now: datetime) -> None:
    with journal.session() as s:
        create_person(
            s,
            PersonData(
                name="Zoë Ångström-Łukasiewicz",
                given_name="Zoë",
                family_name="Ångström-Łukasiewicz",
                nickname="Zo",
                organisation="Nordlicht, GmbH; Büro Köln",
                role="Leiterin Forschung & Entwicklung",
                emails=[("work", "zoe@nordlicht.example"), ("home", "zoë.private@example.org")],
                phones=[("mobile", "+49 170 1234567"), ("work", "+49 221 99 88 77")],
                urls=[("", "https://nordlicht.example/team/zoe"), ("", "https://www.linkedin.com/in/zoe-a")],
                addresses=[
                    {
                        "label": "work",
                        "street": "Domstraße 1\nHinterhaus",
                        "locality": "Köln",
                        "region": "NRW",
                        "postcode": "50667",
                        "country": "Deutschland",
                    }
                ],
                dates=[
                    {"kind": "birthday", "month": 2, "day": 29, "year": 1988},
                    {"kind": "anniversary", "month": 9, "day": 1, "year": None},
                ],
                notes="Likes climbing; met at PyCon.\nSecond line, with a comma, and a backslash \\ too.",
                tags=["conference", "data"],
            ),
            now=now,
        )
        create_person(
            s,
            PersonData(name="山田太郎", given_name="太郎", family_name="山田", emails=[("", "taro@example.jp")]),
            now=now,
        )
        create_person(s, PersonData(name="Bob", dates=[{"kind": "birthday", "month": 12, "day": 3}]), now=now)


def _snapshot(journal: Journal) -> dict[str, tuple]:
    with journal.read() as s:
        opts = [selectinload(getattr(Person, r)) for r in ("contact_points", "addresses", "dates", "tags")]
        out = {}
        for p in s.scalars(live_people().options(*opts)):
            out[p.name] = (
                p.given_name,
                p.family_name,
                p.nickname,
                p.organisation,
                p.role,
                p.notes,
                sorted((c.kind, c.value) for c in p.contact_points),
                [(a.street, a.locality, a.region, a.postcode, a.country) for a in p.addresses],
                sorted((d.kind, d.year, d.month, d.day) for d in p.dates),
                sorted(t.name for t in p.tags),
            )
        return out


def test_vcard_round_trip_into_an_empty_journal(journal: Journal, now: datetime, tmp_path: Path) -> None:
    _rich_people(journal, now)
    with journal.read() as s:
        out = export_to(s, "vcard", tmp_path / "people.vcf", now=now)
    other = open_journal(DataDir(tmp_path / "other").ensure())
    try:
        report = run_import(other, [out], now=now)
        assert report.created == 3
        assert _snapshot(other) == _snapshot(journal)
        again = run_import(other, [out], now=now)
        assert again.created == again.updated == 0
    finally:
        other.close()


def test_exports_are_private_and_atomic(journal: Journal, now: datetime, tmp_path: Path) -> None:
    _rich_people(journal, now)
    (tmp_path / "exports").mkdir()
    target = tmp_path / "exports" / "out.json"
    target.write_text("old")
    with journal.read() as s:
        for fmt in ("json", "vcard", "csv", "markdown"):
            export_to(s, fmt, target, now=now)
            assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in target.parent.iterdir()] == ["out.json"]  # no temp files left behind


def test_export_to_a_missing_folder_is_a_clear_problem(journal: Journal, now: datetime, tmp_path: Path) -> None:
    with journal.read() as s, pytest.raises(ExportProblem, match="does not exist"):
        export_to(s, "json", tmp_path / "nope" / "x.json", now=now)


def _everything(journal: Journal, now: datetime) -> None:
    _rich_people(journal, now)
    with journal.session() as s:
        zoe = s.scalars(select(Person).where(Person.given_name == "Zoë")).one()
        meeting(s, zoe, now, days_ago=2, notes="Talked about *Kafka* and # headings")
        add_commitment(s, zoe.id, Direction.I_OWE, "Send the paper", now=now, due_on=date(2026, 3, 20))
        s.add(
            Reflection(
                kind=ReflectionKind.DISCOMFORT,
                occurred_at=now,
                title="Spoke first",
                data={"a": ["b"]},
                predicted_suds=70,
                actual_suds=30,
                created_at=now,
                updated_at=now,
            )
        )
        s.add(
            Plan(
                title="Meetup",
                purpose="Meet two people",
                questions=[{"text": "What brought you here?"}],
                created_at=now,
                updated_at=now,
            )
        )
        s.add(
            Ladder(
                goal="Talk at meetups",
                created_at=now,
                updated_at=now,
                steps=[LadderStep(text="Say hello", suds_expected=40)],
            )
        )
        s.add(Setting(key="weekly_budget", value=3))
        s.flush()
        bob = s.scalars(select(Person).where(Person.name == "Bob")).one()
        trash(s, "person", bob.id, now=now)


def test_json_backup_is_complete_and_loads_back(journal: Journal, now: datetime, tmp_path: Path) -> None:
    _everything(journal, now)
    with journal.read() as s:
        out = export_to(s, "json", tmp_path / "backup.json", now=now)
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["format"] == "netjournal-backup" and doc["format_version"] == 1
    assert set(doc["tables"]) == {t.name for t in journal_tables()}
    assert doc["tables"]["ladder_steps"][0]["text"] == "Say hello"
    assert doc["tables"]["settings"] == [{"key": "weekly_budget", "value": 3}]
    assert any(r["deleted_at"] for r in doc["tables"]["people"])  # the trash is part of a backup
    other = open_journal(DataDir(tmp_path / "restored").ensure())
    try:
        with other.session() as s:
            import_json_backup(s, out.read_bytes())
        assert _snapshot(other) == _snapshot(journal)
        with other.read() as s:
            for table in journal_tables():
                assert s.scalar(select(func.count()).select_from(table)) == len(doc["tables"][table.name])
            assert [h.kind for h in search(s, "kafka")] == ["interaction"]
            assert s.scalars(select(Reflection)).one().data == {"a": ["b"]}
    finally:
        other.close()


def test_json_backup_refuses_a_non_empty_journal(journal: Journal, now: datetime, tmp_path: Path) -> None:
    _rich_people(journal, now)
    with journal.read() as s:
        data = export_to(s, "json", tmp_path / "b.json", now=now).read_bytes()
    with journal.session() as s, pytest.raises(ExportProblem, match="empty journal"):
        import_json_backup(s, data)


def test_csv_export_reimports(journal: Journal, now: datetime, tmp_path: Path) -> None:
    _rich_people(journal, now)
    with journal.read() as s:
        out = export_to(s, "csv", tmp_path / "people.csv", now=now)
    other = open_journal(DataDir(tmp_path / "other").ensure())
    try:
        assert run_import(other, [out], now=now).created == 3
        snap = _snapshot(other)["Zoë Ångström-Łukasiewicz"]
        assert snap[3] == "Nordlicht, GmbH; Büro Köln"
        assert ("email", "zoë.private@example.org") in snap[6] and ("phone", "+49 170 1234567") in snap[6]
    finally:
        other.close()


def test_markdown_is_a_readable_journal(journal: Journal, now: datetime, tmp_path: Path) -> None:
    _everything(journal, now)
    with journal.read() as s:
        text = export_to(s, "markdown", tmp_path / "j.md", now=now).read_text(encoding="utf-8")
    assert "## Zoë Ångström-Łukasiewicz" in text and "## 山田太郎" in text
    assert "- I owe: Send the paper (by 2026-03-20)" in text
    assert "  > Talked about \\*Kafka\\* and \\# headings" in text  # user text quoted and escaped, never markup
    assert "# Reflections" in text and "Spoke first" in text and "# Plans" in text
    assert "## Bob" not in text  # in the trash
