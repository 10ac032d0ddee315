"""clocks that can be suspended and resumed, repeating windows, schedule runs; longer
metric names

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 20:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from fazhi.store.models import UTCDateTime

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("clocks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("suspended_at", UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("remaining", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("resumed_at", UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("window", sa.Integer(), nullable=True))
    # Counters split by a field's value are named `metric:value`; 24 characters were too few.
    with op.batch_alter_table("rollup_daily", schema=None) as batch_op:
        batch_op.alter_column(
            "metric", existing_type=sa.String(length=24), type_=sa.String(length=64)
        )

    op.create_table(
        "schedule_runs",
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("case_type", sa.String(length=40), nullable=False),
        sa.Column("schedule", sa.String(length=40), nullable=False),
        sa.Column("ran_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint(
            "region_code", "case_type", "schedule", name=op.f("pk_schedule_runs")
        ),
    )


def downgrade() -> None:
    op.drop_table("schedule_runs")
    with op.batch_alter_table("rollup_daily", schema=None) as batch_op:
        batch_op.alter_column(
            "metric", existing_type=sa.String(length=64), type_=sa.String(length=24)
        )
    with op.batch_alter_table("clocks", schema=None) as batch_op:
        batch_op.drop_column("window")
        batch_op.drop_column("resumed_at")
        batch_op.drop_column("remaining")
        batch_op.drop_column("suspended_at")
