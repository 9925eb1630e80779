"""Initial schema: calls, grid, proposals, attachments, roster, evaluations, audit.

Column types are spelled out (text for decimals and moments) so that this
file never changes when the models do.

Revision ID: 0001
Revises:
Create Date: 2026-11-24 14:49:24.756440
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_events",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("at", sa.String(length=40), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("call_id", sa.String(length=64), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_events")),
        sa.UniqueConstraint("hash", name=op.f("uq_audit_events_hash")),
    )
    op.create_table(
        "calls",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("authority", sa.Text(), nullable=False),
        sa.Column("programme", sa.Text(), nullable=False),
        sa.Column("project_code", sa.String(length=64), nullable=False),
        sa.Column("cup", sa.String(length=15), nullable=False),
        sa.Column("programmed_amount", sa.String(length=40), nullable=False),
        sa.Column("submission_deadline", sa.Date(), nullable=False),
        sa.Column("neighbourhoods", sa.JSON(), nullable=False),
        sa.Column("thematic_areas", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("definition", sa.Text(), nullable=False),
        sa.Column("grid_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calls")),
    )
    op.create_table(
        "identity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("email", sa.Text(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("key_id", sa.String(length=64), nullable=False),
        sa.Column("signing_private_key", sa.LargeBinary(), nullable=False),
        sa.Column("sealing_private_key", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_identity")),
        sa.UniqueConstraint("key_id", name=op.f("uq_identity_key_id")),
    )
    op.create_table(
        "criteria",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("max_points", sa.String(length=40), nullable=False),
        sa.Column("min_points", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(["call_id"], ["calls.id"], name=op.f("fk_criteria_call_id_calls")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_criteria")),
        sa.UniqueConstraint("call_id", "key", name=op.f("uq_criteria_call_id_key")),
    )
    with op.batch_alter_table("criteria", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_criteria_call_id"), ["call_id"], unique=False)

    op.create_table(
        "matchfunding_rules",
        sa.Column("call_id", sa.String(length=64), nullable=False),
        sa.Column("crowd_share", sa.String(length=40), nullable=False),
        sa.Column("cap", sa.String(length=40), nullable=False),
        sa.Column("max_project_cost", sa.String(length=40), nullable=False),
        sa.Column("campaign_days", sa.Integer(), nullable=False),
        sa.Column("fund", sa.String(length=40), nullable=False),
        sa.Column("allocation", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["call_id"], ["calls.id"], name=op.f("fk_matchfunding_rules_call_id_calls")
        ),
        sa.PrimaryKeyConstraint("call_id", name=op.f("pk_matchfunding_rules")),
    )
    op.create_table(
        "members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.String(length=64), nullable=False),
        sa.Column("key_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("email", sa.Text(), nullable=False),
        sa.Column("commission_role", sa.String(length=16), nullable=False),
        sa.Column("signing_public_key", sa.LargeBinary(), nullable=False),
        sa.Column("sealing_public_key", sa.LargeBinary(), nullable=False),
        sa.Column("enrolled_at", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(["call_id"], ["calls.id"], name=op.f("fk_members_call_id_calls")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_members")),
        sa.UniqueConstraint("call_id", "key_id", name=op.f("uq_members_call_id_key_id")),
    )
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_members_call_id"), ["call_id"], unique=False)

    op.create_table(
        "proposals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.String(length=64), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("applicant", sa.Text(), nullable=False),
        sa.Column("applicant_tax_code", sa.String(length=16), nullable=False),
        sa.Column("legal_representative", sa.Text(), nullable=False),
        sa.Column("partners", sa.JSON(), nullable=False),
        sa.Column("neighbourhood", sa.Text(), nullable=False),
        sa.Column("thematic_area", sa.Text(), nullable=False),
        sa.Column("total_cost", sa.String(length=40), nullable=False),
        sa.Column("requested_contribution", sa.String(length=40), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("admissible", sa.Boolean(), nullable=False),
        sa.Column("inadmissible_reasons", sa.JSON(), nullable=False),
        sa.Column("imported_at", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(["call_id"], ["calls.id"], name=op.f("fk_proposals_call_id_calls")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proposals")),
        sa.UniqueConstraint("call_id", "code", name=op.f("uq_proposals_call_id_code")),
    )
    with op.batch_alter_table("proposals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_proposals_call_id"), ["call_id"], unique=False)

    op.create_table(
        "scoring_rules",
        sa.Column("call_id", sa.String(length=64), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("levels", sa.JSON(), nullable=False),
        sa.Column("level_labels", sa.JSON(), nullable=False),
        sa.Column("threshold", sa.String(length=40), nullable=False),
        sa.Column("rescale", sa.String(length=16), nullable=False),
        sa.Column("min_evaluators", sa.Integer(), nullable=False),
        sa.Column("decimals", sa.Integer(), nullable=False),
        sa.Column("justification_min_chars", sa.Integer(), nullable=False),
        sa.Column("dispersion_flag", sa.String(length=40), nullable=False),
        sa.Column("tie_break", sa.JSON(), nullable=False),
        sa.Column("individual_scores_in_minutes", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["call_id"], ["calls.id"], name=op.f("fk_scoring_rules_call_id_calls")
        ),
        sa.PrimaryKeyConstraint("call_id", name=op.f("pk_scoring_rules")),
    )
    op.create_table(
        "attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("filename", sa.Text(), nullable=False),
        sa.Column("media_type", sa.String(length=64), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["proposal_id"], ["proposals.id"], name=op.f("fk_attachments_proposal_id_proposals")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachments")),
        sa.UniqueConstraint(
            "proposal_id", "filename", name=op.f("uq_attachments_proposal_id_filename")
        ),
    )
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_attachments_proposal_id"), ["proposal_id"], unique=False
        )

    op.create_table(
        "conflict_declarations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("has_conflict", sa.Boolean(), nullable=False),
        sa.Column("category", sa.String(length=16), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("declared_at", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_conflict_declarations_member_id_members")
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["proposals.id"],
            name=op.f("fk_conflict_declarations_proposal_id_proposals"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conflict_declarations")),
        sa.UniqueConstraint(
            "member_id", "proposal_id", name=op.f("uq_conflict_declarations_member_id_proposal_id")
        ),
    )
    with op.batch_alter_table("conflict_declarations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_conflict_declarations_member_id"), ["member_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_conflict_declarations_proposal_id"), ["proposal_id"], unique=False
        )

    op.create_table(
        "general_declarations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("text_version", sa.String(length=32), nullable=False),
        sa.Column("declared_at", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_general_declarations_member_id_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_general_declarations")),
        sa.UniqueConstraint("member_id", name=op.f("uq_general_declarations_member_id")),
    )
    op.create_table(
        "scores",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("criterion_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.String(length=40), nullable=False),
        sa.Column("justification", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["criterion_id"], ["criteria.id"], name=op.f("fk_scores_criterion_id_criteria")
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_scores_member_id_members")
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"], ["proposals.id"], name=op.f("fk_scores_proposal_id_proposals")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scores")),
        sa.UniqueConstraint(
            "member_id",
            "proposal_id",
            "criterion_id",
            name=op.f("uq_scores_member_id_proposal_id_criterion_id"),
        ),
    )
    with op.batch_alter_table("scores", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_scores_member_id"), ["member_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_scores_proposal_id"), ["proposal_id"], unique=False)

    # The audit log is append-only at the database level too.
    for verb in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER audit_events_no_{verb.lower()} BEFORE {verb} ON audit_events "
            "BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END"
        )


def downgrade() -> None:
    op.execute("DROP TRIGGER audit_events_no_update")
    op.execute("DROP TRIGGER audit_events_no_delete")
    with op.batch_alter_table("scores", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scores_proposal_id"))
        batch_op.drop_index(batch_op.f("ix_scores_member_id"))

    op.drop_table("scores")
    op.drop_table("general_declarations")
    with op.batch_alter_table("conflict_declarations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_conflict_declarations_proposal_id"))
        batch_op.drop_index(batch_op.f("ix_conflict_declarations_member_id"))

    op.drop_table("conflict_declarations")
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attachments_proposal_id"))

    op.drop_table("attachments")
    op.drop_table("scoring_rules")
    with op.batch_alter_table("proposals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_proposals_call_id"))

    op.drop_table("proposals")
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_members_call_id"))

    op.drop_table("members")
    op.drop_table("matchfunding_rules")
    with op.batch_alter_table("criteria", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_criteria_call_id"))

    op.drop_table("criteria")
    op.drop_table("identity")
    op.drop_table("calls")
    op.drop_table("audit_events")
