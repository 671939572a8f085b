"""The window's save dialogs use the same guard as the commands: nothing is saved over the journal.
And a Markdown export, rendered by a real Markdown reader (Qt's), shows names as text."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog

from netjournal.app import NetjournalApp
from netjournal.core.exporters import export_to
from netjournal.ui import messages
from netjournal.ui.import_export import ExportDialog
from netjournal.ui.insights import InsightsView
from netjournal.ui.ops import DbWorker
from tests.conftest import NOW
from tests.factories import meeting, person
from tests.reliability.helpers import table_dump

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="symlinks")


def test_export_dialog_refuses_the_journal_file(qtbot, journal, monkeypatch) -> None:
    with journal.session() as s:
        person(s, "Søren", NOW)
    rows = table_dump(journal.data_dir.database)
    said: list[str] = []
    # The refusal is a known problem, shown by the database-operation API's one handler over the window.
    monkeypatch.setattr(messages, "inform", lambda _parent, text, *a: said.append(text))
    monkeypatch.setattr(ExportDialog, "exec", lambda _self: QDialog.DialogCode.Accepted)
    target = str(journal.data_dir.database)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (target, ""))
    app = NetjournalApp(QApplication.instance(), journal, interactive=False)
    qtbot.addWidget(app.window)
    try:
        app.export_action.trigger()
        qtbot.waitUntil(lambda: bool(said), timeout=5000)
        assert "journal's own files" in said[0] and "Nothing was written" in said[0]
    finally:
        app.shutdown()
    assert table_dump(journal.data_dir.database) == rows


@posix_only
def test_chart_picture_is_not_saved_over_the_journal(qtbot, journal, monkeypatch, tmp_path: Path) -> None:
    link = tmp_path / "chart.png"
    link.symlink_to(journal.data_dir.database)  # a name ending in .png that leads to the journal
    before = journal.data_dir.database.read_bytes()
    said: list[str] = []
    monkeypatch.setattr(messages, "inform", lambda _parent, text, *a: said.append(text))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(link), ""))
    ops = DbWorker(journal)
    view = InsightsView(ops)
    qtbot.addWidget(view)
    try:
        view.cards[2].save_button.click()
        assert said and "journal's own files" in said[0]
    finally:
        ops.stop()
    assert journal.data_dir.database.read_bytes() == before and link.is_symlink()


def test_markdown_export_renders_names_and_notes_as_text(qapp, journal, tmp_path: Path) -> None:
    name = "# Ann <script>alert(1)</script> [click](http://evil.invalid) **bold**"
    with journal.session() as s:
        ann = person(s, name, NOW, how_met="<img src=x onerror=alert(1)>")
        meeting(s, ann, NOW, days_ago=1, notes="# not a heading\n- [link](http://evil.invalid)\n<b>raw</b>")
    with journal.read() as s:
        text = export_to(s, "markdown", tmp_path / "j.md", now=NOW).read_text(encoding="utf-8")
    doc = QTextDocument()
    doc.setMarkdown(text)
    headings, anchors = [], []
    block = doc.begin()
    while block.isValid():
        if block.blockFormat().headingLevel():
            headings.append(block.text())
        it = block.begin()
        while not it.atEnd():
            if it.fragment().charFormat().isAnchor():
                anchors.append(it.fragment().text())
            it += 1
        block = block.next()
    assert headings == ["My netjournal", name, "Meetings"]  # the name is one heading, intact, as typed
    assert anchors == []  # no links
    plain = doc.toPlainText()
    assert "<script>alert(1)</script>" in plain and "<img src=x onerror=alert(1)>" in plain  # shown, not run
    assert "# not a heading" in plain and "[link](http://evil.invalid)" in plain and "<b>raw</b>" in plain
