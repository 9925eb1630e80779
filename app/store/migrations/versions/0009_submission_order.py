"""The order of submission of a proposal: its protocol number and the moment
it was submitted, imported with it (both optional), for the tie-break
``submission_order``. Existing proposals keep NULL: a call that breaks ties by
submission order needs them imported again.

This script is frozen: it never imports the application's code.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("proposals") as batch_op:
        batch_op.add_column(sa.Column("protocol", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("submitted_at", sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("proposals") as batch_op:
        batch_op.drop_column("submitted_at")
        batch_op.drop_column("protocol")
