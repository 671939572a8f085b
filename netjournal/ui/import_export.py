"""File ▸ Import… (with a preview, a per-record report and a progress bar) and File ▸ Export….

The preview is a real import run in a transaction that is rolled back (a dry run), so what it
shows is exactly what Import will do. Both run on the database thread; progress comes back by signal.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QStandardPaths,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from netjournal.core.clock import utcnow
from netjournal.core.db import Journal, Session
from netjournal.core.errors import NetjournalError
from netjournal.core.exporters import SUFFIXES, export_to
from netjournal.core.importers import ImportReport, run_import
from netjournal.core.journal import CIRCLE_LABELS
from netjournal.core.models import CIRCLES
from netjournal.ui import theme
from netjournal.ui.form_parts import for_once
from netjournal.ui.ops import DbWorker, known

if TYPE_CHECKING:
    from netjournal.app import NetjournalApp

FILE_FILTER = "Contacts and calendars (*.vcf *.vcard *.csv *.ics *.ical);;All files (*)"


class _Progress(QObject):
    """Carries progress from the database thread to the dialog (a queued signal)."""

    changed = Signal(int, int)


class ReportModel(QAbstractTableModel):
    """The preview's rows, read lazily by the view (a 5,000-card file does not stall the window)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[tuple[str, str, str, str, str, str]] = []  # action word, name, why, file, record, path
        self.headers = [self.tr("What happens"), self.tr("Name"), self.tr("Why"), self.tr("File"), self.tr("Record")]

    def set_rows(self, rows: list[tuple[str, str, str, str, str, str]]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:  # plain strings: a view never reads them as markup
            return row[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return row[5] if index.column() == 3 else row[index.column()]
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers[section]
        return None


class ImportDialog(QDialog):
    """Preview of an import: what each record will become, then Import commits it all at once."""

    imported = Signal(object)  # ImportReport

    def __init__(self, ops: DbWorker, paths: list[Path], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.paths = paths
        self.report: ImportReport | None = None
        self.setWindowTitle(self.tr("Import contacts and meetings"))
        self.resize(960, 560)
        self.heading = QLabel(self.tr("Reading %n file(s)…", "", len(paths)))
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.model = ReportModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        for column, width in enumerate((110, 240, 0, 200, 70)):
            if width:
                header.resizeSection(column, width)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.circle = QComboBox()
        self.circle.setAccessibleName(self.tr("Circle"))
        self.circle.addItem(self.tr("Leave unset (weak tie until I place them)"), None)
        for c in CIRCLES:
            self.circle.addItem(CIRCLE_LABELS[c], c)
        self.options = QWidget()
        form = QFormLayout(self.options)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.tr("Circle for the people in these files:"), self.circle)
        self.buttons = QDialogButtonBox()
        self.import_button = QPushButton(self.tr("&Import"))
        self.import_button.setEnabled(False)
        self.import_button.setDefault(True)
        self.buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.import_button.clicked.connect(self.do_import)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.progress)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.options)
        layout.addWidget(self.buttons)
        self._progress = _Progress(self)
        self._progress.changed.connect(self._on_progress)

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _job(self, dry_run: bool, circle: int | None) -> Any:
        paths = list(self.paths)
        signal = self._progress.changed

        def job(j: Journal) -> ImportReport:
            # The preview reads past records that cannot be imported and lists them, so the user can
            # choose to import the rest (still in one transaction); Import then leaves out exactly those.
            return run_import(
                j, paths, now=utcnow(), dry_run=dry_run, circle=circle, progress=signal.emit, skip_invalid=True
            )

        return job

    def start_preview(self) -> None:
        self.ops.run(self._job(True, None), self._show_preview, known(self._show_problem, first=self._stopped))

    def _show_preview(self, report: ImportReport) -> None:
        self.report = report
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.progress.hide()
        words = {"created": self.tr("New"), "updated": self.tr("Update"), "skipped": self.tr("Skip")}
        cannot = self.tr("Cannot import")
        invalid = report.invalid
        self.model.set_rows(
            [
                (
                    cannot if r.kind == "invalid" else words[r.action],
                    r.name,
                    self.tr("line %1: %2").replace("%1", str(r.line)).replace("%2", r.reason)
                    if r.kind == "invalid"
                    else r.reason,
                    f.path.name,
                    str(r.record),
                    str(f.path),
                )
                for f in report.files
                for r in sorted(f.results, key=lambda r: r.kind != "invalid")  # the problems first
            ]
        )
        summary = self.tr("%1 new, %2 to update, %3 skipped. Nothing has changed yet.")
        for n, value in enumerate((report.created, report.updated, report.skipped - len(invalid)), start=1):
            summary = summary.replace(f"%{n}", str(value))
        if invalid:
            first_path, first = invalid[0]
            offer = self.tr(
                "%1 record(s) cannot be imported (the first: %2, record %3, line %4). "
                "You can import the rest; those are left out, listed first below."
            )
            for n, part in enumerate((len(invalid), first_path.name, first.record, first.line), start=1):
                offer = offer.replace(f"%{n}", str(part))
            summary = offer + "\n" + summary
            self.import_button.setText(self.tr("&Import the rest"))
        for f in report.files:
            if f.encoding not in ("utf-8", "utf-16"):  # a guess: say it, so a wrong one is noticed
                read_as = self.tr("%1 was read as %2.")
                summary += "\n" + read_as.replace("%1", f.path.name).replace("%2", f.encoding_name)
        self.heading.setText(summary)
        self.import_button.setEnabled(report.created + report.updated > 0)

    def _stopped(self) -> None:
        """A failed preview or import, known problem or bug: nothing more to do in this dialog."""
        self.progress.hide()
        self.import_button.setEnabled(False)
        self.import_button.hide()
        self.table.hide()
        self.options.hide()
        self.cancel_button.setText(self.tr("Close"))
        self.resize(640, self.minimumSizeHint().height())
        self.heading.setText(self.tr("Something went wrong while reading the files; nothing was imported."))

    def _show_problem(self, exc: NetjournalError) -> None:
        self.heading.setText(exc.message)

    def do_import(self) -> None:
        self.import_button.setEnabled(False)
        self.progress.setRange(0, 0)
        self.progress.show()
        self.heading.setText(self.tr("Importing…"))
        job = self._job(False, self.circle.currentData())
        self.ops.run(job, self._finished, known(self._show_problem, first=self._stopped))

    def _finished(self, report: ImportReport) -> None:
        self.report = report
        self.imported.emit(report)
        self.accept()


class ExportDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Export the journal"))
        self.format = QComboBox()
        self.format.setAccessibleName(self.tr("Format"))
        self.format.addItem(self.tr("Complete backup (JSON)"), "json")
        self.format.addItem(self.tr("Contacts (vCard)"), "vcard")
        self.format.addItem(self.tr("Spreadsheet, one row per person (CSV)"), "csv")
        self.format.addItem(self.tr("Readable journal (Markdown)"), "markdown")
        note = QLabel(self.tr("The file is readable by you only. It holds your private notes: keep it somewhere safe."))
        note.setTextFormat(Qt.TextFormat.PlainText)
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        choose = QPushButton(self.tr("&Choose file…"))
        choose.setDefault(True)
        buttons.addButton(choose, QDialogButtonBox.ButtonRole.AcceptRole)
        choose.clicked.connect(self.accept)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Format:")))
        row.addWidget(self.format, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def chosen_format(self) -> str:
        return str(self.format.currentData())


def _documents() -> str:
    return QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())


def open_import(app: NetjournalApp) -> ImportDialog | None:
    paths, _ = QFileDialog.getOpenFileNames(
        app.window, app.tr("Import contacts or meetings"), _documents(), app.tr(FILE_FILTER)
    )
    if not paths:
        return None
    dialog = ImportDialog(app.ops, [Path(p) for p in paths], app.window)
    # Gone once closed: a child of the window would otherwise stay alive, preview table and all, one
    # more for every import. A job still running then finds it gone and is skipped (ui/ops.py).
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def imported(report: ImportReport) -> None:
        app.journal_changed.emit()
        text = app.tr("Imported: %1 new, %2 updated, %3 skipped.")
        for n, value in enumerate((report.created, report.updated, report.skipped), start=1):
            text = text.replace(f"%{n}", str(value))
        app.window.show_notice(text)

    dialog.imported.connect(imported)
    dialog.start_preview()
    dialog.open()
    return dialog


def open_export(app: NetjournalApp) -> None:
    with for_once(ExportDialog(app.window)) as dialog:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        fmt = dialog.chosen_format()
    suggested = str(Path(_documents()) / f"netjournal-{utcnow():%Y-%m-%d}{SUFFIXES[fmt]}")
    target, _ = QFileDialog.getSaveFileName(app.window, app.tr("Export to"), suggested)
    if not target:
        return

    data_dir = app.journal.data_dir

    def job(s: Session) -> Path:
        return export_to(s, fmt, Path(target), now=utcnow(), data_dir=data_dir)

    def done(path: Path) -> None:
        app.window.show_notice(app.tr("Exported to %1.").replace("%1", str(path)))

    app.ops.read(job, done, parent=app.window)


def install(app: NetjournalApp) -> None:
    import_action = QAction(theme.icon("import"), app.tr("&Import…"), app.window)
    import_action.setShortcut(QKeySequence(app.tr("Ctrl+I")))
    import_action.triggered.connect(lambda: open_import(app))
    export_action = QAction(theme.icon("export"), app.tr("&Export…"), app.window)
    export_action.setShortcut(QKeySequence(app.tr("Ctrl+E")))
    export_action.triggered.connect(lambda: open_export(app))
    app.window.menu_file.addAction(import_action)
    app.window.menu_file.addAction(export_action)
    app.import_action = import_action
    app.nav.offer_import(import_action.trigger)  # the menu's Import…, wherever it is asked from
    app.export_action = export_action
