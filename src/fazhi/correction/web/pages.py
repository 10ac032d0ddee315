"""社区矫正 in the console: the officer's day view (`/correction?date=`: a day's status — today
unless another past date is chosen — of every subject of the office, a map of the last
positions within the permitted areas, the anomaly queue) and a subject's file
(`/correction/subjects/{id}`, each opening recorded) with its check-in photos
(`/correction/subjects/{id}/photos/{sha256}`, each view recorded). Every action — reporting,
visits, an anomaly's contact, handling and closing — is taken on the engine's case page.
Refused (403) to every role but the judicial bureau's and offices'."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from fazhi.correction.api import photo_response
from fazhi.correction.geofence import AreaError, parse_area
from fazhi.correction.read import (
    anomaly_queue,
    day_anomalies,
    day_status,
    is_reader,
    parse_day,
    subject_history,
    subject_photo,
)
from fazhi.domain.durations import local_date
from fazhi.domain.errors import DomainError
from fazhi.web.console import forbidden, page_work, render

router = APIRouter(include_in_schema=False)
_W, _H, _PAD = 640.0, 420.0, 12.0


def position_map(subjects: list[dict[str, Any]], areas: list[str]) -> dict[str, Any] | None:
    """An SVG drawing of the areas and the last positions (no tiles: the network is closed)."""
    polygons = []
    for text in areas:
        try:
            polygons.append(parse_area(text).vertices)
        except AreaError:
            continue
    points = [
        (s["last_position"]["lon"], s["last_position"]["lat"], s)
        for s in subjects
        if s.get("last_position") and s["last_position"]["lon"] is not None
    ]
    xs = [v[0] for p in polygons for v in p] + [p[0] for p in points]
    ys = [v[1] for p in polygons for v in p] + [p[1] for p in points]
    if not xs:
        return None
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    scale = min((_W - 2 * _PAD) / max(x1 - x0, 1e-6), (_H - 2 * _PAD) / max(y1 - y0, 1e-6))

    def at(lon: float, lat: float) -> tuple[float, float]:
        return round(_PAD + (lon - x0) * scale, 1), round(_H - _PAD - (lat - y0) * scale, 1)

    return {
        "width": _W,
        "height": _H,
        "areas": [" ".join(f"{x},{y}" for x, y in (at(*v) for v in p)) for p in polygons],
        "dots": [{"xy": at(lon, lat), "s": s} for lon, lat, s in points],
    }


@router.get("/correction")
def day_view(request: Request, date: str | None = None) -> Response:
    with page_work(request) as w:
        if not is_reader(w):
            return forbidden(request, w, "社区矫正")
        today = local_date(w.ctx.now).isoformat()
        try:
            chosen = parse_day(w, date)
        except DomainError as exc:  # the message beside the date field, nothing else shown
            context = {"date_error": exc.message, "asked": date, "max_day": today}
            return render(request, "correction.html", context, w, status_code=exc.status)
        day = day_status(w, with_areas=True, day=chosen)
        drawing = position_map(day["subjects"], day.pop("areas"))
        anomalies = anomaly_queue(w) if day["today"] else day_anomalies(w, chosen)
        context = {**day, "anomalies": anomalies, "drawing": drawing, "max_day": today}
        return render(request, "correction.html", context, w)


@router.get("/correction/subjects/{case_id}")
def subject_page(request: Request, case_id: int) -> Response:
    with page_work(request) as w:  # a subject the user may not see: 404, as every case page
        history = subject_history(w, case_id)
        return render(request, "correction_subject.html", history, w)


@router.get("/correction/subjects/{case_id}/photos/{digest}")
def photo_page(request: Request, case_id: int, digest: str) -> Response:
    """A check-in photo, for the file's and the day view's links (each view recorded)."""
    with page_work(request) as w:  # not the subject's, or not visible: 404
        data, media_type = subject_photo(w, case_id, digest)
    return photo_response(data, media_type)
