"""user roles: a user holds several roles

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-27 10:00:00.000000

users.role stays as the primary role (listed first, choosing the landing page); every
role a user holds, the primary included, is a row of user_roles, filled here from
users.role.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "user_roles",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_user_roles_user_id_users")
        ),
        sa.PrimaryKeyConstraint("user_id", "role", name=op.f("pk_user_roles")),
    )
    with op.batch_alter_table("user_roles", schema=None) as batch_op:
        batch_op.create_index("ix_user_roles_role", ["role", "user_id"], unique=False)
    op.execute("INSERT INTO user_roles (user_id, role) SELECT id, role FROM users")


def downgrade() -> None:
    with op.batch_alter_table("user_roles", schema=None) as batch_op:
        batch_op.drop_index("ix_user_roles_role")
    op.drop_table("user_roles")
