"""The approved ranking (with the lottery number), campaign results and the
city's commitments and payments.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rankings",
        sa.Column("call_id", sa.String(length=64), nullable=False),
        sa.Column("lottery_number", sa.String(length=32), nullable=True),
        sa.Column("lottery_recorded_at", sa.String(length=40), nullable=True),
        sa.Column("approved_at", sa.String(length=40), nullable=True),
        sa.Column("document", sa.Text(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(["call_id"], ["calls.id"], name=op.f("fk_rankings_call_id_calls")),
        sa.PrimaryKeyConstraint("call_id", name=op.f("pk_rankings")),
    )
    op.create_table(
        "campaigns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.String(length=64), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("raised", sa.String(length=40), nullable=False),
        sa.Column("backers", sa.Integer(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=False),
        sa.Column("imported_at", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(["call_id"], ["calls.id"], name=op.f("fk_campaigns_call_id_calls")),
        sa.ForeignKeyConstraint(
            ["proposal_id"], ["proposals.id"], name=op.f("fk_campaigns_proposal_id_proposals")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaigns")),
        sa.UniqueConstraint("proposal_id", name=op.f("uq_campaigns_proposal_id")),
    )
    with op.batch_alter_table("campaigns") as batch_op:
        batch_op.create_index(batch_op.f("ix_campaigns_call_id"), ["call_id"], unique=False)
    op.create_table(
        "funding_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.String(length=64), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=32), nullable=False),
        sa.Column("amount", sa.String(length=40), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["call_id"], ["calls.id"], name=op.f("fk_funding_records_call_id_calls")
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"], ["proposals.id"], name=op.f("fk_funding_records_proposal_id_proposals")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_funding_records")),
    )
    with op.batch_alter_table("funding_records") as batch_op:
        batch_op.create_index(batch_op.f("ix_funding_records_call_id"), ["call_id"], unique=False)


def downgrade() -> None:
    op.drop_table("funding_records")
    op.drop_table("campaigns")
    op.drop_table("rankings")
