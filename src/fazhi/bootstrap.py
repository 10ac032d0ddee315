"""The FastAPI application: JSON API, offline API docs and the console's pages."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path
from types import ModuleType
from typing import Any

import swagger_ui_bundle
from fastapi import FastAPI, Request, Response
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from fazhi import __version__
from fazhi.actions.platform import Platform
from fazhi.api import (
    auth_routes,
    calendar_routes,
    case_routes,
    document_routes,
    errors,
    meta_routes,
    open311,
    report_routes,
)

DESCRIPTION = """法治政府建设运行平台（Fazhi）接口。

除登录外，所有接口需要 `Authorization: Bearer <token>`（先调用 `POST /api/v1/auth/token`）。
错误统一为 JSON：`{"code": "稳定的英文代码", "message": "中文说明", "field": "出错字段"}`。
"""


def console_modules() -> list[ModuleType]:
    import fazhi.web

    names = sorted(
        m.name
        for m in pkgutil.iter_modules(fazhi.web.__path__)
        if m.name == "pages" or m.name.endswith("_pages")
    )
    return [importlib.import_module(f"fazhi.web.{name}") for name in names]


def create_app(platform: Platform | None = None) -> FastAPI:
    platform = platform or Platform.create()
    app = FastAPI(
        title="Fazhi 法治",
        version=__version__,
        description=DESCRIPTION,
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.platform = platform
    app.state.default_case_type = "hotline"
    errors.install(app)
    for module in (auth_routes, case_routes, meta_routes, calendar_routes, open311):
        app.include_router(module.router)
    app.include_router(document_routes.router)
    app.include_router(importlib.import_module("fazhi.api.transfer_routes").router)
    app.include_router(report_routes.router)
    app.include_router(importlib.import_module("fazhi.api.routing_routes").router)
    app.include_router(importlib.import_module("fazhi.api.merge_routes").router)
    app.include_router(importlib.import_module("fazhi.api.analytics_routes").router)
    app.include_router(importlib.import_module("fazhi.api.link_routes").router)

    # API docs served from the swagger-ui-bundle package: no CDN on government networks.
    swagger_dir = Path(swagger_ui_bundle.swagger_ui_path)
    app.mount("/static/swagger", StaticFiles(directory=swagger_dir), name="swagger")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="Fazhi 法治 — 接口文档",
            swagger_js_url="/static/swagger/swagger-ui-bundle.js",
            swagger_css_url="/static/swagger/swagger-ui.css",
            swagger_favicon_url="/static/swagger/favicon-32x32.png",
        )

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, Any]:
        return {"ok": True, "version": __version__}

    from fazhi.web import console

    app.mount(
        "/static", StaticFiles(directory=Path(console.__file__).parent / "static"), name="static"
    )
    # Every console module (fazhi.web.pages and fazhi.web.*_pages) brings its own router.
    for module in console_modules():
        app.include_router(module.router)

    @app.exception_handler(console.PageAnswer)
    async def page_answer(request: Request, exc: console.PageAnswer) -> Response:
        return exc.response

    @app.exception_handler(console.LoginRequired)
    async def login_required(request: Request, exc: console.LoginRequired) -> Response:
        return console.login_redirect(request, exc)

    return app
