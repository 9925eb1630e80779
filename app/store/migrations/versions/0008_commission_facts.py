"""The commission's facts: conflict history, substitutes, gaps as ranges.

- ``conflict_history``: every per-proposal declaration the office took in,
  and every change of one, append-only (a trigger refuses updates). Each
  existing declaration becomes its first entry, with its own date.
- ``substitutions``: which substitute (*supplente*) evaluates a proposal in
  place of which member.
- ``score_bundles.missing_before`` (a list of every skipped sequence number)
  becomes the range ``missing_from``..``missing_to``: a bundle skips one
  contiguous run of numbers, after the last accepted one.

This script is frozen: it never imports the application's code.

Revision ID: 0008
Revises: 0007
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "conflict_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("has_conflict", sa.Boolean(), nullable=False),
        sa.Column("category", sa.String(length=16), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("declared_at", sa.String(length=40), nullable=False),
        sa.Column("bundle_sequence", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_conflict_history_member_id_members")
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["proposals.id"],
            name=op.f("fk_conflict_history_proposal_id_proposals"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conflict_history")),
    )
    with op.batch_alter_table("conflict_history") as batch_op:
        batch_op.create_index(batch_op.f("ix_conflict_history_member_id"), ["member_id"])
        batch_op.create_index(batch_op.f("ix_conflict_history_proposal_id"), ["proposal_id"])
    op.execute(
        "INSERT INTO conflict_history (member_id, proposal_id, has_conflict, category, reason, "
        "declared_at, bundle_sequence, recorded_at) SELECT member_id, proposal_id, has_conflict, "
        "category, reason, declared_at, NULL, declared_at FROM conflict_declarations ORDER BY id"
    )
    op.execute(
        "CREATE TRIGGER conflict_history_no_update BEFORE UPDATE ON conflict_history "
        "BEGIN SELECT RAISE(ABORT, 'conflict history is append-only'); END"
    )

    op.create_table(
        "substitutions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.String(length=64), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("substitute_id", sa.Integer(), nullable=False),
        sa.Column("replaces_id", sa.Integer(), nullable=False),
        sa.Column("assigned_at", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["call_id"], ["calls.id"], name=op.f("fk_substitutions_call_id_calls")
        ),
        sa.ForeignKeyConstraint(
            ["proposal_id"], ["proposals.id"], name=op.f("fk_substitutions_proposal_id_proposals")
        ),
        sa.ForeignKeyConstraint(
            ["substitute_id"], ["members.id"], name=op.f("fk_substitutions_substitute_id_members")
        ),
        sa.ForeignKeyConstraint(
            ["replaces_id"], ["members.id"], name=op.f("fk_substitutions_replaces_id_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_substitutions")),
        sa.UniqueConstraint(
            "proposal_id", "replaces_id", name=op.f("uq_substitutions_proposal_id_replaces_id")
        ),
    )
    with op.batch_alter_table("substitutions") as batch_op:
        batch_op.create_index(batch_op.f("ix_substitutions_call_id"), ["call_id"])

    with op.batch_alter_table("score_bundles") as batch_op:
        batch_op.add_column(sa.Column("missing_from", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("missing_to", sa.Integer(), nullable=True))
    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT id, missing_before FROM score_bundles")).all()
    for row_id, missing in rows:
        numbers = json.loads(missing) if isinstance(missing, str) else (missing or [])
        if numbers:
            connection.execute(
                sa.text(
                    "UPDATE score_bundles SET missing_from = :a, missing_to = :b WHERE id = :i"
                ),
                {"a": min(numbers), "b": max(numbers), "i": row_id},
            )
    with op.batch_alter_table("score_bundles") as batch_op:
        batch_op.drop_column("missing_before")


def downgrade() -> None:
    with op.batch_alter_table("score_bundles") as batch_op:
        batch_op.add_column(
            sa.Column("missing_before", sa.JSON(), nullable=False, server_default="[]")
        )
    connection = op.get_bind()
    rows = connection.execute(
        sa.text(
            "SELECT id, missing_from, missing_to FROM score_bundles WHERE missing_from IS NOT NULL"
        )
    ).all()
    for row_id, first, last in rows:
        connection.execute(
            sa.text("UPDATE score_bundles SET missing_before = :m WHERE id = :i"),
            {"m": json.dumps(list(range(first, last + 1))), "i": row_id},
        )
    with op.batch_alter_table("score_bundles") as batch_op:
        batch_op.drop_column("missing_from")
        batch_op.drop_column("missing_to")
    op.drop_table("substitutions")
    op.execute("DROP TRIGGER conflict_history_no_update")
    op.drop_table("conflict_history")
