"""The Ladders tab: exposure ladders, their steps and the tries logged against them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from netjournal.core import ladder as ld
from netjournal.core.clock import utcnow
from netjournal.core.db import Session
from netjournal.core.errors import NetjournalError
from netjournal.ui import theme
from netjournal.ui.empty_state import cover_when_empty
from netjournal.ui.form_parts import (
    GENTLE_STYLE,
    ID_ROLE,
    RatingSpin,
    dialog_buttons,
    for_once,
    moment_edit,
    plain_label,
    text_box,
)
from netjournal.ui.layout import fit_screen, list_beside_page
from netjournal.ui.messages import inform
from netjournal.ui.ops import DbWorker
from netjournal.ui.qt import to_datetime
from netjournal.ui.trash import Deleter, direct_deleter


class LadderDialog(QDialog):
    """Write or change a ladder: a goal and up to 15 concrete steps with expected discomfort."""

    def __init__(self, parent: QWidget | None, data: ld.LadderData | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Exposure ladder"))
        self.resize(fit_screen(self, QSize(760, 560)))
        self.goal = QLineEdit(data.goal if data else "")
        self.goal.setPlaceholderText(self.tr("e.g. Feel at ease at meetups"))
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Step (a specific situation)"),
                self.tr("Expected discomfort 0–100"),
                self.tr("Safety behaviour to drop"),
            ]
        )
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self._ids: list[int | None] = []
        for s in data.steps if data else []:
            self.add_step(s)
        if not data:
            for _ in range(ld.MIN_STEPS):
                self.add_step()
        add = QPushButton(theme.icon("new"), self.tr("Add a step"))
        add.clicked.connect(lambda: self.add_step())  # not clicked's `checked` as the step
        add.clicked.connect(self._update_advice)
        remove = QPushButton(theme.icon("remove"), self.tr("Remove step"))
        remove.clicked.connect(self.remove_step)
        self.advice = plain_label("", muted=True)
        self.error = plain_label("")
        self.error.setStyleSheet(GENTLE_STYLE)
        self.error.hide()
        buttons = dialog_buttons(self, accept=self._accept)
        row = QHBoxLayout()
        row.addWidget(add)
        row.addWidget(remove)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        form.addRow(self.tr("&Goal"), self.goal)
        layout.addLayout(form)
        layout.addWidget(
            plain_label(
                self.tr("Easiest first, about 5–10 points apart, with a few easy steps around 20–40."), muted=True
            )
        )
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(self.advice)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.table.itemChanged.connect(self._update_advice)
        self._update_advice()

    def add_step(self, step: ld.StepData | None = None) -> None:
        if self.table.rowCount() >= ld.MAX_STEPS:
            return
        r = self.table.rowCount()
        # No itemChanged while the row is half built (the advice reads every row's discomfort box).
        blocked = self.table.blockSignals(True)
        self.table.insertRow(r)
        self.table.setItem(r, 0, QTableWidgetItem(step.text if step else ""))
        spin = QSpinBox()
        spin.setRange(0, 100)
        spin.setSingleStep(5)
        spin.setValue(step.suds_expected if step else min(100, 20 + 10 * r))
        spin.valueChanged.connect(self._update_advice)
        self.table.setCellWidget(r, 1, spin)
        self.table.setItem(r, 2, QTableWidgetItem(step.safety_behaviour if step else ""))
        self._ids.append(step.id if step else None)
        self.table.blockSignals(blocked)

    def remove_step(self) -> None:
        r = self.table.currentRow()
        if r >= 0:
            self.table.removeRow(r)
            del self._ids[r]
            self._update_advice()

    def data(self) -> ld.LadderData:
        steps = []
        for r in range(self.table.rowCount()):
            text_item, safety_item = self.table.item(r, 0), self.table.item(r, 2)
            spin = self.table.cellWidget(r, 1)
            assert isinstance(spin, QSpinBox)
            text = text_item.text() if text_item else ""
            if text.strip():
                safety = safety_item.text() if safety_item else ""
                steps.append(
                    ld.StepData(text=text, suds_expected=spin.value(), safety_behaviour=safety, id=self._ids[r])
                )
        return ld.LadderData(goal=self.goal.text(), steps=steps)

    def _update_advice(self, *_: object) -> None:
        self.advice.setText("\n".join(ld.ladder_advice(self.data().steps)))

    def _accept(self) -> None:
        try:
            data = self.data()
            ld.LadderData(data.goal, [ld.StepData(**vars(s)) for s in data.steps]).validate()
        except NetjournalError as exc:
            self.error.setText(exc.message)
            self.error.show()
            return
        self.accept()


class AttemptDialog(QDialog):
    def __init__(self, parent: QWidget | None, step_text: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Log a try"))
        self.when = moment_edit()
        self.before, self.peak, self.after = RatingSpin(0, 100), RatingSpin(0, 100), RatingSpin(0, 100)
        self.note = text_box(self.tr("What helped? What did you notice?"))
        form = QFormLayout(self)
        form.addRow(plain_label(step_text))
        form.addRow(self.tr("&When"), self.when)
        form.addRow(self.tr("Discomfort &before (0–100)"), self.before)
        form.addRow(self.tr("At its &peak (0–100)"), self.peak)
        form.addRow(self.tr("&After (0–100)"), self.after)
        form.addRow(self.tr("&Note"), self.note)
        form.addRow(plain_label(self.tr("Every try counts, however it felt."), muted=True))
        form.addRow(dialog_buttons(self))


class LaddersPane(QWidget):
    changed = Signal()

    def __init__(self, ops: DbWorker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.delete_item: Deleter = direct_deleter(ops)  # install() gives it the app's trash with Undo
        self.offer_undo: Callable[[str, str], None] | None = None  # install(): the app's Undo bar
        self.ladders: list[ld.LadderView] = []
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Ladders"))
        self.list.setObjectName("ladderList")
        cover_when_empty(
            self.list,
            self.tr("No ladders yet"),
            self.tr(
                "A ladder is a few small steps toward something that feels hard. Start the networking ladder "
                "below, or make your own."
            ),
        )
        self.list.setWordWrap(True)
        self.list.currentRowChanged.connect(self._show_current)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        # Narrow, the list and the ladder take turns: picking a ladder opens it.
        self.list.itemClicked.connect(self._open_ladder_page)
        self.list.itemActivated.connect(self._open_ladder_page)
        self.starter_button = QPushButton(self.tr("Start the networking ladder"))
        self.starter_button.setToolTip(self.tr("Twelve small steps, from a friendly reply to reconnecting after years"))
        self.starter_button.clicked.connect(self.add_starter)
        self.new_button = QPushButton(theme.icon("new"), self.tr("New ladder…"))
        self.new_button.clicked.connect(self.new_ladder)
        self.edit_button = QPushButton(self.tr("Edit…"))
        self.edit_button.clicked.connect(self.edit_ladder)
        self.delete_button = QPushButton(theme.icon("delete"), self.tr("Delete"))
        self.delete_button.clicked.connect(self.delete_ladder)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.list, 1)
        ll.addWidget(self.starter_button)
        ll.addWidget(self.new_button)
        row = QHBoxLayout()
        row.addWidget(self.edit_button)
        row.addWidget(self.delete_button)
        ll.addLayout(row)

        self.goal = plain_label("")
        f = self.goal.font()
        f.setBold(True)
        f.setPointSizeF(f.pointSizeF() * 1.2)
        self.goal.setFont(f)
        self.suggestion = plain_label("")
        self.suggestion.setObjectName("nextStep")
        self.suggestion.setStyleSheet(GENTLE_STYLE)
        self.advice = plain_label("", muted=True)
        self.steps = QTreeWidget()
        self.steps.setColumnCount(4)
        self.steps.setHeaderLabels([self.tr("Step"), self.tr("Expected"), self.tr("Tries"), self.tr("Last peak")])
        self.steps.setRootIsDecorated(False)
        # Steps wrap in their column instead of being cut to "Re…" when the window is narrow.
        self.steps.setWordWrap(True)
        self.steps.setUniformRowHeights(False)
        self.steps.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.steps.header().sectionResized.connect(lambda *_: self.steps.doItemsLayout())
        self.steps.setAlternatingRowColors(True)
        self.steps.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        head = self.steps.header()
        head.setStretchLastSection(False)
        head.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 3):
            head.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.steps.itemChanged.connect(self._done_toggled)
        self.try_button = QPushButton(self.tr("&Log a try…"))
        self.try_button.clicked.connect(self.log_try)
        self.steps.itemDoubleClicked.connect(lambda *_: self.log_try())
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.addWidget(self.goal)
        rl.addWidget(self.suggestion)
        rl.addWidget(self.steps, 1)
        rl.addWidget(self.advice)
        rl.addWidget(
            plain_label(self.tr("Tick a step when it feels manageable. Double-click a step to log a try."), muted=True)
        )
        rr = QHBoxLayout()
        rr.addStretch(1)
        rr.addWidget(self.try_button)
        rl.addLayout(rr)
        self.empty = plain_label(
            self.tr(
                "An exposure ladder is a list of small, concrete steps from easy to hard. You climb it one "
                "try at a time, and each try makes the next one easier.\n\nStart with the networking ladder "
                "and change any step to fit your life, or write your own."
            )
        )
        self.empty.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.empty.setContentsMargins(12, 12, 12, 12)
        self.right = QStackedWidget()
        self.right.addWidget(self.empty)
        self.right.addWidget(right)
        self._detail = right
        self.split = list_beside_page(self, left, self.right, back_text=self.tr("‹ All ladders"))
        self._filling = False

    def _open_ladder_page(self, _item: QListWidgetItem) -> None:
        self.split.show_page()

    def show_ladders(self, ladders: list[ld.LadderView]) -> None:
        current = self.current_ladder()
        keep = current.id if current else None
        self.ladders = ladders
        self.list.blockSignals(True)
        self.list.clear()
        for lad in ladders:
            done = sum(1 for s in lad.steps if s.done)
            item = QListWidgetItem(f"{lad.goal}\n{done} of {len(lad.steps)} steps feel manageable")
            item.setData(ID_ROLE, lad.id)
            self.list.addItem(item)
        self.list.blockSignals(False)
        row = next((i for i, lad in enumerate(ladders) if lad.id == keep), 0 if ladders else -1)
        self.list.setCurrentRow(row)
        self._show_current(row)

    def current_ladder(self) -> ld.LadderView | None:
        row = self.list.currentRow()
        return self.ladders[row] if 0 <= row < len(self.ladders) else None

    def _show_current(self, _row: int = -1) -> None:
        lad = self.current_ladder()
        if lad is None:
            self.right.setCurrentWidget(self.empty)
            return
        self.right.setCurrentWidget(self._detail)
        self.goal.setText(lad.goal)
        self.suggestion.setText(lad.suggestion or "")
        self.suggestion.setVisible(bool(lad.suggestion))
        self.advice.setText("\n".join(lad.advice))
        self._filling = True
        self.steps.clear()
        for s in lad.steps:
            item = QTreeWidgetItem(
                [
                    s.text,
                    str(s.suds_expected),
                    str(s.tries) if s.tries else "",
                    "" if s.last_peak is None else str(s.last_peak),
                ]
            )
            item.setData(0, ID_ROLE, s.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(0, Qt.CheckState.Checked if s.done else Qt.CheckState.Unchecked)
            tip = s.text + (f"\nSafety behaviour to drop: {s.safety_behaviour}" if s.safety_behaviour else "")
            item.setToolTip(0, tip)
            self.steps.addTopLevelItem(item)
        self._filling = False

    def _run(self, job: Callable[[Session], object]) -> None:
        self.ops.write(job, lambda _r: self.changed.emit())

    def add_starter(self) -> None:
        def job(s: Session) -> int:
            return ld.create_starter_ladder(s, now=utcnow()).id

        self._run(job)

    def new_ladder(self) -> None:
        with for_once(LadderDialog(self)) as dialog:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            data = dialog.data()

        def job(s: Session) -> int:
            return ld.create_ladder(s, data, now=utcnow()).id

        self._run(job)

    def edit_ladder(self) -> None:
        lad = self.current_ladder()
        if lad is None:
            return
        data = ld.LadderData(
            lad.goal,
            [
                ld.StepData(s.text, s.suds_expected, safety_behaviour=s.safety_behaviour, done=s.done, id=s.id)
                for s in lad.steps
            ],
        )
        with for_once(LadderDialog(self, data)) as dialog:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            new = dialog.data()
        was_done = {s.id: s.done for s in lad.steps}
        for st in new.steps:
            st.done = was_done.get(st.id, False) if st.id is not None else False

        def job(s: Session) -> str | None:
            return ld.update_ladder_steps(s, lad.id, new, now=utcnow())[1]

        def done(batch: str | None) -> None:
            # Steps left out went to the trash with their tries: the same Undo as a delete.
            if batch is not None and self.offer_undo is not None:
                removed = len(lad.steps) - len([st for st in new.steps if st.id is not None])
                steps = self.tr("1 step") if removed == 1 else self.tr("{0} steps").format(removed)
                self.offer_undo(batch, self.tr("Removed {0} from the ladder.").format(steps))
            self.changed.emit()

        self.ops.write(job, done)

    def delete_ladder(self) -> None:
        lad = self.current_ladder()
        if lad is None:
            return
        # No "are you sure": it goes to the trash with its tries, and Ctrl+Z brings it back.
        self.delete_item("ladder", lad.id, lad.goal, self.changed.emit)

    def _done_toggled(self, item: QTreeWidgetItem, column: int) -> None:
        if self._filling or column != 0:
            return
        step_id = item.data(0, ID_ROLE)
        done = item.checkState(0) == Qt.CheckState.Checked

        def job(s: Session) -> None:
            ld.set_step_done(s, step_id, done, now=utcnow())

        self._run(job)

    def log_try(self) -> None:
        item = self.steps.currentItem()
        if item is None:
            inform(self, self.tr("Pick the step you tried first."))
            return
        step_id = item.data(0, ID_ROLE)
        with for_once(AttemptDialog(self, item.text(0))) as dialog:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            at = to_datetime(dialog.when.dateTime()).astimezone().astimezone(UTC)
            values = (dialog.before.rating(), dialog.peak.rating(), dialog.after.rating(), dialog.note.toPlainText())

        def job(s: Session) -> None:
            ld.add_attempt(
                s, step_id, at=at, suds_before=values[0], suds_peak=values[1], suds_after=values[2], note=values[3]
            )

        self._run(job)
