"""region_code on every row that hangs on a case (units, access, clocks, events, documents,
links), so each tenant-scoped statement names its region and the case tables can be
partitioned, sharded or distributed by region_code (docs/scaling.md)

Revision ID: 0033
Revises: 0032
Create Date: 2026-12-08 04:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0033"
down_revision = "0032"
branch_labels = None
depends_on = None

# The tables whose rows belong to exactly one case: their region is the case's.
CASE_TABLES = (
    ("case_units", "case_id"),
    ("case_access", "case_id"),
    ("clocks", "case_id"),
    ("events", "case_id"),
    ("documents", "case_id"),
    ("case_links", "from_case_id"),
)


def upgrade() -> None:
    for table, key in CASE_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("region_code", sa.String(length=6), nullable=True))
        op.execute(
            f"UPDATE {table} SET region_code = "
            f"(SELECT cases.region_code FROM cases WHERE cases.id = {table}.{key})"
        )
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column("region_code", existing_type=sa.String(length=6), nullable=False)


def downgrade() -> None:
    for table, _key in reversed(CASE_TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("region_code")
