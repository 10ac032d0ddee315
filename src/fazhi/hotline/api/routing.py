"""派单建议 (dispatch suggestion): request text (and where it happened) → ranked categories
with their lead units, scores and the words behind each, and the located grid."""

from __future__ import annotations

import math
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from fazhi.domain.errors import DomainError
from fazhi.hotline.routing.suggestion import suggest_request
from fazhi.http.deps import json_response, platform_of, work

router = APIRouter(prefix="/api/v1", tags=["派单建议"])

MAX_TEXT = 4000


class SuggestBody(BaseModel):
    text: str = Field(max_length=MAX_TEXT, description="诉求内容")
    address: str | None = Field(default=None, max_length=200, description="事发地址（可选）")
    longitude: float | None = Field(default=None, ge=-180, le=180)
    latitude: float | None = Field(default=None, ge=-90, le=90)
    k: int = Field(default=3, ge=1, le=24, description="返回的候选分类数")


def check_body(body: SuggestBody) -> tuple[float, float] | None:
    if not body.text.strip():
        raise DomainError("required", "诉求内容不能为空", 422, "text")
    if (body.longitude is None) != (body.latitude is None):
        field = "latitude" if body.latitude is None else "longitude"
        raise DomainError("required", "经度和纬度需同时填写", 422, field)
    if body.longitude is None or body.latitude is None:
        return None
    if not (math.isfinite(body.longitude) and math.isfinite(body.latitude)):
        raise DomainError("invalid_value", "坐标无效", 422, "longitude")
    return body.longitude, body.latitude


@router.post("/routing/suggest", summary="派单建议：按诉求内容排序的分类、承办单位与网格")
async def suggest(request: Request, body: SuggestBody) -> Response:
    """Any signed-in user. `candidates` are best first; `why` are the request's own words
    that speak most for the category; `grid`/`street` come from the coordinates (preferred)
    or the address; `model` names the version that answered and its held-out accuracy."""
    point = check_body(body)

    def signed_in() -> None:  # any role; the lookup is a query, so not on the loop
        with work(request):
            pass

    await run_in_threadpool(signed_in)
    platform = platform_of(request)
    result: dict[str, Any] = await run_in_threadpool(
        suggest_request, platform, body.text, address=body.address, point=point, k=body.k
    )
    return json_response(result)
