"""legal aid: the lawyer register, the case numbers given, the yearly targets

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-03 18:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from fazhi.store.models import UTCDateTime

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "legal_aid_lawyers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("licence_number", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("law_firm", sa.String(length=100), nullable=False),
        sa.Column("practice_areas", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["updated_by"], ["users.id"], name=op.f("fk_legal_aid_lawyers_updated_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_legal_aid_lawyers")),
        sa.UniqueConstraint("region_code", "licence_number", name="uq_legal_aid_lawyers_licence"),
    )
    op.create_table(
        "legal_aid_numbers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_legal_aid_numbers_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_legal_aid_numbers")),
        sa.UniqueConstraint("case_id", name=op.f("uq_legal_aid_numbers_case_id")),
        sa.UniqueConstraint(
            "region_code", "year", "kind", "sequence", name="uq_legal_aid_numbers_sequence"
        ),
    )
    op.create_table(
        "legal_aid_targets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("target", sa.Integer(), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["updated_by"], ["users.id"], name=op.f("fk_legal_aid_targets_updated_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_legal_aid_targets")),
        sa.UniqueConstraint("region_code", "year", name="uq_legal_aid_targets_year"),
    )


def downgrade() -> None:
    op.drop_table("legal_aid_targets")
    op.drop_table("legal_aid_numbers")
    op.drop_table("legal_aid_lawyers")
