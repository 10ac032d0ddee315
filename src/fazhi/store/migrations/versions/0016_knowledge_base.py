"""the hotline's knowledge base (知识库): articles, their versions, token index and uses

Revision ID: 0016
Revises: 0021
Create Date: 2026-12-02 15:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from fazhi.store.models import UTCDateTime

revision = "0016"
down_revision = "0021"
branch_labels = None
depends_on = None


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    name = target.partition(".")[0]
    return sa.ForeignKeyConstraint([column], [target], name=op.f(f"fk_{table}_{column}_{name}"))


def upgrade() -> None:
    op.create_table(
        "knowledge_articles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("owner_unit_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("tags", sa.String(length=200), nullable=False),
        sa.Column("question", sa.String(length=200), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("legal_basis", sa.Text(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("review_date", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("pending_version", sa.Integer(), nullable=True),
        sa.Column("synthetic", sa.Boolean(), nullable=False),
        sa.Column("uses", sa.Integer(), nullable=False),
        sa.Column("index_length", sa.Float(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        _fk("knowledge_articles", "owner_unit_id", "units.id"),
        _fk("knowledge_articles", "created_by", "users.id"),
        _fk("knowledge_articles", "updated_by", "users.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_knowledge_articles")),
    )
    op.create_index(
        "ix_knowledge_articles_list",
        "knowledge_articles",
        ["region_code", "status", "category"],
    )
    op.create_table(
        "knowledge_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("event", sa.String(length=12), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("tags", sa.String(length=200), nullable=False),
        sa.Column("question", sa.String(length=200), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("legal_basis", sa.Text(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("review_date", sa.Date(), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        _fk("knowledge_versions", "article_id", "knowledge_articles.id"),
        _fk("knowledge_versions", "actor_id", "users.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_knowledge_versions")),
    )
    op.create_index(
        "ix_knowledge_versions_article", "knowledge_versions", ["article_id", "version"]
    )
    op.create_table(
        "knowledge_terms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("term", sa.String(length=40), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        _fk("knowledge_terms", "article_id", "knowledge_articles.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_knowledge_terms")),
    )
    op.create_index("ix_knowledge_terms_term", "knowledge_terms", ["region_code", "term"])
    op.create_index(
        op.f("ix_knowledge_terms_article_id"), "knowledge_terms", ["article_id"], unique=False
    )
    op.create_table(
        "knowledge_uses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        _fk("knowledge_uses", "article_id", "knowledge_articles.id"),
        _fk("knowledge_uses", "case_id", "cases.id"),
        _fk("knowledge_uses", "actor_id", "users.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_knowledge_uses")),
    )
    op.create_index("ix_knowledge_uses_article", "knowledge_uses", ["article_id"])


def downgrade() -> None:
    op.drop_index("ix_knowledge_uses_article", table_name="knowledge_uses")
    op.drop_table("knowledge_uses")
    op.drop_index(op.f("ix_knowledge_terms_article_id"), table_name="knowledge_terms")
    op.drop_index("ix_knowledge_terms_term", table_name="knowledge_terms")
    op.drop_table("knowledge_terms")
    op.drop_index("ix_knowledge_versions_article", table_name="knowledge_versions")
    op.drop_table("knowledge_versions")
    op.drop_index("ix_knowledge_articles_list", table_name="knowledge_articles")
    op.drop_table("knowledge_articles")
