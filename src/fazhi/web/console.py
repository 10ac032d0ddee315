"""What every console page shares: the signed-in user from the session cookie, the page
layout and navigation by role, template filters, and form handling in Chinese."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from fazhi.actions.auth import authenticate
from fazhi.actions.cases import ActionContext
from fazhi.api.deps import TOKEN_COOKIE, Work, platform_of
from fazhi.catalog.roles import RoleCatalog, default_roles
from fazhi.domain.calendar import CalendarYearUnknown
from fazhi.domain.durations import LOCAL_TZ, Duration, local_date
from fazhi.domain.errors import DomainError
from fazhi.store.db import transaction

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")

# The menu entries, in the order the menu shows them: (id, path, label). Which entries a
# user sees is data: the `nav` of each of its roles in catalog/roles.yaml (the union, in
# this order); the first entry of its primary role is its landing page.
NAVIGATION: list[tuple[str, str, str]] = [
    ("work", "/work", "工作台"),
    ("intake", "/intake", "受理"),
    ("supervision", "/supervision", "督办"),
    ("stats", "/stats", "统计"),
    ("map", "/map", "地图"),
    ("analytics", "/analytics/hotspots", "分析"),
    ("repeats", "/repeats", "重复诉求"),
    ("cases", "/cases", "案件查询"),
    ("admin", "/admin", "系统管理"),
    ("report", "/report", "上报"),
    ("notifications", "/notifications", "通知"),
]
_PATHS = {nav_id: path for nav_id, path, _ in NAVIGATION}
# Entries shown only to users of these unit kinds (the grid worker's patrol report).
NAV_UNIT_KINDS: dict[str, frozenset[str]] = {"report": frozenset({"grid", "community", "street"})}


def _roles(roles: str | Sequence[str]) -> tuple[str, ...]:
    return (roles,) if isinstance(roles, str) else tuple(roles)


def _shown(nav_id: str, unit_kind: str) -> bool:
    return unit_kind in NAV_UNIT_KINDS.get(nav_id, frozenset({unit_kind}))


def nav_for(
    roles: str | Sequence[str], unit_kind: str, catalog: RoleCatalog | None = None
) -> list[tuple[str, str]]:
    """(path, label) of the menu of a holder of `roles` in a unit of `unit_kind`."""
    catalog = catalog or default_roles()
    wanted = {n for r in _roles(roles) if r in catalog for n in catalog[r].nav}
    return [
        (path, label)
        for nav_id, path, label in NAVIGATION
        if nav_id in wanted and _shown(nav_id, unit_kind)
    ]


def landing_for(
    roles: str | Sequence[str], unit_kind: str = "", catalog: RoleCatalog | None = None
) -> str:
    """The first menu entry of the primary role (the first of `roles`)."""
    catalog = catalog or default_roles()
    held = _roles(roles)
    primary = catalog.get(held[0]) if held else None
    for nav_id in primary.nav if primary else ():
        if not unit_kind or _shown(nav_id, unit_kind):
            return _PATHS[nav_id]
    return "/cases"


def home(w: Work) -> str:
    """The signed-in user's landing page."""
    return landing_for(w.actor.roles, w.actor.unit.kind, w.platform.roles)


class LoginRequired(Exception):
    """Raised by pages when there is no valid session; answered with a redirect."""

    def __init__(self, next_path: str, reason: str = "") -> None:
        self.next_path = next_path
        self.reason = reason


class PageAnswer(Exception):
    """Raised by a page's guard with the response to send instead (a 403 page, say), so
    handlers need not repeat the check; the app answers with `response`."""

    def __init__(self, response: Response) -> None:
        self.response = response


@contextmanager
def page_work(request: Request) -> Iterator[Work]:
    """A transaction for one page, with the signed-in user; redirects to login without one."""
    platform = platform_of(request)
    token = request.cookies.get(TOKEN_COOKIE)
    next_path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if not token:
        raise LoginRequired(next_path)
    with transaction(platform.sessions) as session:
        now = platform.now()
        try:
            actor = authenticate(session, platform, token, now)
        except DomainError as exc:
            raise LoginRequired(next_path, exc.code) from None
        yield Work(session, ActionContext(platform, actor, now))


def login_redirect(request: Request, exc: LoginRequired) -> Response:
    target = f"/login?next={quote(exc.next_path)}"
    if exc.reason:
        target += f"&reason={exc.reason}"
    if request.headers.get("hx-request"):
        return Response(status_code=204, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


def render(
    request: Request,
    template: str,
    context: dict[str, Any],
    w: Work | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    if w is not None:
        actor = w.actor
        context.setdefault("actor", actor)
        roles = w.platform.roles
        context.setdefault("role_label", "、".join(roles.label(r) for r in actor.roles))
        context.setdefault("nav", nav_for(actor.roles, actor.unit.kind, roles))
        context.setdefault("now", w.ctx.now)
    context.setdefault("current_path", request.url.path)
    return templates.TemplateResponse(request, template, context, status_code=status_code)


def redirect(request: Request, target: str) -> Response:
    """After a successful form post: htmx follows HX-Redirect, a plain form a 303."""
    if request.headers.get("hx-request"):
        return Response(status_code=204, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


# ---------------------------------------------------------------------------------------------
# Template filters


def local_time(moment: datetime | str | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    if moment is None or moment == "":
        return ""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment.astimezone(LOCAL_TZ).strftime(fmt)


def countdown(due: datetime | str | None, now: datetime, calendar: Any) -> str:
    """剩余2个工作日 / 剩余5小时 / 超期3个工作日 — what a handler reads at a glance."""
    if due is None or due == "":
        return ""
    if isinstance(due, str):
        due = datetime.fromisoformat(due)
    seconds = (due - now).total_seconds()
    if abs(seconds) < 24 * 3600:
        hours = max(1, int(abs(seconds) // 3600)) if abs(seconds) >= 3600 else None
        minutes = max(1, int(abs(seconds) // 60))
        span = f"{hours}小时" if hours else f"{minutes}分钟"
        return f"剩余{span}" if seconds >= 0 else f"超期{span}"
    try:
        days = calendar.workdays_between(local_date(now), local_date(due))
    except CalendarYearUnknown:
        days = (local_date(due) - local_date(now)).days
    return f"剩余{days}个工作日" if seconds >= 0 else f"超期{abs(days)}个工作日"


def limit_label(text: str) -> str:
    try:
        return Duration.parse(text).label
    except ValueError:
        return text


templates.env.filters["local"] = local_time
templates.env.filters["limit_label"] = limit_label
# Labels of the roles for templates (event actors, the admin pages).
templates.env.globals["ROLE_LABELS"] = default_roles().labels
