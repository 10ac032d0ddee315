"""法治指标 over the API (`/api/v1/indicators…`): every indicator's value for a period and
unit, one indicator with its ledger (JSON, or Excel with `format=xlsx`), the evaluation
schemes with completion and evidence status, their ledger bundles, evidence uploads, and the
sources of imported figures with their templates and imports. Errors are JSON {code,
message}; readers are the district leaders, the rule-of-law office and admin (403 for
others); imports and evidence are the office's and admin's."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from fazhi.actions.document_files import FileUpload
from fazhi.actions.figure_imports import (
    batch_json,
    check_import_figures,
    do_import_figures,
    read_workbook,
    template_workbook,
)
from fazhi.actions.indicator_evidence import (
    check_add_evidence,
    check_withdraw_evidence,
    do_add_evidence,
    do_withdraw_evidence,
)
from fazhi.analytics import indicators as ix
from fazhi.analytics import ledgers as lg
from fazhi.analytics import schemes as sc
from fazhi.analytics.ledger_export import bundle_workbook, bundle_zip, ledger_workbook
from fazhi.domain.errors import DomainError
from fazhi.http.deps import Work, json_response, platform_of, work, write
from fazhi.http.indicator_params import scope_from
from fazhi.http.uploads import read_upload
from fazhi.store.models import DocumentBlob, FigureImport, IndicatorEvidence, User

router = APIRouter(prefix="/api/v1/indicators", tags=["法治指标"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download(data: bytes, filename: str, media_type: str = XLSX) -> Response:
    return Response(
        data,
        media_type=media_type,
        headers={"content-disposition": f"attachment; filename*=UTF-8''{quote(filename)}"},
    )


def _params(request: Request) -> dict[str, str]:
    return dict(request.query_params)


@router.get("", summary="全部指标：某期间（年度）某单位的指标值、目标与完成情况")
def dashboard(request: Request) -> Response:
    with work(request) as w:
        ix.require_reader(w)
        return json_response(ix.dashboard_body(w, scope_from(w, _params(request))))


@router.get("/sources", summary="其他系统数据来源及其数据项")
def sources(request: Request) -> dict[str, Any]:
    with work(request) as w:
        ix.require_reader(w)
        catalog = ix.catalog_of(w.platform)
        return {
            "sources": [
                {
                    "name": s.name,
                    "label": s.label,
                    "owner": s.owner,
                    "system": s.system,
                    "figures": [
                        {"code": f.code, "name": f.name, "kind": f.kind, "unit": f.unit}
                        for f in s.figures
                    ],
                }
                for s in catalog.sources
            ]
        }


@router.get("/sources/{source}/template", summary="导入模板（Excel）")
def template(request: Request, source: str, year: int = 0) -> Response:
    with work(request) as w:
        ix.require_reader(w)
        found = ix.catalog_of(w.platform).source(source)
        if found is None:
            raise DomainError("unknown_source", f"没有数据来源 {source}", 404)
        chosen = year if 2000 <= year <= 2100 else w.ctx.now.year
        return download(template_workbook(found, chosen), f"{found.label}导入模板{chosen}.xlsx")


async def _upload(request: Request) -> tuple[dict[str, str], FileUpload]:
    form = await request.form()
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise DomainError("document_file_required", "请选择要上传的文件", 422, "file")
    platform = platform_of(request)
    file = await read_upload(upload, platform.settings.max_upload_bytes)
    fields = {k: str(v) for k, v in form.items() if isinstance(v, str)}
    return fields, file


@router.post("/sources/{source}/imports", status_code=201, summary="导入其他系统数据（整批校验）")
async def import_figures(request: Request, source: str) -> Response:
    _, file = await _upload(request)
    if not file.data:
        raise DomainError("empty_file", "文件为空", 422, "file")
    rows = await run_in_threadpool(read_workbook, file.data)

    def run(w: Work) -> dict[str, Any]:
        catalog = ix.catalog_of(w.platform)
        plan = check_import_figures(w.ctx, catalog, source, file.filename, file.data or b"", rows)
        return batch_json(do_import_figures(w.session, w.ctx, plan), plan)

    return json_response(await write(request, run), 201)


@router.get("/imports", summary="导入记录（来源、文件、导入人、时间）")
def imports(request: Request, source: str = "") -> dict[str, Any]:
    with work(request) as w:
        ix.require_reader(w)
        statement = (
            select(FigureImport, User.display_name)
            .join(
                User,
                (User.region_code == FigureImport.region_code)
                & (User.id == FigureImport.imported_by),
            )
            .where(FigureImport.region_code == w.actor.region_code)
            .order_by(FigureImport.id.desc())
            .limit(100)
        )
        if source:
            statement = statement.where(FigureImport.source == source)
        return {
            "imports": [
                {
                    "batch": b.id,
                    "source": b.source,
                    "filename": b.filename,
                    "sha256": b.sha256,
                    "rows": b.rows,
                    "imported_by": name,
                    "imported_at": b.imported_at.isoformat(),
                }
                for b, name in w.session.execute(statement)
            ]
        }


@router.get("/schemes", summary="评价方案")
def schemes(request: Request) -> dict[str, Any]:
    with work(request) as w:
        ix.require_reader(w)
        return {
            "schemes": [
                {"id": s.id, "name": s.name, "areas": len(s.areas), "items": len(s.items())}
                for s in ix.catalog_of(w.platform).schemes
            ]
        }


@router.get("/schemes/{scheme_id}", summary="评价方案：各事项完成情况与佐证状态")
def scheme(request: Request, scheme_id: str) -> Response:
    with work(request) as w:
        ix.require_reader(w)
        return json_response(sc.scheme_body(w, scheme_id, scope_from(w, _params(request))))


@router.get("/schemes/{scheme_id}/ledgers", summary="评价方案全部台账（format=xlsx 或 zip）")
def scheme_ledgers(request: Request, scheme_id: str, format: str = "xlsx") -> Response:
    if format not in ("xlsx", "zip"):
        raise DomainError("bad_format", "format 应为 xlsx 或 zip", 422, "format")
    with work(request) as w:
        ix.require_reader(w)
        chosen = sc.scheme_of(w, scheme_id)
        scope = scope_from(w, _params(request))
        found = sc.scheme_ledgers(w, scheme_id, scope)
    name = f"{chosen.name}台账{scope.period.start.year}"
    if format == "zip":
        return download(bundle_zip(found), f"{name}.zip", "application/zip")
    return download(bundle_workbook(chosen.name, found), f"{name}.xlsx")


@router.post("/schemes/{scheme_id}/items/{item}/evidence", status_code=201, summary="上传佐证材料")
async def add_evidence(request: Request, scheme_id: str, item: str) -> Response:
    fields, file = await _upload(request)
    year_text = fields.get("year", "").strip()
    if not year_text.isdigit():
        raise DomainError("bad_year", "请填写年度（四位数字）", 422, "year")

    def run(w: Work) -> dict[str, Any]:
        catalog = ix.catalog_of(w.platform)
        plan = check_add_evidence(
            w.ctx, catalog, scheme_id, item, int(year_text), file, fields.get("note", "")
        )
        row = do_add_evidence(w.session, w.ctx, plan)
        return {
            "id": row.id,
            "scheme": row.scheme,
            "item": row.item,
            "year": row.year,
            "filename": row.filename,
            "sha256": row.sha256,
            "size": row.size,
            "uploaded_at": row.uploaded_at.isoformat(),
        }

    return json_response(await write(request, run), 201)


@router.post("/evidence/{evidence_id}/withdraw", summary="撤回佐证材料（须说明理由）")
async def withdraw_evidence(request: Request, evidence_id: int) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        body = {}
    reason = str((body or {}).get("reason", "")) if isinstance(body, dict) else ""

    def run(w: Work) -> dict[str, Any]:
        row = check_withdraw_evidence(w.session, w.ctx, evidence_id, reason)
        do_withdraw_evidence(w.session, w.ctx, row, reason)
        return {
            "id": row.id,
            "withdrawn_at": row.withdrawn_at.isoformat() if row.withdrawn_at else None,
        }

    return await write(request, run)


@router.get("/evidence/{evidence_id}/file", summary="下载佐证材料")
def evidence_file(request: Request, evidence_id: int) -> Response:
    with work(request) as w:
        ix.require_reader(w)
        row = w.session.get(IndicatorEvidence, evidence_id)
        if row is None or row.region_code != w.actor.region_code:
            raise DomainError("not_found", "佐证材料不存在", 404)
        blob = w.session.get(DocumentBlob, row.sha256)
        return download(blob.data if blob else b"", row.filename, row.content_type)


@router.get("/{indicator_id}/ledger", summary="指标台账：构成该数值的记录（format=xlsx 导出）")
def indicator_ledger(
    request: Request, indicator_id: str, q: str = "", format: str = "json"
) -> Response:
    with work(request) as w:
        ix.require_reader(w)
        found = lg.ledger(w, scope_from(w, _params(request)), indicator_id)
    if format == "xlsx":
        year = found.scope.period.start.year
        return download(ledger_workbook(found), f"{found.indicator.name}台账{year}.xlsx")
    if format != "json":
        raise DomainError("bad_format", "format 应为 json 或 xlsx", 422, "format")
    return json_response(lg.ledger_json(found, q[:100]))


@router.get("/{indicator_id}", summary="一项指标的值")
def indicator(request: Request, indicator_id: str) -> Response:
    with work(request) as w:
        ix.require_reader(w)
        scope = scope_from(w, _params(request))
        catalog = ix.catalog_of(w.platform)
        found = ix.values(w.session, w.platform, w.ctx.directory, scope, [indicator_id], catalog)
        return json_response(
            {**scope.brief(), **ix.value_json(found[indicator_id], w.ctx.directory, catalog)}
        )
