"""The legal-aid yearly target becomes the target of the indicator legal_aid.accepted: each
row of legal_aid_targets moves to a one-row batch of the `targets` source (figure_imports,
imported_figures: the year, the district's root unit), and the package's table goes, so
the centre's statistics and the indicators read one number.

Revision ID: 0030
Revises: 0029
"""

from __future__ import annotations

import hashlib

import sqlalchemy as sa
from alembic import op

from fazhi.store.models import UTCDateTime

revision = "0030"
down_revision = "0029"
branch_labels = None
depends_on = None

CODE = "targets.legal_aid.accepted"
FILENAME = "法律援助{year}年度任务数（由 legal_aid_targets 迁入）"


def upgrade() -> None:
    conn = op.get_bind()
    rows = conn.execute(
        sa.text("SELECT region_code, year, target, updated_by, updated_at FROM legal_aid_targets")
    ).all()
    for region, year, target, updated_by, updated_at in rows:
        root = conn.scalar(
            sa.text("SELECT id FROM units WHERE region_code = :r AND kind = 'district' LIMIT 1"),
            {"r": region},
        )
        importer = updated_by or conn.scalar(
            sa.text("SELECT min(id) FROM users WHERE region_code = :r"), {"r": region}
        )
        if root is None or importer is None:
            continue  # no organisation to hold the figure: nothing the indicators could read
        text = f"{CODE},{year}-01-01,{year}-12-31,{root},{target}"
        batch = conn.execute(
            sa.text(
                "INSERT INTO figure_imports (region_code, source, filename, sha256, rows,"
                " imported_by, imported_at, note) VALUES (:r, 'targets', :f, :s, 1, :u, :t, '')"
                " RETURNING id"
            ),
            {
                "r": region,
                "f": FILENAME.format(year=year),
                "s": hashlib.sha256(text.encode()).hexdigest(),
                "u": importer,
                "t": updated_at,
            },
        ).scalar_one()
        conn.execute(
            sa.text(
                "INSERT INTO imported_figures (region_code, batch_id, row_number, code,"
                " period_start, period_end, unit_id, value, note)"
                " VALUES (:r, :b, 0, :c, :ps, :pe, :unit, :v, '法律援助中心设定的年度任务数')"
            ),
            {
                "r": region,
                "b": batch,
                "c": CODE,
                "ps": f"{year}-01-01",
                "pe": f"{year}-12-31",
                "unit": root,
                "v": str(target),
            },
        )
    op.drop_table("legal_aid_targets")


def downgrade() -> None:
    # The table comes back empty: the targets stay where the indicators read them.
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
