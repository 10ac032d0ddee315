"""Which error shape a path answers in: the platform's {code, message} unless a type package
claims a path prefix for a shape of its own (Open311 answers GeoReport v2's list of
{code, description} for every error under /open311/, also ones no endpoint of it raised:
validation, a body too large, an unexpected failure).

The composition root sets `app.state.error_shapes` ({prefix: shape}); the exception handlers
(fazhi.api.errors) and the body-limit middleware answer through `error_response`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from fastapi import Request, Response
from fastapi.responses import JSONResponse

# (request, status, code, Chinese message) → the response in that interface's shape
ErrorShape = Callable[[Request, int, str, str], Response]


def shape_for(request: Request) -> ErrorShape | None:
    app = request.scope.get("app")
    shapes: Mapping[str, ErrorShape] = getattr(getattr(app, "state", None), "error_shapes", {})
    path = request.url.path
    return next((s for prefix, s in shapes.items() if path.startswith(prefix)), None)


# Paths that are interfaces, never console pages: their errors stay JSON (or their shape).
INTERFACE_PREFIXES = ("/api/", "/open311/", "/openapi.json", "/healthz", "/docs", "/static/")


def wants_page(request: Request) -> bool:
    """A console page asked for by a browser (or by htmx): answer its errors as a Chinese
    HTML page rather than JSON."""
    if request.url.path.startswith(INTERFACE_PREFIXES):
        return False
    return "text/html" in request.headers.get("accept", "") or bool(
        request.headers.get("hx-request")
    )


def page_shape_for(request: Request) -> ErrorShape | None:
    """The console's error page (`app.state.page_error_shape`, set by the composition root)
    for a page request, else None."""
    app = request.scope.get("app")
    shape: ErrorShape | None = getattr(getattr(app, "state", None), "page_error_shape", None)
    return shape if shape is not None and wants_page(request) else None


def error_response(
    request: Request, status: int, body: dict[str, Any], headers: Mapping[str, str] | None = None
) -> Response:
    shape = shape_for(request) or page_shape_for(request)
    if shape is not None:
        return shape(request, status, str(body["code"]), str(body["message"]))
    return JSONResponse(body, status_code=status, headers=dict(headers) if headers else None)
