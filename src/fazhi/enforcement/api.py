"""A penalty case's file over the API: the manifest in the exchange format, and its machine
review under the deployment's standard (the one `fazhi review` uses by default)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel

from fazhi.enforcement.full_record import record_files, safe_folder, zipped
from fazhi.enforcement.penalty_items import check_may_read_items, items
from fazhi.enforcement.penalty_items import check_rows as check_item_rows
from fazhi.enforcement.penalty_items import do_import as do_import_items
from fazhi.enforcement.penalty_items import parse_csv as parse_items_csv
from fazhi.enforcement.read import case_file_of, case_record_of
from fazhi.enforcement.review.engine import review
from fazhi.enforcement.review.manifest import parse_manifest
from fazhi.enforcement.review.standard_file import default_standard
from fazhi.enforcement.reviews import (
    check_verdict,
    do_import_file,
    do_record_verdict,
    load_task,
    present,
    report,
    tasks,
)
from fazhi.http.deps import Work, json_response, work, write
from fazhi.http.params import CaseId, PathId

router = APIRouter(prefix="/api/v1/cases", tags=["行政执法案卷"])


@router.get("/{case_id}/case-file", summary="执法案卷（fazhi-case-file/1 格式）")
def case_file(request: Request, case_id: CaseId) -> dict[str, Any]:
    with work(request) as w:
        return case_file_of(w.session, w.ctx, case_id)


@router.get("/{case_id}/case-file/review", summary="执法案卷机器评查")
def case_file_review(request: Request, case_id: CaseId) -> dict[str, Any]:
    with work(request) as w:
        manifest = case_file_of(w.session, w.ctx, case_id)
        calendar = w.platform.calendar()
    result = review(parse_manifest(manifest), default_standard(), calendar, manifest["case_number"])
    return result.as_json()


@router.get("/{case_id}/case-file.zip", summary="全过程记录：案卷及全部文书（按归档顺序，zip）")
def case_record(request: Request, case_id: CaseId) -> Response:
    # A sync route: reading the files and building the .docx and zip run in a worker thread.
    with work(request) as w:
        manifest, files = case_record_of(w.session, w.ctx, case_id)
    folder = safe_folder(manifest["case_number"])
    return Response(
        zipped(record_files(manifest, files), folder),
        media_type="application/zip",
        headers={"content-disposition": "attachment; filename*=UTF-8''" + quote(f"{folder}.zip")},
    )


reviews_router = APIRouter(prefix="/api/v1/case-file-reviews", tags=["案卷评查"])


class ImportBody(BaseModel):
    file: str = ""
    manifest: Any = None


class VerdictBody(BaseModel):
    score: Any = None
    vetoed: Any = False
    note: str = ""


@reviews_router.get("", summary="评查任务（status=pending 待评查，done 已评查）")
def list_tasks(request: Request, status: str = "") -> dict[str, Any]:
    with work(request) as w:
        rows = [present(t) for t in tasks(w.session, w.ctx, status)]
        return {"items": rows, "count": len(rows)}


@reviews_router.get("/report", summary="评查报告：各单位得分、机审与人工差异、常见问题")
def review_report(request: Request) -> dict[str, Any]:
    with work(request) as w:
        return {"units": report(w.session, w.ctx)}


@reviews_router.post("", status_code=201, summary="导入外部系统案卷（fazhi-case-file/1）评查")
async def import_file(request: Request, body: ImportBody) -> Response:
    def run(w: Work) -> dict[str, Any]:
        return present(do_import_file(w.session, w.ctx, body.manifest, body.file[:200]))

    return json_response(await write(request, run), 201)


@reviews_router.post("/{task_id}/verdict", summary="评查员评定（得分、一票否决、意见）")
async def record_verdict(request: Request, task_id: PathId, body: VerdictBody) -> Response:
    def run(w: Work) -> dict[str, Any]:
        verdict = check_verdict(w.ctx, body.model_dump())
        return present(
            do_record_verdict(w.session, w.ctx, load_task(w.session, w.ctx, task_id), verdict)
        )

    return json_response(await write(request, run))


penalty_items_router = APIRouter(prefix="/api/v1/penalty-items", tags=["行政处罚事项清单"])


class RegisterCsv(BaseModel):
    csv: str = ""


def _present_item(item: Any, w: Work) -> dict[str, Any]:
    unit = w.ctx.directory.by_id.get(item.unit_id) if item.unit_id else None
    return {
        "code": item.code,
        "name": item.name,
        "unit": unit.code if unit else None,
        "unit_name": unit.name if unit else None,
        "basis": item.basis,
        "benchmarks": item.benchmarks,
    }


@penalty_items_router.get("", summary="行政处罚事项及其裁量基准")
def list_penalty_items(request: Request) -> dict[str, Any]:
    with work(request) as w:
        check_may_read_items(w.ctx)
        rows = [_present_item(i, w) for i in items(w.session, w.ctx.actor.region_code)]
        return {"items": rows, "count": len(rows)}


@penalty_items_router.post("/import", summary="导入处罚事项清单（CSV，全部正确才写入）")
async def import_penalty_items(request: Request, body: RegisterCsv) -> Response:
    def run(w: Work) -> dict[str, Any]:
        added, updated = do_import_items(
            w.session, w.ctx, check_item_rows(w.session, w.ctx, parse_items_csv(body.csv))
        )
        return {"added": added, "updated": updated}

    return json_response(await write(request, run))
