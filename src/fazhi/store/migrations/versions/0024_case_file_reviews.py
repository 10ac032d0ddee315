"""case-file reviews (评查任务): machine findings and the reviewer's verdict

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-03 13:35:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from fazhi.store.models import UTCDateTime

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_file_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=12), nullable=False),
        sa.Column("case_number", sa.String(length=100), nullable=False),
        sa.Column("agency", sa.String(length=200), nullable=False),
        sa.Column("manifest", sa.JSON(), nullable=True),
        sa.Column("machine", sa.JSON(), nullable=False),
        sa.Column("machine_score", sa.Float(), nullable=False),
        sa.Column("machine_vetoed", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("reviewer_id", sa.Integer(), nullable=True),
        sa.Column("reviewer_score", sa.Float(), nullable=True),
        sa.Column("reviewer_vetoed", sa.Boolean(), nullable=True),
        sa.Column("reviewer_note", sa.Text(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("reviewed_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_file_reviews_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["reviewer_id"], ["users.id"], name=op.f("fk_case_file_reviews_reviewer_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_file_reviews")),
        sa.UniqueConstraint("case_id", name=op.f("uq_case_file_reviews_case_id")),
    )
    op.create_index("ix_case_file_reviews_status", "case_file_reviews", ["region_code", "status"])


def downgrade() -> None:
    op.drop_index("ix_case_file_reviews_status", table_name="case_file_reviews")
    op.drop_table("case_file_reviews")
