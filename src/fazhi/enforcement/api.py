"""A penalty case's file over the API: the manifest in the exchange format, and its machine
review under the deployment's standard (the one `fazhi review` uses by default)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from fazhi.enforcement.read import case_file_of
from fazhi.enforcement.review.engine import review
from fazhi.enforcement.review.manifest import parse_manifest
from fazhi.enforcement.review.standard_file import default_standard
from fazhi.http.deps import work
from fazhi.http.params import CaseId

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
