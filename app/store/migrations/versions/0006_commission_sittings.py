"""The commission's sittings, as the secretariat records them for the minutes.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "commission_sittings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.String(length=64), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("place", sa.Text(), nullable=False),
        sa.Column("present", sa.JSON(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["call_id"], ["calls.id"], name=op.f("fk_commission_sittings_call_id_calls")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commission_sittings")),
    )
    with op.batch_alter_table("commission_sittings") as batch_op:
        batch_op.create_index(
            batch_op.f("ix_commission_sittings_call_id"), ["call_id"], unique=False
        )


def downgrade() -> None:
    op.drop_table("commission_sittings")
