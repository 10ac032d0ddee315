"""The generic case resources: every case type is served by these same endpoints."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy import bindparam, select

from fazhi.actions.cases import (
    ActionContext,
    Created,
    case_type_or_error,
    create_case_written,
    load_visible_case,
    perform_action,
    record_access_event,
    snapshot,
)
from fazhi.actions.visibility import read_visible_case, record_read
from fazhi.api.case_queries import CaseFilter, list_cases
from fazhi.api.deps import Work, json_response, platform_of, work, write
from fazhi.api.presenters import (
    hidden_personal,
    present_case,
    present_case_brief,
    present_event,
)
from fazhi.domain.case_type import CaseType
from fazhi.domain.errors import DomainError, not_found
from fazhi.domain.workflow import available_actions, refusals
from fazhi.store.models import Case, CaseUnit, Clock, Document, DocumentBlob, Event

router = APIRouter(prefix="/api/v1", tags=["案件"])
# Roles that may upload a case's materials.
UPLOAD_ROLES = ("operator", "dispatcher", "unit_handler", "unit_leader")
ALLOWED_UPLOADS = {
    "application/pdf",
    "image/jpeg",
    "image/png",
    "image/webp",
    "application/msword",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.ms-excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "text/plain",
    "audio/mpeg",
    "audio/wav",
}


class CaseCreate(BaseModel):
    type: str = Field(description="案件类型，如 hotline、disclosure_request")
    action: str | None = Field(None, description="创建动作；缺省为该类型的第一个创建动作")
    fields: dict[str, Any] = Field(default_factory=dict, description="该类型定义的字段")
    external_source: str | None = Field(None, max_length=40, description="外部来源平台")
    external_id: str | None = Field(None, max_length=100, description="外部编号（去重）")


class ActionRequest(BaseModel):
    inputs: dict[str, Any] = Field(default_factory=dict)
    version: int | None = Field(None, description="读到的版本号；与当前不符返回 409")


_CLOCKS_OF_CASE = (
    select(Clock.__table__)
    .where(Clock.case_id == bindparam("case_id"))
    .order_by(Clock.started_at, Clock.id)
)
_ASSISTING = select(CaseUnit.unit_id).where(
    CaseUnit.case_id == bindparam("case_id"), CaseUnit.role == "assisting"
)


def full_case(
    w: Work, case: Case, reveal: bool = False, written: Created | None = None
) -> dict[str, Any]:
    case_type = case_type_or_error(w.platform, case.type)
    if written is not None:
        clocks: list[Any] = list(written.clocks)
        assisting = written.assisting
    else:
        conn = w.session.connection()
        key = {"case_id": case.id}
        clocks = list(conn.execute(_CLOCKS_OF_CASE, key))
        assisting = list(conn.execute(_ASSISTING, key).scalars())
    return present_case(
        case,
        case_type,
        w.actor,
        w.ctx.directory,
        w.platform.calendar(),
        w.ctx.now,
        clocks,
        assisting,
        reveal,
    )


@router.post("/cases", status_code=201, summary="新建案件（如12345工单受理登记）")
async def create(request: Request, body: CaseCreate) -> Response:
    return await write(request, lambda w: _create(w, body))


def _create(w: Work, body: CaseCreate) -> Response:
    if body.external_id:
        if not body.external_source:
            raise DomainError("required", "提供外部编号时须注明来源平台", 422, "external_source")
        existing = w.session.scalar(
            select(Case).where(
                Case.region_code == w.actor.region_code,
                Case.external_source == body.external_source,
                Case.external_id == body.external_id,
            )
        )
        if existing is not None:
            load_visible_case(w.session, w.actor, existing.id)
            return JSONResponse({**full_case(w, existing), "created": False}, status_code=200)
    written = create_case_written(
        w.session,
        w.ctx,
        body.type,
        body.fields,
        body.action,
        body.external_source,
        body.external_id,
    )
    body_out = {**full_case(w, written.case, written=written), "created": True}
    return json_response(body_out, status_code=201)


@router.get("/cases", summary="案件列表（按权限过滤，分页）")
def list_(
    request: Request,
    type: str | None = None,
    state: Annotated[str | None, Query(description="状态，逗号分隔")] = None,
    unit: Annotated[str | None, Query(description="主办单位（含下级）id 或编码")] = None,
    category: Annotated[str | None, Query(description="分类编码，逗号分隔")] = None,
    overdue: bool | None = None,
    open: bool | None = None,
    due_before: datetime | None = None,
    created_from: datetime | None = None,
    created_to: datetime | None = None,
    q: Annotated[str | None, Query(max_length=100, description="标题、编号或外部编号")] = None,
    sort: str = "-created_at",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=200)] = 20,
) -> dict[str, Any]:
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
        rows, total, capped = list_cases(
            w.session, w.actor, f, w.ctx.directory, w.ctx.now, page, page_size
        )
        calendar = w.platform.calendar()
        items = [
            present_case_brief(
                c, w.platform.types.get(c.type), w.actor, w.ctx.directory, calendar, w.ctx.now
            )
            for c in rows
        ]
        return {
            "items": items,
            "page": page,
            "page_size": page_size,
            "total": total,
            "total_capped": capped,
        }


@router.get("/cases/{case_id}", summary="案件详情")
def get(request: Request, case_id: int) -> dict[str, Any]:
    with work(request) as w:
        return full_case(w, read_visible_case(w.session, w.ctx, case_id, "case"))


@router.post("/cases/{case_id}/actions/{action}", summary="执行动作（派单、签收、答复……）")
async def act(request: Request, case_id: int, action: str, body: ActionRequest) -> Response:
    def run(w: Work) -> Response:
        case = perform_action(w.session, w.ctx, case_id, action, body.inputs, body.version)
        return json_response(full_case(w, case))

    return await write(request, run)


@router.get("/cases/{case_id}/actions", summary="当前用户此刻可执行的动作")
def actions(request: Request, case_id: int) -> dict[str, Any]:
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
def events(request: Request, case_id: int) -> dict[str, Any]:
    with work(request) as w:
        case = read_visible_case(w.session, w.ctx, case_id, "events")
        case_type = w.platform.types.get(case.type)
        rows = w.session.scalars(select(Event).where(Event.case_id == case.id).order_by(Event.seq))
        return {"items": [present_event(e, case_type, w.actor) for e in rows]}


@router.post("/cases/{case_id}/reveal", summary="查看完整个人信息（留痕）")
async def reveal(request: Request, case_id: int) -> Response:
    def run(w: Work) -> Response:
        case = load_visible_case(w.session, w.actor, case_id)
        case_type = case_type_or_error(w.platform, case.type)
        shown = reveal_fields(w, case_type, case)
        if shown is None:  # nothing is masked for this user: an ordinary read
            record_read(w.session, w.ctx, case, "case")
            return json_response(full_case(w, case))
        record_access_event(w.session, w.ctx, case, "reveal_personal_data", {"fields": shown})
        return json_response(full_case(w, case, reveal=True))

    return await write(request, run)


def revealable_fields(w: Work, case_type: CaseType, case: Case) -> list[str]:
    """The case's masked fields (with a value) that a reveal by this user would unmask."""
    masked = hidden_personal(case_type, w.actor)
    still = hidden_personal(case_type, w.actor, reveal=True)
    return sorted(k for k in masked if k not in still and case.fields.get(k))


def reveal_fields(w: Work, case_type: CaseType, case: Case) -> list[str] | None:
    """The fields a reveal would unmask (sorted names with a value); None when the actor
    sees them all already; DomainError 403 when it may unmask none of those it does not."""
    if not any(case.fields.get(k) for k in hidden_personal(case_type, w.actor)):
        return None
    shown = revealable_fields(w, case_type, case)
    if not shown:
        raise DomainError("forbidden_role", "当前角色无权查看完整个人信息", 403)
    return shown


def _attach(
    w: Work,
    ctx: ActionContext,
    case: Case,
    kind: str,
    filename: str,
    content_type: str,
    data: bytes,
) -> Document:
    case_type = case_type_or_error(w.platform, case.type)
    if kind not in {d.name for d in case_type.documents}:
        raise DomainError(
            "unknown_document_kind",
            "材料类别只能是：" + "、".join(f"{d.name}（{d.label}）" for d in case_type.documents),
            422,
            "kind",
        )
    if case.terminal:
        raise DomainError("invalid_state", "案件已办结，不能再上传材料", 409)
    digest = hashlib.sha256(data).hexdigest()
    if w.session.get(DocumentBlob, digest) is None:
        w.session.add(DocumentBlob(sha256=digest, data=data))
    document = Document(
        case_id=case.id,
        kind=kind,
        filename=filename[:255],
        content_type=content_type,
        size=len(data),
        sha256=digest,
        uploaded_by=ctx.actor.user_id,
        uploaded_at=ctx.now,
    )
    w.session.add(document)
    w.session.flush()
    record_access_event(
        w.session,
        ctx,
        case,
        "attach_document",
        {
            "document": {
                "id": document.id,
                "kind": kind,
                "filename": document.filename,
                "size": len(data),
                "sha256": digest,
            }
        },
    )
    return document


def document_json(d: Document) -> dict[str, Any]:
    from fazhi.api.presenters import local_iso

    return {
        "id": d.id,
        "kind": d.kind,
        "filename": d.filename,
        "content_type": d.content_type,
        "size": d.size,
        "sha256": d.sha256,
        "uploaded_at": local_iso(d.uploaded_at),
    }


@router.post("/cases/{case_id}/documents", status_code=201, summary="上传材料")
async def upload(
    request: Request,
    case_id: int,
    kind: Annotated[str, Form()],
    file: Annotated[UploadFile, File()],
) -> Response:
    limit = platform_of(request).settings.max_upload_bytes
    data = await file.read(limit + 1)
    content_type = (file.content_type or "").split(";")[0]
    filename = file.filename or "file"

    def run(w: Work) -> Response:
        case = load_visible_case(w.session, w.actor, case_id)
        if not w.actor.has_role(*UPLOAD_ROLES):
            raise DomainError("forbidden_role", "当前角色无权上传材料", 403)
        if len(data) > limit:
            raise DomainError("too_large", f"文件不能超过 {limit // (1024 * 1024)} MB", 413, "file")
        if not data:
            raise DomainError("empty_file", "文件为空", 422, "file")
        if content_type not in ALLOWED_UPLOADS:
            raise DomainError(
                "unsupported_media_type",
                "只能上传 PDF、图片、Word、Excel、文本或录音文件",
                415,
                "file",
            )
        document = _attach(w, w.ctx, case, kind, filename, content_type, data)
        return json_response(document_json(document), status_code=201)

    return await write(request, run)


@router.get("/cases/{case_id}/documents", summary="材料列表")
def documents(request: Request, case_id: int) -> dict[str, Any]:
    with work(request) as w:
        case = read_visible_case(w.session, w.ctx, case_id, "documents")
        rows = w.session.scalars(
            select(Document).where(Document.case_id == case.id).order_by(Document.id)
        )
        return {"items": [document_json(d) for d in rows]}


@router.get("/cases/{case_id}/documents/{document_id}", summary="下载材料")
def download(request: Request, case_id: int, document_id: int) -> Response:
    with work(request) as w:
        case = load_visible_case(w.session, w.actor, case_id)
        document = w.session.get(Document, document_id)
        if document is None or document.case_id != case.id:
            raise not_found("材料")
        record_read(w.session, w.ctx, case, "document", {"document_id": document.id})
        blob = w.session.get(DocumentBlob, document.sha256)
        data = blob.data if blob else b""
        from urllib.parse import quote

        return Response(
            data,
            media_type=document.content_type,
            headers={
                "content-disposition": f"attachment; filename*=UTF-8''{quote(document.filename)}"
            },
        )
