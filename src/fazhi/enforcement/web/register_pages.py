"""The registers behind enforcement in the console (执法清单): the penalty items with their
discretion benchmarks, which an officer consults before deciding, and the officers'
certificates with their validity."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from fazhi.domain.durations import local_date
from fazhi.domain.errors import DomainError
from fazhi.enforcement.certificates import certificates
from fazhi.enforcement.penalty_items import check_may_read_items, items
from fazhi.web.console import forbidden, page_work, render

router = APIRouter(include_in_schema=False)


@router.get("/penalty-items")
def penalty_items_page(request: Request) -> Response:
    with page_work(request) as w:
        try:
            check_may_read_items(w.ctx)
        except DomainError:
            return forbidden(request, w, "执法清单")
        region = w.actor.region_code
        today = local_date(w.ctx.now)

        def unit_name(unit_id: int | None) -> str:
            unit = w.ctx.directory.by_id.get(unit_id) if unit_id else None
            return unit.name if unit else "—"

        context = {
            "items": [{"item": i, "unit": unit_name(i.unit_id)} for i in items(w.session, region)],
            "certificates": [
                {
                    "cert": c,
                    "unit": unit_name(c.unit_id),
                    "valid": not c.revoked and c.valid_from <= today <= c.valid_to,
                }
                for c in certificates(w.session, region)
            ],
        }
        return render(request, "penalty_items.html", context, w)
