"""劳动仲裁与根治欠薪 in the console (`/labour`): the year's declared figures of each labour
type the user may see, with links to its work list and case search, where every action is
taken through the engine's case page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from fazhi.labour.read import labour_figures, visible_types
from fazhi.web.console import forbidden, page_work, render

router = APIRouter(include_in_schema=False)


def _year(raw: str, default: int) -> int:
    # A bad year in the address falls back to the current one rather than refusing the page.
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else default


@router.get("/labour")
def overview(request: Request, year: str = "") -> Response:
    with page_work(request) as w:
        if not visible_types(w):
            return forbidden(request, w, "劳动仲裁与根治欠薪")
        chosen = _year(year, w.ctx.now.year)
        return render(request, "labour.html", labour_figures(w, chosen), w)
