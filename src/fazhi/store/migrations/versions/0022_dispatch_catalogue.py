"""the hotline's dispatch catalogue (派单目录)

Revision ID: 0022
Revises: 0015
Create Date: 2026-12-03 12:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from fazhi.store.models import UTCDateTime

revision = "0022"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dispatch_catalogue_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("level", sa.String(length=12), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("basis", sa.Text(), nullable=False),
        sa.Column("covers", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_dispatch_catalogue_items_unit_id_units")
        ),
        sa.ForeignKeyConstraint(
            ["updated_by"], ["users.id"], name=op.f("fk_dispatch_catalogue_items_updated_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dispatch_catalogue_items")),
        sa.UniqueConstraint("region_code", "code", name="uq_dispatch_catalogue_items_code"),
    )
    op.create_index(
        "ix_dispatch_catalogue_items_category",
        "dispatch_catalogue_items",
        ["region_code", "category", "active"],
    )


def downgrade() -> None:
    op.drop_index("ix_dispatch_catalogue_items_category", table_name="dispatch_catalogue_items")
    op.drop_table("dispatch_catalogue_items")
