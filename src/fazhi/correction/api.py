"""Community correction over the API, beside the engine's generic case API (which takes every
officer's action on the subjects' and the anomalies' cases):

- `POST /api/v1/correction/check-ins` — the mobile terminal's check-in, authenticated by the
  terminal (`X-Device-Id`, `X-Device-Token`), never by a person's sign-in;
- `POST /api/v1/correction/subjects/{id}/devices` — bind a terminal to a subject (the secret
  is answered once);
- `GET /api/v1/correction/day?date=` — a day's status (default today; never a future day) of
  every subject of the reader's office, with today's anomaly queue or the past day's
  anomalies; `GET /api/v1/correction/day.csv?date=` the same list as a file, watermarked
  with the user and the time;
- `GET /api/v1/correction/subjects/{id}/history` — a subject's file (each read recorded);
- `GET /api/v1/correction/subjects/{id}/photos/{sha256}` — a check-in photo of that subject
  (each view recorded as a read).

Every endpoint but the terminal's is refused (403) to every role but the judicial bureau's
correction officers and the judicial offices' staff."""

from __future__ import annotations

import base64
import binascii
import csv
import io
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from fazhi.correction.checkins import Fix, do_bind_device, do_check_in
from fazhi.correction.photos import MAX_PHOTO
from fazhi.correction.read import (
    anomaly_queue,
    day_anomalies,
    day_status,
    parse_day,
    require_reader,
    subject_history,
    subject_photo,
)
from fazhi.domain.errors import DomainError
from fazhi.domain.privacy import mask_value
from fazhi.http.deps import Work, json_response, platform_of, work, write, write_session
from fazhi.read.watermark import watermark_line

router = APIRouter(prefix="/api/v1/correction", tags=["社区矫正"])


class CheckInBody(BaseModel):
    lat: float = Field(ge=-90, le=90, description="纬度（WGS84）")
    lon: float = Field(ge=-180, le=180, description="经度（WGS84）")
    accuracy_m: float = Field(ge=0, le=100000, description="定位精度（米）")
    photo_base64: str | None = Field(
        default=None, description="打卡照片（JPEG或PNG，不超过2MB，Base64）"
    )


class DeviceBody(BaseModel):
    # Checked by `bind_device` (4–40 letters, digits, hyphens) once the subject is found.
    device_id: str = Field(max_length=40, description="终端编号")


def _photo(text: str | None) -> bytes | None:
    """The photo's bytes (decoded off the event loop, in the write's worker thread); its
    type and size are judged by `checkins.check_photo`."""
    if not text:
        return None
    if len(text) > MAX_PHOTO * 4 // 3 + 4:
        raise DomainError("photo_too_large", "照片不能超过2MB", 413, "photo_base64")
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise DomainError("invalid_photo", "照片应为Base64编码", 422, "photo_base64") from None


@router.post("/check-ins", status_code=201, summary="移动终端打卡（终端认证）")
async def post_check_in(request: Request, body: CheckInBody) -> Response:
    device_id = request.headers.get("x-device-id", "").strip()
    token = request.headers.get("x-device-token", "").strip()
    if not device_id or not token:
        raise DomainError("device_unauthenticated", "缺少请求头 X-Device-Id 或 X-Device-Token", 401)
    platform = platform_of(request)

    def run(session: Session) -> dict[str, Any]:
        fix = Fix(body.lon, body.lat, body.accuracy_m, _photo(body.photo_base64))
        return do_check_in(session, platform, platform.now(), device_id, token, fix)

    return json_response(await write_session(request, run), 201)


@router.post("/subjects/{case_id}/devices", status_code=201, summary="为矫正对象绑定打卡终端")
async def post_device(request: Request, case_id: int, body: DeviceBody) -> Response:
    def run(w: Work) -> dict[str, Any]:
        # No role check first: a subject the caller may not see is a 404, as on every case
        # endpoint; `bind_device` then checks role and office.
        token = do_bind_device(w.session, w.ctx, case_id, body.device_id)
        return {"case_id": case_id, "device_id": body.device_id, "token": token}

    return json_response(await write(request, run), 201)


DateParam = Annotated[str | None, Query(description="日期 2023-10-01（默认今天；不能晚于今天）")]


@router.get("/day", summary="某日打卡状态与异常（本所矫正对象；默认今天）")
def get_day(request: Request, date: DateParam = None) -> Response:
    with work(request) as w:
        require_reader(w)
        day = parse_day(w, date)
        status = day_status(w, day=day)
        # Today: the open queue to work on; a past day: what was raised for that day.
        anomalies = anomaly_queue(w) if status["today"] else day_anomalies(w, day)
        return json_response({**status, "anomalies": anomalies})


def watermark(w: Work) -> str:
    """The line every export carries: who took it and when (the file leaves the platform);
    the engine's watermark, as on every export of these types (`export_watermark`)."""
    return watermark_line(w.actor, w.ctx.now, "社区矫正工作")


@router.get("/day.csv", summary="导出某日打卡状态（带导出人和时间水印）")
def get_day_csv(request: Request, date: DateParam = None) -> Response:
    with work(request) as w:
        require_reader(w)
        day = day_status(w, day=parse_day(w, date))
        out = io.StringIO()
        sheet = csv.writer(out)
        sheet.writerow([f"{watermark(w)} 打卡日期：{day['day']}"])
        sheet.writerow(["案件编号", "矫正对象", "司法所", "状态", "最近打卡时间"])
        for s in day["subjects"]:
            sheet.writerow(
                # Exports are masked whatever the reader sees: the file leaves the platform.
                [
                    s["number"],
                    mask_value("name", s["name"]),
                    s["office"],
                    s["status_label"],
                    s["last_check_in_at"] or "",
                ]
            )
        name = f"correction-{day['day']}.csv"
        return Response(
            "\ufeff" + out.getvalue(),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )


@router.get("/subjects/{case_id}/history", summary="矫正对象档案与打卡记录（查阅留痕）")
def get_history(request: Request, case_id: int) -> Response:
    with work(request) as w:  # a subject the caller may not see: 404, whatever the role
        return json_response(subject_history(w, case_id))


@router.get("/subjects/{case_id}/photos/{digest}", summary="查看打卡照片（查阅留痕）")
def get_photo(request: Request, case_id: int, digest: str) -> Response:
    with work(request) as w:  # as the history: a subject the caller may not see is a 404
        data, media_type = subject_photo(w, case_id, digest)
    return photo_response(data, media_type)


def photo_response(data: bytes, media_type: str) -> Response:
    """A check-in photo as an image: shown in place, never kept by a cache."""
    return Response(
        data,
        media_type=media_type,
        headers={"Cache-Control": "no-store, private", "Content-Disposition": "inline"},
    )
