"""The generic case resources: every case type is served by these same endpoints."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from fazhi.actions.cases import (
    Created,
    case_type_or_error,
    check_create_case,
    do_record_access_event,
    load_visible_case,
    perform_action,
    snapshot,
)
from fazhi.actions.visibility import read_visible_case, record_read
from fazhi.domain.errors import DomainError
from fazhi.domain.workflow import available_actions, refusals
from fazhi.http.case_links import present_links
from fazhi.http.deps import Work, json_response, work, write
from fazhi.http.params import CaseId, Page, PageSize, SaneDateTime
from fazhi.http.reveal import reveal_fields
from fazhi.read.case_queries import CaseFilter, list_case_briefs
from fazhi.read.cases import full_case
from fazhi.read.deadlines import deadline_clocks
from fazhi.read.field_filters import api_field_values, field_filter_clauses
from fazhi.read.presenters import present_case_brief, present_events
from fazhi.store.models import Case, Event

router = APIRouter(prefix="/api/v1", tags=["案件"])


class CaseCreate(BaseModel):
    type: str = Field(description="案件类型，如 hotline、disclosure_request")
    action: str | None = Field(None, description="创建动作；缺省为该类型的第一个创建动作")
    fields: dict[str, Any] = Field(default_factory=dict, description="该类型定义的字段")
    external_source: str | None = Field(None, max_length=40, description="外部来源平台")
    external_id: str | None = Field(None, max_length=100, description="外部编号（去重）")


class ActionRequest(BaseModel):
    inputs: dict[str, Any] = Field(default_factory=dict)
    version: int | None = Field(None, description="读到的版本号；与当前不符返回 409")


@router.post("/cases", status_code=201, summary="新建案件（如12345工单受理登记）")
async def create(request: Request, body: CaseCreate) -> Response:
    return await write(request, lambda w: _create(w, body))


def _stored(w: Work, body: CaseCreate) -> Case | None:
    return w.session.scalar(
        select(Case).where(
            Case.region_code == w.actor.region_code,
            Case.external_source == body.external_source,
            Case.external_id == body.external_id,
        )
    )


def _known(w: Work, existing: Case) -> Response:
    load_visible_case(w.session, w.actor, existing.id)
    return JSONResponse({**full_case(w, existing), "created": False}, status_code=200)


def _create(w: Work, body: CaseCreate) -> Response:
    def written() -> Created:
        return check_create_case(
            w.session,
            w.ctx,
            body.type,
            body.fields,
            body.action,
            body.external_source,
            body.external_id,
        )

    if body.external_id:
        if not body.external_source:
            raise DomainError("required", "提供外部编号时须注明来源平台", 422, "external_source")
        existing = _stored(w, body)
        if existing is not None:
            return _known(w, existing)
        try:
            with w.session.begin_nested():
                created = written()
        except IntegrityError:
            # A concurrent request registered the same external id after the look-up above
            # (PostgreSQL: the unique index waited for its commit, so it is visible now).
            existing = _stored(w, body)
            if existing is None:
                raise
            return _known(w, existing)
    else:
        created = written()
    body_out = {**full_case(w, created.case, written=created), "created": True}
    return json_response(body_out, status_code=201)


@router.get("/cases", summary="案件列表（按权限过滤，分页）", response_model=dict[str, Any])
def list_(
    request: Request,
    type: str | None = None,
    state: Annotated[str | None, Query(description="状态，逗号分隔")] = None,
    unit: Annotated[str | None, Query(description="主办单位（含下级）id 或编码")] = None,
    category: Annotated[str | None, Query(description="分类编码，逗号分隔")] = None,
    overdue: bool | None = None,
    open: bool | None = None,
    due_before: SaneDateTime | None = None,
    created_from: SaneDateTime | None = None,
    created_to: SaneDateTime | None = None,
    q: Annotated[str | None, Query(max_length=100, description="标题、编号或外部编号")] = None,
    sort: str = "-created_at",
    page: Page = 1,
    page_size: PageSize = 20,
) -> Response:
    for value, name in (
        (due_before, "due_before"),
        (created_from, "created_from"),
        (created_to, "created_to"),
    ):
        if value is not None and value.tzinfo is None:
            raise DomainError("invalid_value", f"{name} 需要带时区（如 +08:00）", 422, name)
    with work(request) as w:
        f = CaseFilter(
            type,
            state,
            unit,
            category,
            overdue,
            open,
            due_before,
            created_from,
            created_to,
            q,
            sort,
        )
        # f.<summary field>=value: on top of the indexed type column (docs/api.md).
        by_field = api_field_values(request.query_params)
        case_type = case_type_or_error(w.platform, type) if type and by_field else None
        clauses, problems = field_filter_clauses(case_type, by_field, w.actor, w.ctx.directory)
        if problems:
            raise DomainError.from_problems(problems, 422)
        rows, total, capped = list_case_briefs(
            w.session,
            w.actor,
            f,
            w.ctx.directory,
            w.ctx.now,
            page,
            page_size,
            shape=lambda stmt: stmt.where(*clauses),
        )
        calendar = w.platform.calendar()
        clocks = deadline_clocks(w.session, rows)  # due soon by the clock, as the console
        items = [
            present_case_brief(
                c,
                w.platform.types.get(c.type),
                w.actor,
                w.ctx.directory,
                calendar,
                w.ctx.now,
                clocks.get(c.id),
            )
            for c in rows
        ]
        # Encoded here (orjson): a dict answered to FastAPI is validated against the return
        # type and serialised again, after a second thread-pool hop.
        return json_response(
            {
                "items": items,
                "page": page,
                "page_size": page_size,
                "total": total,
                "total_capped": capped,
            }
        )


@router.get("/cases/{case_id}", summary="案件详情", response_model=dict[str, Any])
def get(request: Request, case_id: CaseId) -> Response:
    with work(request) as w:
        case = read_visible_case(w.session, w.ctx, case_id, "case")
        return json_response({**full_case(w, case), "links": present_links(w, case)})


@router.post("/cases/{case_id}/actions/{action}", summary="执行动作（派单、签收、答复……）")
async def act(request: Request, case_id: CaseId, action: str, body: ActionRequest) -> Response:
    def run(w: Work) -> Response:
        case = perform_action(w.session, w.ctx, case_id, action, body.inputs, body.version)
        return json_response(full_case(w, case))

    return await write(request, run)


@router.get("/cases/{case_id}/actions", summary="当前用户此刻可执行的动作")
def actions(request: Request, case_id: CaseId) -> dict[str, Any]:
    with work(request) as w:
        case = read_visible_case(w.session, w.ctx, case_id, "actions")
        case_type = case_type_or_error(w.platform, case.type)
        snap = snapshot(w.session, case, w.ctx.directory)
        allowed = available_actions(case_type, snap, w.actor, w.ctx.now)
        blocked = []
        for spec in case_type.actions:
            if spec.create or spec in allowed or not w.actor.has_role(*spec.roles):
                continue
            reasons = refusals(case_type, spec, snap, w.actor, w.ctx.now)
            if reasons and reasons[0].code in {"guard_failed", "document_missing"}:
                blocked.append(
                    {
                        "name": spec.name,
                        "label": spec.label,
                        "reasons": [r.message for r in reasons],
                    }
                )
        return {
            "version": case.version,
            "actions": [
                {
                    "name": a.name,
                    "label": a.label,
                    "help": a.help,
                    "to": a.to,
                    "inputs": [i.describe() for i in a.inputs],
                }
                for a in allowed
            ],
            "blocked": blocked,
        }


@router.get("/cases/{case_id}/events", summary="案件全过程记录")
def events(request: Request, case_id: CaseId) -> dict[str, Any]:
    with work(request) as w:
        case = read_visible_case(w.session, w.ctx, case_id, "events")
        case_type = w.platform.types.get(case.type)
        rows = w.session.scalars(
            select(Event)
            .where(Event.region_code == case.region_code, Event.case_id == case.id)
            .order_by(Event.seq)
        )
        return {"items": present_events(rows, case_type, w.actor)}


@router.post("/cases/{case_id}/reveal", summary="查看完整个人信息（留痕）")
async def reveal(request: Request, case_id: CaseId) -> Response:
    def run(w: Work) -> Response:
        case = load_visible_case(w.session, w.actor, case_id)
        case_type = case_type_or_error(w.platform, case.type)
        shown = reveal_fields(w, case_type, case)
        if shown is None:  # nothing is masked for this user: an ordinary read
            record_read(w.session, w.ctx, case, "case")
            return json_response(full_case(w, case))
        do_record_access_event(w.session, w.ctx, case, "reveal_personal_data", {"fields": shown})
        return json_response(full_case(w, case, reveal=True))

    return await write(request, run)


# The document routes (add, list, read, download, replace, withdraw, generate) are in
# fazhi.api.document_routes.
