"""contact_stats: each person's last contact, kept current by triggers

Reconnection scoring needs every person's last contact. Aggregating 100,000 interactions for that
takes 200-500 ms on SQLite; this small table, maintained by triggers on every writer (the app, the
command line, importers, bulk inserts), makes it a 5,000-row read.

Revision ID: reconnect_1
Revises: journal_core_1
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "reconnect_1"
down_revision = "journal_core_1"
branch_labels = None
depends_on = None

# The latest done, not-trashed interaction of person `{pid}`: its `{col}` (a scalar subquery).
_LATEST = (
    "(SELECT i.{col} FROM interactions i JOIN interaction_people ip ON ip.interaction_id = i.id "
    "WHERE ip.person_id = {pid} AND i.state = 'done' AND i.deleted_at IS NULL ORDER BY i.at DESC LIMIT 1)"
)


def _stats_of(pid: str) -> str:
    """SELECT person_id, last_contact_at, last_warmth for one person, computed from scratch."""
    return f"SELECT {pid}, {_LATEST.format(col='at', pid=pid)}, {_LATEST.format(col='warmth', pid=pid)}"


def _refresh(pid: str) -> str:
    return (
        "INSERT OR REPLACE INTO contact_stats (person_id, last_contact_at, last_warmth) "
        f"{_stats_of(pid)} WHERE EXISTS (SELECT 1 FROM people WHERE id = {pid});"
    )


TRIGGERS = {
    # A new link to a done interaction: only ever moves the last contact forward (cheap for bulk inserts).
    "trg_contact_stats_link_insert": """
        CREATE TRIGGER trg_contact_stats_link_insert AFTER INSERT ON interaction_people
        WHEN EXISTS (SELECT 1 FROM interactions i WHERE i.id = NEW.interaction_id AND i.state = 'done'
                     AND i.deleted_at IS NULL
                     AND i.at >= COALESCE((SELECT last_contact_at FROM contact_stats
                                           WHERE person_id = NEW.person_id), ''))
        BEGIN
            INSERT OR REPLACE INTO contact_stats (person_id, last_contact_at, last_warmth)
            SELECT NEW.person_id, i.at, i.warmth FROM interactions i WHERE i.id = NEW.interaction_id;
        END""",
    "trg_contact_stats_link_delete": f"""
        CREATE TRIGGER trg_contact_stats_link_delete AFTER DELETE ON interaction_people
        BEGIN {_refresh("OLD.person_id")} END""",
    "trg_contact_stats_interaction_update": f"""
        CREATE TRIGGER trg_contact_stats_interaction_update
        AFTER UPDATE OF at, state, deleted_at, warmth ON interactions
        BEGIN
            DELETE FROM contact_stats WHERE person_id IN
                (SELECT person_id FROM interaction_people WHERE interaction_id = NEW.id);
            INSERT OR REPLACE INTO contact_stats (person_id, last_contact_at, last_warmth)
            SELECT x.person_id, {_LATEST.format(col="at", pid="x.person_id")},
                   {_LATEST.format(col="warmth", pid="x.person_id")}
            FROM interaction_people x WHERE x.interaction_id = NEW.id;
        END""",
}


def upgrade() -> None:
    op.create_table(
        "contact_stats",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("last_contact_at", sa.DateTime(), nullable=True),
        sa.Column("last_warmth", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_contact_stats_person_id_people"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_contact_stats")),
    )
    if op.get_bind().dialect.name != "sqlite":
        return  # elsewhere the engine aggregates interactions directly (see core/reconnect/loading.py)
    for sql in TRIGGERS.values():
        op.execute(sql)
    op.execute(f"INSERT INTO contact_stats (person_id, last_contact_at, last_warmth) {_stats_of('p.id')} FROM people p")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table("contact_stats")
