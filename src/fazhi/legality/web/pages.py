"""合法性审查与法治督查 in the console (`/legality`): the year's figures, the opinions one by
one with their adoption, the major-decision catalogues and the inspections' findings, each
linking to its case (where every action is taken through the engine's case page); and the
public page of the published major-decision catalogues (`/public/major-decisions`, no
sign-in: only what was published)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from fazhi.http.deps import platform_of
from fazhi.legality.api import READER_ROLES
from fazhi.legality.read import catalogues as catalogue_rows
from fazhi.legality.read import (
    finding_rows,
    opinion_rows,
    published_catalogues,
    review_statistics,
)
from fazhi.store.db import transaction
from fazhi.web.console import forbidden, page_work, render

router = APIRouter(include_in_schema=False)
FINDING_STATUS = {
    "open": "待整改",
    "reported": "已报整改",
    "verified": "已销号",
    "waived": "经批准关闭",
}


def _year(raw: str, default: int) -> int:
    # A bad year in the address falls back to the current one rather than refusing the page.
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else default


@router.get("/legality")
def overview(request: Request, year: str = "") -> Response:
    with page_work(request) as w:
        if not w.actor.has_role(*READER_ROLES):
            return forbidden(request, w, "合法性审查与法治督查")
        chosen = _year(year, w.ctx.now.year)
        context = {
            "year": chosen,
            "stats": review_statistics(w.session, w.ctx, chosen),
            "opinions": opinion_rows(w.session, w.ctx, chosen),
            "catalogues": catalogue_rows(w.session, w.ctx, chosen),
            "findings": finding_rows(w.session, w.ctx, chosen),
            "finding_status": FINDING_STATUS,
        }
        return render(request, "legality.html", context, w)


@router.get("/public/major-decisions")
def public_catalogues(request: Request, year: str = "") -> Response:
    platform = platform_of(request)
    chosen = _year(year, 0) or None
    with transaction(platform.sessions) as session:
        rows = published_catalogues(session, platform.settings.region_code, chosen)
    return render(request, "major_decisions_public.html", {"catalogues": rows, "year": chosen})
