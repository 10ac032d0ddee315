"""inspections: targets, supervision items, planned items, visits, results, random draws

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-03 15:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from fazhi.store.models import UTCDateTime

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "inspection_draws",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("target_count", sa.Integer(), nullable=False),
        sa.Column("filters", sa.JSON(), nullable=False),
        sa.Column("item_ids", sa.JSON(), nullable=False),
        sa.Column("pool_targets", sa.JSON(), nullable=False),
        sa.Column("pool_inspectors", sa.JSON(), nullable=False),
        sa.Column("picks", sa.JSON(), nullable=False),
        sa.Column("window_from", sa.Date(), nullable=False),
        sa.Column("window_to", sa.Date(), nullable=False),
        sa.Column("drawn_by", sa.Integer(), nullable=True),
        sa.Column("drawn_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"], ["units.id"], name=op.f("fk_inspection_draws_department_id_units")
        ),
        sa.ForeignKeyConstraint(
            ["drawn_by"], ["users.id"], name=op.f("fk_inspection_draws_drawn_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_draws")),
    )
    op.create_table(
        "inspection_targets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("credit_code", sa.String(length=18), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("street_id", sa.Integer(), nullable=True),
        sa.Column("industry", sa.String(length=50), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["street_id"], ["units.id"], name=op.f("fk_inspection_targets_street_id_units")
        ),
        sa.ForeignKeyConstraint(
            ["updated_by"], ["users.id"], name=op.f("fk_inspection_targets_updated_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_targets")),
        sa.UniqueConstraint("region_code", "credit_code", name="uq_inspection_targets_credit_code"),
    )
    op.create_table(
        "supervision_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("legal_basis", sa.Text(), nullable=False),
        sa.Column("method", sa.String(length=200), nullable=False),
        sa.Column("industry", sa.String(length=50), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"], ["units.id"], name=op.f("fk_supervision_items_department_id_units")
        ),
        sa.ForeignKeyConstraint(
            ["updated_by"], ["users.id"], name=op.f("fk_supervision_items_updated_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supervision_items")),
        sa.UniqueConstraint("region_code", "code", name="uq_supervision_items_code"),
    )
    op.create_table(
        "inspection_visits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("source", sa.String(length=8), nullable=False),
        sa.Column("draw_id", sa.Integer(), nullable=True),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("lead_unit_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=True),
        sa.Column("window_from", sa.Date(), nullable=False),
        sa.Column("window_to", sa.Date(), nullable=False),
        sa.Column("inspectors", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("done_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["draw_id"],
            ["inspection_draws.id"],
            name=op.f("fk_inspection_visits_draw_id_inspection_draws"),
        ),
        sa.ForeignKeyConstraint(
            ["lead_unit_id"], ["units.id"], name=op.f("fk_inspection_visits_lead_unit_id_units")
        ),
        sa.ForeignKeyConstraint(
            ["target_id"],
            ["inspection_targets.id"],
            name=op.f("fk_inspection_visits_target_id_inspection_targets"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_visits")),
    )
    op.create_index(
        "ix_inspection_visits_lead",
        "inspection_visits",
        ["region_code", "lead_unit_id"],
        unique=False,
    )
    op.create_table(
        "inspection_plan_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("supervision_item_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("window_from", sa.Date(), nullable=False),
        sa.Column("window_to", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_inspection_plan_items_created_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["units.id"],
            name=op.f("fk_inspection_plan_items_department_id_units"),
        ),
        sa.ForeignKeyConstraint(
            ["supervision_item_id"],
            ["supervision_items.id"],
            name=op.f("fk_inspection_plan_items_supervision_item_id_supervision_items"),
        ),
        sa.ForeignKeyConstraint(
            ["target_id"],
            ["inspection_targets.id"],
            name=op.f("fk_inspection_plan_items_target_id_inspection_targets"),
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"],
            ["inspection_visits.id"],
            name=op.f("fk_inspection_plan_items_visit_id_inspection_visits"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_plan_items")),
    )
    op.create_index(
        "ix_inspection_plan_items_open",
        "inspection_plan_items",
        ["region_code", "visit_id"],
        unique=False,
    )
    op.create_table(
        "inspection_results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("supervision_item_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("plan_item_id", sa.Integer(), nullable=True),
        sa.Column("result", sa.String(length=12), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.Column("recorded_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["department_id"], ["units.id"], name=op.f("fk_inspection_results_department_id_units")
        ),
        sa.ForeignKeyConstraint(
            ["plan_item_id"],
            ["inspection_plan_items.id"],
            name=op.f("fk_inspection_results_plan_item_id_inspection_plan_items"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["users.id"], name=op.f("fk_inspection_results_recorded_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["supervision_item_id"],
            ["supervision_items.id"],
            name=op.f("fk_inspection_results_supervision_item_id_supervision_items"),
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"],
            ["inspection_visits.id"],
            name=op.f("fk_inspection_results_visit_id_inspection_visits"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_results")),
    )
    op.create_index("ix_inspection_results_visit", "inspection_results", ["visit_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_inspection_results_visit", table_name="inspection_results")
    op.drop_table("inspection_results")
    op.drop_index("ix_inspection_plan_items_open", table_name="inspection_plan_items")
    op.drop_table("inspection_plan_items")
    op.drop_index("ix_inspection_visits_lead", table_name="inspection_visits")
    op.drop_table("inspection_visits")
    op.drop_table("supervision_items")
    op.drop_table("inspection_targets")
    op.drop_table("inspection_draws")
