"""社区矫正 in the console: the officer's day view (`/correction?date=`: a day's status — today
unless another past date is chosen — of every subject of the office, a map of the last
positions within the permitted areas over the district's grids and streets — Leaflet over
`/correction/map.geojson?date=`, an SVG without it —, the anomaly queue) and a subject's file
(`/correction/subjects/{id}`, each opening recorded) with its check-in photos
(`/correction/subjects/{id}/photos/{sha256}`, each view recorded). Every action — reporting,
visits, an anomaly's contact, handling and closing — is taken on the engine's case page.
Refused (403) to every role but the judicial bureau's and offices'. Printed from the browser,
the day view and the file carry the exports' watermark (who printed them and when)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from fazhi.correction.api import photo_response, watermark
from fazhi.correction.read import (
    anomaly_queue,
    day_anomalies,
    day_status,
    is_reader,
    parse_day,
    subject_history,
    subject_photo,
)
from fazhi.correction.web.map import day_features, position_map
from fazhi.domain.durations import local_date
from fazhi.domain.errors import DomainError
from fazhi.web.console import forbidden, page_work, render
from fazhi.web.unit_map import geojson_response, grid_shapes

router = APIRouter(include_in_schema=False)


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
        drawing = position_map(day["subjects"], day.pop("areas"), grid_shapes(w.ctx.directory))
        anomalies = anomaly_queue(w) if day["today"] else day_anomalies(w, chosen)
        context = {
            **day,
            "anomalies": anomalies,
            "drawing": drawing,
            "max_day": today,
            "geojson": "/correction/map.geojson" + ("" if day["today"] else f"?date={day['day']}"),
            "tiles": w.platform.settings.map_tiles,
            "watermark": watermark(w),  # on paper, as on the day's CSV
        }
        return render(request, "correction.html", context, w)


@router.get("/correction/map.geojson")
def day_map(request: Request, date: str | None = None) -> Response:
    """The day view's map for Leaflet: the units, the permitted areas, the last positions."""
    with page_work(request) as w:
        if not is_reader(w):
            return forbidden(request, w, "社区矫正")
        # A malformed or future date: the engine's JSON error (422, `invalid_date`, …).
        day = day_status(w, with_areas=True, day=parse_day(w, date))
        return geojson_response(day_features(w.ctx.directory, day["subjects"], day["areas"]))


@router.get("/correction/subjects/{case_id}")
def subject_page(request: Request, case_id: int) -> Response:
    with page_work(request) as w:  # a subject the user may not see: 404, as every case page
        history = subject_history(w, case_id)
        context = {**history, "watermark": watermark(w)}  # printed, it names who and when
        return render(request, "correction_subject.html", context, w)


@router.get("/correction/subjects/{case_id}/photos/{digest}")
def photo_page(request: Request, case_id: int, digest: str) -> Response:
    """A check-in photo, for the file's and the day view's links (each view recorded)."""
    with page_work(request) as w:  # not the subject's, or not visible: 404
        data, media_type = subject_photo(w, case_id, digest)
    return photo_response(data, media_type)
