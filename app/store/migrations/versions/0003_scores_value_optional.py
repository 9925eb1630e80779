"""A score row may hold a motivation before its value is chosen.

The member's form saves on every change, and people often write the
motivation first. The table is rebuilt (SQLite batch mode) with foreign keys
off; ``schema.py`` checks foreign keys before committing.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("scores") as batch_op:
        batch_op.alter_column("value", existing_type=sa.String(length=40), nullable=True)


def downgrade() -> None:
    op.execute("DELETE FROM scores WHERE value IS NULL")
    with op.batch_alter_table("scores") as batch_op:
        batch_op.alter_column("value", existing_type=sa.String(length=40), nullable=False)
