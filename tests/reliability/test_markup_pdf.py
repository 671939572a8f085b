"""The printed prep sheet shows names, notes and plans that look like HTML exactly as typed."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from PySide6.QtGui import QPageSize

from netjournal.core import prep
from netjournal.core.journal import (
    InteractionData,
    PersonData,
    add_commitment,
    create_person,
    log_interaction,
)
from netjournal.core.models import Channel, Direction
from netjournal.ui import prep_sheet
from tests.conftest import NOW, require_tool

TRICKY = ["<b>Bold</b>", "<img src=x>", "<a href='https://example.org/'>link</a>", "Tom &amp; Jerry & Co", "<i>"]


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_prep_sheet_pdf_prints_markup_literally(qtbot, journal, tmp_path: Path) -> None:
    pdftotext = require_tool("pdftotext", "poppler-utils")
    with journal.session() as s:
        p = create_person(
            s,
            PersonData(
                name="Ann <b>Bold</b>",
                organisation="Tom &amp; Jerry & Co",
                role="<i>",
                how_met="<img src=x>",
                ford_occupation="<a href='https://example.org/'>link</a>",
            ),
            now=NOW,
        )
        log_interaction(s, [p.id], InteractionData(at=NOW, channel=Channel.COFFEE, notes="<img src=x>"), now=NOW)
        add_commitment(s, p.id, Direction.I_OWE, "send <b>Bold</b>", now=NOW)
        data = prep.PlanData(
            person_id=p.id,
            title="Coffee <b>Bold</b>",
            purpose="Tom &amp; Jerry & Co",
            questions=[{"text": "<a href='https://example.org/'>link</a>?"}],
            ask="<img src=x>",
            exit_line="<i>",
        )
        sheet = prep.sheet_data(s, data, NOW)
    pdf = prep_sheet.render_pdf(sheet, QPageSize(QPageSize.PageSizeId.A4))
    (tmp_path / "sheet.pdf").write_bytes(pdf)
    text = subprocess.run(
        [pdftotext, "-enc", "UTF-8", str(tmp_path / "sheet.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Ann" in text
    for fragment in TRICKY:
        assert squash(fragment) in squash(text), f"{fragment!r} is not printed literally"
