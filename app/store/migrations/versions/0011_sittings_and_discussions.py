"""Sittings as records, and the commission's discussions of dispersion flags.

- ``commission_sittings`` gains ``starts_at``/``ends_at`` ("HH:MM", Rome
  time), ``mode`` ("in_person" with ``place`` the place, "telematic" with
  ``place`` the tool), ``absent`` (members' key ids) and ``secretary`` (the
  person who takes the minutes). Rows recorded before keep NULL in each: the
  minutes say the times, the mode, the absences and the secretary were not
  recorded, and read ``place`` as the place or mode written then.
- ``commission_discussions``: what the commission did in a sitting about one
  dispersion flag (proposal and criterion): ``confirmed`` or ``revised``,
  with a note.

This script is frozen: it never imports the application's code.

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("commission_sittings") as batch_op:
        batch_op.add_column(sa.Column("starts_at", sa.String(length=5), nullable=True))
        batch_op.add_column(sa.Column("ends_at", sa.String(length=5), nullable=True))
        batch_op.add_column(sa.Column("mode", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("absent", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("secretary", sa.Text(), nullable=True))
    op.create_table(
        "commission_discussions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.String(length=64), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("criterion_key", sa.String(length=64), nullable=False),
        sa.Column("sitting_id", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["call_id"], ["calls.id"], name=op.f("fk_commission_discussions_call_id_calls")
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["proposals.id"],
            name=op.f("fk_commission_discussions_proposal_id_proposals"),
        ),
        sa.ForeignKeyConstraint(
            ["sitting_id"],
            ["commission_sittings.id"],
            name=op.f("fk_commission_discussions_sitting_id_commission_sittings"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commission_discussions")),
    )
    with op.batch_alter_table("commission_discussions") as batch_op:
        batch_op.create_index(batch_op.f("ix_commission_discussions_call_id"), ["call_id"])


def downgrade() -> None:
    op.drop_table("commission_discussions")
    with op.batch_alter_table("commission_sittings") as batch_op:
        for column in ("secretary", "absent", "mode", "ends_at", "starts_at"):
            batch_op.drop_column(column)
