"""信访 (`/petitions`) and 政府信息公开年度报告 (`/disclosure-report`) in the console: the year's
declared figures, with links to the work list and case search, where every action is taken
through the engine's case page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from fazhi.petition.read import DISCLOSURE, PETITION, disclosure_report, petition_figures, sees
from fazhi.web.console import forbidden, page_work, render

router = APIRouter(include_in_schema=False)


def _year(raw: str, default: int) -> int:
    # A bad year in the address falls back to the current one rather than refusing the page.
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else default


@router.get("/petitions")
def petitions(request: Request, year: str = "") -> Response:
    with page_work(request) as w:
        if not sees(w, PETITION):
            return forbidden(request, w, "信访事项")
        body = petition_figures(w, _year(year, w.ctx.now.year))
        return render(request, "petitions.html", {"t": body, "year": body["year"]}, w)


@router.get("/disclosure-report")
def disclosure(request: Request, year: str = "") -> Response:
    with page_work(request) as w:
        if not sees(w, DISCLOSURE):
            return forbidden(request, w, "政府信息公开年度报告")
        body = disclosure_report(w, _year(year, w.ctx.now.year))
        return render(request, "disclosure_report.html", {"t": body, "year": body["year"]}, w)
