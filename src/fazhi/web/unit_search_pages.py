"""The unit picker's search (static/unit-picker.js): units of the tree matching what was
typed — name, short name, code or pinyin initials — for any signed-in console user; the
tree is no secret inside the console, and the forms still accept only what their actions do."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from fazhi.org.unit_search import search_units
from fazhi.web.console import page_work

router = APIRouter(include_in_schema=False)
KINDS = frozenset({"district", "department", "street", "community", "grid", "company", "centre"})


@router.get("/units/search")
def unit_search(request: Request, q: str = "", kinds: str = "", limit: int = 20) -> Response:
    with page_work(request) as w:
        directory = w.ctx.directory
        wanted = {k for k in kinds.split(",") if k in KINDS}
        found = search_units(directory, q[:50], wanted, max(1, min(limit, 50)))
        units = []
        for keys in found:
            unit = keys.unit
            # Where it sits (响石岭街道 › 樱花社区), below the district, to tell names apart.
            above = [u.name for u in directory.ancestors(unit)[:-1] if u.kind != "district"]
            units.append(
                {
                    "code": unit.code,
                    "name": unit.name,
                    "short_name": keys.short_name,
                    "kind": unit.kind,
                    "where": " › ".join(above),
                }
            )
        return JSONResponse({"query": q, "units": units})
