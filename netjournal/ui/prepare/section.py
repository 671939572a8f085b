"""The Prepare section: meetings and plans beside the editor, the sheet, the debrief; and install()."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from netjournal.core import phrasing, prep, prompts, settings
from netjournal.core.clock import utcnow
from netjournal.core.db import Session
from netjournal.core.errors import NetjournalError
from netjournal.core.journal import resolve_person
from netjournal.core.people_view import pick_rows
from netjournal.ui import theme
from netjournal.ui.drafts import DraftKeeper
from netjournal.ui.empty_state import cover_when_empty
from netjournal.ui.form_parts import ID_ROLE, FormHeader, for_once, plain_label
from netjournal.ui.layout import list_beside_page, reflow_form, scrolling
from netjournal.ui.messages import inform
from netjournal.ui.ops import DbWorker
from netjournal.ui.prepare.bank import BankBrowser
from netjournal.ui.prepare.debrief import DebriefDialog
from netjournal.ui.prepare.editor import PlanEditor, SuggestionsPanel
from netjournal.ui.trash import Deleter, direct_deleter

if TYPE_CHECKING:
    from netjournal.app import NetjournalApp

KIND_ROLE = Qt.ItemDataRole.UserRole + 2


def _when(at: datetime | None) -> str:
    return phrasing.when_text(at, year=False) if at else ""


class PrepareView(QWidget):
    saved = Signal(int)

    def __init__(self, ops: DbWorker, parent: QWidget | None = None, *, notice: Callable[[str], None] | None = None):
        super().__init__(parent)
        self.ops = ops
        self.notice = notice or (lambda _t: None)
        self.plan_id: int | None = None
        self.debriefed = False
        self.keeper: DraftKeeper | None = None
        self.last_pdf: Path | None = None
        self.delete_item: Deleter = direct_deleter(ops)  # install() gives it the app's trash with Undo

        # Left: upcoming meetings and plans.
        self.upcoming = QListWidget()
        self.upcoming.setAccessibleName(self.tr("Upcoming meetings"))
        self.upcoming.setObjectName("upcomingMeetings")
        self.upcoming.setWordWrap(True)
        self.upcoming.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.upcoming.itemActivated.connect(self._meeting_chosen)
        self.upcoming.itemClicked.connect(self._meeting_chosen)
        self.plans = QListWidget()
        self.plans.setAccessibleName(self.tr("Plans"))
        self.plans.setObjectName("plansList")
        self.plans.setWordWrap(True)
        self.plans.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.plans.itemActivated.connect(self._plan_chosen)
        self.plans.itemClicked.connect(self._plan_chosen)
        cover_when_empty(
            self.plans,
            self.tr("No plans yet"),
            self.tr(
                "A plan is a few questions, one thing to offer and one small ask. Write one with New plan; "
                "the plans you save appear here."
            ),
        )
        cover_when_empty(
            self.upcoming,
            self.tr("Nothing coming up"),
            self.tr("Meetings you plan, or import from a calendar (.ics), appear here with a Prepare button."),
        )
        self.new_button = QPushButton(theme.icon("new"), self.tr("&New plan"))
        self.new_button.clicked.connect(lambda: self.new_plan())
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(8, 8, 0, 8)
        ll.addWidget(plain_label(self.tr("Upcoming meetings")))
        ll.addWidget(self.upcoming, 1)
        ll.addWidget(plain_label(self.tr("Plans")))
        ll.addWidget(self.plans, 2)
        ll.addWidget(self.new_button)

        # Right: the editor with suggestions, and the bank.
        self.header = FormHeader()
        self.heading, self.status = self.header.title, self.header.line
        self.editor = PlanEditor()
        self.editor.changed.connect(self._changed)
        self.editor.person_changed.connect(self.refresh_suggestions)
        editor_scroll = scrolling(self.editor, sideways=False)
        self.editor_scroll = editor_scroll
        self._reflow = reflow_form(editor_scroll.viewport(), self.editor.form, 520)
        self.suggestions = SuggestionsPanel()
        self.suggestions.add_requested.connect(self._add_suggestion)
        plan_split = QSplitter()
        plan_split.addWidget(editor_scroll)
        plan_split.addWidget(self.suggestions)
        plan_split.setStretchFactor(0, 3)
        plan_split.setStretchFactor(1, 2)
        plan_split.setSizes([640, 300])
        self.suggestions.setMinimumWidth(240)
        self.bank = BankBrowser(ops)
        self.bank.add_to_plan.connect(self._add_from_bank)
        self.tabs = QTabWidget()
        self.tabs.addTab(plan_split, self.tr("&Plan"))
        self.tabs.addTab(self.bank, self.tr("Question &bank"))
        self.tabs.currentChanged.connect(self._tab_changed)

        self.save_button = QPushButton(theme.icon("save"), self.tr("&Save"))
        self.save_button.setShortcut(QKeySequence.StandardKey.Save)
        self.save_button.clicked.connect(self.save)
        self.pdf_button = QPushButton(theme.icon("pdf"), self.tr("Save as P&DF…"))
        self.pdf_button.setToolTip(self.tr("Save the one-page prep sheet (Ctrl+Shift+S)"))
        self.pdf_button.clicked.connect(self.save_pdf)
        self.print_button = QPushButton(theme.icon("print"), self.tr("P&rint…"))
        self.print_button.setShortcut(QKeySequence.StandardKey.Print)
        self.print_button.clicked.connect(self.print_sheet)
        self.debrief_button = QPushButton(self.tr("De&brief…"))
        self.debrief_button.clicked.connect(self.debrief)
        self.delete_button = QPushButton(theme.icon("delete"), self.tr("Delete plan"))
        self.delete_button.clicked.connect(self.delete_plan)
        actions = QHBoxLayout()
        actions.addWidget(self.save_button)
        actions.addWidget(self.pdf_button)
        actions.addWidget(self.print_button)
        actions.addWidget(self.debrief_button)
        actions.addStretch(1)
        actions.addWidget(self.delete_button)

        right = QWidget()
        rl = QVBoxLayout(right)
        rl.addWidget(self.header)
        rl.addWidget(self.tabs, 1)
        rl.addLayout(actions)
        # Narrow, the lists and the plan take turns; a plan is always open, so the plan shows first.
        self.split = list_beside_page(self, left, right, back_text=self.tr("‹ Meetings and plans"))
        self.split.setSizes([230, 870])
        self.split.page_active = True
        self.plan_split = plan_split
        self.tabs.installEventFilter(self)
        # Only while Prepare is showing, so other sections may use the same keys.
        local = Qt.ShortcutContext.WidgetWithChildrenShortcut
        QShortcut(QKeySequence.StandardKey.SaveAs, self, self.save_pdf, local)
        QShortcut(QKeySequence(self.tr("Ctrl+Shift+N")), self, lambda: self.new_plan(), local)
        self._suggest_timer = QTimer(self)
        self._suggest_timer.setSingleShot(True)
        self._suggest_timer.setInterval(150)
        self._suggest_timer.timeout.connect(self._load_suggestions)
        self.new_plan()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.tabs and event.type() == QEvent.Type.Resize:
            self._fit_suggestions()
        return super().eventFilter(watched, event)

    def _fit_suggestions(self) -> None:
        # Editor and suggestions side by side need about 700 pixels; below that the suggestions get a tab.
        narrow = self.tabs.width() < 700
        self.suggestions.heading.setVisible(not narrow)  # the tab says it
        tab = self.tabs.indexOf(self.suggestions)
        if narrow and tab < 0:
            self.tabs.addTab(self.suggestions, self.tr("Su&ggestions"))
        elif not narrow and tab >= 0:
            self.tabs.removeTab(tab)
            self.plan_split.addWidget(self.suggestions)
            self.suggestions.show()

    def _tab_changed(self, index: int) -> None:
        # The question bank is read when first shown (its tab's index moves when Suggestions is a tab).
        if self.tabs.widget(index) is self.bank and not self.bank.entries:
            self.bank.refresh()

    # lists ------------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        self.ops.read(lambda s: prep.plan_lists(s, utcnow()), self._show_lists)
        self.ops.read(pick_rows, self.editor.set_people)

    def _show_lists(self, lists: prep.PlanLists) -> None:
        self.upcoming.clear()
        for m in lists.upcoming:
            who = ", ".join(m.people) or self.tr("no one linked")
            text = f"{_when(m.at)} · {m.title or who}"
            if m.title and m.people:
                text += f"\n{who}"
            if m.plan_id is not None:
                text += self.tr("  (plan ready)")
            item = QListWidgetItem(text)
            item.setData(ID_ROLE, m.id)
            item.setData(KIND_ROLE, m.plan_id)
            self.upcoming.addItem(item)
        if not lists.upcoming:
            item = QListWidgetItem(self.tr("Nothing upcoming. Meetings imported from your calendar show up here."))
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.upcoming.addItem(item)
        self.plans.clear()
        for p in lists.plans:
            bits = [p.title]
            if p.at:
                bits.append(_when(p.at))
            if p.debriefed:
                bits.append(self.tr("debriefed"))
            item = QListWidgetItem(" · ".join(bits))
            item.setData(ID_ROLE, p.id)
            self.plans.addItem(item)
            if p.id == self.plan_id:
                self.plans.setCurrentItem(item)

    def _meeting_chosen(self, item: QListWidgetItem) -> None:
        meeting_id, plan_id = item.data(ID_ROLE), item.data(KIND_ROLE)
        if meeting_id is None:
            return
        if plan_id is not None:
            self.open(plan_id)
        else:
            self.ops.read(lambda s: prep.fresh_plan(s, utcnow(), meeting_id=meeting_id), self._opened)

    def _plan_chosen(self, item: QListWidgetItem) -> None:
        pid = item.data(ID_ROLE)
        if pid == self.plan_id:
            self.split.show_page()
        if pid is not None and pid != self.plan_id:
            self.open(pid)

    # opening ----------------------------------------------------------------------------------------------

    def open(self, plan_id: int) -> None:
        self.ops.read(lambda s: prep.open_plan(s, plan_id, utcnow()), self._opened, parent=self)

    def new_plan(self, person_id: int | None = None, meeting_id: int | None = None) -> None:
        self.ops.read(lambda s: prep.fresh_plan(s, utcnow(), person_id, meeting_id), self._opened, parent=self)

    def plan_for_person(self, person_id: int) -> None:
        self.new_plan(person_id=person_id)

    def open_next_meeting(self) -> None:
        def job(s: Session) -> int | None:
            return prep.plan_for_next_meeting(s, utcnow())

        def done(plan_id: int | None) -> None:
            if plan_id is None:
                self.notice(self.tr("No upcoming meetings in the journal; here is a fresh plan instead."))
                self.new_plan()
            else:
                self.open(plan_id)
                self.refresh()

        self.ops.write(job, done, parent=self)

    def _opened(self, opened: prep.OpenedPlan) -> None:
        self._retire_keeper()
        self.plan_id = opened.plan_id
        self.debriefed = opened.debriefed
        self.editor.set_data(opened.data, opened.person_name)
        self.heading.setText(opened.data.title or self.tr("A new plan"))
        self._set_status(saved=opened.plan_id is not None)
        self.tabs.setCurrentIndex(0)
        self.split.show_page()
        self._start_drafts(opened)
        self.refresh_suggestions()

    def _retire_keeper(self) -> None:
        """Stop autosaving for the plan being left; a pending change is written first, under its own key."""
        keeper, self.keeper = self.keeper, None
        if keeper is None:
            return
        keeper.stop()
        keeper.deleteLater()

    def _start_drafts(self, opened: prep.OpenedPlan) -> None:
        self.keeper = DraftKeeper(self.ops, opened.draft_key, self.editor.to_draft, self)
        self.keeper.watch(self.editor.changed)
        if opened.draft:
            self.editor.from_draft(opened.draft)
            self._set_status(saved=False, recovered=True)

    def _set_status(self, *, saved: bool, recovered: bool = False) -> None:
        if recovered:
            text = self.tr("Recovered your unsaved changes. Save to keep them.")
        elif self.debriefed:
            text = self.tr("Debriefed. Nice one.")
        elif saved:
            text = self.tr("Saved.")
        else:
            text = self.tr("Not saved yet (your typing is kept as a draft).")
        self.status.setText(text)
        self.debrief_button.setEnabled(self.plan_id is not None)
        self.delete_button.setEnabled(self.plan_id is not None)

    def _changed(self) -> None:
        self.status.setText(self.tr("Changed (kept as a draft until you save)."))

    # suggestions ------------------------------------------------------------------------------------------

    def refresh_suggestions(self) -> None:
        self._suggest_timer.start()

    def _load_suggestions(self) -> None:
        person_id = self.editor.person_id()
        situation = self.editor.situation.currentData()
        job_search = self.editor.job_search.isChecked()
        duration = self.editor.duration.value()  # exit lines say the meeting's length
        event = prep.event_name(self.editor.plan_data())

        def job(s: Session) -> list[prep.Suggestion]:
            return prep.suggestions(
                s,
                person_id,
                utcnow(),
                situation=situation,
                job_search=job_search,
                duration_min=duration,
                event=event,
            )

        self.ops.read(job, self.suggestions.set_suggestions, parent=self)

    def _add_suggestion(self, s: prep.Suggestion) -> None:
        note = self.editor.apply_suggestion(s)
        self.notice(note or self.tr("Added to the plan."))

    def _add_from_bank(self, key: str, text: str) -> None:
        data = self.editor.plan_data()

        def job(s: Session) -> tuple[str, str, list[str]]:
            try:
                kind = prompts.get_entry(s, key).kind
            except NetjournalError:
                kind = "question"
            return (kind, *prep.fill_entry(s, data, text, kind, utcnow()))

        def done(result: tuple[str, str, list[str]]) -> None:
            kind, filled, missing = result
            target = {
                "follow_up": "follow_up_prompts",
                "exit_line": "exit_line",
                "intro_script": "intro_script",
            }.get(kind, "questions")
            # What the journal cannot know, the user types; the plan never shows "[what I do]".
            for blank in missing:
                hint = self.tr(" (save your name in Settings to have it filled in)") if blank == "my name" else ""
                value, ok = QInputDialog.getText(self, self.tr("Fill in the blank"), self.tr("“%s”%s:") % (blank, hint))
                if not ok or not value.strip():
                    self.notice(self.tr("Not added: it needs “%s”.") % blank)
                    return
                filled = filled.replace(f"[{blank}]", value.strip(), 1)
            self._add_suggestion(prep.Suggestion(target, filled, "", key))

        self.ops.read(job, done, parent=self)

    # saving -----------------------------------------------------------------------------------------------

    def save(self, *, then: Callable[[int], None] | None = None) -> None:
        # `then` is keyword-only: the Save button's clicked(bool) must not land in it.
        data = self.editor.plan_data()
        if not data.title:
            data.title = self.editor.person.text().strip() and f"Meeting {self.editor.person.text().strip()}"
        person_text = self.editor.person.text().strip()
        plan_id = self.plan_id

        def job(s: Session) -> int:
            if data.person_id is None and person_text:  # typed, not picked: never a guess
                data.person_id = resolve_person(s, person_text).id
            if plan_id is None:
                return prep.create_plan(s, data, now=utcnow()).id
            return prep.update_plan(s, plan_id, data, now=utcnow()).id

        def done(new_id: int) -> None:
            old_keeper, self.keeper = self.keeper, None
            self.plan_id = new_id
            if old_keeper is not None:
                old_keeper.discard()  # the plan is saved for real: its draft is no longer needed
                old_keeper.deleteLater()
            self.keeper = DraftKeeper(self.ops, f"plan:{new_id}", self.editor.to_draft, self)
            self.keeper.watch(self.editor.changed)
            self.heading.setText(data.title or self.tr("A plan"))
            self._set_status(saved=True)
            self.saved.emit(new_id)
            self.refresh()
            if then is not None:
                then(new_id)

        self.ops.write(job, done, parent=self)

    def delete_plan(self) -> None:
        plan_id = self.plan_id
        if plan_id is None:
            return

        def done() -> None:
            # Stop autosaving but keep the draft: after an Undo, opening the plan offers unsaved typing back.
            self._retire_keeper()
            self.plan_id = None
            self.refresh()
            self.new_plan()

        # The app's trash: the same Undo (Ctrl+Z) as every other delete, and File > Trash… later.
        self.delete_item("plan", plan_id, self.editor.title.text().strip() or self.tr("the plan"), done)

    # the sheet --------------------------------------------------------------------------------------------

    def _with_sheet(self, then: Callable[[prep.SheetData, str | None], None]) -> None:
        """Gather the sheet's data (and the page size) in the background, then `then(sheet, page)`."""
        data = self.editor.plan_data()
        try:
            data.validate()
        except NetjournalError as exc:
            inform(self, exc.message)
            return

        def job(s: Session) -> tuple[prep.SheetData, str | None]:
            return prep.sheet_data(s, data, utcnow()), settings.get(s, "prep.page_size")

        self.ops.read(job, lambda loaded: then(*loaded), parent=self)

    def save_pdf(self) -> None:
        self._with_sheet(self._save_pdf)

    def _save_pdf(self, sheet: prep.SheetData, page: str | None) -> None:
        from netjournal.ui import prep_sheet

        suggested = "".join(c if c.isalnum() or c in " -_" else "_" for c in (sheet.person_name or sheet.title))
        path, _filter = QFileDialog.getSaveFileName(
            self,
            self.tr("Save the prep sheet"),
            str(Path.home() / f"Prep - {suggested.strip() or 'meeting'}.pdf"),
            self.tr("PDF files (*.pdf)"),
        )
        if not path:
            return
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        try:
            written = prep_sheet.write_pdf(sheet, path, prep_sheet.page_size_for(page), self.ops.journal.data_dir)
        except NetjournalError as exc:
            inform(self, exc.message)
            return
        self.last_pdf = written
        self.notice(self.tr("Saved the prep sheet to %s.") % written)

    def print_sheet(self) -> None:
        self._with_sheet(self._print_sheet)

    def _print_sheet(self, sheet: prep.SheetData, page: str | None) -> None:
        from netjournal.ui import prep_sheet

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageSize(prep_sheet.page_size_for(page))
        printer.setDocName(sheet.title)
        with for_once(QPrintDialog(printer, self)) as dialog:
            dialog.setWindowTitle(self.tr("Print the prep sheet"))
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
        try:
            prep_sheet.paint_sheet(sheet, printer)
        except NetjournalError as exc:
            inform(self, exc.message)
            return
        self.notice(self.tr("Sent the prep sheet to the printer."))

    # debrief ----------------------------------------------------------------------------------------------

    def debrief(self) -> None:
        if self.plan_id is None:
            inform(self, self.tr("Save the plan first; the debrief is saved with it."))
            return
        # Save the plan as it is now, then debrief it, so nothing typed is lost.
        self.save(then=self._debrief_saved)

    def _debrief_saved(self, plan_id: int) -> None:
        with for_once(
            DebriefDialog(self, self.editor.title.text() or self.tr("this meeting"), self.editor.plan_data().at)
        ) as dialog:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            values = dialog.values()

        def job(s: Session) -> int:
            return prep.debrief(s, plan_id, now=utcnow(), **values).id

        def done(_interaction_id: int) -> None:
            self.debriefed = True
            self._set_status(saved=True)
            self.notice(self.tr("Saved to the journal. Well done for going; that's enough for today."))
            self.saved.emit(plan_id)
            self.refresh()

        self.ops.write(job, done, parent=self)


def install(app: NetjournalApp) -> None:
    from netjournal.ui.main_window import Section
    from netjournal.ui.trash import controller

    view = PrepareView(app.ops, notice=app.window.show_notice)
    view.delete_item = controller(app).delete
    app.prepare = view
    app.nav.offer_prepare(lambda person_id, meeting_id: view.new_plan(person_id, meeting_id))
    view.saved.connect(lambda _id: app.journal_changed.emit())
    app.journal_changed.connect(view.refresh)
    app.window.add_section(Section("prepare", app.tr("Prepare"), view))

    def prepare_next() -> None:
        app.window.bring_forward()
        app.window.show_section("prepare")
        view.open_next_meeting()

    def prepare_person() -> None:
        app.nav.prepare_meeting(person_id=app.nav.person_in_view())

    action = app.window.menu_go.addAction(app.tr("Prepare next meeting…"))
    action.triggered.connect(prepare_next)
    person_action = app.window.menu_go.addAction(app.tr("Prepare a meeting with this person…"))
    person_action.setShortcut(QKeySequence(app.tr("Ctrl+Shift+P")))
    person_action.triggered.connect(prepare_person)
    app.prepare_next = prepare_next

    if app.tray is not None:

        def fill(menu: QMenu) -> None:
            menu.addAction(app.tr("Prepare next meeting…")).triggered.connect(prepare_next)

        app.tray.fillers.append(fill)
    view.refresh()
