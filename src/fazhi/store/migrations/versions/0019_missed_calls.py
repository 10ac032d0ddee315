"""the hotline's missed calls (未接来电) and call-back attempts

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-02 14:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from fazhi.store.models import UTCDateTime

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "missed_calls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("call_id", sa.String(length=64), nullable=False),
        sa.Column("caller_phone", sa.String(length=32), nullable=False),
        sa.Column("contact_key", sa.String(length=32), nullable=True),
        sa.Column("called_at", UTCDateTime(), nullable=False),
        sa.Column("line", sa.String(length=40), nullable=False),
        sa.Column("wait_seconds", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=24), nullable=True),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("imported_by", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("done_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_missed_calls_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["imported_by"], ["users.id"], name=op.f("fk_missed_calls_imported_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_missed_calls")),
        sa.UniqueConstraint("region_code", "call_id", name=op.f("uq_missed_calls_region_code")),
    )
    op.create_index("ix_missed_calls_open", "missed_calls", ["region_code", "status", "called_at"])
    op.create_index("ix_missed_calls_contact", "missed_calls", ["region_code", "contact_key"])
    op.create_table(
        "call_back_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("missed_call_id", sa.Integer(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=24), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["missed_call_id"],
            ["missed_calls.id"],
            name=op.f("fk_call_back_attempts_missed_call_id_missed_calls"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_call_back_attempts_user_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_call_back_attempts_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_call_back_attempts")),
    )
    op.create_index(
        op.f("ix_call_back_attempts_missed_call_id"), "call_back_attempts", ["missed_call_id"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_call_back_attempts_missed_call_id"), table_name="call_back_attempts")
    op.drop_table("call_back_attempts")
    op.drop_index("ix_missed_calls_contact", table_name="missed_calls")
    op.drop_index("ix_missed_calls_open", table_name="missed_calls")
    op.drop_table("missed_calls")
