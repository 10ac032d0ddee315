"""the trail's keyed seal (events.seal, sealed, witness) and the daily chain anchors

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 23:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from fazhi.store.models import UTCDateTime

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Existing events keep seal 0 (plain) and are verified the old way.
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("seal", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("sealed", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("witness", sa.String(length=64), nullable=True))
    op.create_table(
        "chain_anchors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("made_at", UTCDateTime(), nullable=False),
        sa.Column("cases", sa.Integer(), nullable=False),
        sa.Column("events", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("signature", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chain_anchors")),
    )
    with op.batch_alter_table("chain_anchors", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_chain_anchors_made_at"), ["made_at"], unique=False)
    op.create_table(
        "anchor_heads",
        sa.Column("anchor_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["anchor_id"],
            ["chain_anchors.id"],
            name=op.f("fk_anchor_heads_anchor_id_chain_anchors"),
        ),
        sa.PrimaryKeyConstraint("anchor_id", "case_id", name=op.f("pk_anchor_heads")),
    )


def downgrade() -> None:
    op.drop_table("anchor_heads")
    with op.batch_alter_table("chain_anchors", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_chain_anchors_made_at"))
    op.drop_table("chain_anchors")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_column("witness")
        batch_op.drop_column("sealed")
        batch_op.drop_column("seal")
