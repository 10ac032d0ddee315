"""The documents of a case: add (a file, data, or both), list, read, download, replace,
withdraw and generate — every change through `fazhi.actions.documents`.

A change takes multipart form data (`kind`, optional `file`, `data` as a JSON string,
`version`, `replaces`, `reason`) or a JSON body with the same keys (without a file).
Rendering a template runs in the thread pool, outside any transaction, before the write
joins the writer (on SQLite the group commit on the event loop).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import orjson
from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from fazhi.actions.cases import case_type_or_error, load_visible_case
from fazhi.actions.document_files import (
    FileUpload,
    case_documents,
    document_file,
)
from fazhi.actions.document_generation import check_generate_document, do_generate_document
from fazhi.actions.document_render import RenderJob, render_document
from fazhi.actions.documents import (
    Written,
    actor_roles,
    add_document,
    document_of,
    replace_document,
    withdraw_document,
)
from fazhi.actions.visibility import read_visible_case, record_read
from fazhi.domain.documents import addable_kinds, file_rule
from fazhi.domain.errors import DomainError
from fazhi.http.deps import Work, json_response, platform_of, work, write
from fazhi.http.params import CaseId, DocumentId
from fazhi.http.uploads import read_upload
from fazhi.read.document_presenters import present_document, replaced_by_map, version_chain

router = APIRouter(prefix="/api/v1", tags=["材料与文书"])
FORM_TYPES = {"multipart/form-data", "application/x-www-form-urlencoded"}


def _body_schema(*keys: str, file: bool = False) -> dict[str, Any]:
    """The request body for the API docs (the route reads it itself: form or JSON)."""
    described = {
        "kind": {"type": "string", "description": "材料类别（类型文件 documents 中的名称）"},
        "data": {"type": "object", "description": "材料内容（该类别 fields 定义的字段）"},
        "version": {"type": "integer", "description": "读到的案件版本号；不符返回 409"},
        "replaces": {"type": "integer", "description": "生成的新版本所替换的材料 id"},
        "reason": {"type": "string", "description": "撤回原因"},
    }
    json_props = {k: described[k] for k in keys}
    form_props = {
        **{k: {**v, "type": "string"} if k == "data" else v for k, v in json_props.items()},
        **({"file": {"type": "string", "format": "binary"}} if file else {}),
    }
    return {
        "requestBody": {
            "content": {
                "multipart/form-data": {"schema": {"type": "object", "properties": form_props}},
                "application/json": {"schema": {"type": "object", "properties": json_props}},
            }
        }
    }


@dataclass(frozen=True)
class DocumentBody:
    kind: str | None = None
    data: dict[str, Any] | None = None
    file: FileUpload | None = None
    version: int | None = None
    replaces: int | None = None
    reason: str | None = None


def _integer(value: Any, name: str) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    raise DomainError("invalid_request", f"{name} 应为整数", 422, name)


def _text(value: Any, name: str) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise DomainError("invalid_request", f"{name} 应为文本", 422, name)


def _data(value: Any) -> dict[str, Any] | None:
    if isinstance(value, str):
        if not value.strip():
            return None
        try:
            value = orjson.loads(value)
        except orjson.JSONDecodeError:
            raise DomainError("invalid_json", "data 不是有效的 JSON", 422, "data") from None
    if value is None or isinstance(value, dict):
        return value
    raise DomainError("invalid_request", "data 应为对象（字段名 → 值）", 422, "data")


async def read_body(request: Request) -> DocumentBody:
    """The change as posted: a form (with an optional file) or a JSON object."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type in FORM_TYPES:
        form = await request.form()
        upload = form.get("file")
        file = None
        # A form whose file input was left empty sends a part without a file name.
        if isinstance(upload, UploadFile) and upload.filename:
            limit = platform_of(request).settings.max_upload_bytes
            file = await read_upload(upload, limit)
        raw: dict[str, Any] = {k: v for k, v in form.items() if isinstance(v, str)}
    else:
        content = await request.body()
        try:
            raw = orjson.loads(content) if content.strip() else {}
        except orjson.JSONDecodeError:
            raise DomainError("invalid_json", "请求内容不是有效的 JSON", 422) from None
        if not isinstance(raw, dict):
            raise DomainError("invalid_request", "请求内容应为 JSON 对象", 422)
        file = None
    return DocumentBody(
        kind=_text(raw.get("kind"), "kind"),
        data=_data(raw.get("data")),
        file=file,
        version=_integer(raw.get("version"), "version"),
        replaces=_integer(raw.get("replaces"), "replaces"),
        reason=_text(raw.get("reason"), "reason"),
    )


def _kind(body: DocumentBody) -> str:
    if not body.kind:
        raise DomainError("invalid_request", "请选择材料类别（kind）", 422, "kind")
    return body.kind


def _answer(w: Work, written: Written, status_code: int) -> Response:
    case_type = w.platform.types.get(written.case.type)
    out = present_document(written.document, case_type, w.actor, key=w.platform.secret)
    return json_response({**out, "case_version": written.case.version}, status_code)


@router.post(
    "/cases/{case_id}/documents",
    status_code=201,
    summary="添加材料（文件、内容或两者）",
    openapi_extra=_body_schema("kind", "data", "version", file=True),
)
async def add(request: Request, case_id: CaseId) -> Response:
    body = await read_body(request)

    def run(w: Work) -> Response:
        # Visibility first: to whoever may not see the case, it does not exist (404), however
        # the request is filled in.
        load_visible_case(w.session, w.actor, case_id)
        kind = _kind(body)
        written = add_document(w.session, w.ctx, case_id, kind, body.data, body.file, body.version)
        return _answer(w, written, 201)

    return await write(request, run)


@router.get("/cases/{case_id}/documents", summary="材料列表（默认仅有效材料；all=1 含历史版本）")
def list_(request: Request, case_id: CaseId, all: bool = False) -> dict[str, Any]:
    with work(request) as w:
        case = read_visible_case(w.session, w.ctx, case_id, "documents")
        case_type = case_type_or_error(w.platform, case.type)
        rows = case_documents(w.session, case, include_inactive=True)
        after = replaced_by_map(rows)
        shown = rows if all else [d for d in rows if d.active]
        kinds = addable_kinds(case_type, case.state, actor_roles(w.actor))
        return {
            "version": case.version,
            "items": [
                present_document(d, case_type, w.actor, after.get(d.id), w.platform.secret)
                for d in shown
            ],
            "addable": [
                {
                    "name": k.name,
                    "label": k.label,
                    "file": file_rule(k),
                    "multiple": k.multiple,
                    "template": bool(k.template),
                    "fields": [f.describe() for f in k.fields],
                }
                for k in kinds
            ],
        }


@router.get("/cases/{case_id}/documents/{document_id}", summary="材料详情（含内容与版本）")
def get(request: Request, case_id: CaseId, document_id: DocumentId) -> dict[str, Any]:
    with work(request) as w:
        case = load_visible_case(w.session, w.actor, case_id)
        document = document_of(w.session, case, document_id)
        record_read(w.session, w.ctx, case, "document", {"document_id": document.id})
        case_type = w.platform.types.get(case.type)
        rows = [d for d in case_documents(w.session, case, True) if d.kind == document.kind]
        after = replaced_by_map(rows)
        return {
            **present_document(
                document, case_type, w.actor, after.get(document.id), w.platform.secret
            ),
            "versions": [
                present_document(d, case_type, w.actor, after.get(d.id), w.platform.secret)
                for d in version_chain(document, rows)
            ],
        }


@router.get("/cases/{case_id}/documents/{document_id}/file", summary="下载材料文件")
def download(request: Request, case_id: CaseId, document_id: DocumentId) -> Response:
    with work(request) as w:
        case = load_visible_case(w.session, w.actor, case_id)
        document = document_of(w.session, case, document_id)
        record_read(w.session, w.ctx, case, "document_file", {"document_id": document.id})
        data = document_file(w.session, document)
        return Response(
            data,
            media_type=document.content_type,
            headers={
                "content-disposition": "attachment; filename*=UTF-8''"
                + quote(document.filename or "file")
            },
        )


@router.post(
    "/cases/{case_id}/documents/{document_id}/replace",
    status_code=201,
    summary="更换材料（新版本；未提供的内容或文件沿用原版本）",
    openapi_extra=_body_schema("data", "version", file=True),
)
async def replace(request: Request, case_id: CaseId, document_id: DocumentId) -> Response:
    body = await read_body(request)

    def run(w: Work) -> Response:
        written = replace_document(
            w.session, w.ctx, case_id, document_id, body.data, body.file, body.version
        )
        return _answer(w, written, 201)

    return await write(request, run)


@router.post(
    "/cases/{case_id}/documents/{document_id}/withdraw",
    summary="撤回材料（须说明原因）",
    openapi_extra=_body_schema("reason", "version"),
)
async def withdraw(request: Request, case_id: CaseId, document_id: DocumentId) -> Response:
    body = await read_body(request)

    def run(w: Work) -> Response:
        written = withdraw_document(
            w.session, w.ctx, case_id, document_id, body.reason, body.version
        )
        return _answer(w, written, 200)

    return await write(request, run)


@router.post(
    "/cases/{case_id}/documents/generate",
    status_code=201,
    summary="按模板生成文书（.docx）",
    openapi_extra=_body_schema("kind", "data", "replaces", "version"),
)
async def generate(request: Request, case_id: CaseId) -> Response:
    body = await read_body(request)

    def prepare() -> tuple[RenderJob, tuple[str, bytes]]:
        # A read of its own, then the render with no transaction open: file and CPU work
        # stay off the event loop and outside the writer's batch.
        with work(request) as w:
            load_visible_case(w.session, w.actor, case_id)  # 404 before any other refusal
            kind = _kind(body)
            job = check_generate_document(
                w.session, w.ctx, case_id, kind, body.data, body.replaces, body.version
            )
        return job, render_document(job)

    job, rendered = await run_in_threadpool(prepare)

    def run(w: Work) -> Response:
        return _answer(w, do_generate_document(w.session, w.ctx, job, rendered), 201)

    return await write(request, run)
