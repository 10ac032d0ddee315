"""知识库 API: search (BM25 over jieba tokens), an article with its versions, proposals by
units (new articles and edits) and the hotline centre's decisions. Errors are JSON."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from fazhi.catalog.categories import load_categories
from fazhi.domain.errors import DomainError
from fazhi.hotline.actions.knowledge import (
    STATUSES,
    VIEW_ROLES,
    check_article,
    check_may_decide,
    check_may_edit,
    do_approve,
    do_propose,
    do_reject,
    do_retire,
    load_article,
    today_of,
)
from fazhi.hotline.read.knowledge import article_detail, search
from fazhi.http.deps import Work, json_response, require_role, work, write
from fazhi.http.params import PathId

router = APIRouter(prefix="/api/v1/knowledge", tags=["知识库"])
FILTERS = (*STATUSES, "stale", "awaiting")


class ArticleBody(BaseModel):
    category: str = ""
    question: str = ""
    answer: str = ""
    legal_basis: str = ""
    tags: str | list[str] = ""
    owner_unit: str = Field("", description="负责单位编码（热线中心代为提交时必填）")
    valid_from: str = ""
    valid_to: str = ""
    review_date: str = ""
    submit: bool = Field(True, description="false：仅保存草稿，不提交审核")
    note: str = ""

    def raw(self) -> dict[str, Any]:
        values = self.model_dump()
        if isinstance(self.tags, list):
            values["tags"] = " ".join(self.tags)
        return values


class Decision(BaseModel):
    note: str = Field("", max_length=500)


@router.get("", summary="检索知识库（中文分词，按相关度排序）")
def list_articles(
    request: Request, q: str = "", category: str = "", status: str = "", limit: int = 20
) -> Response:
    if status and status not in FILTERS:
        raise DomainError("invalid_value", "status 只能是：" + "、".join(FILTERS), 422, "status")
    if category and category not in {c.code for c in load_categories()}:
        raise DomainError("invalid_value", "没有该诉求分类", 422, "category")
    if not 1 <= limit <= 200:
        raise DomainError("invalid_value", "limit 应在 1 到 200 之间", 422, "limit")
    with work(request) as w:
        require_role(w.actor, *VIEW_ROLES)
        found = search(
            w.session, w.actor, w.ctx.directory, today_of(w.ctx), q[:500], category, status, limit
        )
        return json_response({"articles": found})


@router.get("/{article_id}", summary="知识库条目及其全部版本")
def get_article(request: Request, article_id: PathId) -> Response:
    with work(request) as w:
        require_role(w.actor, *VIEW_ROLES)
        article = load_article(w.session, w.ctx, article_id)
        return json_response(article_detail(w.session, article, w.ctx.directory, today_of(w.ctx)))


def _answer(w: Work, article_id: PathId, status: int = 200) -> Response:
    article = load_article(w.session, w.ctx, article_id)
    detail = article_detail(w.session, article, w.ctx.directory, today_of(w.ctx))
    return json_response(detail, status)


@router.post("", summary="提交新条目（单位；热线中心须指定负责单位）", status_code=201)
async def propose_article(request: Request, body: ArticleBody) -> Response:
    def run(w: Work) -> Response:
        article = do_propose(w.session, w.ctx, check_article(w.ctx, body.raw()))
        return _answer(w, article.id, 201)

    return await write(request, run)


@router.post("/{article_id}", summary="提交修改（新版本待热线中心审核）")
async def propose_edit(request: Request, article_id: PathId, body: ArticleBody) -> Response:
    def run(w: Work) -> Response:
        article = load_article(w.session, w.ctx, article_id)
        check_may_edit(w.ctx, article)
        do_propose(w.session, w.ctx, check_article(w.ctx, body.raw()), article)
        return _answer(w, article_id)

    return await write(request, run)


@router.post("/{article_id}/approve", summary="审核通过（热线中心）")
async def approve_article(request: Request, article_id: PathId, body: Decision) -> Response:
    def run(w: Work) -> Response:
        check_may_decide(w.ctx)
        do_approve(w.session, w.ctx, load_article(w.session, w.ctx, article_id), body.note)
        return _answer(w, article_id)

    return await write(request, run)


@router.post("/{article_id}/reject", summary="退回修改（热线中心，须写理由）")
async def reject_article(request: Request, article_id: PathId, body: Decision) -> Response:
    def run(w: Work) -> Response:
        check_may_decide(w.ctx)
        do_reject(w.session, w.ctx, load_article(w.session, w.ctx, article_id), body.note)
        return _answer(w, article_id)

    return await write(request, run)


@router.post("/{article_id}/retire", summary="停用（热线中心）")
async def retire_article(request: Request, article_id: PathId, body: Decision) -> Response:
    def run(w: Work) -> Response:
        check_may_decide(w.ctx)
        do_retire(w.session, w.ctx, load_article(w.session, w.ctx, article_id), body.note)
        return _answer(w, article_id)

    return await write(request, run)
