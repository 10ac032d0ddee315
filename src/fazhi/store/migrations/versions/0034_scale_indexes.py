"""indexes for reads that do not grow with history (issue 15): the open cases

Revision ID: 0034
Revises: 0033
Create Date: 2026-12-08 03:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0034"
down_revision = "0033"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A work queue asks for open cases of some types in a region, most urgent first; without
    # this index both planners walked every case of the region (ix_cases_contact) and the
    # queue's page and its capped count grew with the years stored.
    op.create_index(
        "ix_cases_open",
        "cases",
        ["region_code", "type", "due_at"],
        unique=False,
        sqlite_where=sa.text("terminal IS 0"),
        postgresql_where=sa.text("terminal IS false"),
    )


def downgrade() -> None:
    op.drop_index("ix_cases_open", table_name="cases")
