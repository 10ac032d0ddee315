"""行政复议与行政应诉 in the console (`/disputes`): the year's figures of both types, as their
files declare them, each case reached through the engine's case list and case page (where
every action is taken)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from fazhi.disputes.api import READER_ROLES
from fazhi.disputes.read import dispute_figures
from fazhi.web.console import forbidden, page_work, render

router = APIRouter(include_in_schema=False)


def _year(raw: str, default: int) -> int:
    # A bad year in the address falls back to the current one rather than refusing the page.
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else default


@router.get("/disputes")
def overview(request: Request, year: str = "") -> Response:
    with page_work(request) as w:
        if not w.actor.has_role(*READER_ROLES):
            return forbidden(request, w, "行政复议与行政应诉")
        chosen = _year(year, w.ctx.now.year)
        return render(request, "disputes.html", {"year": chosen, **dispute_figures(w, chosen)}, w)
