"""知识库 reads: BM25 search over the token index (published articles only), the list with
filters for the 知识库 page, an article with its versions, and the proposals shown while an
operator types a consultation. Stale articles (past review date or valid_to) are flagged."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from fazhi.catalog.categories import load_categories
from fazhi.domain.units import Actor
from fazhi.hotline.actions.knowledge import EVENTS, STATUSES, stale_reason
from fazhi.hotline.routing.knowledge_text import bm25, tokens
from fazhi.hotline.store.knowledge import KnowledgeArticle, KnowledgeTerm, KnowledgeVersion
from fazhi.org.directory import UnitDirectory
from fazhi.store.models import User

LIST_LIMIT = 200
PROPOSALS = 3
MAX_QUERY_TERMS = 30


def _category_names() -> dict[str, str]:
    return {c.code: c.name for c in load_categories()}


def present_article(
    article: KnowledgeArticle, directory: UnitDirectory, today: date, score: float | None = None
) -> dict[str, Any]:
    owner = directory.by_id.get(article.owner_unit_id)
    reason = stale_reason(article.valid_to, article.review_date, today)
    return {
        "id": article.id,
        "question": article.question,
        "answer": article.answer,
        "legal_basis": article.legal_basis,
        "category": article.category,
        "category_label": _category_names().get(article.category, article.category),
        "tags": article.tags.split(),
        "owner_unit": {"code": owner.code, "name": owner.name} if owner else None,
        "valid_from": article.valid_from.isoformat() if article.valid_from else None,
        "valid_to": article.valid_to.isoformat() if article.valid_to else None,
        "review_date": article.review_date.isoformat() if article.review_date else None,
        "status": article.status,
        "status_label": STATUSES.get(article.status, article.status),
        "version": article.version,
        "pending_version": article.pending_version,
        "stale": bool(reason),
        "stale_reason": reason,
        "uses": article.uses,
        "synthetic": article.synthetic,
        "score": round(score, 4) if score is not None else None,
    }


def ranked(
    session: Session, region: str, query: str, category: str | None = None, limit: int = 20
) -> list[tuple[KnowledgeArticle, float]]:
    """Published articles matching the query, best BM25 score first (ties: most used)."""
    terms = list(dict.fromkeys(tokens(query[:500])))[:MAX_QUERY_TERMS]
    if not terms:
        return []
    rows = session.execute(
        select(KnowledgeTerm.article_id, KnowledgeTerm.term, KnowledgeTerm.weight).where(
            KnowledgeTerm.region_code == region, KnowledgeTerm.term.in_(terms)
        )
    ).all()
    if not rows:
        return []
    per_article: dict[int, dict[str, float]] = defaultdict(dict)
    frequency: dict[str, int] = defaultdict(int)
    for article_id, term, weight in rows:
        per_article[article_id][term] = weight
        frequency[term] += 1
    documents, average = session.execute(
        select(func.count(KnowledgeArticle.id), func.avg(KnowledgeArticle.index_length)).where(
            KnowledgeArticle.region_code == region, KnowledgeArticle.status == "published"
        )
    ).one()
    where = [KnowledgeArticle.id.in_(per_article), KnowledgeArticle.status == "published"]
    if category:
        where.append(KnowledgeArticle.category == category)
    articles = session.scalars(select(KnowledgeArticle).where(*where)).all()
    scored = [
        (
            a,
            bm25(
                terms,
                per_article[a.id],
                a.index_length,
                float(average or 0),
                int(documents),
                frequency,
            ),
        )
        for a in articles
    ]
    scored.sort(key=lambda pair: (-pair[1], -pair[0].uses, pair[0].id))
    return [pair for pair in scored if pair[1] > 0][:limit]


def search(
    session: Session,
    actor: Actor,
    directory: UnitDirectory,
    today: date,
    query: str = "",
    category: str = "",
    status: str = "",
    limit: int = LIST_LIMIT,
) -> list[dict[str, Any]]:
    """The 知识库 list: ranked search when a query is given (published articles, or words
    found in the text of other statuses), else by category and status, most used first."""
    query = query.strip()
    if query and status in ("", "published"):
        return [
            present_article(a, directory, today, score)
            for a, score in ranked(session, actor.region_code, query, category or None, limit)
        ]
    where = [KnowledgeArticle.region_code == actor.region_code]
    if category:
        where.append(KnowledgeArticle.category == category)
    if status == "stale":
        where.append(KnowledgeArticle.status == "published")
        where.append(or_(KnowledgeArticle.valid_to < today, KnowledgeArticle.review_date < today))
    elif status == "awaiting":  # anything the centre has to decide on
        where.append(
            or_(KnowledgeArticle.status == "pending", KnowledgeArticle.pending_version.isnot(None))
        )
    elif status:
        where.append(KnowledgeArticle.status == status)
    if query:
        pattern = f"%{query[:100]}%"
        where.append(
            or_(KnowledgeArticle.question.like(pattern), KnowledgeArticle.answer.like(pattern))
        )
    rows = session.scalars(
        select(KnowledgeArticle)
        .where(*where)
        .order_by(KnowledgeArticle.uses.desc(), KnowledgeArticle.id)
        .limit(limit)
    )
    return [present_article(a, directory, today) for a in rows]


def proposals(
    session: Session, actor: Actor, directory: UnitDirectory, today: date, text: str
) -> list[dict[str, Any]]:
    """The few articles to offer while the operator types a consultation."""
    return [
        present_article(a, directory, today, score)
        for a, score in ranked(session, actor.region_code, text, None, PROPOSALS)
    ]


def versions_of(session: Session, article_id: int) -> list[dict[str, Any]]:
    """Every proposal and decision, newest first, with who and why."""
    rows = session.execute(
        select(KnowledgeVersion, User.display_name)
        .join(User, User.id == KnowledgeVersion.actor_id)
        .where(KnowledgeVersion.article_id == article_id)
        .order_by(KnowledgeVersion.id.desc())
    ).all()
    names = _category_names()
    return [
        {
            "version": v.version,
            "event": v.event,
            "event_label": EVENTS.get(v.event, v.event),
            "question": v.question,
            "answer": v.answer,
            "legal_basis": v.legal_basis,
            "category_label": names.get(v.category, v.category),
            "tags": v.tags.split(),
            "valid_from": v.valid_from.isoformat() if v.valid_from else None,
            "valid_to": v.valid_to.isoformat() if v.valid_to else None,
            "review_date": v.review_date.isoformat() if v.review_date else None,
            "note": v.note,
            "by": name,
            "at": v.at,
        }
        for v, name in rows
    ]


def article_detail(
    session: Session, article: KnowledgeArticle, directory: UnitDirectory, today: date
) -> dict[str, Any]:
    detail = present_article(article, directory, today)
    detail["versions"] = versions_of(session, article.id)
    pending = article.pending_version
    detail["pending"] = next(
        (v for v in detail["versions"] if v["version"] == pending and v["event"] == "propose"),
        None,
    )
    return detail
