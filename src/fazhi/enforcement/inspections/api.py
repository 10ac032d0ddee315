"""Inspections over the API (/api/v1/inspections): the two registers, planned items, the
proposed plan and its acceptance, visits with their results, and the random draws."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel

from fazhi.enforcement.inspections import draws, registers, visits
from fazhi.http.deps import Work, json_response, require_role, work, write
from fazhi.http.params import PathId

router = APIRouter(prefix="/api/v1/inspections", tags=["联合检查与双随机抽查"])


class ImportBody(BaseModel):
    file: str = ""


class ResultsBody(BaseModel):
    results: Any = None


class CapacityBody(BaseModel):
    capacity: Any = None


@router.get("/targets", summary="检查对象名录（企业、场所）")
def list_targets(request: Request) -> dict[str, Any]:
    with work(request) as w:
        names = registers.unit_names(w.session, w.ctx.actor.region_code)
        rows = [
            registers.present_target(t, names)
            for t in registers.targets(w.session, w.ctx.actor.region_code)
        ]
        return {"items": rows, "count": len(rows)}


@router.post("/targets", summary="登记或修改一个检查对象（按统一社会信用代码）")
async def save_target(request: Request, body: dict[str, Any]) -> Response:
    def run(w: Work) -> dict[str, Any]:
        row = {k: str(body.get(k) or "").strip() for k in registers.TARGET_COLUMNS}
        added, updated = registers.do_import_targets(
            w.session, w.ctx, registers.check_targets(w.session, w.ctx, [row])
        )
        return {"added": added, "updated": updated}

    return json_response(await write(request, run))


@router.post("/targets/import", summary="导入检查对象名录 CSV（全部成功或全部不导入）")
async def import_targets(request: Request, body: ImportBody) -> Response:
    def run(w: Work) -> dict[str, Any]:
        rows = registers.parse_csv(body.file, registers.TARGET_COLUMNS)
        added, updated = registers.do_import_targets(
            w.session, w.ctx, registers.check_targets(w.session, w.ctx, rows)
        )
        return {"added": added, "updated": updated}

    return json_response(await write(request, run))


@router.get("/items", summary="监管事项清单")
def list_items(request: Request) -> dict[str, Any]:
    with work(request) as w:
        names = registers.unit_names(w.session, w.ctx.actor.region_code)
        rows = [
            registers.present_item(i, names)
            for i in registers.items(w.session, w.ctx.actor.region_code)
        ]
        return {"items": rows, "count": len(rows)}


@router.post("/items", summary="登记或修改一个监管事项（按事项编码）")
async def save_item(request: Request, body: dict[str, Any]) -> Response:
    def run(w: Work) -> dict[str, Any]:
        row = {k: str(body.get(k) or "").strip() for k in registers.ITEM_COLUMNS}
        added, updated = registers.do_import_items(
            w.session, w.ctx, registers.check_items(w.session, w.ctx, [row])
        )
        return {"added": added, "updated": updated}

    return json_response(await write(request, run))


@router.post("/items/import", summary="导入监管事项清单 CSV（全部成功或全部不导入）")
async def import_items(request: Request, body: ImportBody) -> Response:
    def run(w: Work) -> dict[str, Any]:
        rows = registers.parse_csv(body.file, registers.ITEM_COLUMNS)
        added, updated = registers.do_import_items(
            w.session, w.ctx, registers.check_items(w.session, w.ctx, rows)
        )
        return {"added": added, "updated": updated}

    return json_response(await write(request, run))


@router.post("/plan-items", status_code=201, summary="登记计划检查事项（对象、事项、时段）")
async def add_plan_item(request: Request, body: dict[str, Any]) -> Response:
    def run(w: Work) -> dict[str, Any]:
        row = visits.do_add_plan_item(
            w.session, w.ctx, visits.check_plan_item(w.session, w.ctx, body)
        )
        return {"id": row.id, "target_id": row.target_id, "department_id": row.department_id}

    return json_response(await write(request, run), 201)


@router.get("/plan", summary="综合查一次：合并后的走访建议与减少的检查次数")
def proposed_plan(request: Request, capacity: str = "") -> dict[str, Any]:
    with work(request) as w:
        proposal = visits.propose(w.session, w.ctx, visits.check_capacity(capacity))
        return visits.present_plan(w.session, proposal, w.ctx.actor.region_code)


@router.post("/plan/accept", summary="确认检查计划，生成走访")
async def accept_plan(request: Request, body: CapacityBody) -> Response:
    def run(w: Work) -> dict[str, Any]:
        made = visits.do_accept_plan(w.session, w.ctx, visits.check_capacity(body.capacity))
        return {"visits": [v.id for v in made]}

    return json_response(await write(request, run))


@router.get("/visits", summary="走访列表（unit_id：牵头或参与的单位）")
def list_visits(request: Request, unit_id: int | None = None) -> dict[str, Any]:
    with work(request) as w:
        names = registers.unit_names(w.session, w.ctx.actor.region_code)
        rows = [
            visits.present_visit(w.session, v, names)
            for v in visits.visits(w.session, w.ctx, unit_id)
        ]
        return {"items": rows, "count": len(rows)}


@router.get("/visits/{visit_id}", summary="一次走访及各事项检查结果")
def get_visit(request: Request, visit_id: PathId) -> dict[str, Any]:
    with work(request) as w:
        visit = visits.load_visit(w.session, w.ctx, visit_id)
        return visits.present_visit(
            w.session, visit, registers.unit_names(w.session, visit.region_code)
        )


@router.post("/visits/{visit_id}/results", summary="登记检查结果（合格、责令整改、移送立案）")
async def record_results(request: Request, visit_id: PathId, body: ResultsBody) -> Response:
    def run(w: Work) -> dict[str, Any]:
        visit = visits.load_visit(w.session, w.ctx, visit_id)
        data = visits.check_results(w.session, w.ctx, visit, body.model_dump())
        visits.do_record_results(w.session, w.ctx, visit, data)
        return visits.present_visit(
            w.session, visit, registers.unit_names(w.session, visit.region_code)
        )

    return json_response(await write(request, run))


@router.get("/draws", summary="双随机抽查任务")
def list_draws(request: Request) -> dict[str, Any]:
    with work(request) as w:
        require_role(w.actor, *visits.READER_ROLES)
        rows = [
            draws.present_draw(w.session, d, True)
            for d in draws.draws(w.session, w.ctx.actor.region_code)
        ]
        return {"items": rows, "count": len(rows)}


@router.post("/draws", status_code=201, summary="双随机抽取检查对象和执法人员（记录随机种子）")
async def make_draw(request: Request, body: dict[str, Any]) -> Response:
    def run(w: Work) -> dict[str, Any]:
        row = draws.do_draw(w.session, w.ctx, draws.check_draw(w.session, w.ctx, body))
        return draws.present_draw(w.session, row, True)

    return json_response(await write(request, run), 201)
