"""The signed-in user's inbox (站内消息) over the API: list (newest first, optionally unread
only), the unread count, mark one read, mark all read. A message not addressed to the
caller answers 404 `message_not_found`, as if it did not exist."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from fazhi.actions.messages import check_mark_read, do_mark_all_read
from fazhi.http.deps import Work, work, write
from fazhi.http.params import MAX_PAGE_SIZE, PathId
from fazhi.read.messages import count_label, inbox, message_of, present, unread_count

router = APIRouter(prefix="/api/v1", tags=["消息"])


def _unread(w: Work) -> dict[str, Any]:
    count = unread_count(w.session, w.actor)
    return {"unread": count, "unread_label": count_label(count)}


@router.get("/messages", summary="我的消息（本单位及本岗位），新消息在前")
def list_messages(
    request: Request,
    unread: Annotated[bool, Query(description="仅未读")] = False,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="条数")] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000, description="跳过条数")] = 0,
) -> dict[str, Any]:
    with work(request) as w:
        rows = inbox(w.session, w.actor, unread_only=unread, limit=limit, offset=offset)
        return {"messages": [present(w, r) for r in rows], **_unread(w)}


@router.get("/messages/unread-count", summary="未读消息数（计到99+为止）")
def messages_unread(request: Request) -> dict[str, Any]:
    with work(request) as w:
        return _unread(w)


@router.post("/messages/{message_id}/read", summary="标为已读（仅对本人）")
async def mark_read(request: Request, message_id: PathId) -> dict[str, Any]:
    def run(w: Work) -> dict[str, Any]:
        check_mark_read(w.session, w.actor, message_id, w.ctx.now)
        row = message_of(w.session, w.actor, message_id)
        assert row is not None  # found by check_mark_read in this transaction
        return {"message": present(w, row), **_unread(w)}

    return await write(request, run)


@router.post("/messages/read-all", summary="全部标为已读（仅对本人）")
async def mark_all_read(request: Request) -> dict[str, Any]:
    def run(w: Work) -> dict[str, Any]:
        do_mark_all_read(w.session, w.actor, w.ctx.now)
        return _unread(w)

    return await write(request, run)
