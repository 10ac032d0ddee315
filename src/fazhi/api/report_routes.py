"""网格员上报 (grid-worker reports): an event found on patrol, with photos and the device's
coordinates, registered as a hotline case placed on its grid.

The case, every photo and their events are written in one transaction: a bad photo or an
unplaceable point refuses the whole report and writes nothing. The console page
(`web/report_pages.py`) calls the same `read_photos` / `submit_report` as this API.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response
from sqlalchemy import select
from starlette.datastructures import UploadFile as StarletteUpload

from fazhi.actions.cases import Created, case_type_or_error, check_create_case
from fazhi.actions.documents import attach_file
from fazhi.actions.platform import Platform
from fazhi.actions.visibility import visible_clause
from fazhi.domain.errors import DomainError, Problem
from fazhi.domain.units import Actor, UnitRef
from fazhi.http.deps import Work, json_response, platform_of, write
from fazhi.org.gazetteer import Placement, gazetteer_for, place_from_grid
from fazhi.org.locate import locate_grid
from fazhi.read.cases import full_case
from fazhi.read.presenters import present_document
from fazhi.store.models import Case, Document

router = APIRouter(prefix="/api/v1", tags=["网格员上报"])

HOTLINE = "hotline"
CHANNEL = "grid_worker"
REQUEST_KIND = "report"
PHOTO_KIND = "photo"
MAX_PHOTOS = 6
REPORT_ROLES = frozenset({"unit_handler", "unit_leader"})
REPORT_UNIT_KINDS = frozenset({"grid", "community", "street"})
PHOTO_TYPES = {"image/jpeg": "JPG", "image/png": "PNG", "image/webp": "WebP"}
PHOTO_TYPE_MESSAGE = "照片只能是 JPG、PNG 或 WebP 图片"
NO_PLACE_MESSAGE = "无法确定事件位置，请开启定位或填写地址"
# The text fields a report takes, as the hotline type names them.
REPORT_FIELDS = ("category", "content", "urgency", "address", "longitude", "latitude")
RECENT_LIMIT = 10


@dataclass(frozen=True)
class Photo:
    filename: str
    content_type: str
    data: bytes


def refusal(platform: Platform, actor: Actor) -> str:
    """Why this user may not report ("" when they may): a grid worker (or a community or
    street handler) whose role the hotline type lets register cases."""
    if not actor.has_role(*REPORT_ROLES) or actor.unit.kind not in REPORT_UNIT_KINDS:
        return "网格员上报仅供网格、社区、街道的工作人员使用"
    case_type = platform.types.get(HOTLINE)
    register = case_type.action("register") if case_type else None
    if register is None or not actor.has_role(*register.roles):
        return "当前角色无权登记工单，请由网格员上报"
    return ""


def _looks_like(content_type: str, data: bytes) -> bool:
    """The bytes start as the declared image type says (a renamed file is refused)."""
    if content_type == "image/png":
        return data.startswith(b"\x89PNG\r\n\x1a\n")
    if content_type == "image/jpeg":
        return data.startswith(b"\xff\xd8\xff")
    if content_type == "image/webp":
        return data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    return False


async def read_photos(uploads: list[Any], limit: int) -> list[Photo]:
    """The chosen photos, checked; DomainError(field="photos") on the first bad one.

    An empty file part without a name (a file input left empty) is no photo.
    """
    chosen = [
        u for u in uploads if isinstance(u, StarletteUpload) and (u.filename or (u.size or 0) > 0)
    ]
    if len(chosen) > MAX_PHOTOS:
        raise DomainError("too_many_photos", f"最多上传 {MAX_PHOTOS} 张照片", 422, "photos")
    photos = []
    for upload in chosen:
        name = upload.filename or "photo"
        data = await upload.read(limit + 1)
        content_type = (upload.content_type or "").split(";")[0].strip().lower()
        if len(data) > limit:
            raise DomainError(
                "too_large",
                f"照片「{name}」超过 {limit // (1024 * 1024)} MB",
                413,
                "photos",
            )
        if not data:
            raise DomainError("empty_file", f"照片「{name}」是空文件", 422, "photos")
        if content_type not in PHOTO_TYPES or not _looks_like(content_type, data):
            raise DomainError(
                "unsupported_media_type", f"{PHOTO_TYPE_MESSAGE}（「{name}」不是）", 415, "photos"
            )
        photos.append(Photo(name, content_type, data))
    return photos


def parse_point(longitude: Any, latitude: Any) -> tuple[float, float] | None:
    """Both coordinates as finite numbers, or None."""
    try:
        lon, lat = float(str(longitude).strip()), float(str(latitude).strip())
    except (TypeError, ValueError):
        return None
    if not (math.isfinite(lon) and math.isfinite(lat)):
        return None
    return lon, lat


def place_report(platform: Platform, values: dict[str, Any]) -> Placement | None:
    """The device's point (the grid polygon holding it) first, then the address text."""
    directory = platform.directory()
    point = parse_point(values.get("longitude"), values.get("latitude"))
    if point is not None:
        grid = locate_grid(platform.directory(), point)
        if grid is not None:
            return place_from_grid(directory, grid)
    address = str(values.get("address") or "").strip()
    return gazetteer_for(directory).locate_address(address) if address else None


def outside_own_area(actor: Actor, place: Placement | None) -> bool:
    """The place lies outside the worker's own grid (community, street)."""
    if place is None:
        return False
    spot: UnitRef | None = place.grid or place.community or place.street
    return spot is not None and not actor.unit.contains(spot)


def submit_report(
    w: Work, values: dict[str, Any], photos: list[Photo]
) -> tuple[Created, list[Document]]:
    """Register the report and attach its photos. Run it inside a savepoint: on any
    DomainError the caller rolls back everything it wrote."""
    reason = refusal(w.platform, w.actor)
    if reason:
        raise DomainError("forbidden_role", reason, 403)
    if len(photos) > MAX_PHOTOS:
        raise DomainError("too_many_photos", f"最多上传 {MAX_PHOTOS} 张照片", 422, "photos")
    inputs: dict[str, Any] = {
        name: value.strip() if name != "content" else value
        for name in REPORT_FIELDS
        if isinstance(value := values.get(name), str) and value.strip()
    }
    place = place_report(w.platform, inputs)
    if place is None:
        problems = [Problem("location_unknown", NO_PLACE_MESSAGE, "address")]
        case_type = case_type_or_error(w.platform, HOTLINE)
        for name in ("category", "content"):
            spec = case_type.field(name)
            if spec is not None and spec.required and name not in inputs:
                problems.append(Problem("required", f"请填写{spec.label}", name))
        raise DomainError.from_problems(problems)
    if place.grid is not None:
        inputs["grid"] = place.grid.id
    inputs.update(channel=CHANNEL, request_kind=REQUEST_KIND, caller_name=w.actor.name)
    written = check_create_case(w.session, w.ctx, HOTLINE, inputs, "register")
    documents = [
        attach_file(
            w.session, w.ctx, written.case, PHOTO_KIND, p.filename, p.content_type, p.data
        )
        for p in photos
    ]
    return written, documents


def recent_reports(w: Work, limit: int = RECENT_LIMIT) -> list[Case]:
    """This worker's latest reports, newest first."""
    stmt = (
        select(Case)
        .where(
            visible_clause(w.actor),
            Case.type == HOTLINE,
            Case.created_by == w.actor.user_id,
            Case.fields["channel"].as_string() == CHANNEL,
        )
        .order_by(Case.created_at.desc(), Case.id.desc())
        .limit(limit)
    )
    return list(w.session.scalars(stmt))


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
            written, documents = submit_report(w, values, chosen)
        body = {
            **full_case(w, written.case, written=written),
            "documents": [present_document(d) for d in documents],
        }
        return json_response(body, status_code=201)

    return await write(request, run)
