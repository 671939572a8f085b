"""The kinds of things the journal stores (statuses, channels, directions): plain enums, no SQLAlchemy.

`models.py` maps them to columns (their values are what is stored); the thin read path
(core/reader.py, core/today.py) compares with the same values without importing the ORM.
"""

from __future__ import annotations

import enum


class PersonStatus(enum.StrEnum):
    ACTIVE = "active"
    WAITING = "waiting"  # waiting for their reply: patience, not failure
    DORMANT = "dormant"
    DO_NOT_SUGGEST = "do_not_suggest"
    ARCHIVED = "archived"


class Channel(enum.StrEnum):
    COFFEE = "coffee"
    CALL = "call"
    VIDEO = "video"
    MESSAGE = "message"
    EMAIL = "email"
    IN_PERSON = "in_person"
    EVENT = "event"
    OTHER = "other"


class InteractionState(enum.StrEnum):
    DONE = "done"  # it happened
    PLANNED = "planned"  # an upcoming meeting (e.g. imported from a calendar)
    # A synced meeting its calendar cancelled or removed: kept (with any notes), no longer coming up.
    CANCELLED = "cancelled"


class Direction(enum.StrEnum):
    I_OWE = "i_owe"
    THEY_OWE = "they_owe"


class CommitmentStatus(enum.StrEnum):
    OPEN = "open"
    DONE = "done"
    DROPPED = "dropped"


class ReflectionKind(enum.StrEnum):
    DISCOMFORT = "discomfort"  # discomfort reflection / behavioural experiment
    REJECTION = "rejection"
    THOUGHT_RECORD = "thought_record"


# Dunbar layers; 500 stands for weak ties / acquaintances.
CIRCLES: tuple[int, ...] = (5, 15, 50, 150, 500)


# How each channel is named to the user.
CHANNEL_LABELS: dict[Channel, str] = {
    Channel.COFFEE: "Coffee",
    Channel.CALL: "Call",
    Channel.VIDEO: "Video call",
    Channel.MESSAGE: "Message",
    Channel.EMAIL: "Email",
    Channel.IN_PERSON: "In person",
    Channel.EVENT: "At an event or conference",
    Channel.OTHER: "Other",
}
