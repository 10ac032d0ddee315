"""知识库: units propose and update the articles they own, the hotline centre (dispatchers,
admins) approves, rejects or retires them. Every proposal and decision appends a row to
`knowledge_versions`; only approved text enters the token index that search reads, and an
edit of a published article waits beside it (the published text stays in service until the
edit is approved). Uses are counted when an order that inserted the article is registered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from fazhi.actions.context import ActionContext
from fazhi.catalog.categories import load_categories
from fazhi.domain.durations import LOCAL_TZ
from fazhi.domain.errors import DomainError, Problem
from fazhi.hotline.routing.knowledge_text import weighted_terms
from fazhi.hotline.store.knowledge import (
    KnowledgeArticle,
    KnowledgeTerm,
    KnowledgeUse,
    KnowledgeVersion,
)

STATUSES = {"draft": "草稿", "pending": "待审核", "published": "已发布", "retired": "已停用"}
EVENTS = {
    "draft": "保存草稿",
    "propose": "提交审核",
    "approve": "审核通过",
    "reject": "退回修改",
    "retire": "停用",
}
VIEW_ROLES = frozenset(
    {"operator", "dispatcher", "unit_handler", "unit_leader", "supervisor", "admin"}
)
UNIT_ROLES = frozenset({"unit_handler", "unit_leader"})
CENTRE_ROLES = frozenset({"dispatcher", "admin"})
LIMITS = {"question": 200, "answer": 4000, "legal_basis": 2000, "tags": 200, "note": 500}
MAX_TAGS = 10


def today_of(ctx: ActionContext) -> date:
    return ctx.now.astimezone(LOCAL_TZ).date()


def stale_reason(valid_to: date | None, review_date: date | None, today: date) -> str:
    """Why an article should not be read out as it stands ('' when it is current)."""
    if valid_to is not None and valid_to < today:
        return f"已过有效期（{valid_to:%Y-%m-%d}）"
    if review_date is not None and review_date < today:
        return f"已过复核日期（{review_date:%Y-%m-%d}）"
    return ""


@dataclass(frozen=True)
class ArticleInput:
    owner_unit_id: int
    category: str
    tags: str
    question: str
    answer: str
    legal_basis: str
    valid_from: date | None
    valid_to: date | None
    review_date: date | None
    submit: bool  # False: keep as a draft
    note: str


def _date(raw: Any, field: str, label: str, problems: list[Problem]) -> date | None:
    text = str(raw or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        problems.append(Problem("invalid_date", f"{label}应为日期，如 2024-06-30", field))
        return None


def normal_tags(raw: Any) -> str:
    """Tags as one space-separated string, in order, without repeats (、，, and spaces split)."""
    text = str(raw or "")
    for sep in "，,、;；":
        text = text.replace(sep, " ")
    return " ".join(dict.fromkeys(t for t in text.split() if t))


def check_article(ctx: ActionContext, raw: dict[str, Any]) -> ArticleInput:
    """An article the actor may propose (every problem reported at once). Units propose for
    themselves; the hotline centre names the owner unit (`owner_unit`, a code)."""
    if not ctx.actor.has_role(*UNIT_ROLES, *CENTRE_ROLES):
        raise DomainError("forbidden_role", "当前角色无权编写知识库条目", 403)
    problems: list[Problem] = []
    text = {k: str(raw.get(k) or "").strip() for k in ("question", "answer", "legal_basis")}
    tags = normal_tags(raw.get("tags"))
    note = str(raw.get("note") or "").strip()
    for name, label in (("question", "问题"), ("answer", "答案")):
        if not text[name]:
            problems.append(Problem("required", f"请填写{label}", name))
    for name, value in (*text.items(), ("tags", tags), ("note", note)):
        if len(value) > LIMITS[name]:
            problems.append(Problem("too_long", f"不能超过{LIMITS[name]}个字", name))
    if len(tags.split()) > MAX_TAGS:
        problems.append(Problem("too_many", f"标签最多{MAX_TAGS}个", "tags"))
    category = str(raw.get("category") or "").strip()
    if not category:
        problems.append(Problem("required", "请选择诉求分类", "category"))
    elif category not in {c.code for c in load_categories()}:
        problems.append(Problem("invalid_value", "没有该诉求分类", "category"))
    valid_from = _date(raw.get("valid_from"), "valid_from", "生效日期", problems)
    valid_to = _date(raw.get("valid_to"), "valid_to", "失效日期", problems)
    review = _date(raw.get("review_date"), "review_date", "复核日期", problems)
    if valid_from and valid_to and valid_to < valid_from:
        problems.append(Problem("invalid_range", "失效日期不能早于生效日期", "valid_to"))
    owner_id = ctx.actor.unit.id
    if ctx.actor.has_role(*CENTRE_ROLES) and not ctx.actor.has_role(*UNIT_ROLES):
        code = str(raw.get("owner_unit") or "").strip()
        unit = ctx.directory.by_code.get(code) if code else None
        if not code:
            problems.append(Problem("required", "请选择负责单位", "owner_unit"))
        elif unit is None:
            problems.append(Problem("invalid_value", "没有该单位", "owner_unit"))
        else:
            owner_id = unit.id
    if problems:
        raise DomainError.from_problems(problems)
    return ArticleInput(
        owner_id,
        category,
        tags,
        text["question"],
        text["answer"],
        text["legal_basis"],
        valid_from,
        valid_to,
        review,
        raw.get("submit", True) not in (False, "0", "false", ""),
        note,
    )


def load_article(session: Session, ctx: ActionContext, article_id: int) -> KnowledgeArticle:
    article = session.get(KnowledgeArticle, article_id)
    if article is None or article.region_code != ctx.actor.region_code:
        raise DomainError("not_found", "没有该知识库条目", 404)
    return article


def check_may_edit(ctx: ActionContext, article: KnowledgeArticle) -> None:
    if ctx.actor.has_role(*CENTRE_ROLES):
        return
    if ctx.actor.has_role(*UNIT_ROLES) and article.owner_unit_id == ctx.actor.unit.id:
        return
    raise DomainError("forbidden", "只能修改本单位负责的知识库条目", 403)


def check_may_decide(ctx: ActionContext) -> None:
    if not ctx.actor.has_role(*CENTRE_ROLES):
        raise DomainError("forbidden_role", "只有热线中心（派单员、管理员）可以审核知识库", 403)


def _last_version(session: Session, article_id: int) -> int:
    found = session.scalar(
        select(func.max(KnowledgeVersion.version)).where(KnowledgeVersion.article_id == article_id)
    )
    return int(found or 0)


def _append(
    session: Session,
    ctx: ActionContext,
    article_id: int,
    version: int,
    event: str,
    content: ArticleInput | KnowledgeArticle | KnowledgeVersion,
    note: str = "",
) -> KnowledgeVersion:
    row = KnowledgeVersion(
        article_id=article_id,
        version=version,
        event=event,
        category=content.category,
        tags=content.tags,
        question=content.question,
        answer=content.answer,
        legal_basis=content.legal_basis,
        valid_from=content.valid_from,
        valid_to=content.valid_to,
        review_date=content.review_date,
        note=note,
        actor_id=ctx.actor.user_id,
        at=ctx.now,
    )
    session.add(row)
    return row


def _copy(article: KnowledgeArticle, content: ArticleInput | KnowledgeVersion) -> None:
    article.category, article.tags = content.category, content.tags
    article.question, article.answer = content.question, content.answer
    article.legal_basis = content.legal_basis
    article.valid_from, article.valid_to = content.valid_from, content.valid_to
    article.review_date = content.review_date


def reindex(session: Session, article: KnowledgeArticle) -> None:
    """The article's rows of the token index: its published text, or none."""
    session.execute(delete(KnowledgeTerm).where(KnowledgeTerm.article_id == article.id))
    article.index_length = 0.0
    if article.status != "published":
        return
    terms = weighted_terms(article.question, article.answer, article.tags)
    session.add_all(
        KnowledgeTerm(region_code=article.region_code, article_id=article.id, term=t, weight=w)
        for t, w in terms.items()
    )
    article.index_length = float(sum(terms.values()))


def do_propose(
    session: Session,
    ctx: ActionContext,
    data: ArticleInput,
    article: KnowledgeArticle | None = None,
    synthetic: bool = False,
) -> KnowledgeArticle:
    """A new article, or a new version of `article`, for the hotline centre to approve (or
    kept as a draft). A published article keeps serving its approved text meanwhile.

    Preconditions: `data` came from `check_article` for this actor; `article` (when given)
    from `load_article`, and `check_may_edit` passed."""
    status = "pending" if data.submit else "draft"
    event = "propose" if data.submit else "draft"
    if article is None:
        article = KnowledgeArticle(
            region_code=ctx.actor.region_code,
            owner_unit_id=data.owner_unit_id,
            status=status,
            version=1,
            synthetic=synthetic,
            uses=0,
            index_length=0.0,
            created_by=ctx.actor.user_id,
            created_at=ctx.now,
        )
        _copy(article, data)
        article.updated_by, article.updated_at = ctx.actor.user_id, ctx.now
        session.add(article)
        session.flush()
        _append(session, ctx, article.id, 1, event, data, data.note)
        session.flush()
        return article
    version = _last_version(session, article.id) + 1
    if article.status == "published":
        article.pending_version = version if data.submit else article.pending_version
    else:
        _copy(article, data)
        article.status, article.version = status, version
    if ctx.actor.has_role(*CENTRE_ROLES):
        article.owner_unit_id = data.owner_unit_id
    article.updated_by, article.updated_at = ctx.actor.user_id, ctx.now
    _append(session, ctx, article.id, version, event, data, data.note)
    session.flush()
    return article


def do_approve(
    session: Session, ctx: ActionContext, article: KnowledgeArticle, note: str = ""
) -> KnowledgeArticle:
    """Publish the version awaiting approval and index it.

    Preconditions: `check_may_decide` passed; `article` from `load_article`."""
    if article.pending_version is not None:
        proposed = session.scalars(
            select(KnowledgeVersion)
            .where(
                KnowledgeVersion.article_id == article.id,
                KnowledgeVersion.version == article.pending_version,
            )
            .order_by(KnowledgeVersion.id)
        ).first()
        if proposed is None:  # cannot happen with rows written here; refuse, do not guess
            raise DomainError("conflict", "待审核版本不存在", 409)
        _copy(article, proposed)
        article.version, article.pending_version = proposed.version, None
    elif article.status != "pending":
        raise DomainError("nothing_pending", "该条目没有待审核的版本", 409)
    article.status = "published"
    article.updated_by, article.updated_at = ctx.actor.user_id, ctx.now
    _append(session, ctx, article.id, article.version, "approve", article, note[:500])
    reindex(session, article)
    session.flush()
    return article


def do_reject(
    session: Session, ctx: ActionContext, article: KnowledgeArticle, note: str
) -> KnowledgeArticle:
    """Send the version awaiting approval back to its unit, with the reason.

    Preconditions: `check_may_decide` passed; `article` from `load_article`."""
    if not note.strip():
        raise DomainError("required", "请填写退回理由", 422, "note")
    if article.pending_version is not None:
        version, article.pending_version = article.pending_version, None
        content: KnowledgeArticle | KnowledgeVersion = article
        proposed = session.scalars(
            select(KnowledgeVersion).where(
                KnowledgeVersion.article_id == article.id, KnowledgeVersion.version == version
            )
        ).first()
        content = proposed or article
    elif article.status == "pending":
        version, content, article.status = article.version, article, "draft"
    else:
        raise DomainError("nothing_pending", "该条目没有待审核的版本", 409)
    article.updated_by, article.updated_at = ctx.actor.user_id, ctx.now
    _append(session, ctx, article.id, version, "reject", content, note.strip()[:500])
    session.flush()
    return article


def do_retire(
    session: Session, ctx: ActionContext, article: KnowledgeArticle, note: str = ""
) -> KnowledgeArticle:
    """Stop proposing the article (kept with its versions and uses).

    Preconditions: `check_may_decide` passed; `article` from `load_article`."""
    if article.status == "retired":
        raise DomainError("already_retired", "该条目已停用", 409)
    article.status, article.pending_version = "retired", None
    article.updated_by, article.updated_at = ctx.actor.user_id, ctx.now
    _append(session, ctx, article.id, article.version, "retire", article, note.strip()[:500])
    reindex(session, article)
    session.flush()
    return article


def parse_article_ids(raw: Any) -> list[int]:
    """The ids the intake form's hidden field carries ("3 17", "3,17"), at most 10."""
    text = str(raw or "").replace(",", " ")
    ids = [int(t) for t in text.split() if t.isdigit() and len(t) < 10]
    return list(dict.fromkeys(ids))[:10]


def do_record_uses(
    session: Session, ctx: ActionContext, article_ids: list[int], case_id: int
) -> int:
    """Count each published article of the region inserted into the order's answer.

    Preconditions: the order `case_id` was just created in this transaction by this actor;
    ids that are unknown, of another region or not published are ignored (a hint from the
    form, not a record the operator typed)."""
    counted = 0
    for article_id in article_ids:
        article = session.get(KnowledgeArticle, article_id)
        if article is None or article.region_code != ctx.actor.region_code:
            continue
        if article.status != "published":
            continue
        session.add(
            KnowledgeUse(
                article_id=article.id, case_id=case_id, actor_id=ctx.actor.user_id, at=ctx.now
            )
        )
        article.uses += 1
        counted += 1
    session.flush()
    return counted
