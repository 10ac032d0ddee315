"""indicators: figures imported from other systems and evidence for scheme items

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-10 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from fazhi.store.models import UTCDateTime

revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "figure_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("imported_by", sa.Integer(), nullable=False),
        sa.Column("imported_at", UTCDateTime(), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["imported_by"], ["users.id"], name=op.f("fk_figure_imports_imported_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_figure_imports")),
    )
    op.create_index("ix_figure_imports_source", "figure_imports", ["region_code", "source", "id"])
    op.create_table(
        "imported_figures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("row_number", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=120), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.String(length=40), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["figure_imports.id"],
            name=op.f("fk_imported_figures_batch_id_figure_imports"),
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_imported_figures_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_imported_figures")),
    )
    op.create_index(
        "ix_imported_figures_code",
        "imported_figures",
        ["region_code", "code", "period_start", "period_end"],
    )
    op.create_index(op.f("ix_imported_figures_batch_id"), "imported_figures", ["batch_id"])
    op.create_table(
        "indicator_evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("scheme", sa.String(length=40), nullable=False),
        sa.Column("item", sa.String(length=20), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("uploaded_by", sa.Integer(), nullable=False),
        sa.Column("uploaded_at", UTCDateTime(), nullable=False),
        sa.Column("withdrawn_by", sa.Integer(), nullable=True),
        sa.Column("withdrawn_at", UTCDateTime(), nullable=True),
        sa.Column("withdraw_reason", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["uploaded_by"], ["users.id"], name=op.f("fk_indicator_evidence_uploaded_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["withdrawn_by"], ["users.id"], name=op.f("fk_indicator_evidence_withdrawn_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator_evidence")),
    )
    op.create_index(
        "ix_indicator_evidence_item", "indicator_evidence", ["region_code", "scheme", "item"]
    )


def downgrade() -> None:
    op.drop_index("ix_indicator_evidence_item", table_name="indicator_evidence")
    op.drop_table("indicator_evidence")
    op.drop_index(op.f("ix_imported_figures_batch_id"), table_name="imported_figures")
    op.drop_index("ix_imported_figures_code", table_name="imported_figures")
    op.drop_table("imported_figures")
    op.drop_index("ix_figure_imports_source", table_name="figure_imports")
    op.drop_table("figure_imports")
