"""POST /api/v1/reports: a grid worker's report (fields, photos and the device's point) in
one submission, registered and placed by `fazhi.hotline.actions.reports`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response

from fazhi.domain.errors import DomainError
from fazhi.hotline.actions.reports import Photo, check_submit_report, read_photos, refusal
from fazhi.http.deps import Work, json_response, platform_of, write
from fazhi.read.cases import full_case
from fazhi.read.presenters import present_document

router = APIRouter(prefix="/api/v1", tags=["网格员上报"])


@router.post("/reports", status_code=201, summary="网格员上报（事件、照片与定位，一次提交）")
async def create_report(
    request: Request,
    category: Annotated[str | None, Form(description="诉求分类代码，如 CITY_APPEARANCE")] = None,
    content: Annotated[str | None, Form(description="事件描述")] = None,
    urgency: Annotated[str | None, Form(description="normal / urgent / complex")] = None,
    address: Annotated[str | None, Form(description="事发地址（无坐标时用于定位）")] = None,
    longitude: Annotated[str | None, Form(description="设备经度（WGS84）")] = None,
    latitude: Annotated[str | None, Form(description="设备纬度（WGS84）")] = None,
    photos: Annotated[
        list[UploadFile] | None, File(description="现场照片，最多 6 张（JPG/PNG/WebP）")
    ] = None,
) -> Response:
    limit = platform_of(request).settings.max_upload_bytes
    values = {
        "category": category,
        "content": content,
        "urgency": urgency,
        "address": address,
        "longitude": longitude,
        "latitude": latitude,
    }
    photo_error: DomainError | None = None
    chosen: list[Photo] = []
    try:
        chosen = await read_photos(list(photos or []), limit)
    except DomainError as exc:
        photo_error = exc  # answered after the caller is known (401/403 come first)

    def run(w: Work) -> Response:
        reason = refusal(w.platform, w.actor)
        if reason:
            raise DomainError("forbidden_role", reason, 403)
        if photo_error is not None:
            raise photo_error
        with w.session.begin_nested():
            written, documents = check_submit_report(w.session, w.ctx, values, chosen)
        body = {
            **full_case(w, written.case, written=written),
            "documents": [present_document(d) for d in documents],
        }
        return json_response(body, status_code=201)

    return await write(request, run)
