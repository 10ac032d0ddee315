"""internal messages (站内消息) per recipient unit or role, and each user's read state

Revision ID: 0015
Revises: 0016
Create Date: 2026-12-03 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from fazhi.store.models import UTCDateTime

revision = "0015"
# Chained after the missed calls' 0019 (itself on 0014) so the branch has one head; the
# coordinator re-chains at merge.
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("event_seq", sa.Integer(), nullable=True),
        sa.Column("topic", sa.String(length=40), nullable=False),
        sa.Column("recipient", sa.String(length=80), nullable=False),
        sa.Column("recipient_unit_id", sa.Integer(), nullable=True),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("dedupe_key", sa.String(length=120), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_messages_case_id_cases")),
        sa.ForeignKeyConstraint(
            ["recipient_unit_id"], ["units.id"], name=op.f("fk_messages_recipient_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_messages")),
        sa.UniqueConstraint("dedupe_key", name=op.f("uq_messages_dedupe_key")),
    )
    op.create_index("ix_messages_inbox", "messages", ["region_code", "recipient", "id"])
    op.create_index(op.f("ix_messages_case_id"), "messages", ["case_id"])
    op.create_table(
        "message_reads",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("read_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["message_id"], ["messages.id"], name=op.f("fk_message_reads_message_id_messages")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_message_reads_user_id_users")
        ),
        sa.PrimaryKeyConstraint("user_id", "message_id", name=op.f("pk_message_reads")),
    )
    op.create_table(
        "message_cursors",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("read_through", sa.Integer(), nullable=False),
        sa.Column("moved_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_message_cursors_user_id_users")
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_message_cursors")),
    )


def downgrade() -> None:
    op.drop_table("message_cursors")
    op.drop_table("message_reads")
    op.drop_index(op.f("ix_messages_case_id"), table_name="messages")
    op.drop_index("ix_messages_inbox", table_name="messages")
    op.drop_table("messages")
