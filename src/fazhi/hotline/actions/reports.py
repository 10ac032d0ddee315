"""网格员上报 (grid-worker reports): an event found on patrol, with photos and the device's
coordinates, registered as a hotline order placed on its grid.

The order, every photo and their events are written in one transaction: a bad photo or an
unplaceable point refuses the whole report and writes nothing. The API
(`POST /api/v1/reports`) and the console page (`/report`) share these checks and writes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile as StarletteUpload

from fazhi.actions.cases import Created, case_type_or_error, check_create_case
from fazhi.actions.context import ActionContext
from fazhi.actions.documents import attach_file
from fazhi.actions.platform import Platform
from fazhi.domain.errors import DomainError, Problem
from fazhi.domain.units import Actor, UnitRef
from fazhi.org.gazetteer import Placement, gazetteer_for, place_from_grid
from fazhi.org.locate import locate_grid
from fazhi.store.models import Document

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


def check_submit_report(
    session: Session, ctx: ActionContext, values: dict[str, Any], photos: list[Photo]
) -> tuple[Created, list[Document]]:
    """A grid worker's report: the user may report, at most MAX_PHOTOS photos, and the place
    is known (the device's point, else the address); then `do_submit_report`."""
    reason = refusal(ctx.platform, ctx.actor)
    if reason:
        raise DomainError("forbidden_role", reason, 403)
    if len(photos) > MAX_PHOTOS:
        raise DomainError("too_many_photos", f"最多上传 {MAX_PHOTOS} 张照片", 422, "photos")
    inputs: dict[str, Any] = {
        name: value.strip() if name != "content" else value
        for name in REPORT_FIELDS
        if isinstance(value := values.get(name), str) and value.strip()
    }
    place = place_report(ctx.platform, inputs)
    if place is None:
        problems = [Problem("location_unknown", NO_PLACE_MESSAGE, "address")]
        case_type = case_type_or_error(ctx.platform, HOTLINE)
        for name in ("category", "content"):
            spec = case_type.field(name)
            if spec is not None and spec.required and name not in inputs:
                problems.append(Problem("required", f"请填写{spec.label}", name))
        raise DomainError.from_problems(problems)
    # The most specific unit known (a community of several grids when only the address
    # placed it), as the intake does: the street's statistics count it.
    if place.area is not None:
        inputs["grid"] = place.area.id
    return do_submit_report(session, ctx, inputs, photos)


def do_submit_report(
    session: Session, ctx: ActionContext, inputs: dict[str, Any], photos: list[Photo]
) -> tuple[Created, list[Document]]:
    """Register the report as a hotline order (channel 网格员上报) and attach its photos.

    Preconditions: the actor may report and `inputs` hold the report's fields with its grid
    (as `check_submit_report` leaves them); the photos were read by `read_photos`. Run it
    inside a savepoint: on any DomainError the caller rolls back everything it wrote."""
    inputs = {**inputs, "channel": CHANNEL, "request_kind": REQUEST_KIND}
    inputs["caller_name"] = ctx.actor.name
    written = check_create_case(session, ctx, HOTLINE, inputs, "register")
    documents = [
        attach_file(session, ctx, written.case, PHOTO_KIND, p.filename, p.content_type, p.data)
        for p in photos
    ]
    return written, documents
