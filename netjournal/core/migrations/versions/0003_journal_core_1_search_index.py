"""full-text search index (SQLite FTS5) kept in sync by triggers

Revision ID: journal_core_1
Revises: reflect_1
Create Date: 2026-11-23 09:30:00

SQLite only: on other databases search falls back to LIKE queries (see core/search.py).
"""

from __future__ import annotations

from alembic import op

from netjournal.core.search_sql import CONFIGURE_RANK, CREATE_TABLE, DROP, REBUILD, TRIGGERS

revision = "journal_core_1"
down_revision = "reflect_1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    op.execute(CREATE_TABLE)
    op.execute(CONFIGURE_RANK)
    for stmt in TRIGGERS:
        op.execute(stmt)
    for stmt in REBUILD:
        op.execute(stmt)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    for stmt in DROP:
        op.execute(stmt)
