"""Repeats and merging (并单): similar orders for the intake and an existing order, merging
duplicates into a lead order, and the repeat-request rate per unit and category."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from fazhi.actions.visibility import read_visible_case
from fazhi.domain.durations import LOCAL_TZ
from fazhi.domain.errors import DomainError
from fazhi.hotline.actions.merge import check_merge_cases
from fazhi.hotline.read.repeats import (
    RATE_ROLES,
    THRESHOLDS,
    find_similar,
    local_bounds,
    present_similar,
    repeat_rates,
    similar_to_case,
)
from fazhi.http.deps import Work, json_response, require_role, work, write
from fazhi.http.params import CaseId, SaneDate
from fazhi.read.presenters import case_number

router = APIRouter(prefix="/api/v1", tags=["重复诉求与并单"])


class MergeRequest(BaseModel):
    duplicates: list[int] = Field(description="要并入主工单的重复工单编号（案件 id）")
    reason: str = Field("", max_length=1000, description="并单理由")


@router.get("/cases/{case_id}/similar", summary="相似工单：重复来电与疑似同一诉求")
def case_similar(request: Request, case_id: CaseId) -> Response:
    with work(request) as w:
        case = read_visible_case(w.session, w.ctx, case_id, "similar")
        items = similar_to_case(w.session, w.platform, w.actor, case)
        return json_response(
            {
                "case_id": case.id,
                "thresholds": THRESHOLDS,
                "items": [present_similar(w, i) for i in items],
            }
        )


@router.get("/routing/similar", summary="受理时查找相似工单")
def intake_similar(
    request: Request,
    text: str = Query("", max_length=4000, description="诉求内容"),
    phone: str = Query("", max_length=40, description="来电号码"),
    longitude: float | None = Query(None, ge=73, le=136),
    latitude: float | None = Query(None, ge=3, le=54),
    grid: int | None = Query(None, description="网格 id（无坐标时以同一网格为相近）"),
    category: str = Query("", max_length=40, description="诉求分类"),
) -> Response:
    with work(request) as w:
        if not w.actor.sight.region_wide:
            raise DomainError("forbidden_role", "当前角色无权查询相似工单", 403)
        items = find_similar(
            w.session,
            w.platform,
            w.actor,
            text,
            phone,
            longitude,
            latitude,
            grid,
            w.ctx.now,
            category=category or None,
        )
        return json_response(
            {"thresholds": THRESHOLDS, "items": [present_similar(w, i) for i in items]}
        )


@router.post("/cases/{lead_id}/merge", summary="并单：把重复工单并入主工单并办结")
async def merge(request: Request, lead_id: CaseId, body: MergeRequest) -> Response:
    def run(w: Work) -> dict[str, Any]:
        done = check_merge_cases(w.session, w.ctx, lead_id, body.duplicates, body.reason)
        case_type = w.platform.types.get("hotline")
        return {
            "lead": {"id": done.lead.id, "number": case_number(case_type, done.lead)},
            "merged": [
                {
                    "id": c.id,
                    "number": case_number(case_type, c),
                    "state": c.state,
                    "version": c.version,
                    "merged_into": c.fields.get("merged_into"),
                }
                for c in done.duplicates
            ],
        }

    return json_response(await write(request, run))


@router.get("/analytics/repeats", summary="重复诉求率：按主办单位与诉求分类")
def repeats(
    request: Request,
    start: SaneDate | None = Query(None, alias="from", description="开始日期（含）"),
    end: SaneDate | None = Query(None, alias="to", description="结束日期（含）"),
) -> Response:
    with work(request) as w:
        require_role(w.actor, *RATE_ROLES)
        since, until = local_bounds(start, end, w.ctx.now.astimezone(LOCAL_TZ).date())
        rates = repeat_rates(w.session, w.actor, since, until, w.platform)
        return json_response(rates.as_dict())
