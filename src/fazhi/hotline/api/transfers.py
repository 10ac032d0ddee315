"""System-to-system transfer: other platforms push their records with an `X-Api-Key`.

Unlike a file import, a call is not all or nothing: good records are written and bad ones
listed. Records are keyed by their external id, so a retried call changes nothing.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel
from sqlalchemy.orm import Session

from fazhi.actions.api_keys import actor_for_key
from fazhi.actions.cases import ActionContext
from fazhi.domain.errors import DomainError
from fazhi.hotline.actions.transfers import MAX_API_RECORDS, do_transfer_records, profile_or_error
from fazhi.http.deps import json_response, platform_of, write_session

router = APIRouter(prefix="/api/v1/transfers", tags=["平台转办"])


class TransferBody(BaseModel):
    records: list[dict[str, Any]]


def _answer(session: Session, request: Request, key: str, source: str, body: TransferBody) -> Any:
    platform = platform_of(request)
    now = platform.now()
    actor = actor_for_key(session, platform, key, "transfer", now)
    profile_or_error(source, 404)
    report = do_transfer_records(session, ActionContext(platform, actor, now), source, body.records)
    return {
        "source": source,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "rejected": [
            {"index": r.line, "external_id": r.external_id, "field": r.field, "message": r.message}
            for r in report.rejected
        ],
        "cases": [
            {"external_id": c.external_id, "id": c.id, "number": c.number, "result": c.result}
            for c in report.cases
        ],
    }


@router.post(
    "/{source}",
    summary="其他平台转办（12315、欠薪线索）：按外部编号新建、补充或不变",
    description=(
        f"请求头 `X-Api-Key`（`fazhi apikey create NAME --purpose transfer` 签发）。"
        f"每次最多 {MAX_API_RECORDS} 条；合格的记录写入，不合格的列在 rejected 中。"
    ),
)
async def post_transfer(request: Request, source: str, body: TransferBody) -> Response:
    key = request.headers.get("x-api-key", "").strip()
    if not key:
        raise DomainError("missing_api_key", "缺少请求头 X-Api-Key", 401, "api_key")
    if len(body.records) > MAX_API_RECORDS:
        raise DomainError(
            "too_many_records", f"每次最多转办 {MAX_API_RECORDS} 条记录", 413, "records"
        )
    answer = await write_session(
        request, lambda session: _answer(session, request, key, source, body)
    )
    return json_response(answer)
