"""Open311 GeoReport v2 at /open311/v2/: the hotline's public interface for outside apps.

Every resource answers in JSON or XML by its extension (`services.json`, `services.xml`).
Errors are the spec's list of `{code, description}` (XML `<errors><error>…`), never the
platform's `{code, message}`: each endpoint catches its own errors (`_answer`) and reads its
parameters as raw strings, so no FastAPI validation error can reach the global handlers.

Reading is public and shows only what GeoReport defines — never a caller's name, phone or
ID. Posting needs an `open311` api key (actions.api_keys); the order is created through
`create_case` like every other order, by the key's system account.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from fazhi.hotline.api.open311 import requests, services
from fazhi.hotline.api.open311.wire import error_response, error_shape

__all__ = ["error_shape", "router"]

router = APIRouter(prefix="/open311/v2", tags=["Open311"])
router.include_router(services.router)
router.include_router(requests.router)


@router.api_route("/{rest:path}", methods=["GET", "POST"], include_in_schema=False)
async def unknown(rest: str) -> Response:
    fmt = rest.rsplit(".", 1)[-1] if "." in rest else "json"
    return error_response(fmt, 404, f"没有资源 /open311/v2/{rest}")
