"""消息: the signed-in user's inbox — messages to their unit and to their roles' desks,
newest first, unread ones marked; opening one marks it read (for this user only) and links
to its case; 全部已读 marks everything read. The count in the menu is the same query's
(`read.messages.unread_count`)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from fazhi.actions.messages import check_mark_read, do_mark_all_read
from fazhi.domain.errors import DomainError
from fazhi.http.params import PathId
from fazhi.read.messages import inbox, message_of, present, unread_count
from fazhi.web.console import page_work, redirect, render

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50


@router.get("/messages")
def messages_page(request: Request, unread: str = "", page: int = 1) -> Response:
    page = max(1, min(page, 10_000))
    with page_work(request) as w:
        rows = inbox(
            w.session,
            w.actor,
            unread_only=unread == "1",
            limit=PAGE_SIZE + 1,
            offset=(page - 1) * PAGE_SIZE,
        )
        flash = "已全部标为已读" if request.query_params.get("cleared") else None
        return render(
            request,
            "messages.html",
            {
                "items": [present(w, r) for r in rows[:PAGE_SIZE]],
                "more": len(rows) > PAGE_SIZE,
                "page": page,
                "unread_only": unread == "1",
                "unread": unread_count(w.session, w.actor),
                "flash": flash,
            },
            w,
        )


@router.get("/messages/{message_id}")
def message_page(request: Request, message_id: PathId) -> Response:
    """Opening a message is reading it: the read mark is written here, for this user."""
    platform = request.app.state.platform
    with platform.writing(), page_work(request) as w:
        try:
            check_mark_read(w.session, w.actor, message_id, w.ctx.now)
        except DomainError:
            return render(request, "not_found.html", {}, w, status_code=404)
        row = message_of(w.session, w.actor, message_id)
        assert row is not None  # found by check_mark_read in this transaction
        return render(request, "message.html", {"m": present(w, row)}, w)


@router.post("/messages/read-all")
def read_all_page(request: Request) -> Response:
    platform = request.app.state.platform
    with platform.writing(), page_work(request) as w:
        do_mark_all_read(w.session, w.actor, w.ctx.now)
    return redirect(request, "/messages?cleared=1")
