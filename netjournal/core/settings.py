"""User settings stored in the journal (so a backup carries them), with typed defaults."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from netjournal.core.models import Setting

# The reconnect defaults are the cadences and limits core/reconnect/rules.py documents (Rules).
DEFAULTS: dict[str, Any] = {
    "reconnect.weekly_budget": 3,
    "reconnect.cadence.5": 7,
    "reconnect.cadence.15": 30,
    "reconnect.cadence.50": 180,
    "reconnect.cadence.150": 365,
    "reconnect.cadence.500": None,
    "reconnect.circle5_opt_in": False,
    "reconnect.max_dormant_per_week": 1,
    "reconnect.quiet_start": "20:00",
    "reconnect.quiet_end": "09:00",
    "reconnect.quiet_weekends": True,
    "reconnect.digest_weekday": 0,  # Monday
    "reconnect.digest_time": "10:00",
    "reconnect.waiting_follow_up_days": 10,
    "reconnect.paused_until": None,
    "app.start_at_login": False,
    "app.minimise_to_tray": True,
    "prep.page_size": None,  # None: from the locale (Letter in the US and Canada, else A4)
    # About the user, for intro scripts ("Hi, I'm [my name]. I work on [what I do] at [organisation]."):
    # empty means unknown, and an entry that needs it is not suggested.
    # A locked journal's notifications name nobody (they may show on a lock screen) unless this is on.
    "privacy.names_in_notifications": False,
    "profile.name": "",
    "profile.organisation": "",
    "profile.what_i_do": "",
}


def get(session: Session, key: str) -> Any:
    row = session.get(Setting, key)
    if row is not None:
        return row.value
    if key not in DEFAULTS:
        raise KeyError(key)
    return DEFAULTS[key]


def put(session: Session, key: str, value: Any) -> None:
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value


def all_settings(session: Session) -> dict[str, Any]:
    values = dict(DEFAULTS)
    for row in session.query(Setting):
        values[row.key] = row.value
    return values


def put_all(session: Session, values: dict[str, Any]) -> None:
    """Store several settings at once (the Settings dialog's Save); an unknown key is a bug, not stored."""
    unknown = sorted(set(values) - set(DEFAULTS))
    if unknown:
        raise KeyError(", ".join(unknown))
    for key, value in values.items():
        put(session, key, value)
