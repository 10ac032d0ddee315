"""评查任务 in the console: the reviewer's list of case files (machine score, findings, the
reviewer's own), one file's findings with the verdict form, and the report by unit."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from fazhi.domain.errors import DomainError
from fazhi.enforcement.review.rules import DEFECT_LABELS
from fazhi.enforcement.reviews import (
    READER_ROLES,
    REVIEWER_ROLES,
    check_verdict,
    do_record_verdict,
    load_task,
    present,
    report,
    tasks,
)
from fazhi.http.deps import Work
from fazhi.http.params import PathId
from fazhi.web.console import forbidden, page_work, redirect, render
from fazhi.web.forms import error_status, field_errors

router = APIRouter(include_in_schema=False)
STATUSES = {"": "全部", "pending": "待评查", "done": "已评查"}


@router.get("/case-file-reviews")
def reviews_page(request: Request, status: str = "") -> Response:
    with page_work(request) as w:
        if not w.actor.has_role(*READER_ROLES):
            return forbidden(request, w, "案卷评查")
        status = status if status in STATUSES else ""
        context = {
            "rows": [present(t) for t in tasks(w.session, w.ctx, status)],
            "units": report(w.session, w.ctx),
            "status": status,
            "statuses": STATUSES,
            "defects": DEFECT_LABELS,
        }
        return render(request, "case_file_reviews.html", context, w)


def _detail(
    request: Request,
    w: Work,
    task_id: int,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    error: str = "",
    status_code: int = 200,
) -> Response:
    try:
        task = present(load_task(w.session, w.ctx, task_id))
    except DomainError as exc:
        if exc.status == 403:
            return forbidden(request, w, "案卷评查")
        return render(request, "not_found.html", {}, w, status_code=404)
    reviewer = task["reviewer"] or {}
    context = {
        "task": task,
        "defects": DEFECT_LABELS,
        "may_judge": w.actor.has_role(*REVIEWER_ROLES),
        "values": values
        or {
            "score": reviewer.get("score", task["machine"]["score"]),
            "vetoed": reviewer.get("vetoed", False),
            "note": reviewer.get("note") or "",
        },
        "errors": errors or {},
        "error": error,
    }
    return render(request, "case_file_review.html", context, w, status_code)


@router.get("/case-file-reviews/{task_id}")
def review_page(request: Request, task_id: PathId) -> Response:
    with page_work(request) as w:
        return _detail(request, w, task_id)


@router.post("/case-file-reviews/{task_id}/verdict")
async def verdict(request: Request, task_id: PathId) -> Response:
    form = await request.form()
    typed = {
        "score": str(form.get("score") or ""),
        "vetoed": form.get("vetoed") == "1",
        "note": str(form.get("note") or ""),
    }
    platform = request.app.state.platform

    def locked() -> Response:
        with platform.writing(), page_work(request) as w:
            try:
                score: Any = float(typed["score"]) if typed["score"].strip() else None
            except ValueError:
                score = None
            try:
                with w.session.begin_nested():
                    task = load_task(w.session, w.ctx, task_id)
                    data = check_verdict(w.ctx, {**typed, "score": score})
                    do_record_verdict(w.session, w.ctx, task, data)
            except DomainError as exc:
                if exc.status == 404:
                    return render(request, "not_found.html", {}, w, status_code=404)
                by_field, general = field_errors(exc, ("score", "vetoed", "note"))
                return _detail(request, w, task_id, typed, by_field, general, error_status(exc))
        return redirect(request, f"/case-file-reviews/{task_id}?done=verdict")

    return await run_in_threadpool(locked)
