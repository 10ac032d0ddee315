"""What every console page shares: the signed-in user from the session cookie, the page
layout and navigation by role, template filters, and form handling in Chinese."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
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
from fazhi.catalog.roles import RoleCatalog, default_roles
from fazhi.domain.case_type import CaseType
from fazhi.domain.due import countdown_text
from fazhi.domain.durations import LOCAL_TZ, Duration
from fazhi.domain.errors import DomainError
from fazhi.domain.type_access import creatable_actions, workable_types
from fazhi.http.deps import TOKEN_COOKIE, Work, platform_of
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


def type_nav(types: Iterable[CaseType], roles: tuple[str, ...]) -> list[dict[str, Any]]:
    """The case types `roles` may work on, for the navigation: each links to its list, and
    to its create form when one of the roles may create it."""
    return [
        {"name": t.name, "label": t.label, "create": bool(creatable_actions(t, roles))}
        for t in workable_types(types, roles)
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
        context.setdefault("type_nav", type_nav(w.platform.types, actor.roles))
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


def countdown(
    due: datetime | str | None, now: datetime, calendar: Any, limit: str | None = None
) -> str:
    """剩余2个工作日 / 剩余12天 / 剩余5小时 / 超期3个工作日 — in the unit of the clock's
    `limit` ("5wd", "30cd", "24h", "3mo"; working days when not known)."""
    if due is None or due == "":
        return ""
    if isinstance(due, str):
        due = datetime.fromisoformat(due)
    return countdown_text(due, now, limit_unit(limit), calendar)


def limit_unit(limit: str | None) -> str | None:
    try:
        return Duration.parse(limit).unit if limit else None
    except ValueError:
        return None


def limit_label(text: str) -> str:
    try:
        return Duration.parse(text).label
    except ValueError:
        return text


def datetime_local(value: Any) -> str:
    """A stored instant (or a value as typed) for an <input type="datetime-local">."""
    if not value:
        return ""
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if moment.tzinfo is None:
        return moment.strftime("%Y-%m-%dT%H:%M")
    return local_time(moment, "%Y-%m-%dT%H:%M")


templates.env.filters["local"] = local_time
templates.env.filters["datetime_local"] = datetime_local
templates.env.filters["limit_label"] = limit_label
# Labels of the roles for templates (event actors, the admin pages).
templates.env.globals["ROLE_LABELS"] = default_roles().labels
