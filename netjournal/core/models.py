"""The journal's tables, as SQLAlchemy 2 typed models.

Conventions:
- Datetimes are stored as UTC and come back as aware UTC datetimes (`UTCDateTime`).
- Deleting moves a row to the trash (`deleted_at`, plus a `trash_batch` so one undo restores
  everything one delete took away). Rows in the trash are invisible to normal queries.
- Free-form, rarely-queried structure (a reflection's lists, a plan's chosen questions) lives in JSON
  columns; anything that is filtered, sorted or charted has a real column and, where useful, an index.

Over 600 lines on purpose: this is one declarative schema. The tables refer to each other by name
(relationships, foreign keys), the migrations are written against it as a whole, and a reader checking
a migration wants every table on one page; split, it would only scatter those references.
"""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Dialect,
    Enum,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from netjournal.core.identity import new_uid

# The kinds are plain enums (no SQLAlchemy) so the thin read path can use them too; re-exported here.
from netjournal.core.kinds import CIRCLES as CIRCLES
from netjournal.core.kinds import Channel as Channel
from netjournal.core.kinds import CommitmentStatus as CommitmentStatus
from netjournal.core.kinds import Direction as Direction
from netjournal.core.kinds import InteractionState as InteractionState
from netjournal.core.kinds import PersonStatus as PersonStatus
from netjournal.core.kinds import ReflectionKind as ReflectionKind

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out; stored naive-UTC so SQLite sorts them correctly."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("netjournal stores only timezone-aware datetimes")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON, list[Any]: JSON}


def _enum(cls: type[enum.Enum], name: str) -> Enum:
    # Store the value strings (portable, readable in a raw dump), not the member names.
    return Enum(
        cls,
        name=name,
        native_enum=False,
        length=20,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )


class TrashMixin:
    deleted_at: Mapped[datetime | None] = mapped_column(default=None, index=True)
    trash_batch: Mapped[str | None] = mapped_column(String(36), default=None, index=True)


person_tags = Table(
    "person_tags",
    Base.metadata,
    Column("person_id", ForeignKey("people.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Tag(Base):
    __tablename__ = "tags"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)


class Person(TrashMixin, Base):
    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    # Lower-cased name for case-insensitive sorting and exact-name matching on import.
    sort_name: Mapped[str] = mapped_column(String(300), index=True)
    given_name: Mapped[str] = mapped_column(String(200), default="")
    family_name: Mapped[str] = mapped_column(String(200), default="")
    nickname: Mapped[str] = mapped_column(String(200), default="")
    organisation: Mapped[str] = mapped_column(String(300), default="")
    role: Mapped[str] = mapped_column(String(300), default="")
    how_met: Mapped[str] = mapped_column(Text, default="")
    met_on: Mapped[date | None] = mapped_column(Date, default=None)
    circle: Mapped[int | None] = mapped_column(Integer, default=None, index=True)
    cadence_days: Mapped[int | None] = mapped_column(Integer, default=None)
    status: Mapped[PersonStatus] = mapped_column(
        _enum(PersonStatus, "person_status"), default=PersonStatus.ACTIVE, index=True
    )
    ended_badly: Mapped[bool] = mapped_column(Boolean, default=False)
    ford_family: Mapped[str] = mapped_column(Text, default="")
    ford_occupation: Mapped[str] = mapped_column(Text, default="")
    ford_recreation: Mapped[str] = mapped_column(Text, default="")
    ford_dreams: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    # Reconnection state (see core/reconnect): kept here so "what is due" is derived from the database.
    snooze_until: Mapped[datetime | None] = mapped_column(default=None)
    consecutive_snoozes: Mapped[int] = mapped_column(Integer, default=0)
    last_suggested_at: Mapped[datetime | None] = mapped_column(default=None)
    # The person's own UID: globally unique, given at creation, never changed (core/identity.new_uid).
    # Exports write it as the card's UID; imports and sync match it first (migration identity_1).
    uid: Mapped[str] = mapped_column(String(100), default=new_uid, unique=True, index=True)
    # The UID another app gave the card this person came from (vCard UID, LinkedIn profile URL, ...),
    # kept as it was so re-importing from that app, or syncing with it, finds them again.
    source_uid: Mapped[str | None] = mapped_column(String(500), default=None, index=True)
    photo: Mapped[bytes | None] = mapped_column(default=None, deferred=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    emails: Mapped[list[ContactPoint]] = relationship(
        primaryjoin="and_(Person.id == ContactPoint.person_id, ContactPoint.kind == 'email')",
        order_by="ContactPoint.position",
        viewonly=True,
    )
    contact_points: Mapped[list[ContactPoint]] = relationship(
        back_populates="person", cascade="all, delete-orphan", order_by="ContactPoint.position"
    )
    addresses: Mapped[list[Address]] = relationship(
        back_populates="person", cascade="all, delete-orphan", order_by="Address.position"
    )
    dates: Mapped[list[ImportantDate]] = relationship(
        back_populates="person", cascade="all, delete-orphan", order_by="ImportantDate.id"
    )
    tags: Mapped[list[Tag]] = relationship(secondary=person_tags, order_by="Tag.name")
    commitments: Mapped[list[Commitment]] = relationship(
        back_populates="person", cascade="all, delete-orphan", order_by="Commitment.due_on"
    )


class ContactPoint(Base):
    """An email address, phone number, web link or messaging handle of a person."""

    __tablename__ = "contact_points"
    __table_args__ = (Index("ix_contact_points_kind_norm", "kind", "normalized"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # email | phone | url | im
    label: Mapped[str] = mapped_column(String(60), default="")  # work, home, mobile, linkedin, ...
    value: Mapped[str] = mapped_column(String(500))
    # Lower-cased email / digits-only phone: how imports recognise the same person.
    normalized: Mapped[str] = mapped_column(String(500), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)

    person: Mapped[Person] = relationship(back_populates="contact_points")


class Address(Base):
    __tablename__ = "addresses"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(60), default="")
    street: Mapped[str] = mapped_column(Text, default="")
    locality: Mapped[str] = mapped_column(String(200), default="")
    region: Mapped[str] = mapped_column(String(200), default="")
    postcode: Mapped[str] = mapped_column(String(40), default="")
    country: Mapped[str] = mapped_column(String(200), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)

    person: Mapped[Person] = relationship(back_populates="addresses")


class ImportantDate(Base):
    """A birthday, anniversary or other date worth remembering; the year may be unknown."""

    __tablename__ = "important_dates"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40), default="birthday")  # birthday | anniversary | other
    label: Mapped[str] = mapped_column(String(200), default="")
    month: Mapped[int] = mapped_column(Integer)
    day: Mapped[int] = mapped_column(Integer)
    year: Mapped[int | None] = mapped_column(Integer, default=None)
    recurring: Mapped[bool] = mapped_column(Boolean, default=True)

    person: Mapped[Person] = relationship(back_populates="dates")


interaction_people = Table(
    "interaction_people",
    Base.metadata,
    Column("interaction_id", ForeignKey("interactions.id", ondelete="CASCADE"), primary_key=True),
    Column("person_id", ForeignKey("people.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_interaction_people_person", "person_id", "interaction_id"),
)


class Interaction(TrashMixin, Base):
    """Something that happened with one or more people (or an upcoming meeting, state=planned)."""

    __tablename__ = "interactions"
    __table_args__ = (
        Index("ix_interactions_state_at", "state", "at"),
        # Covers what Insights charts, so its aggregates never read the wide rows (migration reflect_1).
        Index(
            "ix_interactions_insights",
            "state",
            "at",
            "deleted_at",
            "initiated_by_me",
            "channel",
            "group_size",
            "energy_before",
            "energy_after",
            "predicted_liking",
            "perceived_liking",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    state: Mapped[InteractionState] = mapped_column(
        _enum(InteractionState, "interaction_state"), default=InteractionState.DONE
    )
    channel: Mapped[Channel] = mapped_column(_enum(Channel, "channel"), default=Channel.OTHER)
    title: Mapped[str] = mapped_column(String(500), default="")
    location: Mapped[str] = mapped_column(String(500), default="")
    duration_min: Mapped[int | None] = mapped_column(Integer, default=None)
    notes: Mapped[str] = mapped_column(Text, default="")
    topics: Mapped[str] = mapped_column(Text, default="")
    warmth: Mapped[int | None] = mapped_column(Integer, default=None)  # 1-5
    initiated_by_me: Mapped[bool | None] = mapped_column(Boolean, default=None)
    predicted_liking: Mapped[int | None] = mapped_column(Integer, default=None)  # 1-7, before
    perceived_liking: Mapped[int | None] = mapped_column(Integer, default=None)  # 1-7, after
    follow_up_questions: Mapped[int | None] = mapped_column(Integer, default=None)
    energy_before: Mapped[int | None] = mapped_column(Integer, default=None)  # 0-10
    energy_after: Mapped[int | None] = mapped_column(Integer, default=None)  # 0-10
    group_size: Mapped[int | None] = mapped_column(Integer, default=None)
    i_gave: Mapped[str] = mapped_column(Text, default="")
    they_gave: Mapped[str] = mapped_column(Text, default="")
    awaiting_reply: Mapped[bool] = mapped_column(Boolean, default=False)
    source_uid: Mapped[str | None] = mapped_column(String(500), default=None, index=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    people: Mapped[list[Person]] = relationship(secondary=interaction_people, order_by="Person.sort_name")
    commitments: Mapped[list[Commitment]] = relationship(back_populates="interaction")


class Commitment(TrashMixin, Base):
    """A promise: something I owe them or they owe me."""

    __tablename__ = "commitments"
    __table_args__ = (Index("ix_commitments_status_due", "status", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    interaction_id: Mapped[int | None] = mapped_column(
        ForeignKey("interactions.id", ondelete="SET NULL"), default=None, index=True
    )
    direction: Mapped[Direction] = mapped_column(_enum(Direction, "direction"))
    text: Mapped[str] = mapped_column(Text)
    due_on: Mapped[date | None] = mapped_column(Date, default=None)
    status: Mapped[CommitmentStatus] = mapped_column(
        _enum(CommitmentStatus, "commitment_status"), default=CommitmentStatus.OPEN
    )
    done_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    person: Mapped[Person] = relationship(back_populates="commitments")
    interaction: Mapped[Interaction | None] = relationship(back_populates="commitments")


class EnergyLog(Base):
    """A social-battery reading (0-10), used to hold reminders back after draining days."""

    __tablename__ = "energy_logs"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    battery: Mapped[int] = mapped_column(Integer)
    context: Mapped[str] = mapped_column(Text, default="")
    group_size: Mapped[int | None] = mapped_column(Integer, default=None)


class Plan(TrashMixin, Base):
    """A plan for a meeting or an event (the PDF prep sheet is printed from it)."""

    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), default=None, index=True
    )
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("interactions.id", ondelete="SET NULL"), default=None, index=True
    )
    debrief_id: Mapped[int | None] = mapped_column(ForeignKey("interactions.id", ondelete="SET NULL"), default=None)
    title: Mapped[str] = mapped_column(String(500), default="")
    at: Mapped[datetime | None] = mapped_column(default=None)
    format: Mapped[str] = mapped_column(String(40), default="coffee")
    duration_min: Mapped[int] = mapped_column(Integer, default=30)
    situation: Mapped[str] = mapped_column(String(40), default="first_meeting")
    job_search: Mapped[bool] = mapped_column(Boolean, default=False)
    purpose: Mapped[str] = mapped_column(Text, default="")
    research_notes: Mapped[str] = mapped_column(Text, default="")
    intro_script: Mapped[str] = mapped_column(Text, default="")
    questions: Mapped[list[Any]] = mapped_column(default=list)  # [{key?, text}]
    follow_up_prompts: Mapped[list[Any]] = mapped_column(default=list)
    offers: Mapped[list[Any]] = mapped_column(default=list)  # 1-3 strings
    ask: Mapped[str] = mapped_column(Text, default="")
    exit_line: Mapped[str] = mapped_column(Text, default="")
    if_then_goal: Mapped[str] = mapped_column(Text, default="")
    coping_hot_thought: Mapped[str] = mapped_column(Text, default="")
    coping_balanced_thought: Mapped[str] = mapped_column(Text, default="")
    energy_plan: Mapped[str] = mapped_column(Text, default="")
    recovery_block_min: Mapped[int] = mapped_column(Integer, default=60)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class QuestionEntry(Base):
    """The user's layer over the shipped question bank: their own entries and their edits.

    Shipped entries are identified by `shipped_key`, so an upgraded bank keeps the user's hides,
    favourites and edits.
    """

    __tablename__ = "question_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    shipped_key: Mapped[str | None] = mapped_column(String(80), unique=True, default=None)
    text: Mapped[str | None] = mapped_column(Text, default=None)  # None: use the shipped text
    kind: Mapped[str | None] = mapped_column(String(40), default=None)
    purposes: Mapped[list[Any] | None] = mapped_column(default=None)
    situations: Mapped[list[Any] | None] = mapped_column(default=None)
    depth: Mapped[int | None] = mapped_column(Integer, default=None)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    favourite: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class Reflection(TrashMixin, Base):
    """A discomfort reflection / behavioural experiment, a rejection reflection or a thought record.

    The values that insights chart are real columns; the rest of each form lives in `data`.
    """

    __tablename__ = "reflections"
    __table_args__ = (Index("ix_reflections_kind_at", "kind", "occurred_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ReflectionKind] = mapped_column(_enum(ReflectionKind, "reflection_kind"))
    occurred_at: Mapped[datetime] = mapped_column(index=True)
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), default=None, index=True
    )
    interaction_id: Mapped[int | None] = mapped_column(
        ForeignKey("interactions.id", ondelete="SET NULL"), default=None, index=True
    )
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id", ondelete="SET NULL"), default=None)
    title: Mapped[str] = mapped_column(String(500), default="")
    situation: Mapped[str] = mapped_column(Text, default="")
    predicted_suds: Mapped[int | None] = mapped_column(Integer, default=None)  # 0-100
    actual_suds: Mapped[int | None] = mapped_column(Integer, default=None)  # 0-100
    predicted_liking: Mapped[int | None] = mapped_column(Integer, default=None)  # 1-7
    actual_liking: Mapped[int | None] = mapped_column(Integer, default=None)  # 1-7
    belief_before: Mapped[int | None] = mapped_column(Integer, default=None)  # 0-100
    belief_after: Mapped[int | None] = mapped_column(Integer, default=None)  # 0-100
    response: Mapped[str | None] = mapped_column(String(20), default=None)  # yes|no|maybe|no_reply
    counts_as_attempt: Mapped[bool] = mapped_column(Boolean, default=True)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    is_draft: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class Ladder(TrashMixin, Base):
    __tablename__ = "ladders"

    id: Mapped[int] = mapped_column(primary_key=True)
    goal: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    steps: Mapped[list[LadderStep]] = relationship(
        back_populates="ladder", cascade="all, delete-orphan", order_by="LadderStep.position"
    )


class LadderStep(Base):
    __tablename__ = "ladder_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    ladder_id: Mapped[int] = mapped_column(ForeignKey("ladders.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text)
    suds_expected: Mapped[int] = mapped_column(Integer, default=50)
    step_type: Mapped[str] = mapped_column(String(20), default="in_vivo")  # in_vivo | imaginal
    safety_behaviour: Mapped[str] = mapped_column(Text, default="")
    done: Mapped[bool] = mapped_column(Boolean, default=False)

    ladder: Mapped[Ladder] = relationship(back_populates="steps")
    attempts: Mapped[list[LadderAttempt]] = relationship(
        back_populates="step", cascade="all, delete-orphan", order_by="LadderAttempt.at"
    )


class LadderAttempt(Base):
    __tablename__ = "ladder_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    step_id: Mapped[int] = mapped_column(ForeignKey("ladder_steps.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(index=True)
    suds_before: Mapped[int | None] = mapped_column(Integer, default=None)
    suds_peak: Mapped[int | None] = mapped_column(Integer, default=None)
    suds_after: Mapped[int | None] = mapped_column(Integer, default=None)
    note: Mapped[str] = mapped_column(Text, default="")

    step: Mapped[LadderStep] = relationship(back_populates="attempts")


class SuggestionEvent(Base):
    """What the reconnection engine showed, and what the user did with it."""

    __tablename__ = "suggestion_events"
    __table_args__ = (Index("ix_suggestion_events_person_at", "person_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(index=True)
    # shown | nudged | snoozed | acted | dismissed | digest
    event: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Setting(Base):
    """User settings and small pieces of app state, as JSON values by key."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)


class Draft(Base):
    """Autosaved text that has not been saved for real yet (restored after a crash)."""

    __tablename__ = "drafts"
    __table_args__ = (UniqueConstraint("key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200))  # e.g. "quicklog", "reflection:12"
    content: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_at: Mapped[datetime]


class ContactStat(Base):
    """Each person's last contact (a done, not-trashed interaction) and how warm it was.

    Derived data for fast reconnection scoring: on SQLite, triggers (migration reconnect_1) keep it
    current whoever writes interactions; nothing in Python writes it.
    """

    __tablename__ = "contact_stats"

    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    last_contact_at: Mapped[datetime | None] = mapped_column(default=None)
    last_warmth: Mapped[int | None] = mapped_column(Integer, default=None)


# ---------------------------------------------------------------------------------------- sync (issue 16)


class SyncAccount(Base):
    """A CardDAV/CalDAV account the user added (`netjournal account add`). See core/sync.

    The password is in the system keyring when there is one (`password` stays None); otherwise it is
    kept here, in the journal database, which is encrypted when the journal is.
    """

    __tablename__ = "sync_accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    url: Mapped[str] = mapped_column(String(1000))
    username: Mapped[str] = mapped_column(String(300))
    password: Mapped[str | None] = mapped_column(Text, default=None)
    in_keyring: Mapped[bool] = mapped_column(Boolean, default=False)
    allow_http: Mapped[bool] = mapped_column(Boolean, default=False)
    principal_url: Mapped[str] = mapped_column(String(1000), default="")
    # Circles whose people go up to the server (None: everyone).
    circles: Mapped[list[Any] | None] = mapped_column(default=None)
    created_at: Mapped[datetime]
    last_sync_at: Mapped[datetime | None] = mapped_column(default=None)
    last_ok_at: Mapped[datetime | None] = mapped_column(default=None)
    last_problem: Mapped[str] = mapped_column(Text, default="")

    collections: Mapped[list[SyncCollection]] = relationship(
        back_populates="account", cascade="all, delete-orphan", order_by="SyncCollection.id"
    )


class SyncCollection(Base):
    """An address book or calendar found on an account; `chosen` ones are synced."""

    __tablename__ = "sync_collections"
    __table_args__ = (UniqueConstraint("account_id", "url"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("sync_accounts.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # addressbook | calendar
    url: Mapped[str] = mapped_column(String(1000))
    name: Mapped[str] = mapped_column(String(300), default="")
    chosen: Mapped[bool] = mapped_column(Boolean, default=True)
    # RFC 6578 sync-collection token of the last complete sync ("" when none, or the server has none).
    sync_token: Mapped[str] = mapped_column(Text, default="")

    account: Mapped[SyncAccount] = relationship(back_populates="collections")


class SyncCard(Base):
    """One card on the server and the person it belongs to.

    `base` holds the card fields as both sides last agreed (core/sync/cards.fields); a side whose
    fields differ from it has changed. `conflicts` holds fields both sides changed differently:
    {field: [journal value, server value]}, shown on the person's page until the user chooses.
    """

    __tablename__ = "sync_cards"
    __table_args__ = (UniqueConstraint("collection_id", "href"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    collection_id: Mapped[int] = mapped_column(ForeignKey("sync_collections.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), index=True)
    href: Mapped[str] = mapped_column(String(1000))
    etag: Mapped[str] = mapped_column(String(300), default="")
    uid: Mapped[str] = mapped_column(String(500), default="")
    # The card as the server last sent or accepted it: an upload changes only our fields in it, so what
    # the phone wrote that netjournal does not keep (notes, custom fields) stays on the server.
    text: Mapped[str] = mapped_column(Text, default="", deferred=True)
    base: Mapped[dict[str, Any]] = mapped_column(default=dict)
    conflicts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # linked | removed (the person went to the trash, the card was deleted) | gone (deleted on the server)
    state: Mapped[str] = mapped_column(String(20), default="linked")
    changed_at: Mapped[datetime | None] = mapped_column(default=None)


class CalendarSubscription(Base):
    """A plain iCalendar address the user subscribed to (Google's secret address, a published Outlook
    calendar). Read-only: its events become upcoming meetings (core/sync/calendars). The address is a
    secret of sorts, so it lives only here (encrypted when the journal is), never in a log."""

    __tablename__ = "calendar_subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    url: Mapped[str] = mapped_column(String(2000))
    verify_tls: Mapped[bool] = mapped_column(Boolean, default=True)
    last_synced_at: Mapped[datetime | None] = mapped_column(default=None)
    last_problem: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime]


class SyncedEvent(Base):
    """Which meeting a calendar event (one occurrence of it) became, and what sync last wrote there.

    Keyed by (source, event UID, recurrence id; "" for a one-off event), so a moved event updates its
    meeting, a cancelled one cancels it, and a second sync finds everything in place. The `synced_*`
    columns hold what the calendar said last time: a field the user changed since is theirs, and sync
    leaves it alone.
    """

    __tablename__ = "synced_events"
    __table_args__ = (UniqueConstraint("source", "uid", "recurrence_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(200), index=True)  # an account or subscription name
    calendar: Mapped[str] = mapped_column(String(2000), default="")  # the calendar URL it came from
    uid: Mapped[str] = mapped_column(String(500))
    recurrence_id: Mapped[str] = mapped_column(String(40), default="")
    interaction_id: Mapped[int | None] = mapped_column(
        ForeignKey("interactions.id", ondelete="SET NULL"), default=None, index=True
    )
    synced_at: Mapped[datetime]  # the start the calendar gave
    synced_title: Mapped[str] = mapped_column(String(500), default="")
    synced_location: Mapped[str] = mapped_column(String(500), default="")
    synced_duration_min: Mapped[int | None] = mapped_column(Integer, default=None)
    synced_people: Mapped[list[Any]] = mapped_column(default=list)  # person ids
    cancelled_at: Mapped[datetime | None] = mapped_column(default=None)  # when sync cancelled the meeting
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
