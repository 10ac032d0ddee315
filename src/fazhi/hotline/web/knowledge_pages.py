"""知识库 in the console: the list with search and filters (`/knowledge`), an article with
its versions and the forms to propose, edit, approve, send back or retire it, and the intake
form's proposal panel (`/intake/knowledge`, loaded by htmx as the operator types)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from fazhi.catalog.categories import load_categories
from fazhi.domain.errors import DomainError
from fazhi.hotline.actions.knowledge import (
    CENTRE_ROLES,
    STATUSES,
    UNIT_ROLES,
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
from fazhi.hotline.read.knowledge import article_detail, proposals, search
from fazhi.hotline.routing.knowledge_text import warm_up
from fazhi.hotline.web.intake_pages import INTAKE_ROLES
from fazhi.http.deps import Work
from fazhi.http.params import PathId
from fazhi.web.console import forbidden, page_work, redirect, render
from fazhi.web.forms import error_status, field_errors, unit_groups

router = APIRouter(include_in_schema=False)

FIELDS = (
    "category",
    "question",
    "answer",
    "legal_basis",
    "tags",
    "owner_unit",
    "valid_from",
    "valid_to",
    "review_date",
    "note",
)
FILTERS = {**STATUSES, "awaiting": "待我审核", "stale": "需复核（过期）"}
MIN_TEXT = 4
DONE = {
    "proposed": "已提交，待热线中心审核。",
    "draft": "草稿已保存。",
    "approved": "已审核通过并发布。",
    "rejected": "已退回修改。",
    "retired": "已停用。",
}


def _base(w: Work) -> dict[str, Any]:
    centre = w.actor.has_role(*CENTRE_ROLES)
    return {
        "categories": load_categories(),
        "statuses": STATUSES,
        "filters": FILTERS,
        "centre": centre,
        "may_propose": w.actor.has_role(*UNIT_ROLES, *CENTRE_ROLES),
        "names_owner": centre and not w.actor.has_role(*UNIT_ROLES),
        "unit_groups": unit_groups(w.ctx.directory) if centre else [],
    }


@router.get("/knowledge")
def knowledge_list(
    request: Request, q: str = "", category: str = "", status: str = "", done: str = ""
) -> Response:
    with page_work(request) as w:
        if not w.actor.has_role(*VIEW_ROLES):
            return forbidden(request, w, "知识库")
        category = category if category in {c.code for c in load_categories()} else ""
        status = status if status in FILTERS else ""
        rows = search(
            w.session, w.actor, w.ctx.directory, today_of(w.ctx), q[:200], category, status
        )
        context = {
            **_base(w),
            "articles": rows,
            "q": q[:200],
            "category": category,
            "status": status,
            "done": DONE.get(done, ""),
        }
        return render(request, "knowledge.html", context, w)


def _article_page(
    request: Request,
    w: Work,
    article_id: int,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    error: str = "",
    status_code: int = 200,
    done: str = "",
) -> Response:
    article = load_article(w.session, w.ctx, article_id)
    detail = article_detail(w.session, article, w.ctx.directory, today_of(w.ctx))
    source = detail["pending"] or detail
    may_edit = True
    try:
        check_may_edit(w.ctx, article)
    except DomainError:
        may_edit = False
    owner = detail["owner_unit"] or {}
    context = {
        **_base(w),
        "a": detail,
        "may_edit": may_edit,
        "values": values
        or {
            "category": source.get("category", article.category),
            "question": source["question"],
            "answer": source["answer"],
            "legal_basis": source["legal_basis"],
            "tags": " ".join(source["tags"]),
            "owner_unit": owner.get("code", ""),
            "valid_from": source["valid_from"] or "",
            "valid_to": source["valid_to"] or "",
            "review_date": source["review_date"] or "",
        },
        "errors": errors or {},
        "error": error,
        "done": DONE.get(done, ""),
        "awaiting": article.status == "pending" or article.pending_version is not None,
    }
    return render(request, "knowledge_article.html", context, w, status_code)


@router.get("/knowledge/new")
def knowledge_new(request: Request) -> Response:
    with page_work(request) as w:
        if not w.actor.has_role(*UNIT_ROLES, *CENTRE_ROLES):
            return forbidden(request, w, "编写知识库条目")
        context = {**_base(w), "values": {}, "errors": {}, "error": ""}
        return render(request, "knowledge_new.html", context, w)


@router.get("/knowledge/{article_id}")
def knowledge_article(request: Request, article_id: PathId, done: str = "") -> Response:
    with page_work(request) as w:
        if not w.actor.has_role(*VIEW_ROLES):
            return forbidden(request, w, "知识库")
        try:
            return _article_page(request, w, article_id, done=done)
        except DomainError as exc:
            return render(
                request, "knowledge_missing.html", {"error": exc.message}, w, error_status(exc)
            )


async def _form(request: Request) -> dict[str, Any]:
    form = await request.form()
    values: dict[str, Any] = {k: str(form.get(k) or "") for k in FIELDS}
    values["submit"] = form.get("intent") != "draft"
    return values


def _save(request: Request, values: dict[str, Any], article_id: int | None) -> Response:
    platform = request.app.state.platform
    with platform.writing(), page_work(request) as w:
        if not w.actor.has_role(*UNIT_ROLES, *CENTRE_ROLES):
            return forbidden(request, w, "编写知识库条目")
        try:
            with w.session.begin_nested():
                article = None
                if article_id is not None:
                    article = load_article(w.session, w.ctx, article_id)
                    check_may_edit(w.ctx, article)
                saved = do_propose(w.session, w.ctx, check_article(w.ctx, values), article)
        except DomainError as exc:
            by_field, general = field_errors(exc, FIELDS)
            if article_id is None:
                context = {**_base(w), "values": values, "errors": by_field, "error": general}
                return render(request, "knowledge_new.html", context, w, error_status(exc))
            try:
                return _article_page(
                    request, w, article_id, values, by_field, general, error_status(exc)
                )
            except DomainError:
                return render(request, "knowledge_missing.html", {"error": exc.message}, w, 404)
        done = "proposed" if values["submit"] else "draft"
        return redirect(request, f"/knowledge/{saved.id}?done={done}")


@router.post("/knowledge")
async def knowledge_create(request: Request) -> Response:
    values = await _form(request)
    return await run_in_threadpool(_save, request, values, None)


@router.post("/knowledge/{article_id}")
async def knowledge_update(request: Request, article_id: PathId) -> Response:
    values = await _form(request)
    return await run_in_threadpool(_save, request, values, article_id)


DECISIONS = {"approve": (do_approve, "approved"), "reject": (do_reject, "rejected")}


@router.post("/knowledge/{article_id}/{decision}")
async def knowledge_decide(request: Request, article_id: PathId, decision: str) -> Response:
    form = await request.form()
    note = str(form.get("note") or "")[:500]
    platform = request.app.state.platform

    def locked() -> Response:
        with platform.writing(), page_work(request) as w:
            try:
                with w.session.begin_nested():
                    check_may_decide(w.ctx)
                    article = load_article(w.session, w.ctx, article_id)
                    if decision == "approve":
                        do_approve(w.session, w.ctx, article, note)
                    elif decision == "reject":
                        do_reject(w.session, w.ctx, article, note)
                    elif decision == "retire":
                        do_retire(w.session, w.ctx, article, note)
                    else:
                        raise DomainError("not_found", "没有该操作", 404)
            except DomainError as exc:
                if exc.status == 403:
                    return forbidden(request, w, "审核知识库")
                errors = {"decision_note": exc.message} if exc.field == "note" else {}
                general = "" if errors else exc.message
                try:
                    return _article_page(
                        request, w, article_id, None, errors, general, error_status(exc)
                    )
                except DomainError:
                    return render(request, "knowledge_missing.html", {"error": exc.message}, w, 404)
        done = {"approve": "approved", "reject": "rejected"}.get(decision, "retired")
        return redirect(request, f"/knowledge/{article_id}?done={done}")

    return await run_in_threadpool(locked)


@router.get("/intake/knowledge")
def intake_knowledge(request: Request, content: str = "") -> Response:
    """The intake form's proposals for the consultation typed so far."""
    warm_up()  # jieba's dictionary loads here, in the thread pool, on the first call
    with page_work(request) as w:
        if not w.actor.has_role(*INTAKE_ROLES):
            return HTMLResponse("", 204)
        text = content.strip()[:1000]
        found = (
            proposals(w.session, w.actor, w.ctx.directory, today_of(w.ctx), text)
            if len(text) >= MIN_TEXT
            else []
        )
        return render(request, "_intake_knowledge.html", {"proposals": found})
