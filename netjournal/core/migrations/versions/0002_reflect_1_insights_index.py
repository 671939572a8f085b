"""a covering index for Insights over interactions

Insights aggregates interactions by month, energy, liking and meeting kind. Without this index each of
those queries looks up every matching (wide) interaction row: ~70 ms for a year of a 100,000-interaction
journal, ~450 ms for all of it. Covering the charted columns lets SQLite answer from the index alone
(2-12 ms per query for a year). See bench/bench_insights.py.

Revision ID: reflect_1
Revises: 0001
"""

from __future__ import annotations

from alembic import op

revision = "reflect_1"
down_revision = "0001"
branch_labels = None
depends_on = None

COLUMNS = [
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
]


def upgrade() -> None:
    op.create_index("ix_interactions_insights", "interactions", COLUMNS)


def downgrade() -> None:
    op.drop_index("ix_interactions_insights", table_name="interactions")
