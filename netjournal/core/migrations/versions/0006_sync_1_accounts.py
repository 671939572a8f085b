"""CardDAV/CalDAV accounts, their collections and the cards linked to people (issue 16)

Revision ID: sync_1
Revises: identity_1
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "sync_1"
down_revision = "identity_1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("url", sa.String(length=1000), nullable=False),
        sa.Column("username", sa.String(length=300), nullable=False),
        sa.Column("password", sa.Text(), nullable=True),
        sa.Column("in_keyring", sa.Boolean(), nullable=False),
        sa.Column("allow_http", sa.Boolean(), nullable=False),
        sa.Column("principal_url", sa.String(length=1000), nullable=False),
        sa.Column("circles", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_sync_at", sa.DateTime(), nullable=True),
        sa.Column("last_ok_at", sa.DateTime(), nullable=True),
        sa.Column("last_problem", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_accounts")),
        sa.UniqueConstraint("name", name=op.f("uq_sync_accounts_name")),
    )
    op.create_table(
        "sync_collections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("url", sa.String(length=1000), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("chosen", sa.Boolean(), nullable=False),
        sa.Column("sync_token", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["sync_accounts.id"],
            name=op.f("fk_sync_collections_account_id_sync_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_collections")),
        sa.UniqueConstraint("account_id", "url", name=op.f("uq_sync_collections_account_id_url")),
    )
    op.create_index(op.f("ix_sync_collections_account_id"), "sync_collections", ["account_id"], unique=False)
    op.create_table(
        "sync_cards",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("collection_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("href", sa.String(length=1000), nullable=False),
        sa.Column("etag", sa.String(length=300), nullable=False),
        sa.Column("uid", sa.String(length=500), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("base", sa.JSON(), nullable=False),
        sa.Column("conflicts", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["collection_id"],
            ["sync_collections.id"],
            name=op.f("fk_sync_cards_collection_id_sync_collections"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_sync_cards_person_id_people"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_cards")),
        sa.UniqueConstraint("collection_id", "href", name=op.f("uq_sync_cards_collection_id_href")),
    )
    op.create_index(op.f("ix_sync_cards_collection_id"), "sync_cards", ["collection_id"], unique=False)
    op.create_index(op.f("ix_sync_cards_person_id"), "sync_cards", ["person_id"], unique=False)


def downgrade() -> None:
    op.drop_table("sync_cards")
    op.drop_table("sync_collections")
    op.drop_table("sync_accounts")
