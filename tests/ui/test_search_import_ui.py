"""The Search section and the Import/Export dialogs, driven like a user would."""

from __future__ import annotations

from pathlib import Path

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog

from netjournal.core.journal import live_people
from netjournal.core.search import SearchHit
from netjournal.ui import import_export
from netjournal.ui.import_export import ExportDialog, ImportDialog
from netjournal.ui.search import HIT_ROLE, segments
from tests.conftest import CORPUS, NOW
from tests.factories import meeting, person


def test_search_finds_and_opens_the_person(qtbot, make_app, journal) -> None:
    with journal.session() as s:
        ana = person(s, "Ana <b>Lima</b>", NOW, organisation="Acme")
        meeting(s, ana, NOW, days_ago=2, notes="Talked about her half marathon in Lisbon")
        ana_id = ana.id
    app = make_app()
    app.window.show_section("search")
    view = app.search
    view.box.setText("marathon lis")
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=3000)
    hit: SearchHit = view.model.index(0).data(HIT_ROLE)
    assert hit.kind == "interaction" and hit.name == "Ana <b>Lima</b>"
    assert [hit.snippet[a:b] for a, b in hit.highlights] == ["marathon", "Lisbon"]
    assert "1 result" in view.status.text()
    qtbot.keyClick(view.box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: app.people.page.person_id == ana_id, timeout=3000)
    assert app.window.stack.currentWidget() is app.people
    view.box.setText("zebra")
    qtbot.waitUntil(lambda: "Nothing found" in view.status.text(), timeout=3000)
    assert view.model.rowCount() == 0


def test_enter_right_after_typing_searches_for_what_was_typed(qtbot, make_app, journal) -> None:
    # Enter before the typing pause is over used to cancel the search: the box said "Bo" and the list
    # still showed (and Enter opened) the results for the words before, or nothing at all.
    with journal.session() as s:
        person(s, "Ana Lima", NOW)
        bo_id = person(s, "Bo Stone", NOW).id
    app = make_app()
    app.window.show_section("search")
    view = app.search
    view.box.setText("Ana")
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=3000)
    view.box.setText("Stone")
    qtbot.keyClick(view.box, Qt.Key.Key_Return)  # at once, while the typing timer still runs
    qtbot.waitUntil(lambda: app.people.page.person_id == bo_id, timeout=3000)
    assert view.model.index(0).data(HIT_ROLE).name == "Bo Stone"
    assert "1 result" in view.status.text()


def test_search_refreshes_after_changes(qtbot, app, journal) -> None:
    view = app.search
    view.box.setText("quokka")
    qtbot.waitUntil(lambda: "Nothing found" in view.status.text(), timeout=3000)
    with journal.session() as s:
        person(s, "Quokka Fan", NOW)
    app.journal_changed.emit()
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=3000)


def test_segments_split_plain_text_around_matches() -> None:
    assert segments("a <b>x</b> c", ((2, 5),)) == [("a ", False), ("<b>", True), ("x</b> c", False)]


def test_import_preview_then_import(qtbot, app, journal, monkeypatch) -> None:
    files = [str(CORPUS / "vcard" / "ezvcard_gmail-list.vcf"), str(CORPUS / "vcard" / "vobject_vcard40_group.vcf")]
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: (files, ""))
    changed = []
    app.journal_changed.connect(lambda: changed.append(1))
    dialog = import_export.open_import(app)
    assert isinstance(dialog, ImportDialog)
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled(), timeout=5000)
    model = dialog.table.model()
    assert model.rowCount() == 4
    rows = [[model.index(r, c).data() for c in range(5)] for r in range(4)]
    assert rows[0][:2] == ["New", "Arnold Smith"]
    assert rows[3][0] == "Skip" and "group" in rows[3][2]
    assert "3 new, 0 to update, 1 skipped" in dialog.heading.text()
    assert app.ops.wait_idle() and _count(journal) == 0  # the preview changed nothing
    dialog.circle.setCurrentIndex(dialog.circle.findData(150))
    dialog.import_button.click()
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog), timeout=5000)  # closed and deleted, not kept
    assert changed and app.ops.wait_idle() and _count(journal) == 3
    assert "Imported: 3 new" in app.window.statusBar().currentMessage()


def _count(j) -> int:
    from sqlalchemy import func, select

    from netjournal.core.models import Person

    with j.read() as s:
        return s.scalar(select(func.count()).select_from(Person))


def test_import_of_a_broken_file_says_why_and_offers_nothing(qtbot, make_app, journal, tmp_path: Path) -> None:
    bad = tmp_path / "broken.vcf"
    bad.write_text("BEGIN:VCARD\nVERSION:3.0\nFN:Cut\n", encoding="utf-8")
    app = make_app()
    dialog = ImportDialog(app.ops, [bad], app.window)
    dialog.start_preview()
    qtbot.waitUntil(lambda: "broken.vcf" in dialog.heading.text(), timeout=5000)
    assert "record 1" in dialog.heading.text() and not dialog.import_button.isEnabled()
    assert dialog.heading.textFormat() == Qt.TextFormat.PlainText


def test_export_writes_the_chosen_format(qtbot, make_app, journal, monkeypatch, tmp_path: Path) -> None:
    with journal.session() as s:
        person(s, "Søren", NOW)
    target = tmp_path / "people.vcf"

    def choose(dialog: ExportDialog) -> QDialog.DialogCode:
        dialog.format.setCurrentIndex(dialog.format.findData("vcard"))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ExportDialog, "exec", choose)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    app = make_app()
    app.export_action.trigger()
    qtbot.waitUntil(target.exists, timeout=5000)
    assert "FN:Søren" in target.read_text(encoding="utf-8")


def test_a_long_file_shows_real_progress(qtbot, make_app, journal, tmp_path: Path) -> None:
    from bench.bench_import import make_vcards

    big = tmp_path / "many.vcf"
    make_vcards(big, 400, seed=1)
    app = make_app()
    dialog = ImportDialog(app.ops, [big], app.window)
    seen: list[tuple[int, int]] = []
    dialog._progress.changed.connect(lambda a, b: seen.append((a, b)))
    dialog.start_preview()
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled(), timeout=10000)
    assert len(seen) > 5 and seen[-1] == (800, 800)
    assert dialog.table.model().rowCount() == 400


def test_import_preview_offers_to_import_the_rest_of_a_file_with_bad_records(
    qtbot, make_app, journal, tmp_path: Path
) -> None:
    mixed = tmp_path / "mixed.vcf"
    mixed.write_text(
        "BEGIN:VCARD\nVERSION:3.0\nFN:Ana Lima\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:3.0\nthis is no property\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:3.0\nFN:Bo Kim\nEND:VCARD\n",
        encoding="utf-8",
    )
    app = make_app()
    dialog = ImportDialog(app.ops, [mixed], app.window)
    dialog.start_preview()
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled(), timeout=5000)
    heading = dialog.heading.text()
    assert "1 record(s) cannot be imported" in heading and "mixed.vcf, record 2, line 7" in heading
    assert "2 new" in heading
    model = dialog.table.model()
    first = [model.index(0, c).data() for c in range(5)]
    assert first[0] == "Cannot import" and first[3:] == ["mixed.vcf", "2"] and "line 7" in first[2]
    assert dialog.import_button.text() == "&Import the rest"
    with journal.read() as s:
        assert not s.scalars(live_people()).all()  # the preview kept nothing
    dialog.import_button.click()
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted, timeout=5000)
    with journal.read() as s:
        assert sorted(p.name for p in s.scalars(live_people())) == ["Ana Lima", "Bo Kim"]
