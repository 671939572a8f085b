"""Today: this week's few gentle suggestions, upcoming meetings, promises due soon; and the reminders
that deliver them (tray notification where there is a tray, an in-window notice where there is not).

The engine lives in core/reconnect; this module only asks it what to surface (off the GUI thread,
through app.ops) on every scheduler tick, at start-up, after the laptop wakes, and at the daily
digest time, and shows the answer. Nothing here decides what is due.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select

from netjournal.core import phrasing
from netjournal.core import reconnect as rc
from netjournal.core.clock import utcnow
from netjournal.core.db import Journal
from netjournal.core.journal import CHANNEL_LABELS, CIRCLE_LABELS, set_commitment_status
from netjournal.core.models import (
    Commitment,
    CommitmentStatus,
    Direction,
    Interaction,
    InteractionState,
    Person,
    interaction_people,
)
from netjournal.core.phrasing import promise_sentence
from netjournal.ui import theme
from netjournal.ui.plain import menu_text
from netjournal.ui.settings_dialog import open_settings

if TYPE_CHECKING:
    from netjournal.app import NetjournalApp

log = logging.getLogger(__name__)

MAX_ITEMS = 5  # never a backlog: a few of each, the rest can wait
SOON_DAYS = 14
Clock = Callable[[], datetime]


@dataclass
class Meeting:
    id: int
    at: datetime
    label: str
    person_ids: list[int]


@dataclass
class Promise:
    id: int
    person_id: int
    text: str


@dataclass
class TodayData:
    suggestions: list[rc.Suggestion] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)
    promises: list[Promise] = field(default_factory=list)
    paused_until: datetime | None = None


def load_today(journal: Journal, now: datetime) -> TodayData:
    """Everything Today shows, in a few small queries (runs on the database thread)."""
    with journal.read() as s:
        data = TodayData(suggestions=rc.this_week(s, now)[:MAX_ITEMS])
        rules = rc.Rules.load(s)
        if rules.paused_until is not None and rules.paused_until > now:
            data.paused_until = rules.paused_until
        meetings = s.scalars(
            select(Interaction)
            .where(
                Interaction.state == InteractionState.PLANNED,
                Interaction.deleted_at.is_(None),
                Interaction.at >= now - timedelta(hours=2),
                Interaction.at <= now + timedelta(days=SOON_DAYS),
            )
            .order_by(Interaction.at)
            .limit(MAX_ITEMS)
        ).all()
        ids = [m.id for m in meetings]
        who: dict[int, list[tuple[int, str]]] = {}
        if ids:
            rows = s.execute(
                select(interaction_people.c.interaction_id, Person.id, Person.name)
                .join(Person, Person.id == interaction_people.c.person_id)
                .where(interaction_people.c.interaction_id.in_(ids), Person.deleted_at.is_(None))
                .order_by(Person.sort_name)
            )
            for iid, pid, name in rows:
                who.setdefault(iid, []).append((pid, name))
        for m in meetings:
            people = who.get(m.id, [])
            names = ", ".join(n for _, n in people)
            title = m.title or (f"{CHANNEL_LABELS[m.channel]} with {names}" if names else CHANNEL_LABELS[m.channel])
            when = phrasing.when_text(m.at, year=False)
            bits = [when, title] + ([m.location] if m.location else [])
            data.meetings.append(Meeting(m.id, m.at, " · ".join(bits), [pid for pid, _ in people]))
        today = rc.to_local(now, None).date()
        promises = s.execute(
            select(Commitment, Person.name)
            .join(Person, Person.id == Commitment.person_id)
            .where(
                Commitment.status == CommitmentStatus.OPEN,
                Commitment.deleted_at.is_(None),
                Person.deleted_at.is_(None),
                Commitment.due_on.is_not(None),
                Commitment.due_on <= today + timedelta(days=SOON_DAYS),
            )
            .order_by(Commitment.due_on)
            .limit(MAX_ITEMS)
        ).all()
        for c, name in promises:
            data.promises.append(Promise(c.id, c.person_id, _promise_line(c, name, today)))
    return data


def _promise_line(c: Commitment, name: str, today: date) -> str:
    assert c.due_on is not None
    when = rc.day_words(c.due_on, today)
    due = f"due {when}" if c.due_on >= today else f"it was for {when}"
    if c.direction is Direction.I_OWE:
        return f"{promise_sentence(c.direction, c.text)} ({name}) — {due}"
    return f"{promise_sentence(c.direction, c.text, who=rc.first_name(name))} — {due}"


def _label(text: str = "", *, bold: bool = False, soft: bool = False, scale: float = 1.0) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    font = label.font()
    if scale != 1.0:
        font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(bold)
    label.setFont(font)
    if soft:
        label.setStyleSheet("color: palette(placeholder-text);")
    return label


class CadenceDialog(QDialog):
    """After two snoozes in a row: offer to see someone less often instead of re-surfacing them."""

    def __init__(self, name: str, circle: int | None, cadence: int | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("How often for %s?") % name)
        intro = _label(
            self.tr(
                "You've set %s aside twice in a row. That's fine. Would a different rhythm suit you better?"
            ) % name
        )  # fmt: skip
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
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Keep as it is"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)

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
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(_label(self.tr("Bring this back after:")))
        layout.addWidget(self.date)
        layout.addWidget(buttons)

    def value(self) -> date:
        return self.date.date().toPython()


class SuggestionCard(theme.Card):
    """One suggestion: who, why in plain words, and two-minute actions."""

    def __init__(self, view: TodayView, s: rc.Suggestion) -> None:
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
            menu.addAction(label, lambda k=key: view.snooze(s, k))
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
            self.tr("A few people you might gently get back in touch with. Two minutes each is plenty."), soft=True
        )
        self.paused = _label(soft=True)
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
        col.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        self._show(self.data)

    # ----------------------------------------------------------------------------- loading

    def refresh(self) -> None:
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

    # ----------------------------------------------------------------------------- actions

    def _write(self, fn: Callable[[Any, datetime], Any], then: Callable[[Any], None] | None = None) -> None:
        now = self.clock()

        def done(result: Any) -> None:
            if then is not None:
                then(result)
            self.changed.emit()

        self.ops.write(lambda s: fn(s, now), done, parent=self)

    def copy_template(self, s: rc.Suggestion) -> None:
        QGuiApplication.clipboard().setText(s.template)
        self._notice(self.tr("Message copied. Change a word or two so it sounds like you."))

    def log_talk(self, s: rc.Suggestion) -> None:
        self.log_requested.emit(s.person_id)

    def not_now(self, s: rc.Suggestion) -> None:
        self._write(lambda ses, now: rc.not_now(ses, s.person_id, now))

    def snooze(self, s: rc.Suggestion, choice: str) -> None:
        until_day: date | None = None
        if choice == "date":
            dialog = DateDialog(rc.to_local(self.clock(), None).date(), self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            until_day = dialog.value()

        def job(ses: Any, now: datetime) -> bool:
            return rc.snooze(ses, s.person_id, now, rc.snooze_until(choice, now, until_day))

        self._write(job, lambda ask: ask and self.offer_cadence(s))

    def offer_cadence(self, s: rc.Suggestion) -> None:
        def load(j: Journal) -> tuple[int | None, int | None]:
            with j.read() as ses:
                p = ses.get(Person, s.person_id)
                return (p.circle, p.cadence_days) if p is not None else (None, None)

        def ask(current: tuple[int | None, int | None]) -> None:
            circle, cadence = current
            dialog = CadenceDialog(s.name, circle, cadence, self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            new_circle, new_cadence = dialog.values()
            self._write(
                lambda ses, now: rc.change_cadence(
                    ses, s.person_id, circle=new_circle, cadence_days=new_cadence, now=now
                )
            )

        self.ops.run(load, ask, parent=self)

    def promise_done(self, commitment_id: int) -> None:
        self._write(lambda ses, now: set_commitment_status(ses, commitment_id, CommitmentStatus.DONE, now=now))

    def pause(self, until: datetime | None) -> None:
        self._write(lambda ses, now: rc.pause(ses, until))

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


class Reminders(QObject):
    """Asks the engine what to surface and delivers it. Every answer comes from the database, so a
    restart, a sleep or a clock change neither loses nor repeats a reminder."""

    delivered = Signal(object)  # the Surface that was shown

    def __init__(self, app: NetjournalApp, view: TodayView, clock: Clock = utcnow) -> None:
        super().__init__(app)
        self.app = app
        self.view = view
        self.clock = clock
        self._running = False

    def attach(self) -> None:
        """Called once the app is built (the scheduler exists): tick, wake-ups, and a first look."""
        if not getattr(self.app, "ready", True):  # a staged start-up: the rest of the app is still being built
            QTimer.singleShot(50, self.attach)
            return
        waker = getattr(self.app, "waker", None)
        if waker is not None:
            waker.tick.connect(self.check)
            waker.daily.connect(self.check)
            waker.resumed.connect(lambda _gap: self.check())
            self.schedule_daily()
        self.check()

    def schedule_daily(self) -> None:
        waker = getattr(self.app, "waker", None)
        if waker is None:
            return

        # Asynchronous: never block the GUI thread on the database (nor hang if the app is closing).
        def plan(rules: rc.Rules) -> None:
            waker.set_daily(rules.digest_time.hour, rules.digest_time.minute)

        self.app.ops.read(rc.Rules.load, plan)

    def check(self) -> None:
        if self._running:
            return  # one look at a time; the next tick will come
        self._running = True
        now = self.clock()

        def job(j: Journal) -> rc.Surface:
            with j.session() as s:
                surface = rc.what_to_surface(s, now)
                if surface:
                    rc.record_delivery(s, surface, now)
                return surface

        self.app.ops.run(job, self._deliver, self._failed)

    def _failed(self, exc: BaseException) -> None:
        self._running = False
        log.warning("could not work out reminders: %s", type(exc).__name__)

    def _deliver(self, surface: rc.Surface) -> None:
        self._running = False
        if not surface:
            return
        title, text = notification_text(surface)
        if self.app.tray is not None:
            self.app.tray.notify(title, text)
        else:
            self.app.window.show_notice(notice_text(surface), 60_000)
        self.view.refresh()
        self.delivered.emit(surface)


def notification_text(surface: rc.Surface) -> tuple[str, str]:
    """Plain text for a notification: a calm title and one line per person."""
    if surface.kind == "digest":
        title = "This week, gently"
        lines = [f"{s.name}: {s.reason}" for s in surface.suggestions]
        return title, "\n".join(lines)
    s = surface.suggestions[0]
    return "A gentle reminder", f"{s.name}: {s.reason}"


def notice_text(surface: rc.Surface) -> str:
    """One line for the window's status bar (where there is no tray); Today holds the details."""
    if surface.kind == "digest":
        names = ", ".join(s.name for s in surface.suggestions)
        return f"This week's suggestions are in Today (Ctrl+1): {names}."
    s = surface.suggestions[0]
    return f"A gentle reminder: {s.name}. {s.reason}"


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
    people = getattr(app, "people", None)
    if people is None:
        return
    app.window.show_section("people")
    people.select_person(person_id)
    app.window.bring_forward()


def install(app: NetjournalApp) -> None:
    from netjournal.ui.main_window import Section

    view = TodayView(app.ops)
    reminders = Reminders(app, view)
    app.today = view  # type: ignore[attr-defined]
    app.reminders = reminders  # type: ignore[attr-defined]
    view.open_person.connect(lambda pid: open_person(app, pid))
    view.log_requested.connect(lambda pid: _log_for(app, view, pid))
    view.changed.connect(app.journal_changed)
    app.journal_changed.connect(view.refresh)
    app.window.add_section(Section("today", app.tr("Today"), view))
    if app.tray is not None:
        app.tray.fillers.append(tray_filler(app, view))
    QShortcut(QKeySequence(app.tr("Ctrl+R")), view, activated=view.refresh).setWhatsThis(app.tr("Refresh Today"))
    settings_action = QAction(theme.icon("settings"), app.tr("&Settings…"), app.window)
    settings_action.setShortcut(QKeySequence(app.tr("Ctrl+,")))
    settings_action.triggered.connect(lambda: open_settings(app))
    app.window.menu_file.addAction(settings_action)
    app.settings_action = settings_action  # type: ignore[attr-defined]
    view.refresh()
    # The scheduler is created after the features; connect to it once the app is built.
    QTimer.singleShot(0, reminders.attach)

    def hook_prepare() -> None:
        # The Prepare feature (netjournal/ui/prepare/) is optional: offer "Prepare…" only where it is installed.
        prepare = getattr(app, "prepare", None)
        new_plan = getattr(prepare, "new_plan", None)
        if not callable(new_plan):
            return

        def prepare_meeting(meeting_id: int) -> None:
            app.window.show_section("prepare")
            new_plan(meeting_id=meeting_id)

        view.can_prepare = True
        view.prepare_requested.connect(prepare_meeting)
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

    app.ops.write(lambda s: rc.acted(s, person_id, now, "logged"), lambda _r: view.refresh())
