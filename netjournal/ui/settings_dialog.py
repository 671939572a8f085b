"""Settings: how gently and how often netjournal suggests getting back in touch, and start at login."""

from __future__ import annotations

import logging
from datetime import time
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTimeEdit,
    QWidget,
)

from netjournal import autostart
from netjournal.core import reconnect as rc
from netjournal.core import settings
from netjournal.core.journal import CIRCLE_LABELS
from netjournal.ui.form_parts import column, dialog_buttons, for_once

if TYPE_CHECKING:
    from netjournal.app import NetjournalApp

log = logging.getLogger(__name__)

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _hhmm(t: QTime) -> str:
    return f"{t.hour():02d}:{t.minute():02d}"


def _qtime(t: time) -> QTime:
    return QTime(t.hour, t.minute)


def _days(low: int, high: int, value: int, suffix: str) -> QSpinBox:
    box = QSpinBox()
    box.setRange(low, high)
    box.setValue(value)
    box.setSuffix(suffix)
    return box


class SettingsDialog(QDialog):
    def __init__(self, values: dict[str, Any], rules: rc.Rules, parent: QWidget | None = None) -> None:
        """`rules` are the reconnect settings as the core reads them (clamped, defaults for bad values);
        `values` the stored settings, for the rest."""
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        d = settings.DEFAULTS
        days = self.tr(" days")

        self.budget = _days(1, 5, rules.budget, self.tr(" a week"))
        self.cadence: dict[int, QSpinBox] = {}
        for circle in (5, 15, 50, 150):
            cadence = rules.cadences.get(circle) or int(d[f"reconnect.cadence.{circle}"])
            self.cadence[circle] = _days(1, 3650, cadence, days)
        self.circle5 = QCheckBox(self.tr("Suggest my closest five too"))
        self.circle5.setToolTip(
            self.tr("Off by default: you probably stay in touch with them anyway, without logging it.")
        )
        self.circle5.setChecked(rules.circle5_opt_in)
        self.circle5.toggled.connect(self.cadence[5].setEnabled)
        self.cadence[5].setEnabled(self.circle5.isChecked())
        self.weak = QCheckBox(self.tr("Suggest acquaintances about once a year"))
        self.weak.setToolTip(self.tr("Otherwise they come up only for a promise or a date."))
        self.weak.setChecked(bool(rules.cadences.get(500)))

        self.quiet_start = QTimeEdit(_qtime(rules.quiet_start))
        self.quiet_end = QTimeEdit(_qtime(rules.quiet_end))
        for edit in (self.quiet_start, self.quiet_end):
            edit.setDisplayFormat("HH:mm")
        self.weekends = QCheckBox(self.tr("Keep weekends quiet"))
        self.weekends.setChecked(rules.quiet_weekends)
        self.digest_day = QComboBox()
        for i, name in enumerate(WEEKDAYS):
            self.digest_day.addItem(self.tr(name), i)
        self.digest_day.setCurrentIndex(rules.digest_weekday)
        self.digest_time = QTimeEdit(_qtime(rules.digest_time))
        self.digest_time.setDisplayFormat("HH:mm")
        # Named for screen readers: these sit in a row of their own, so no form label is their buddy.
        self.quiet_start.setAccessibleName(self.tr("Quiet from"))
        self.quiet_end.setAccessibleName(self.tr("Quiet until"))
        self.digest_day.setAccessibleName(self.tr("Weekly summary day"))
        self.digest_time.setAccessibleName(self.tr("Weekly summary time"))
        self.waiting = _days(1, 90, rules.waiting_days, days)
        # About the user: fills "[my name]", "[organisation]" and "[what I do]" in intro scripts.
        self.my_name = QLineEdit(str(values.get("profile.name") or ""))
        self.my_name.setPlaceholderText(self.tr("e.g. Alex"))
        self.my_organisation = QLineEdit(str(values.get("profile.organisation") or ""))
        self.my_organisation.setPlaceholderText(self.tr("where you work or study (optional)"))
        self.what_i_do = QLineEdit(str(values.get("profile.what_i_do") or ""))
        self.what_i_do.setPlaceholderText(self.tr("e.g. data tooling (optional)"))
        for line in (self.my_name, self.my_organisation, self.what_i_do):
            line.setMaxLength(120)
        self.login = QCheckBox(self.tr("Start netjournal when I log in (in the tray)"))
        self.login.setChecked(autostart.is_enabled())
        self.names_in_notifications = QCheckBox(
            self.tr("Name people in notifications, even though the journal is locked with a passphrase")
        )
        self.names_in_notifications.setToolTip(
            self.tr("Notifications can show on the lock screen, where anyone passing by can read them.")
        )
        self.names_in_notifications.setChecked(bool(values.get("privacy.names_in_notifications")))

        rhythm = QGroupBox(self.tr("How often to be in touch"))
        rf = QFormLayout(rhythm)
        rf.addRow(self.tr("Suggestions, at most"), self.budget)
        for circle, box in self.cadence.items():
            rf.addRow(self.tr("%s: every") % CIRCLE_LABELS[circle], box)
        rf.addRow(self.circle5)
        rf.addRow(self.weak)

        quiet = QGroupBox(self.tr("When to remind me"))
        qf = QFormLayout(quiet)
        hours = QHBoxLayout()
        hours.addWidget(self.quiet_start)
        hours.addWidget(QLabel(self.tr("to")))
        hours.addWidget(self.quiet_end)
        hours.addStretch(1)
        qf.addRow(self.tr("Quiet from"), hours)
        qf.addRow(self.weekends)
        digest = QHBoxLayout()
        digest.addWidget(self.digest_day)
        digest.addWidget(QLabel(self.tr("at")))
        digest.addWidget(self.digest_time)
        digest.addStretch(1)
        qf.addRow(self.tr("Weekly summary on"), digest)
        qf.addRow(self.tr("Waiting for a reply: one follow-up after"), self.waiting)

        about = QGroupBox(self.tr("About you (for the intros Prepare suggests)"))
        af = QFormLayout(about)
        af.addRow(self.tr("Your &name"), self.my_name)
        af.addRow(self.tr("Where you &work"), self.my_organisation)
        af.addRow(self.tr("What you &do"), self.what_i_do)

        note = QLabel(
            self.tr("Besides the weekly summary, at most one reminder a day, and only for a promise or a date.")
        )
        note.setTextFormat(Qt.TextFormat.PlainText)
        note.setWordWrap(True)
        column(self, rhythm, quiet, about, note, self.login, self.names_in_notifications, dialog_buttons(self))

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "reconnect.weekly_budget": self.budget.value(),
            "reconnect.circle5_opt_in": self.circle5.isChecked(),
            "reconnect.cadence.500": 365 if self.weak.isChecked() else None,
            "reconnect.quiet_start": _hhmm(self.quiet_start.time()),
            "reconnect.quiet_end": _hhmm(self.quiet_end.time()),
            "reconnect.quiet_weekends": self.weekends.isChecked(),
            "reconnect.digest_weekday": self.digest_day.currentData(),
            "reconnect.digest_time": _hhmm(self.digest_time.time()),
            "reconnect.waiting_follow_up_days": self.waiting.value(),
            "app.start_at_login": self.login.isChecked(),
            "privacy.names_in_notifications": self.names_in_notifications.isChecked(),
            "profile.name": self.my_name.text().strip(),
            "profile.organisation": self.my_organisation.text().strip(),
            "profile.what_i_do": self.what_i_do.text().strip(),
        }
        for circle, box in self.cadence.items():
            out[f"reconnect.cadence.{circle}"] = box.value()
        return out


def open_settings(app: NetjournalApp) -> None:
    """Show the dialog; on Save store the values, switch start-at-login, and re-plan the daily wake-up."""

    def ask(read: tuple[dict[str, Any], rc.Rules]) -> None:
        with for_once(SettingsDialog(*read, parent=app.window)) as dialog:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            new = dialog.values()
        app.ops.write(lambda s: settings.put_all(s, new), lambda _r: saved(new), parent=app.window)

    def saved(new: dict[str, Any]) -> None:
        try:
            autostart.set_enabled(bool(new["app.start_at_login"]))
        except OSError as exc:
            from netjournal.ui.messages import inform

            inform(app.window, f"netjournal could not change starting at login: {exc}")
        if app.tray is not None:
            app.tray.private = app.journal.encrypted and not new["privacy.names_in_notifications"]
        app.reminders.schedule_daily()  # Today's reminders: Today is the first feature installed
        app.journal_changed.emit()

    app.ops.read(lambda s: (settings.all_settings(s), rc.Rules.load(s)), ask, parent=app.window)
