"""Today: this week's few gentle suggestions, upcoming meetings, promises due soon.

What Today shows is decided in core/today.py (one query each, on the ORM session or the thin read path);
this module shows it and passes the user's choices to core/reconnect. The reminders that deliver the
suggestions live in ui/reminders.py. Nothing here decides what is due.

This module imports no ORM (reconnect, journal, the models load on the database thread when first
used): at start-up Today is built and filled before SQLAlchemy is imported (app.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime, timedelta
from functools import partial
from types import ModuleType
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QMenu,
    QPushButton,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from netjournal.core import phrasing
from netjournal.core.clock import utcnow
from netjournal.core.suggestions import Suggestion
from netjournal.core.today import MAX_ITEMS as MAX_ITEMS
from netjournal.core.today import SOON_DAYS as SOON_DAYS
from netjournal.core.today import Meeting as Meeting
from netjournal.core.today import Promise as Promise
from netjournal.core.today import TodayData, today_data
from netjournal.core.when import to_local
from netjournal.ui import theme
from netjournal.ui.form_parts import Buttons, column, dialog_buttons, for_once, plain_label
from netjournal.ui.layout import scrolling
from netjournal.ui.main_window import MainWindow, Section
from netjournal.ui.plain import menu_text
from netjournal.ui.qt import shortcut, to_date

if TYPE_CHECKING:
    from netjournal.app import NetjournalApp
    from netjournal.core.db import Journal

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]


def _after() -> ModuleType:
    from netjournal.core import after_meetings

    return after_meetings


def _rc() -> ModuleType:
    # The suggestion engine (and the ORM under it) is needed only once the user acts on a suggestion.
    from netjournal.core import reconnect

    return reconnect


def load_today(journal: Journal, now: datetime) -> TodayData:
    """Everything Today shows (runs on the database thread)."""
    with journal.read() as s:
        return today_data(s, now)


_label = partial(plain_label, selectable=True)  # what Today says can be copied


class CadenceDialog(QDialog):
    """After two snoozes in a row: offer to see someone less often instead of re-surfacing them."""

    def __init__(self, name: str, circle: int | None, cadence: int | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("How often for %s?") % name)
        intro = _label(
            self.tr("You've set %s aside twice in a row. That's fine. Would a different rhythm suit you better?") % name
        )
        from netjournal.core.journal import CIRCLE_LABELS  # opened long after start-up

        self.circle = QComboBox()
        self.circle.addItem(self.tr("Not set"), None)
        for value, label in CIRCLE_LABELS.items():
            self.circle.addItem(label, value)
        self.circle.setCurrentIndex(max(0, self.circle.findData(circle)))
        self.cadence = QSpinBox()
        self.cadence.setRange(0, 3650)
        self.cadence.setSpecialValueText(self.tr("as the circle suggests"))
        self.cadence.setSuffix(self.tr(" days"))
        self.cadence.setValue(cadence or 0)
        form = QFormLayout()
        form.addRow(self.tr("&Circle"), self.circle)
        form.addRow(self.tr("&Be in touch every"), self.cadence)
        buttons = dialog_buttons(self)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Keep as it is"))
        column(self, intro, form, buttons)

    def values(self) -> tuple[int | None, int | None]:
        return self.circle.currentData(), (self.cadence.value() or None)


class DateDialog(QDialog):
    def __init__(self, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Snooze until…"))
        self.date = QDateEdit(QDate(today.year, today.month, today.day).addDays(14))
        self.date.setCalendarPopup(True)
        self.date.setMinimumDate(QDate(today.year, today.month, today.day).addDays(1))
        self.date.setDisplayFormat("ddd d MMM yyyy")
        buttons = dialog_buttons(self, Buttons.Ok | Buttons.Cancel)
        column(self, _label(self.tr("Bring this back after:")), self.date, buttons)

    def value(self) -> date:
        return to_date(self.date.date())


class SuggestionCard(theme.Card):
    """One suggestion: who, why in plain words, and two-minute actions."""

    def __init__(self, view: TodayView, s: Suggestion) -> None:
        super().__init__()
        self.suggestion = s
        self.setObjectName("suggestionCard")
        name = QPushButton(s.name)
        name.setFlat(True)
        name.setObjectName("cardName")
        font = name.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        name.setFont(font)
        name.setCursor(Qt.CursorShape.PointingHandCursor)
        name.setStyleSheet("text-align: left; padding: 0px; border: none;")
        name.setToolTip(self.tr("Open %s") % s.name)
        name.clicked.connect(lambda: view.open_person.emit(s.person_id))
        self.reason = _label(s.reason)
        self.copy = QPushButton(self.tr("Copy a message"))
        self.copy.setToolTip(s.template)
        self.copy.clicked.connect(lambda: view.copy_template(s))
        self.log = QPushButton(self.tr("Log that we talked…"))
        self.log.clicked.connect(lambda: view.log_talk(s))
        self.snooze = QToolButton()
        self.snooze.setText(self.tr("Snooze"))
        self.snooze.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.snooze)
        for key, label in (
            ("week", self.tr("For a week")),
            ("month", self.tr("For a month")),
            ("three_months", self.tr("For three months")),
            ("date", self.tr("Until a date…")),
        ):
            menu.addAction(label, partial(view.snooze, s, key))
        self.snooze.setMenu(menu)
        self.not_now = QPushButton(self.tr("Not now"))
        self.not_now.clicked.connect(lambda: view.not_now(s))
        top = QHBoxLayout()
        top.addWidget(name, 0, Qt.AlignmentFlag.AlignLeft)
        top.addStretch(1)
        actions = QHBoxLayout()
        actions.addWidget(self.copy)
        actions.addWidget(self.log)
        if s.offer_cadence_change:
            self.less = QPushButton(self.tr("See them less often…"))
            self.less.clicked.connect(lambda: view.offer_cadence(s))
            actions.addWidget(self.less)
        else:
            actions.addWidget(self.snooze)
        actions.addWidget(self.not_now)
        actions.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.reason)
        layout.addLayout(actions)


class TodayView(QWidget):
    """The first section: calm, short, never a backlog."""

    open_person = Signal(int)
    log_requested = Signal(int)  # person id: open quick log for them
    prepare_requested = Signal(int)  # planned interaction id: the prepare feature connects here
    changed = Signal()

    def __init__(self, ops: Any, clock: Clock = utcnow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.clock = clock
        self.data = TodayData()
        self.loaded = False  # True once it shows what is in the journal (not just the empty start)
        self.can_prepare = False
        self.title = _label(self.tr("This week"), bold=True, scale=1.5)
        self.intro = _label(
            self.tr("A few people you might gently get back in touch with. Two minutes each is plenty."), muted=True
        )
        self.paused = _label(muted=True)
        self.resume = QPushButton(self.tr("Resume reminders"))
        self.resume.clicked.connect(lambda: self.pause(None))
        paused_row = QHBoxLayout()
        paused_row.addWidget(self.paused, 1)
        paused_row.addWidget(self.resume)
        self.cards = QVBoxLayout()
        self.empty = _label(self.tr("Nothing to do this week. Enjoy it."), scale=1.1)
        self.empty.setObjectName("todayEmpty")
        self.meetings_title = _label(self.tr("Coming up"), bold=True, scale=1.2)
        self.meetings = QVBoxLayout()
        self.promises_title = _label(self.tr("Promises due soon"), bold=True, scale=1.2)
        self.ended_title = _label(self.tr("After your meetings"), bold=True, scale=1.2)
        self.ended_intro = _label(self.tr("How did they go? A word or two is plenty, whenever you like."), muted=True)
        self.ended = QVBoxLayout()
        self.promises = QVBoxLayout()

        body = QWidget()
        body.setObjectName("todayBody")
        col = QVBoxLayout(body)
        col.setContentsMargins(24, 20, 24, 20)
        col.setSpacing(10)
        col.addWidget(self.title)
        col.addWidget(self.intro)
        col.addLayout(paused_row)
        col.addLayout(self.cards)
        col.addWidget(self.empty)
        col.addSpacing(12)
        col.addWidget(self.meetings_title)
        col.addLayout(self.meetings)
        col.addSpacing(12)
        col.addWidget(self.promises_title)
        col.addLayout(self.promises)
        col.addSpacing(12)
        col.addWidget(self.ended_title)
        col.addWidget(self.ended_intro)
        col.addLayout(self.ended)
        col.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scrolling(body))
        self._show(self.data)

    # ----------------------------------------------------------------------------- loading

    def refresh(self) -> None:
        if self.ops is None:
            return  # built at start-up before the journal was open: install() gives it the worker
        now = self.clock()
        self.ops.run(lambda j: load_today(j, now), self.show_data)

    def show_data(self, data: TodayData) -> None:
        """Show what was read from the journal (also by the app's start, before Today was built)."""
        self.loaded = True
        self._show(data)

    def _show(self, data: TodayData) -> None:
        self.data = data
        _clear(self.cards)
        for s in data.suggestions:
            self.cards.addWidget(SuggestionCard(self, s))
        self.empty.setVisible(not data.suggestions)
        if data.paused_until is not None:
            when = phrasing.when_text(data.paused_until, year=False)
            self.paused.setText(self.tr("Reminders are paused until %s.") % when)
        self.paused.setVisible(data.paused_until is not None)
        self.resume.setVisible(data.paused_until is not None)
        _clear(self.meetings)
        for m in data.meetings:
            row = QHBoxLayout()
            row.addWidget(_label(m.label), 1)
            if self.can_prepare:
                prep = QPushButton(self.tr("Prepare…"))
                prep.clicked.connect(lambda _=False, mid=m.id: self.prepare_requested.emit(mid))
                row.addWidget(prep)
            self.meetings.addLayout(row)
        self.meetings_title.setVisible(bool(data.meetings))
        _clear(self.promises)
        for p in data.promises:
            row = QHBoxLayout()
            row.addWidget(_label(p.text), 1)
            done = QPushButton(self.tr("Done"))
            done.setToolTip(self.tr("Mark this promise as kept"))
            done.clicked.connect(lambda _=False, cid=p.id: self.promise_done(cid))
            row.addWidget(done)
            self.promises.addLayout(row)
        self.promises_title.setVisible(bool(data.promises))
        _clear(self.ended)
        for m in data.ended:
            row = QHBoxLayout()
            row.addWidget(_label(m.label), 1)
            happened = QPushButton(self.tr("It happened"))
            happened.setToolTip(self.tr("Log it as it was planned"))
            happened.clicked.connect(
                lambda _=False, mid=m.id: self._write(lambda ses, now: _after().mark_happened(ses, mid, now=now))
            )
            row.addWidget(happened)
            if self.can_prepare:
                debrief = QPushButton(self.tr("Debrief…"))
                debrief.clicked.connect(lambda _=False, mid=m.id: self.prepare_requested.emit(mid))
                row.addWidget(debrief)
            skipped = QPushButton(self.tr("It didn't happen"))
            skipped.clicked.connect(
                lambda _=False, mid=m.id: self._write(lambda ses, now: _after().mark_not_happened(ses, mid, now=now))
            )
            row.addWidget(skipped)
            self.ended.addLayout(row)
        self.ended_title.setVisible(bool(data.ended))
        self.ended_intro.setVisible(bool(data.ended))

    # ----------------------------------------------------------------------------- actions

    def _write(self, fn: Callable[[Any, datetime], Any], then: Callable[[Any], None] | None = None) -> None:
        now = self.clock()

        def done(result: Any) -> None:
            if then is not None:
                then(result)
            self.changed.emit()

        self.ops.write(lambda s: fn(s, now), done, parent=self)

    def copy_template(self, s: Suggestion) -> None:
        QGuiApplication.clipboard().setText(s.template)
        self._notice(self.tr("Message copied. Change a word or two so it sounds like you."))

    def log_talk(self, s: Suggestion) -> None:
        self.log_requested.emit(s.person_id)

    def not_now(self, s: Suggestion) -> None:
        self._write(lambda ses, now: _rc().not_now(ses, s.person_id, now))

    def snooze(self, s: Suggestion, choice: str) -> None:
        until_day: date | None = None
        if choice == "date":
            with for_once(DateDialog(to_local(self.clock(), None).date(), self)) as dialog:
                if dialog.exec() != QDialog.DialogCode.Accepted:
                    return
                until_day = dialog.value()

        def job(ses: Any, now: datetime) -> bool:
            rc = _rc()
            return bool(rc.snooze(ses, s.person_id, now, rc.snooze_until(choice, now, until_day)))

        def then(ask: object) -> None:
            if ask:
                self.offer_cadence(s)

        self._write(job, then)

    def offer_cadence(self, s: Suggestion) -> None:
        def load(j: Journal) -> tuple[int | None, int | None]:
            with j.read() as ses:
                return _rc().cadence_of(ses, s.person_id)  # type: ignore[no-any-return]

        def ask(current: tuple[int | None, int | None]) -> None:
            circle, cadence = current
            with for_once(CadenceDialog(s.name, circle, cadence, self)) as dialog:
                if dialog.exec() != QDialog.DialogCode.Accepted:
                    return
                new_circle, new_cadence = dialog.values()
            self._write(
                lambda ses, now: _rc().change_cadence(
                    ses, s.person_id, circle=new_circle, cadence_days=new_cadence, now=now
                )
            )

        self.ops.run(load, ask, parent=self)

    def promise_done(self, commitment_id: int) -> None:
        def job(ses: Any, now: datetime) -> None:
            from netjournal.core.journal import set_commitment_status
            from netjournal.core.kinds import CommitmentStatus

            set_commitment_status(ses, commitment_id, CommitmentStatus.DONE, now=now)

        self._write(job)

    def pause(self, until: datetime | None) -> None:
        self._write(lambda ses, now: _rc().pause(ses, until))

    def _notice(self, text: str) -> None:
        window = self.window()
        if hasattr(window, "show_notice"):
            window.show_notice(text)


def _clear(layout: Any) -> None:
    while layout.count():
        item = layout.takeAt(0)
        if item.widget() is not None:
            item.widget().deleteLater()
        elif item.layout() is not None:
            _clear(item.layout())
            item.layout().deleteLater()


def tray_filler(app: NetjournalApp, view: TodayView) -> Callable[[QMenu], None]:
    """This week's suggestions and 'Pause reminders' at the top of the tray menu (rebuilt on opening)."""

    def fill(menu: QMenu) -> None:
        shown = view.data.suggestions
        if shown:
            header = menu.addAction(app.tr("This week"))
            header.setEnabled(False)
            for s in shown:
                action = menu.addAction(menu_text(s.name))  # "Tom & Jerry", not a keyboard shortcut
                action.setToolTip(s.reason)
                action.triggered.connect(lambda _=False, pid=s.person_id: open_person(app, pid))
            menu.addSeparator()
        pause = menu.addMenu(app.tr("Pause reminders"))
        now = view.clock()
        pause.addAction(app.tr("For a day"), lambda: view.pause(now + timedelta(days=1)))
        pause.addAction(app.tr("For a week"), lambda: view.pause(now + timedelta(days=7)))
        if view.data.paused_until is not None:
            pause.addSeparator()
            pause.addAction(app.tr("Resume reminders"), lambda: view.pause(None))

    return fill


def open_person(app: NetjournalApp, person_id: int) -> None:
    if app.nav.open_person(person_id):
        app.window.bring_forward()


def show_early(window: MainWindow, data: TodayData) -> TodayView:
    """Today as the window's first section, filled with what start-up read on the thin read path, before
    the journal is open (app.py); install() later connects this same view to the app."""
    from PySide6.QtCore import QCoreApplication

    # In three turns, the window answering between them: each takes 10-15 ms on the large journal,
    # all three at once held the GUI thread over 30 ms (bench/bench_startup.py). Added to the window
    # last, so it never shows empty.
    view = TodayView(None)
    QCoreApplication.processEvents()
    view.show_data(data)
    QCoreApplication.processEvents()
    window.add_section(Section("today", window.tr("Today"), view))
    return view


def install(app: NetjournalApp) -> None:
    from netjournal.ui.reminders import Reminders
    from netjournal.ui.settings_dialog import open_settings

    early = app.window.section("today") if app.window.has_section("today") else None
    if isinstance(early, TodayView):  # built and filled at start-up (show_early)
        view = early
        view.ops = app.ops
    else:
        view = TodayView(app.ops)
        app.window.add_section(Section("today", app.tr("Today"), view))
    from netjournal.ui import welcome

    welcome.attach(app, view)  # a journal with no one in it yet: the welcome instead of the week
    reminders = Reminders(app, view)
    app.today = view
    app.reminders = reminders
    view.open_person.connect(lambda pid: open_person(app, pid))
    view.log_requested.connect(lambda pid: _log_for(app, view, pid))
    view.changed.connect(app.journal_changed)
    app.journal_changed.connect(view.refresh)
    if app.tray is not None:
        app.tray.fillers.append(tray_filler(app, view))
    shortcut(app.tr("Ctrl+R"), view, view.refresh).setWhatsThis(app.tr("Refresh Today"))
    settings_action = QAction(theme.icon("settings"), app.tr("&Settings…"), app.window)
    settings_action.setShortcut(QKeySequence(app.tr("Ctrl+,")))
    settings_action.triggered.connect(lambda: open_settings(app))
    app.window.menu_file.addAction(settings_action)
    app.settings_action = settings_action
    if not view.loaded:
        view.refresh()
    # The scheduler is created after the features; connect to it once the app is built.
    QTimer.singleShot(0, reminders.attach)

    def hook_prepare() -> None:
        # The Prepare feature (ui/prepare) is optional: offer "Prepare…" only where it is installed.
        if not app.ready:  # a staged start-up: Prepare may not be built yet
            QTimer.singleShot(50, hook_prepare)
            return
        if not app.nav.can_prepare:
            return
        view.can_prepare = True
        view.prepare_requested.connect(lambda mid: app.nav.prepare_meeting(meeting_id=mid))
        view._show(view.data)

    QTimer.singleShot(0, hook_prepare)


def _log_for(app: NetjournalApp, view: TodayView, person_id: int) -> None:
    """Quick log for this person; when something was logged, count the suggestion as acted on."""
    logged: list[bool] = []

    def saw_change() -> None:
        logged.append(True)

    app.journal_changed.connect(saw_change)
    try:
        app.quick_log(person_id)  # modal: journal_changed fires before it returns when something was saved
    finally:
        app.journal_changed.disconnect(saw_change)
    if not logged:
        return
    now = view.clock()

    app.ops.write(lambda s: _rc().acted(s, person_id, now, "logged"), lambda _r: view.refresh())
