"""法律援助 in the console (`/legal-aid`): the year's figures (approved and handled by kind,
against the year's target; reviews and assignments on time; grades; the provincial
excellent cases, each linking to its case) and the lawyer register. Every action on a case
is taken on the engine's case page (its forms, through the one door)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from fazhi.legal_aid.read import READER_ROLES, lawyer_rows, statistics
from fazhi.web.console import forbidden, page_work, render

router = APIRouter(include_in_schema=False)


def _year(raw: str, default: int) -> int:
    # A bad year in the address falls back to the current one rather than refusing the page.
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else default


@router.get("/legal-aid")
def overview(request: Request, year: str = "") -> Response:
    with page_work(request) as w:
        if not w.actor.has_role(*READER_ROLES):
            return forbidden(request, w, "法律援助")
        chosen = _year(year, w.ctx.now.year)
        context = {
            "year": chosen,
            "stats": statistics(w.session, w.ctx, chosen),
            "lawyers": lawyer_rows(w.session, w.ctx, chosen),
        }
        return render(request, "legal_aid.html", context, w)
