"""calendar_subscriptions and synced_events: calendar events become upcoming meetings

`synced_events` remembers which meeting each calendar event occurrence became (by source, UID and
recurrence id) and what sync last wrote there, so moved and cancelled events update their meeting
and a second sync changes nothing. `calendar_subscriptions` holds plain iCalendar addresses.
Interactions gain the state "cancelled" (the column is a plain string: no schema change).

Revision ID: calendar_1
Revises: sync_1
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "calendar_1"
# Re-chained after the contacts side's sync_1 (merged from sync-contacts). No comment on the line itself:
# dbfile.quick_head_revision reads these lines as they are.
down_revision = "sync_1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "calendar_subscriptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("verify_tls", sa.Boolean(), nullable=False),
        sa.Column("last_synced_at", sa.DateTime(), nullable=True),
        sa.Column("last_problem", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_subscriptions")),
        sa.UniqueConstraint("name", name=op.f("uq_calendar_subscriptions_name")),
    )
    op.create_table(
        "synced_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("calendar", sa.String(length=2000), nullable=False),
        sa.Column("uid", sa.String(length=500), nullable=False),
        sa.Column("recurrence_id", sa.String(length=40), nullable=False),
        sa.Column("interaction_id", sa.Integer(), nullable=True),
        sa.Column("synced_at", sa.DateTime(), nullable=False),
        sa.Column("synced_title", sa.String(length=500), nullable=False),
        sa.Column("synced_location", sa.String(length=500), nullable=False),
        sa.Column("synced_duration_min", sa.Integer(), nullable=True),
        sa.Column("synced_people", sa.JSON(), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["interaction_id"],
            ["interactions.id"],
            name=op.f("fk_synced_events_interaction_id_interactions"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_synced_events")),
        sa.UniqueConstraint("source", "uid", "recurrence_id", name=op.f("uq_synced_events_source_uid_recurrence_id")),
    )
    with op.batch_alter_table("synced_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_synced_events_source"), ["source"], unique=False)
        batch_op.create_index(batch_op.f("ix_synced_events_interaction_id"), ["interaction_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("synced_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_synced_events_interaction_id"))
        batch_op.drop_index(batch_op.f("ix_synced_events_source"))
    op.drop_table("synced_events")
    op.drop_table("calendar_subscriptions")
