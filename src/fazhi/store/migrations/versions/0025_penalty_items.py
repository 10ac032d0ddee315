"""penalty items with their discretion benchmarks (行政处罚事项清单、裁量基准)

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-03 15:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from fazhi.store.models import UTCDateTime

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "penalty_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("basis", sa.Text(), nullable=False),
        sa.Column("benchmarks", sa.JSON(), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_penalty_items_unit_id_units")
        ),
        sa.ForeignKeyConstraint(
            ["updated_by"], ["users.id"], name=op.f("fk_penalty_items_updated_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_penalty_items")),
        sa.UniqueConstraint("region_code", "code", name="uq_penalty_items_code"),
    )


def downgrade() -> None:
    op.drop_table("penalty_items")
