"""未接来电: the telephony system posts the calls it could not put through (`X-Api-Key` of
purpose `telephony`); operators list them and record call-backs (bearer or console)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel
from sqlalchemy.orm import Session

from fazhi.actions.api_keys import actor_for_key
from fazhi.actions.cases import ActionContext
from fazhi.domain.errors import DomainError, Problem
from fazhi.hotline.actions.missed_calls import (
    STATUS_LABELS,
    MissedCallInput,
    check_call_back,
    check_missed_call,
    do_call_back,
    do_record_missed_calls,
)
from fazhi.hotline.read.missed_calls import call_list, present_call, sees_phone
from fazhi.http.deps import Work, json_response, platform_of, work, write, write_session

router = APIRouter(prefix="/api/v1/missed-calls", tags=["未接来电"])

MAX_POSTED = 500


class PostedCalls(BaseModel):
    calls: list[dict[str, Any]]


class CallBackBody(BaseModel):
    outcome: str
    note: str = ""
    case_id: int | None = None


def _record(session: Session, request: Request, key: str, body: PostedCalls) -> Any:
    platform = platform_of(request)
    now = platform.now()
    actor = actor_for_key(session, platform, key, "telephony", now)
    calls: list[MissedCallInput] = []
    problems: list[Problem] = []
    for index, raw in enumerate(body.calls):
        try:
            calls.append(check_missed_call(raw, now))
        except DomainError as exc:
            where = f"calls[{index}].{exc.field}" if exc.field else f"calls[{index}]"
            problems.append(Problem(exc.code, f"第{index + 1}条：{exc.message}", where))
    if problems:
        # All or nothing: the telephony system resends the corrected batch.
        message = f"{len(problems)}条记录有误，未写入任何记录：" + "；".join(
            p.message for p in problems[:5]
        )
        raise DomainError("invalid_calls", message, 422, problems[0].field, problems)
    created, existing, rows = do_record_missed_calls(
        session, ActionContext(platform, actor, now), calls, "api"
    )
    return {
        "created": created,
        "existing": existing,
        "calls": [{"call_id": r.call_id, "id": r.id} for r in rows],
    }


@router.post("", summary="话务系统推送未接来电（按呼叫编号幂等）")
async def post_missed_calls(request: Request, body: PostedCalls) -> Response:
    key = request.headers.get("x-api-key", "").strip()
    if not key:
        raise DomainError("missing_api_key", "缺少请求头 X-Api-Key", 401, "api_key")
    if not body.calls:
        raise DomainError("required", "calls 不能为空", 422, "calls")
    if len(body.calls) > MAX_POSTED:
        raise DomainError("too_many_records", f"每次最多推送 {MAX_POSTED} 条", 413, "calls")
    answer = await write_session(request, lambda session: _record(session, request, key, body))
    return json_response(answer)


@router.get("", summary="未接来电回拨任务（待回拨按来电时间先后）")
def list_missed_calls(request: Request, status: str = "open") -> Response:
    if status not in STATUS_LABELS:
        raise DomainError(
            "invalid_value", "status 只能是：" + "、".join(STATUS_LABELS), 422, "status"
        )
    with work(request) as w:
        if not w.actor.has_role("operator", "dispatcher", "supervisor"):
            raise DomainError("forbidden_role", "当前角色无权查看未接来电", 403)
        return json_response(
            {"calls": call_list(w.session, w.platform, w.actor, status, w.ctx.now)}
        )


@router.post("/{call_id}/call-backs", summary="记录一次回拨及其结果")
async def post_call_back(request: Request, call_id: int, body: CallBackBody) -> Response:
    def run(w: Work) -> Response:
        back = check_call_back(w.session, w.ctx, call_id, body.outcome, body.note, body.case_id)
        call = do_call_back(w.session, w.ctx, back)
        return json_response(present_call(call, sees_phone(w.platform, w.actor), w.ctx.now))

    return await write(request, run)
