"""community correction: the check-in terminals bound to subjects' cases

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-04 18:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from fazhi.store.models import UTCDateTime

revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "correction_devices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("device_id", sa.String(length=40), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("token_digest", sa.String(length=64), nullable=False),
        sa.Column("bound_by", sa.Integer(), nullable=True),
        sa.Column("bound_at", UTCDateTime(), nullable=False),
        sa.Column("revoked_at", UTCDateTime(), nullable=True),
        sa.Column("last_seen_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_correction_devices_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["bound_by"], ["users.id"], name=op.f("fk_correction_devices_bound_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_correction_devices")),
        sa.UniqueConstraint("region_code", "device_id", name="uq_correction_devices_device"),
    )
    op.create_index("ix_correction_devices_case", "correction_devices", ["case_id"])


def downgrade() -> None:
    op.drop_index("ix_correction_devices_case", table_name="correction_devices")
    op.drop_table("correction_devices")
