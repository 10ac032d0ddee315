"""The public page of penalty decisions (行政处罚决定公示), open without signing in, and its
JSON for the government portal: the published, unrevoked decisions with personal data
removed (`fazhi.enforcement.publicity`)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from fazhi.enforcement.publicity import TYPE, published_notices
from fazhi.http.deps import platform_of
from fazhi.store.db import transaction
from fazhi.web.console import render

router = APIRouter(include_in_schema=False)
api_router = APIRouter(prefix="/api/v1/public", tags=["公开"])


def _notices(request: Request) -> list[dict[str, Any]]:
    platform = platform_of(request)
    with transaction(platform.sessions) as session:
        return published_notices(
            session, platform.region_code, platform.types.get(TYPE), platform.directory()
        )


@router.get("/public/penalty-decisions")
def public_decisions_page(request: Request) -> Response:
    return render(request, "public_penalty_decisions.html", {"notices": _notices(request)})


@api_router.get("/penalty-decisions", summary="行政处罚决定公示（已去除个人信息，无需登录）")
def public_decisions(request: Request) -> dict[str, Any]:
    rows = _notices(request)
    return {"items": rows, "count": len(rows)}
