"""通知: the outbox seen from the console — messages by status, the failed and dead ones with
their last error, and "retry now" (back to pending, due at once). For admins and dispatchers.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import func, select

from fazhi.actions.notify import retry_now
from fazhi.domain.notify import mask_recipient
from fazhi.domain.numbers import case_number
from fazhi.http.deps import Work
from fazhi.http.params import PathId
from fazhi.read.messages import topic_label
from fazhi.store.models import Case, OutboxMessage
from fazhi.web.console import forbidden, page_work, render

router = APIRouter(include_in_schema=False)

NOTIFY_ROLES = frozenset({"admin", "dispatcher"})
STATUSES = (
    ("pending", "待发送"),
    ("sending", "发送中"),
    ("failed", "失败待重试"),
    ("dead", "已放弃"),
    ("sent", "已发送"),
)
CHANNEL_LABELS = {"sms": "短信", "email": "邮件", "internal": "内部消息"}
LIST_LIMIT = 200


def _rows(w: Work) -> list[dict[str, Any]]:
    query = (
        select(OutboxMessage, Case.type, Case.created_at)
        .outerjoin(
            Case,
            (Case.region_code == OutboxMessage.region_code) & (Case.id == OutboxMessage.case_id),
        )
        .where(
            OutboxMessage.region_code == w.actor.region_code,
            OutboxMessage.status.in_(("failed", "dead")),
        )
        .order_by(OutboxMessage.status, OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(LIST_LIMIT)
    )
    rows = []
    for message, type_name, created_at in w.session.execute(query):
        case_type = w.platform.types.get(type_name) if type_name else None
        number = (
            case_number(case_type.number_prefix if case_type else None, created_at, message.case_id)
            if message.case_id and created_at
            else ""
        )
        rows.append(
            {
                "id": message.id,
                "case_id": message.case_id,
                "number": number,
                "status": message.status,
                "channel": CHANNEL_LABELS.get(message.channel, message.channel),
                "topic": topic_label(case_type, message.topic),
                "recipient": mask_recipient(message.channel, message.recipient),
                "attempts": message.attempts,
                "last_error": message.last_error or "",
                "next_attempt_at": message.next_attempt_at,
            }
        )
    return rows


@router.get("/notifications")
def notifications_page(request: Request) -> Response:
    with page_work(request) as w:
        if not w.actor.has_role(*NOTIFY_ROLES):
            return forbidden(request, w, "通知")
        counts = dict(
            w.session.execute(
                select(OutboxMessage.status, func.count())
                .where(OutboxMessage.region_code == w.actor.region_code)
                .group_by(OutboxMessage.status)
            ).all()
        )
        flash = "已重新排队，将在下一次发送时重试" if request.query_params.get("retried") else None
        return render(
            request,
            "notifications.html",
            {
                "counts": [(code, label, counts.get(code, 0)) for code, label in STATUSES],
                "rows": _rows(w),
                "limit": LIST_LIMIT,
                "flash": flash,
            },
            w,
        )


@router.post("/notifications/{message_id}/retry")
def retry_page(request: Request, message_id: PathId) -> Response:
    platform = request.app.state.platform
    with platform.writing(), page_work(request) as w:
        if not w.actor.has_role(*NOTIFY_ROLES):
            return forbidden(request, w, "通知")
        if not retry_now(w.session, w.actor.region_code, message_id, w.ctx.now):
            return render(request, "not_found.html", {}, w, status_code=404)
    return RedirectResponse("/notifications?retried=1", status_code=303)
