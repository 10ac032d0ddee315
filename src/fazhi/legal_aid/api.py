"""Legal aid over the API, beside the engine's generic case API (which takes every action of
the type: apply, accept, assign, close, evaluate …): the year's statistics, the yearly target,
and the lawyer register with its CSV import (all or nothing)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel

from fazhi.http.deps import Work, json_response, work, write
from fazhi.legal_aid import lawyers as register
from fazhi.legal_aid.read import READER_ROLES, check_may_read, lawyer_rows, statistics
from fazhi.legal_aid.targets import check_target, do_set_target

__all__ = ["READER_ROLES", "router"]

Year = Annotated[int, Query(ge=2000, le=2100, description="年度")]
router = APIRouter(prefix="/api/v1/legal-aid", tags=["法律援助"])


class TargetBody(BaseModel):
    target: Any = None


class RegisterCsv(BaseModel):
    csv: str = ""


@router.get("/statistics", summary="年度统计：审批办理量（按类别）、年度任务数与完成率、优秀案件")
def statistics_route(request: Request, year: Year) -> dict[str, Any]:
    with work(request) as w:
        check_may_read(w.ctx)
        return statistics(w.session, w.ctx, year)


@router.put("/targets/{year}", summary="设定年度任务数（民生实事任务数）")
async def set_target(request: Request, year: int, body: TargetBody) -> Response:
    def run(w: Work) -> dict[str, Any]:
        checked_year, target = check_target(w.ctx, year, body.target)
        return {
            "year": checked_year,
            "target": do_set_target(w.session, w.ctx, checked_year, target),
        }

    return json_response(await write(request, run))


@router.get("/lawyers", summary="律师名册（含年度指派件数）")
def list_lawyers(request: Request, year: Year) -> dict[str, Any]:
    with work(request) as w:
        check_may_read(w.ctx)
        rows = lawyer_rows(w.session, w.ctx, year)
        return {"items": rows, "count": len(rows)}


@router.post("/lawyers/import", summary="导入律师名册（CSV，全部正确才写入）")
async def import_lawyers(request: Request, body: RegisterCsv) -> Response:
    def run(w: Work) -> dict[str, Any]:
        register.check_may_edit(w.ctx)  # before reading the file: a stranger learns nothing
        rows = register.check_rows(w.ctx, register.parse_csv(body.csv))
        added, updated = register.do_import(w.session, w.ctx, rows)
        return {"added": added, "updated": updated}

    return json_response(await write(request, run))
