"""Saving and removing the user's saved filters of 工作台 and 案件查询 (the forms are in
_saved_filters.html): a refused save shows the list again with the message by the name."""

from __future__ import annotations

from urllib.parse import parse_qsl

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from fazhi.actions.saved_filters import LISTS, check_save_filter, do_delete_filter, do_save_filter
from fazhi.domain.errors import DomainError
from fazhi.web.console import page_work, redirect, render
from fazhi.web.work_pages import list_page

router = APIRouter(include_in_schema=False)


def _text(value: object, limit: int) -> str:
    return value[:limit] if isinstance(value, str) else ""


@router.post("/saved-filters")
async def save_filter(request: Request) -> Response:
    form = await request.form()
    platform = request.app.state.platform
    list_name = _text(form.get("list"), 20)
    name = _text(form.get("name"), 200)
    query = _text(form.get("query"), 4000)

    def locked() -> Response | DomainError:
        with platform.writing(), page_work(request) as w:
            try:
                wanted = check_save_filter(list_name, name, query)
                do_save_filter(w.session, w.actor, wanted, w.ctx.now)
            except DomainError as exc:
                return exc
        return redirect(request, f"/{wanted.list}?{wanted.query}")

    answer = await run_in_threadpool(locked)
    if not isinstance(answer, DomainError):
        return answer
    # Refused: the list again, as it was filtered, with the message by the name.
    return await run_in_threadpool(
        list_page,
        request,
        "work.html",
        list_name != "cases",
        dict(parse_qsl(query)),
        {"saved_error": answer.message, "saved_name": name},
        answer.status,
    )


@router.post("/saved-filters/{filter_id}/delete")
async def delete_filter(request: Request, filter_id: int) -> Response:
    form = await request.form()
    platform = request.app.state.platform
    list_name = _text(form.get("list"), 20)
    back = f"/{list_name}" if list_name in LISTS else "/work"

    def locked() -> Response:
        with platform.writing(), page_work(request) as w:
            try:
                do_delete_filter(w.session, w.actor, filter_id)
            except DomainError:
                return render(request, "not_found.html", {}, w, status_code=404)
        return redirect(request, back)

    return await run_in_threadpool(locked)
