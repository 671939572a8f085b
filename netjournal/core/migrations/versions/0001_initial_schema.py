"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-23 09:01:43.443550
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_drafts")),
        sa.UniqueConstraint("key", name=op.f("uq_drafts_key")),
    )
    op.create_table(
        "energy_logs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("battery", sa.Integer(), nullable=False),
        sa.Column("context", sa.Text(), nullable=False),
        sa.Column("group_size", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_energy_logs")),
    )
    with op.batch_alter_table("energy_logs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_energy_logs_at"), ["at"], unique=False)

    op.create_table(
        "interactions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column(
            "state",
            sa.Enum("done", "planned", name="interaction_state", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column(
            "channel",
            sa.Enum(
                "coffee",
                "call",
                "video",
                "message",
                "email",
                "in_person",
                "event",
                "other",
                name="channel",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("location", sa.String(length=500), nullable=False),
        sa.Column("duration_min", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("topics", sa.Text(), nullable=False),
        sa.Column("warmth", sa.Integer(), nullable=True),
        sa.Column("initiated_by_me", sa.Boolean(), nullable=True),
        sa.Column("predicted_liking", sa.Integer(), nullable=True),
        sa.Column("perceived_liking", sa.Integer(), nullable=True),
        sa.Column("follow_up_questions", sa.Integer(), nullable=True),
        sa.Column("energy_before", sa.Integer(), nullable=True),
        sa.Column("energy_after", sa.Integer(), nullable=True),
        sa.Column("group_size", sa.Integer(), nullable=True),
        sa.Column("i_gave", sa.Text(), nullable=False),
        sa.Column("they_gave", sa.Text(), nullable=False),
        sa.Column("awaiting_reply", sa.Boolean(), nullable=False),
        sa.Column("source_uid", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("trash_batch", sa.String(length=36), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interactions")),
    )
    with op.batch_alter_table("interactions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_interactions_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_interactions_deleted_at"), ["deleted_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_interactions_source_uid"), ["source_uid"], unique=False)
        batch_op.create_index("ix_interactions_state_at", ["state", "at"], unique=False)
        batch_op.create_index(batch_op.f("ix_interactions_trash_batch"), ["trash_batch"], unique=False)

    op.create_table(
        "ladders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("goal", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("trash_batch", sa.String(length=36), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ladders")),
    )
    with op.batch_alter_table("ladders", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ladders_deleted_at"), ["deleted_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_ladders_trash_batch"), ["trash_batch"], unique=False)

    op.create_table(
        "people",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("sort_name", sa.String(length=300), nullable=False),
        sa.Column("given_name", sa.String(length=200), nullable=False),
        sa.Column("family_name", sa.String(length=200), nullable=False),
        sa.Column("nickname", sa.String(length=200), nullable=False),
        sa.Column("organisation", sa.String(length=300), nullable=False),
        sa.Column("role", sa.String(length=300), nullable=False),
        sa.Column("how_met", sa.Text(), nullable=False),
        sa.Column("met_on", sa.Date(), nullable=True),
        sa.Column("circle", sa.Integer(), nullable=True),
        sa.Column("cadence_days", sa.Integer(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "active",
                "waiting",
                "dormant",
                "do_not_suggest",
                "archived",
                name="person_status",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("ended_badly", sa.Boolean(), nullable=False),
        sa.Column("ford_family", sa.Text(), nullable=False),
        sa.Column("ford_occupation", sa.Text(), nullable=False),
        sa.Column("ford_recreation", sa.Text(), nullable=False),
        sa.Column("ford_dreams", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("snooze_until", sa.DateTime(), nullable=True),
        sa.Column("consecutive_snoozes", sa.Integer(), nullable=False),
        sa.Column("last_suggested_at", sa.DateTime(), nullable=True),
        sa.Column("source_uid", sa.String(length=500), nullable=True),
        sa.Column("photo", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("trash_batch", sa.String(length=36), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_people")),
    )
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_people_circle"), ["circle"], unique=False)
        batch_op.create_index(batch_op.f("ix_people_deleted_at"), ["deleted_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_people_sort_name"), ["sort_name"], unique=False)
        batch_op.create_index(batch_op.f("ix_people_source_uid"), ["source_uid"], unique=False)
        batch_op.create_index(batch_op.f("ix_people_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_people_trash_batch"), ["trash_batch"], unique=False)

    op.create_table(
        "question_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("shipped_key", sa.String(length=80), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("kind", sa.String(length=40), nullable=True),
        sa.Column("purposes", sa.JSON(), nullable=True),
        sa.Column("situations", sa.JSON(), nullable=True),
        sa.Column("depth", sa.Integer(), nullable=True),
        sa.Column("hidden", sa.Boolean(), nullable=False),
        sa.Column("favourite", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_question_entries")),
        sa.UniqueConstraint("shipped_key", name=op.f("uq_question_entries_shipped_key")),
    )
    op.create_table(
        "settings",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_settings")),
    )
    op.create_table(
        "tags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tags")),
        sa.UniqueConstraint("name", name=op.f("uq_tags_name")),
    )
    op.create_table(
        "addresses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=60), nullable=False),
        sa.Column("street", sa.Text(), nullable=False),
        sa.Column("locality", sa.String(length=200), nullable=False),
        sa.Column("region", sa.String(length=200), nullable=False),
        sa.Column("postcode", sa.String(length=40), nullable=False),
        sa.Column("country", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_addresses_person_id_people"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_addresses")),
    )
    with op.batch_alter_table("addresses", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_addresses_person_id"), ["person_id"], unique=False)

    op.create_table(
        "commitments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("interaction_id", sa.Integer(), nullable=True),
        sa.Column(
            "direction",
            sa.Enum("i_owe", "they_owe", name="direction", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column(
            "status",
            sa.Enum("open", "done", "dropped", name="commitment_status", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("done_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("trash_batch", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["interaction_id"],
            ["interactions.id"],
            name=op.f("fk_commitments_interaction_id_interactions"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_commitments_person_id_people"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commitments")),
    )
    with op.batch_alter_table("commitments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_commitments_deleted_at"), ["deleted_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_commitments_interaction_id"), ["interaction_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_commitments_person_id"), ["person_id"], unique=False)
        batch_op.create_index("ix_commitments_status_due", ["status", "due_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_commitments_trash_batch"), ["trash_batch"], unique=False)

    op.create_table(
        "contact_points",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("label", sa.String(length=60), nullable=False),
        sa.Column("value", sa.String(length=500), nullable=False),
        sa.Column("normalized", sa.String(length=500), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_contact_points_person_id_people"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact_points")),
    )
    with op.batch_alter_table("contact_points", schema=None) as batch_op:
        batch_op.create_index("ix_contact_points_kind_norm", ["kind", "normalized"], unique=False)
        batch_op.create_index(batch_op.f("ix_contact_points_person_id"), ["person_id"], unique=False)

    op.create_table(
        "important_dates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("day", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("recurring", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_important_dates_person_id_people"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_important_dates")),
    )
    with op.batch_alter_table("important_dates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_important_dates_person_id"), ["person_id"], unique=False)

    op.create_table(
        "interaction_people",
        sa.Column("interaction_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["interaction_id"],
            ["interactions.id"],
            name=op.f("fk_interaction_people_interaction_id_interactions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_interaction_people_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("interaction_id", "person_id", name=op.f("pk_interaction_people")),
    )
    with op.batch_alter_table("interaction_people", schema=None) as batch_op:
        batch_op.create_index("ix_interaction_people_person", ["person_id", "interaction_id"], unique=False)

    op.create_table(
        "ladder_steps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ladder_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("suds_expected", sa.Integer(), nullable=False),
        sa.Column("step_type", sa.String(length=20), nullable=False),
        sa.Column("safety_behaviour", sa.Text(), nullable=False),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["ladder_id"], ["ladders.id"], name=op.f("fk_ladder_steps_ladder_id_ladders"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ladder_steps")),
    )
    with op.batch_alter_table("ladder_steps", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ladder_steps_ladder_id"), ["ladder_id"], unique=False)

    op.create_table(
        "person_tags",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("tag_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_person_tags_person_id_people"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["tag_id"], ["tags.id"], name=op.f("fk_person_tags_tag_id_tags"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("person_id", "tag_id", name=op.f("pk_person_tags")),
    )
    with op.batch_alter_table("person_tags", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_tags_tag_id"), ["tag_id"], unique=False)

    op.create_table(
        "plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("debrief_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=True),
        sa.Column("format", sa.String(length=40), nullable=False),
        sa.Column("duration_min", sa.Integer(), nullable=False),
        sa.Column("situation", sa.String(length=40), nullable=False),
        sa.Column("job_search", sa.Boolean(), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("research_notes", sa.Text(), nullable=False),
        sa.Column("intro_script", sa.Text(), nullable=False),
        sa.Column("questions", sa.JSON(), nullable=False),
        sa.Column("follow_up_prompts", sa.JSON(), nullable=False),
        sa.Column("offers", sa.JSON(), nullable=False),
        sa.Column("ask", sa.Text(), nullable=False),
        sa.Column("exit_line", sa.Text(), nullable=False),
        sa.Column("if_then_goal", sa.Text(), nullable=False),
        sa.Column("coping_hot_thought", sa.Text(), nullable=False),
        sa.Column("coping_balanced_thought", sa.Text(), nullable=False),
        sa.Column("energy_plan", sa.Text(), nullable=False),
        sa.Column("recovery_block_min", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("trash_batch", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["debrief_id"],
            ["interactions.id"],
            name=op.f("fk_plans_debrief_id_interactions"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["interactions.id"],
            name=op.f("fk_plans_meeting_id_interactions"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_plans_person_id_people"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plans")),
    )
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plans_deleted_at"), ["deleted_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_plans_meeting_id"), ["meeting_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_plans_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_plans_trash_batch"), ["trash_batch"], unique=False)

    op.create_table(
        "suggestion_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("event", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_suggestion_events_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_suggestion_events")),
    )
    with op.batch_alter_table("suggestion_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_suggestion_events_at"), ["at"], unique=False)
        batch_op.create_index("ix_suggestion_events_person_at", ["person_id", "at"], unique=False)

    op.create_table(
        "ladder_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("step_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("suds_before", sa.Integer(), nullable=True),
        sa.Column("suds_peak", sa.Integer(), nullable=True),
        sa.Column("suds_after", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["step_id"],
            ["ladder_steps.id"],
            name=op.f("fk_ladder_attempts_step_id_ladder_steps"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ladder_attempts")),
    )
    with op.batch_alter_table("ladder_attempts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ladder_attempts_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_ladder_attempts_step_id"), ["step_id"], unique=False)

    op.create_table(
        "reflections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "discomfort",
                "rejection",
                "thought_record",
                name="reflection_kind",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("interaction_id", sa.Integer(), nullable=True),
        sa.Column("plan_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("situation", sa.Text(), nullable=False),
        sa.Column("predicted_suds", sa.Integer(), nullable=True),
        sa.Column("actual_suds", sa.Integer(), nullable=True),
        sa.Column("predicted_liking", sa.Integer(), nullable=True),
        sa.Column("actual_liking", sa.Integer(), nullable=True),
        sa.Column("belief_before", sa.Integer(), nullable=True),
        sa.Column("belief_after", sa.Integer(), nullable=True),
        sa.Column("response", sa.String(length=20), nullable=True),
        sa.Column("counts_as_attempt", sa.Boolean(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("is_draft", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("trash_batch", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["interaction_id"],
            ["interactions.id"],
            name=op.f("fk_reflections_interaction_id_interactions"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_reflections_person_id_people"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plans.id"], name=op.f("fk_reflections_plan_id_plans"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reflections")),
    )
    with op.batch_alter_table("reflections", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reflections_deleted_at"), ["deleted_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_reflections_interaction_id"), ["interaction_id"], unique=False)
        batch_op.create_index("ix_reflections_kind_at", ["kind", "occurred_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_reflections_occurred_at"), ["occurred_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_reflections_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_reflections_trash_batch"), ["trash_batch"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("reflections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reflections_trash_batch"))
        batch_op.drop_index(batch_op.f("ix_reflections_person_id"))
        batch_op.drop_index(batch_op.f("ix_reflections_occurred_at"))
        batch_op.drop_index("ix_reflections_kind_at")
        batch_op.drop_index(batch_op.f("ix_reflections_interaction_id"))
        batch_op.drop_index(batch_op.f("ix_reflections_deleted_at"))

    op.drop_table("reflections")
    with op.batch_alter_table("ladder_attempts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ladder_attempts_step_id"))
        batch_op.drop_index(batch_op.f("ix_ladder_attempts_at"))

    op.drop_table("ladder_attempts")
    with op.batch_alter_table("suggestion_events", schema=None) as batch_op:
        batch_op.drop_index("ix_suggestion_events_person_at")
        batch_op.drop_index(batch_op.f("ix_suggestion_events_at"))

    op.drop_table("suggestion_events")
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plans_trash_batch"))
        batch_op.drop_index(batch_op.f("ix_plans_person_id"))
        batch_op.drop_index(batch_op.f("ix_plans_meeting_id"))
        batch_op.drop_index(batch_op.f("ix_plans_deleted_at"))

    op.drop_table("plans")
    with op.batch_alter_table("person_tags", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_tags_tag_id"))

    op.drop_table("person_tags")
    with op.batch_alter_table("ladder_steps", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ladder_steps_ladder_id"))

    op.drop_table("ladder_steps")
    with op.batch_alter_table("interaction_people", schema=None) as batch_op:
        batch_op.drop_index("ix_interaction_people_person")

    op.drop_table("interaction_people")
    with op.batch_alter_table("important_dates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_important_dates_person_id"))

    op.drop_table("important_dates")
    with op.batch_alter_table("contact_points", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contact_points_person_id"))
        batch_op.drop_index("ix_contact_points_kind_norm")

    op.drop_table("contact_points")
    with op.batch_alter_table("commitments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_commitments_trash_batch"))
        batch_op.drop_index("ix_commitments_status_due")
        batch_op.drop_index(batch_op.f("ix_commitments_person_id"))
        batch_op.drop_index(batch_op.f("ix_commitments_interaction_id"))
        batch_op.drop_index(batch_op.f("ix_commitments_deleted_at"))

    op.drop_table("commitments")
    with op.batch_alter_table("addresses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_addresses_person_id"))

    op.drop_table("addresses")
    op.drop_table("tags")
    op.drop_table("settings")
    op.drop_table("question_entries")
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_people_trash_batch"))
        batch_op.drop_index(batch_op.f("ix_people_status"))
        batch_op.drop_index(batch_op.f("ix_people_source_uid"))
        batch_op.drop_index(batch_op.f("ix_people_sort_name"))
        batch_op.drop_index(batch_op.f("ix_people_deleted_at"))
        batch_op.drop_index(batch_op.f("ix_people_circle"))

    op.drop_table("people")
    with op.batch_alter_table("ladders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ladders_trash_batch"))
        batch_op.drop_index(batch_op.f("ix_ladders_deleted_at"))

    op.drop_table("ladders")
    with op.batch_alter_table("interactions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interactions_trash_batch"))
        batch_op.drop_index("ix_interactions_state_at")
        batch_op.drop_index(batch_op.f("ix_interactions_source_uid"))
        batch_op.drop_index(batch_op.f("ix_interactions_deleted_at"))
        batch_op.drop_index(batch_op.f("ix_interactions_at"))

    op.drop_table("interactions")
    with op.batch_alter_table("energy_logs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_energy_logs_at"))

    op.drop_table("energy_logs")
    op.drop_table("drafts")
