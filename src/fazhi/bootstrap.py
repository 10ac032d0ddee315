"""The composition root: the FastAPI application built from the engine and each type
package, and the list of type packages the `fazhi` command extends itself with.

A type package (`fazhi.hotline.plugin`) is a module with the attributes of `TypePackage`;
nothing below this module imports one.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any, Protocol

import swagger_ui_bundle
from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from fazhi import __version__
from fazhi.actions.platform import Platform
from fazhi.api import (
    analytics_routes,
    auth_routes,
    calendar_routes,
    case_routes,
    document_routes,
    errors,
    indicator_routes,
    link_routes,
    message_routes,
    meta_routes,
)
from fazhi.consumer import plugin as consumer
from fazhi.correction import plugin as correction
from fazhi.disputes import plugin as disputes
from fazhi.domain.errors import DomainError
from fazhi.enforcement import plugin as enforcement
from fazhi.hotline import plugin as hotline
from fazhi.http import csrf, security_headers
from fazhi.http.body_limits import BodyLimits
from fazhi.http.metrics import Metrics, MetricsMiddleware, allowed, content_type
from fazhi.labour import plugin as labour
from fazhi.legal_aid import plugin as legal_aid
from fazhi.legality import plugin as legality
from fazhi.petition import plugin as petition
from fazhi.report import plugin as report
from fazhi.web import console, error_page
from fazhi.web.console import Console, ConsoleExtension

DESCRIPTION = """法治政府建设运行平台（Fazhi）接口。

除登录外，所有接口需要 `Authorization: Bearer <token>`（先调用 `POST /api/v1/auth/token`）。
错误统一为 JSON：`{"code": "稳定的英文代码", "message": "中文说明", "field": "出错字段"}`。
"""
ENGINE_ROUTERS = (
    auth_routes.router,
    case_routes.router,
    meta_routes.router,
    calendar_routes.router,
    analytics_routes.router,
    document_routes.router,
    link_routes.router,
    message_routes.router,
    indicator_routes.router,
)


class TypePackage(Protocol):
    """What the composition root reads from a type package (all but NAME optional)."""

    NAME: str
    DEFAULT_TYPE: str | None
    API_ROUTERS: Sequence[APIRouter]
    CONSOLE: ConsoleExtension

    def register_cli(self, app: Any) -> None: ...

    def generate_demo(
        self,
        platform: Platform,
        orders: int,
        current: int,
        seed: int,
        progress: Callable[[int], None],
    ) -> str: ...

    def generate_city(
        self,
        platform: Platform,
        orders: dict[str, int],
        seed: int,
        years: int,
        progress: Callable[[int], None],
    ) -> str:
        """Bulk synthetic history: `orders[region]` cases of the package's type in each
        district (already loaded) over the last `years` years (`fazhi demo generate`)."""
        ...


TYPE_PACKAGES: tuple[ModuleType, ...] = (
    hotline,
    enforcement,
    legality,
    disputes,
    legal_aid,
    labour,
    petition,
    consumer,
    correction,
    # Not a case type: the annual report reads the types' results, so it comes last.
    report,
)


def default_type(packages: Sequence[ModuleType] = TYPE_PACKAGES) -> str | None:
    """The deployment's main case type: the first type package's."""
    return next((p.DEFAULT_TYPE for p in packages if getattr(p, "DEFAULT_TYPE", None)), None)


def console_extensions(packages: Sequence[ModuleType] = TYPE_PACKAGES) -> list[ConsoleExtension]:
    return [p.CONSOLE for p in packages if getattr(p, "CONSOLE", None) is not None]


def composed_console(packages: Sequence[ModuleType] = TYPE_PACKAGES) -> Console:
    """The console as the app composes it (navigation, landing pages …), e.g. for tests."""
    return Console.compose(console_extensions(packages))


def console_modules() -> list[ModuleType]:
    """The engine's console modules: fazhi.web.pages and every fazhi.web.*_pages."""
    import fazhi.web

    names = sorted(
        m.name
        for m in pkgutil.iter_modules(fazhi.web.__path__)
        if m.name == "pages" or m.name.endswith("_pages")
    )
    return [importlib.import_module(f"fazhi.web.{name}") for name in names]


def create_app(
    platform: Platform | None = None, packages: Sequence[ModuleType] = TYPE_PACKAGES
) -> FastAPI:
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
    app.state.default_case_type = default_type(packages)
    errors.install(app)
    app.state.error_shapes = {
        k: v for p in packages for k, v in getattr(p, "ERROR_SHAPES", {}).items()
    }
    # A browser asking for a console page gets its errors as a Chinese page, not JSON.
    app.state.page_error_shape = error_page.error_page
    # Added innermost first: security headers outermost (every refusal gets them), then the
    # body limits (an oversize body is refused before anything reads it), then CSRF.
    app.add_middleware(csrf.CsrfMiddleware)
    app.add_middleware(
        BodyLimits, extra=[r for p in packages for r in getattr(p, "BODY_LIMITS", ())]
    )
    tiles = security_headers.tile_source(platform.settings.map_tiles)
    app.add_middleware(
        security_headers.SecurityHeadersMiddleware, img_sources=(tiles,) if tiles else ()
    )
    # Outermost: a refusal by any middleware is counted and timed too.
    metrics = Metrics(platform)
    app.state.metrics = metrics
    app.add_middleware(MetricsMiddleware, metrics=metrics)

    # First in the route table (routes are matched in order; a probe calls it often), and
    # async: it does no blocking work, so it skips the thread-pool hop of a `def` route.
    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, Any]:
        return {"ok": True, "version": __version__}

    for router in ENGINE_ROUTERS:
        app.include_router(router)
    for package in packages:
        for router in getattr(package, "API_ROUTERS", ()):
            app.include_router(router)

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

    @app.get("/metrics", include_in_schema=False)
    def prometheus_metrics(request: Request) -> Response:
        # Blocking (files, one query): a `def` route runs in the thread pool.
        if not allowed(request.scope):
            raise DomainError(
                "metrics_forbidden", "运行指标仅限本机直接访问或持有监控令牌的请求读取", 403
            )
        return Response(metrics.render(), media_type=content_type())

    extensions = console_extensions(packages)
    app.state.console = console.install(extensions)
    # A type package's static files first: the engine's /static would answer for them.
    for extension in extensions:
        if extension.static is not None:
            prefix = f"/static/{extension.static_prefix}"
            app.mount(prefix, StaticFiles(directory=extension.static), name=prefix)
    app.mount(
        "/static", StaticFiles(directory=Path(console.__file__).parent / "static"), name="static"
    )
    for module in console_modules():
        app.include_router(module.router)
    for extension in extensions:
        for router in extension.routers:
            app.include_router(router)

    @app.exception_handler(console.PageAnswer)
    async def page_answer(request: Request, exc: console.PageAnswer) -> Response:
        return exc.response

    @app.exception_handler(console.LoginRequired)
    async def login_required(request: Request, exc: console.LoginRequired) -> Response:
        return console.login_redirect(request, exc)

    return app
