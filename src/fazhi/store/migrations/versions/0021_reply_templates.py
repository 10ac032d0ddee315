"""the hotline's reply templates and 常用语

Revision ID: 0021
Revises: 0019
Create Date: 2026-12-02 14:35:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from fazhi.store.models import UTCDateTime

revision = "0021"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reply_templates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("owner_unit_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=60), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("uses", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_unit_id"], ["units.id"], name=op.f("fk_reply_templates_owner_unit_id_units")
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_reply_templates_created_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["updated_by"], ["users.id"], name=op.f("fk_reply_templates_updated_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reply_templates")),
    )
    op.create_index(
        "ix_reply_templates_lookup", "reply_templates", ["region_code", "active", "owner_unit_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_reply_templates_lookup", table_name="reply_templates")
    op.drop_table("reply_templates")
