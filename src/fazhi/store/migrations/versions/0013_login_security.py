"""login throttling and lockout; TOTP second factor

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 23:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from fazhi.store.models import UTCDateTime

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "login_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_failures")),
    )
    op.create_index("ix_login_failures_username_at", "login_failures", ["username", "at"])
    op.create_index("ix_login_failures_address_at", "login_failures", ["address", "at"])
    op.create_table(
        "login_locks",
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("locked_until", UTCDateTime(), nullable=True),
        sa.Column("counted_from", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("username", name=op.f("pk_login_locks")),
    )
    # Plain ADD COLUMN (no table copy): on SQLite a batch copy would drop `users`, which
    # the tokens, roles and admin log refer to.
    op.add_column("users", sa.Column("totp_secret", sa.String(length=200), nullable=True))
    op.add_column(
        "users", sa.Column("totp_active", sa.Boolean(), server_default=sa.false(), nullable=False)
    )
    op.add_column("users", sa.Column("totp_last_step", sa.Integer(), nullable=True))


def downgrade() -> None:
    for column in ("totp_last_step", "totp_active", "totp_secret"):
        op.drop_column("users", column)
    op.drop_table("login_locks")
    op.drop_index("ix_login_failures_address_at", table_name="login_failures")
    op.drop_index("ix_login_failures_username_at", table_name="login_failures")
    op.drop_table("login_failures")
