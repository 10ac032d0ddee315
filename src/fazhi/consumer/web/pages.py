"""消费维权 in the console (`/consumer`): the year's declared figures of each consumer type the
user may see, the themed campaigns with what they group, and the abnormal-operation listings,
with links to the work lists and case pages, where every action is taken through the engine's
case page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from fazhi.consumer.read import visible_types, year_overview
from fazhi.web.console import forbidden, page_work, render

router = APIRouter(include_in_schema=False)


def _year(raw: str, default: int) -> int:
    # A bad year in the address falls back to the current one rather than refusing the page.
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else default


@router.get("/consumer")
def overview(request: Request, year: str = "") -> Response:
    with page_work(request) as w:
        if not visible_types(w):
            return forbidden(request, w, "消费维权")
        chosen = _year(year, w.ctx.now.year)
        return render(request, "consumer.html", year_overview(w, chosen), w)
