"""Exchange with the city office: trusted office keys, remotes, outbox,
score bundles, receipts, processed inbox files; the call package state.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 15:46:07.698339
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "inbox_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.String(length=64), nullable=False),
        sa.Column("remote_path", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("processed_at", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbox_entries")),
        sa.UniqueConstraint(
            "call_id", "remote_path", name=op.f("uq_inbox_entries_call_id_remote_path")
        ),
    )
    with op.batch_alter_table("inbox_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_inbox_entries_call_id"), ["call_id"], unique=False)

    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("remote_path", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.String(length=40), nullable=False),
        sa.Column("uploaded_at", sa.String(length=40), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
        sa.UniqueConstraint("call_id", "remote_path", name=op.f("uq_outbox_call_id_remote_path")),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outbox_call_id"), ["call_id"], unique=False)

    op.create_table(
        "receipts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.String(length=64), nullable=False),
        sa.Column("member_key_id", sa.String(length=64), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("bundle_hash", sa.String(length=64), nullable=False),
        sa.Column("received_at", sa.String(length=40), nullable=False),
        sa.Column("envelope", sa.LargeBinary(), nullable=False),
        sa.Column("direction", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_receipts")),
        sa.UniqueConstraint(
            "call_id",
            "member_key_id",
            "sequence",
            name=op.f("uq_receipts_call_id_member_key_id_sequence"),
        ),
    )
    with op.batch_alter_table("receipts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_receipts_call_id"), ["call_id"], unique=False)

    op.create_table(
        "remotes",
        sa.Column("call_id", sa.String(length=64), nullable=False),
        sa.Column("destination", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("set_at", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("call_id", name=op.f("pk_remotes")),
    )
    op.create_table(
        "score_bundles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.String(length=64), nullable=False),
        sa.Column("member_key_id", sa.String(length=64), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("payload_hash", sa.String(length=64), nullable=False),
        sa.Column("sealed_sha256", sa.String(length=64), nullable=False),
        sa.Column("envelope", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.String(length=40), nullable=False),
        sa.Column("direction", sa.String(length=16), nullable=False),
        sa.Column("received_at", sa.String(length=40), nullable=True),
        sa.Column("receipt_at", sa.String(length=40), nullable=True),
        sa.Column("missing_before", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_score_bundles")),
        sa.UniqueConstraint(
            "call_id",
            "member_key_id",
            "sequence",
            name=op.f("uq_score_bundles_call_id_member_key_id_sequence"),
        ),
    )
    with op.batch_alter_table("score_bundles", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_score_bundles_call_id"), ["call_id"], unique=False)

    op.create_table(
        "trusted_offices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("email", sa.Text(), nullable=False),
        sa.Column("signing_public_key", sa.LargeBinary(), nullable=False),
        sa.Column("sealing_public_key", sa.LargeBinary(), nullable=False),
        sa.Column("trusted_at", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trusted_offices")),
        sa.UniqueConstraint("key_id", name=op.f("uq_trusted_offices_key_id")),
    )
    with op.batch_alter_table("calls", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("package_sequence", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("office_key_id", sa.String(length=64), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("published_at", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("evaluation_closed_at", sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("calls", schema=None) as batch_op:
        batch_op.drop_column("evaluation_closed_at")
        batch_op.drop_column("published_at")
        batch_op.drop_column("office_key_id")
        batch_op.drop_column("package_sequence")

    op.drop_table("trusted_offices")
    with op.batch_alter_table("score_bundles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_score_bundles_call_id"))

    op.drop_table("score_bundles")
    op.drop_table("remotes")
    with op.batch_alter_table("receipts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_receipts_call_id"))

    op.drop_table("receipts")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_call_id"))

    op.drop_table("outbox")
    with op.batch_alter_table("inbox_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inbox_entries_call_id"))

    op.drop_table("inbox_entries")
