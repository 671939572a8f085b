"""Gentle reconnection suggestions: scoring, filters, selection and anti-nagging.

The rooms: `rules` (settings, quiet hours, words, templates), `loading` (what the rule reads),
`scoring` (the formula and its reasons), `surface` (the week's selection, what to deliver now) and
`actions` (what was shown, what the user does). Callers use this package's names.

Everything here is computed from the database and a `now` passed in, so a restart, a sleep or a clock
change neither loses nor repeats anything: what was delivered, snoozed or acted on is read back from
`suggestion_events` and the person's reconnection columns.

The public entry points:
- `what_to_surface(session, now)` -> `Surface`: what to deliver at this moment (a weekly digest, one
  time-sensitive nudge, or nothing, with a plain note saying why nothing).
- `record_delivery(session, surface, now)`: remember that a surface was shown to the user.
- `this_week(session, now)`: the suggestions delivered this week that are still open (the Today view).
- `snooze`, `not_now`, `acted`, `pause`, `change_cadence`: what the user does with a suggestion.

Design defaults beyond the domain text (each is a product choice, noted where it is made):
- Weak ties (the 500 circle) and birthdays alone never reach the 0.30 threshold; they come up through the
  reserved open-loop slot, the dormant slot, or a time-sensitive nudge.
- A promise is an open loop when *I* owe it; what they owe me is shown in Today but never nudged.
- A due promise or a waiting-for-reply follow-up may take the reserved loop slot below the threshold.
- Low energy holds back nudges (not the weekly digest, which is the calm summary).
- No nudge on a day that already had the digest.
"""

from __future__ import annotations

from netjournal.core.reconnect.actions import (
    SNOOZE_CHOICES,
    acted,
    cadence_of,
    change_cadence,
    not_now,
    pause,
    record_delivery,
    snooze,
    snooze_until,
    this_week,
)
from netjournal.core.reconnect.loading import (
    BUSY_EVENTS,
    ENERGY_WINDOW,
    FATIGUE_DAYS,
    LOW_BATTERY,
    RECENT_CONTACT_DAYS,
    SOCIAL_CHANNELS,
    last_contacts_with_warmth,
    low_energy,
)
from netjournal.core.reconnect.rules import (
    Rules,
    cadence_words,
    digest_slot,
    elapsed_words,
    is_quiet,
    template_for,
    templates,
)
from netjournal.core.reconnect.scoring import (
    DORMANT_DAYS,
    LAYER,
    RESURFACE_DAYS,
    THRESHOLD,
    WEIGHTS,
    candidates,
    clamp,
    effective_circle,
    score_parts,
)
from netjournal.core.reconnect.surface import (
    Surface,
    SurfaceKind,
    select_week,
    what_to_surface,
)
from netjournal.core.suggestions import Suggestion

__all__ = [
    "BUSY_EVENTS",
    "DORMANT_DAYS",
    "ENERGY_WINDOW",
    "FATIGUE_DAYS",
    "LAYER",
    "LOW_BATTERY",
    "RECENT_CONTACT_DAYS",
    "RESURFACE_DAYS",
    "SNOOZE_CHOICES",
    "SOCIAL_CHANNELS",
    "THRESHOLD",
    "WEIGHTS",
    "Rules",
    "Suggestion",
    "Surface",
    "SurfaceKind",
    "acted",
    "cadence_of",
    "cadence_words",
    "candidates",
    "change_cadence",
    "clamp",
    "digest_slot",
    "effective_circle",
    "elapsed_words",
    "is_quiet",
    "last_contacts_with_warmth",
    "low_energy",
    "not_now",
    "pause",
    "record_delivery",
    "score_parts",
    "select_week",
    "snooze",
    "snooze_until",
    "template_for",
    "templates",
    "this_week",
    "what_to_surface",
]
