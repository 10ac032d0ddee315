"""documents with data: data, active, versions, withdrawal, generated; the file optional

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import fazhi.store.models

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

FILE_COLUMNS = (
    ("filename", sa.String(length=255)),
    ("content_type", sa.String(length=100)),
    ("size", sa.Integer()),
    ("sha256", sa.String(length=64)),
)


def upgrade() -> None:
    # Batch mode: SQLite cannot alter a column's nullability in place, so the table is
    # copied; existing rows (uploads) become active, not generated, with empty data.
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("data", sa.JSON(), server_default=sa.text("'{}'"), nullable=False)
        )
        batch_op.add_column(
            sa.Column("active", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
        batch_op.add_column(sa.Column("replaces_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("withdrawn_at", fazhi.store.models.UTCDateTime(), nullable=True)
        )
        batch_op.add_column(sa.Column("withdrawn_by", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("withdraw_reason", sa.Text(), nullable=True))
        batch_op.add_column(
            sa.Column("generated", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        for name, type_ in FILE_COLUMNS:
            batch_op.alter_column(name, existing_type=type_, nullable=True)
        batch_op.create_foreign_key(
            batch_op.f("fk_documents_replaces_id_documents"), "documents", ["replaces_id"], ["id"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_documents_withdrawn_by_users"), "users", ["withdrawn_by"], ["id"]
        )
        # "The active documents of this case by kind": the case page, the guards' snapshot.
        batch_op.create_index("ix_documents_case_kind_active", ["case_id", "kind", "active"])


def downgrade() -> None:
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_index("ix_documents_case_kind_active")
        batch_op.drop_constraint(batch_op.f("fk_documents_withdrawn_by_users"), type_="foreignkey")
        batch_op.drop_constraint(
            batch_op.f("fk_documents_replaces_id_documents"), type_="foreignkey"
        )
    # Data-only documents have no file and cannot survive the older schema.
    op.execute("DELETE FROM documents WHERE sha256 IS NULL")
    with op.batch_alter_table("documents", schema=None) as batch_op:
        for name, type_ in FILE_COLUMNS:
            batch_op.alter_column(name, existing_type=type_, nullable=False)
        for name in (
            "generated",
            "withdraw_reason",
            "withdrawn_by",
            "withdrawn_at",
            "replaces_id",
            "active",
            "data",
        ):
            batch_op.drop_column(name)
