"""repeat calls per type: the contact-key lookup is restricted to the case's own type

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-27 10:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A phone seen on a mediation case no longer makes the next 12345 call a repeat: the
    # lookup is (region, type, key, time), so the index leads with the same columns.
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index("ix_cases_contact")
        batch_op.create_index(
            "ix_cases_contact", ["region_code", "type", "contact_key", "created_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index("ix_cases_contact")
        batch_op.create_index(
            "ix_cases_contact", ["region_code", "contact_key", "created_at"], unique=False
        )
