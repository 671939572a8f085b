"""The one-page PDF prep sheet: one page whatever the notes, escaped, non-ASCII, never half-written."""

from __future__ import annotations

import os
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtGui import QFontDatabase, QPageSize, QPdfWriter

from netjournal.core import phrasing, prep
from netjournal.core.errors import NetjournalError
from netjournal.core.journal import add_commitment
from netjournal.core.models import Direction
from netjournal.ui import prep_sheet
from tests.conftest import require
from tests.factories import meeting, person

A4 = QPageSize(QPageSize.PageSizeId.A4)


def _sheet(journal, now, **kw) -> prep.SheetData:
    with journal.session() as s:
        p = person(s, kw.pop("name", "Priya Raman"), now, **kw)
        meeting(s, p, now, days_ago=3, notes="Half marathon training")
        add_commitment(s, p.id, Direction.I_OWE, "send the <i>article</i>", now=now, due_on=date(2026, 3, 20))
        return prep.sheet_data(s, None, now, person_id=p.id)


def test_a_normal_sheet_is_one_page_with_the_plan_on_it(qapp, journal, now, tmp_path: Path) -> None:
    sheet = _sheet(journal, now, role="Staff engineer", organisation="Northwind Labs")
    html = prep_sheet.build_html(sheet)
    assert "Priya Raman" in html and "Half marathon training" in html
    assert "send the &lt;i&gt;article&lt;/i&gt;" in html and "<i>article" not in html
    for q in sheet.questions:
        assert prep_sheet._e(q) in html
    out = prep_sheet.write_pdf(sheet, tmp_path / "sheet.pdf", A4)
    content = out.read_bytes()
    assert content.startswith(b"%PDF") and content.rstrip().endswith(b"%%EOF")
    assert prep_sheet.pdf_page_count(content) == 1
    assert not list(tmp_path.glob("*.part"))


def test_enormous_notes_still_fit_one_page(qapp, journal, now, tmp_path: Path) -> None:
    with journal.session() as s:
        p = person(s, "Zoë " + "Long" * 70, now, role="x" * 600, how_met="met " * 2000, ford_recreation="climb " * 3000)
        for i in range(40):
            meeting(s, p, now, days_ago=i + 1, notes="A very long note about everything. " * 400)
        for _ in range(25):
            add_commitment(s, p.id, Direction.THEY_OWE, "promise " * 300, now=now)
        data = prep.new_plan(s, now, person_id=p.id)
        data.purpose = "purpose " * 10_000
        data.questions = [{"text": "q" * 5000}] * 5
        sheet = prep.sheet_data(s, data, now)
    writer = QPdfWriter(str(tmp_path / "probe.pdf"))
    writer.setPageSize(A4)
    assert prep_sheet._document(sheet, writer).pageCount() == 1
    del writer
    out = prep_sheet.write_pdf(sheet, tmp_path / "huge.pdf", QPageSize(QPageSize.PageSizeId.Letter))
    assert prep_sheet.pdf_page_count(out.read_bytes()) == 1


def test_markup_in_names_is_printed_as_text(qapp, journal, now) -> None:
    sheet = _sheet(journal, now, name="<b>Bold</b> & <script>x</script>")
    html = prep_sheet.build_html(sheet)
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; &lt;script&gt;" in html
    assert "<script>" not in html and "<b>Bold" not in html


def test_non_ascii_names_print(qapp, journal, now, tmp_path: Path) -> None:
    sheet = _sheet(journal, now, name="Søren Ødegård 王小明", how_met="Café Zürich")
    content = prep_sheet.write_pdf(sheet, tmp_path / "u.pdf", A4).read_bytes()
    assert prep_sheet.pdf_page_count(content) == 1
    cjk = QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)
    require(cjk, "no CJK font is installed", "apt-get install fonts-wqy-microhei; .ci/apt-packages.txt lists it")
    # A CJK font is embedded for the Chinese name (Qt falls back to it per character).
    embedded = content.decode("latin-1")
    assert any(f.replace(" ", "") in embedded.replace(" ", "") or f.split()[0] in embedded for f in cjk)


def test_page_size_from_setting_or_locale(qapp) -> None:
    us = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    de = QLocale(QLocale.Language.German, QLocale.Country.Germany)
    ca = QLocale(QLocale.Language.French, QLocale.Country.Canada)
    assert prep_sheet.page_size_for(None, us).id() == QPageSize.PageSizeId.Letter
    assert prep_sheet.page_size_for(None, ca).id() == QPageSize.PageSizeId.Letter
    assert prep_sheet.page_size_for(None, de).id() == QPageSize.PageSizeId.A4
    assert prep_sheet.page_size_for("A4", us).id() == QPageSize.PageSizeId.A4
    assert prep_sheet.page_size_for("Letter", de).id() == QPageSize.PageSizeId.Letter


def test_unwritable_places_give_a_clear_message_and_no_file(qapp, journal, now, tmp_path: Path) -> None:
    sheet = _sheet(journal, now)
    with pytest.raises(NetjournalError, match="does not exist"):
        prep_sheet.write_pdf(sheet, tmp_path / "nowhere" / "x.pdf", A4)
    with pytest.raises(NetjournalError, match="is a folder"):
        prep_sheet.write_pdf(sheet, tmp_path, A4)
    if os.geteuid() != 0:  # root can write anywhere
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        with pytest.raises(NetjournalError, match="permission"):
            prep_sheet.write_pdf(sheet, locked / "x.pdf", A4)
        assert not list(locked.iterdir())


def test_a_failure_while_writing_leaves_the_old_file_and_no_partial(qapp, journal, now, tmp_path, monkeypatch) -> None:
    sheet = _sheet(journal, now)
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "sheet.pdf"
    target.write_bytes(b"the previous sheet")

    def broken_fsync(_fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(NetjournalError, match="No space left"):
        prep_sheet.write_pdf(sheet, target, A4)
    assert target.read_bytes() == b"the previous sheet"
    assert [p.name for p in target.parent.iterdir()] == ["sheet.pdf"]


def test_an_upcoming_meeting_shows_its_time(qapp, journal, now) -> None:
    from netjournal.core.models import InteractionState

    with journal.session() as s:
        p = person(s, "Lea", now)
        planned = meeting(s, p, now, days_ago=-1, state=InteractionState.PLANNED, title="Lunch", duration_min=45)
        plan = prep.create_plan(s, prep.new_plan(s, now, meeting_id=planned.id), now=now)
        sheet = prep.sheet_data(s, plan.id, now)
    assert sheet.when_line == phrasing.when_text(now + timedelta(days=1))
    assert "45 min" in sheet.format_line and sheet.recent == ["Nothing logged yet: a first meeting."]


def test_the_text_layer_has_no_ligatures_so_copying_and_searching_find_coffee(qapp, tmp_path: Path) -> None:
    import shutil
    import subprocess

    if shutil.which("pdftotext") is None and not os.environ.get("CI"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    words = "coffee office difficult workflow fluffy waffles first fix official afflict"
    sheet = prep.SheetData(
        title=f"Coffee {words}",
        person_name="Effie Griffin",
        person_line="Staff officer · Affinity",
        format_line="Coffee · 30 min",
        purpose=words,
        about=[words],
        recent=[f"02 Mar 2026 · Coffee: {words}"],
        questions=[words],
        follow_up_prompts=[words],
        exit_line=words,
        intro_script=words,
        hot_thought=words,
        balanced_thought=words,
        if_then_goal=words,
        energy_plan=words,
    )
    out = prep_sheet.write_pdf(sheet, tmp_path / "sheet.pdf", A4)
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    ligatures = sorted({c for c in text if "\ufb00" <= c <= "\ufb06"})
    assert ligatures == []
    assert "Coffee" in text and "Effie Griffin" in text and "Staff officer" in text
    flat = " ".join(text.split())
    assert flat.count(words) >= 8  # every section: headings, bold, italic quotes and small print alike
