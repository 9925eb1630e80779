"""The commission's agreed (collegial) scores.

- ``collegial_scores``: one agreed coefficient per proposal and criterion,
  with its motivation, the vote (unanimous or majority), the dissenting
  members' key ids and the sitting where it was agreed. Calls that do not
  use ``method = "collegial"`` never write here.

This script is frozen: it never imports the application's code.

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "collegial_scores",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.String(length=64), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("criterion_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.String(length=40), nullable=False),
        sa.Column("motivation", sa.Text(), nullable=False),
        sa.Column("vote", sa.String(length=16), nullable=False),
        sa.Column("dissent", sa.JSON(), nullable=False),
        sa.Column("sitting_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["call_id"], ["calls.id"], name=op.f("fk_collegial_scores_call_id_calls")
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["proposals.id"],
            name=op.f("fk_collegial_scores_proposal_id_proposals"),
        ),
        sa.ForeignKeyConstraint(
            ["criterion_id"],
            ["criteria.id"],
            name=op.f("fk_collegial_scores_criterion_id_criteria"),
        ),
        sa.ForeignKeyConstraint(
            ["sitting_id"],
            ["commission_sittings.id"],
            name=op.f("fk_collegial_scores_sitting_id_commission_sittings"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_collegial_scores")),
        sa.UniqueConstraint(
            "proposal_id",
            "criterion_id",
            name=op.f("uq_collegial_scores_proposal_id_criterion_id"),
        ),
    )
    with op.batch_alter_table("collegial_scores") as batch_op:
        batch_op.create_index(batch_op.f("ix_collegial_scores_call_id"), ["call_id"])


def downgrade() -> None:
    op.drop_table("collegial_scores")
