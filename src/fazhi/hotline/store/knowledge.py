"""知识库 (knowledge base) tables: articles (the published text, or the first proposal while
none is published), every version proposed or approved (append-only), the token index that
search reads instead of scanning articles, and each use of an article in an order."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from fazhi.store.models import Base, UTCDateTime


class KnowledgeArticle(Base):
    __tablename__ = "knowledge_articles"
    __table_args__ = (Index("ix_knowledge_articles_list", "region_code", "status", "category"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region_code: Mapped[str] = mapped_column(String(12))
    owner_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    category: Mapped[str] = mapped_column(String(40))
    tags: Mapped[str] = mapped_column(String(200), default="")  # space-separated
    question: Mapped[str] = mapped_column(String(200))
    answer: Mapped[str] = mapped_column(Text)
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    review_date: Mapped[date | None] = mapped_column(Date)
    # draft | pending | published | retired — of the article; an edit of a published
    # article waits in `pending_version` while the published text stays searchable.
    status: Mapped[str] = mapped_column(String(12))
    version: Mapped[int] = mapped_column(Integer, default=1)  # the version shown
    pending_version: Mapped[int | None] = mapped_column(Integer)
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    uses: Mapped[int] = mapped_column(Integer, default=0)
    index_length: Mapped[float] = mapped_column(Float, default=0.0)  # BM25 document length
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class KnowledgeVersion(Base):
    """One row per proposal, approval, rejection or retirement: never updated."""

    __tablename__ = "knowledge_versions"
    __table_args__ = (Index("ix_knowledge_versions_article", "article_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("knowledge_articles.id"))
    version: Mapped[int] = mapped_column(Integer)
    event: Mapped[str] = mapped_column(String(12))  # draft|propose|approve|reject|retire
    category: Mapped[str] = mapped_column(String(40))
    tags: Mapped[str] = mapped_column(String(200), default="")
    question: Mapped[str] = mapped_column(String(200))
    answer: Mapped[str] = mapped_column(Text)
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    review_date: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(500), default="")
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class KnowledgeTerm(Base):
    """The token index of published articles: a term's weighted frequency in one article."""

    __tablename__ = "knowledge_terms"
    __table_args__ = (Index("ix_knowledge_terms_term", "region_code", "term"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region_code: Mapped[str] = mapped_column(String(12))
    article_id: Mapped[int] = mapped_column(ForeignKey("knowledge_articles.id"), index=True)
    term: Mapped[str] = mapped_column(String(40))
    weight: Mapped[float] = mapped_column(Float)


class KnowledgeUse(Base):
    """An article inserted into an order's answer, recorded when the order was registered."""

    __tablename__ = "knowledge_uses"
    __table_args__ = (Index("ix_knowledge_uses_article", "article_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("knowledge_articles.id"))
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
