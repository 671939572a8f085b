"""people.uid: every person's own globally unique, stable UID; names and contact points normalised

Exports used to write `netjournal-person-<row id>` as a card's UID, so two journals' exports
claimed the same UID for different people. Every person now has a UID of their own
(`urn:uuid:<random UUID>`, unique index), written to exports and matched on import. UIDs from other
apps stay in `source_uid`; old row-number UIDs found there identify no one and are cleared.

Names and e-mail addresses are stored in Unicode NFC, and the comparison forms (`people.sort_name`,
`contact_points.normalized`) are recomputed with the one normalisation in core/identity.

Revision ID: identity_1
Revises: reconnect_1
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from netjournal.core.identity import name_key, new_uid, nfc, normalize_point

revision = "identity_1"
down_revision = "reconnect_1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("people", recreate="never") as batch_op:
        batch_op.add_column(sa.Column("uid", sa.String(length=100), nullable=True))
    bind = op.get_bind()
    people = bind.execute(sa.text("SELECT id, name, sort_name, source_uid FROM people")).all()
    for pid, name, sort_name, source_uid in people:
        values = {"id": pid, "uid": new_uid(), "name": name, "sort_name": sort_name, "source_uid": source_uid}
        if nfc(name) != name or name_key(name) != sort_name:
            values.update(name=nfc(name), sort_name=name_key(name))
        if source_uid is not None and source_uid.startswith("netjournal-person-"):
            values["source_uid"] = None
        bind.execute(
            sa.text(
                "UPDATE people SET uid = :uid, name = :name, sort_name = :sort_name, source_uid = :source_uid "
                "WHERE id = :id"
            ),
            values,
        )
    points = bind.execute(sa.text("SELECT id, kind, value, normalized FROM contact_points")).all()
    changed = [
        {"id": cid, "value": nfc(value), "normalized": normalize_point(kind, value)}
        for cid, kind, value, normalized in points
        if normalize_point(kind, value) != normalized or nfc(value) != value
    ]
    if changed:
        bind.execute(
            sa.text("UPDATE contact_points SET value = :value, normalized = :normalized WHERE id = :id"), changed
        )
    with op.batch_alter_table("people", recreate="never") as batch_op:
        batch_op.create_index(batch_op.f("ix_people_uid"), ["uid"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("people", recreate="never") as batch_op:
        batch_op.drop_index(batch_op.f("ix_people_uid"))
        batch_op.drop_column("uid")
