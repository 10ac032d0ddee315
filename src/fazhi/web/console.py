"""What every console page shares: the signed-in user from the session cookie, the page
layout and navigation by role, template filters, and form handling in Chinese."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
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
from fazhi.domain.case_type import CaseType
from fazhi.domain.due import countdown_text
from fazhi.domain.durations import LOCAL_TZ, Duration
from fazhi.domain.errors import DomainError
from fazhi.domain.roles import ROLE_LABELS
from fazhi.domain.type_access import creatable_actions, workable_types
from fazhi.http.deps import TOKEN_COOKIE, Work, platform_of
from fazhi.store.db import transaction

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")

# (path, label, roles that see it); the first match of a role is its landing page.
NAVIGATION: list[tuple[str, str, frozenset[str]]] = [
    ("/work", "工作台", frozenset({"operator", "dispatcher", "unit_handler", "unit_leader"})),
    ("/intake", "受理", frozenset({"operator", "dispatcher"})),
    (
        "/supervision",
        "督办",
        frozenset({"supervisor", "district_leader", "dispatcher", "unit_leader"}),
    ),
    (
        "/stats",
        "统计",
        frozenset({"district_leader", "supervisor", "dispatcher", "admin", "unit_leader"}),
    ),
    ("/map", "地图", frozenset({"district_leader", "supervisor", "dispatcher", "admin"})),
    (
        "/analytics/hotspots",
        "分析",
        frozenset({"district_leader", "supervisor", "dispatcher", "admin", "unit_leader"}),
    ),
    ("/repeats", "重复诉求", frozenset({"district_leader", "supervisor", "dispatcher", "admin"})),
    (
        "/cases",
        "案件查询",
        frozenset(
            {
                "operator",
                "dispatcher",
                "unit_handler",
                "unit_leader",
                "supervisor",
                "district_leader",
                "admin",
            }
        ),
    ),
    ("/admin", "系统管理", frozenset({"admin"})),
    ("/report", "上报", frozenset({"unit_handler"})),
    ("/notifications", "通知", frozenset({"admin", "dispatcher"})),
]
# Entries shown only to users of these unit kinds (the grid worker's patrol report).
NAV_UNIT_KINDS: dict[str, frozenset[str]] = {"/report": frozenset({"grid", "community", "street"})}


def nav_for(role: str, unit_kind: str) -> list[tuple[str, str]]:
    return [
        (path, label)
        for path, label, roles in NAVIGATION
        if role in roles and unit_kind in NAV_UNIT_KINDS.get(path, frozenset({unit_kind}))
    ]


def type_nav(types: Iterable[CaseType], roles: tuple[str, ...]) -> list[dict[str, Any]]:
    """The case types `roles` may work on, for the navigation: each links to its list, and
    to its create form when one of the roles may create it."""
    return [
        {"name": t.name, "label": t.label, "create": bool(creatable_actions(t, roles))}
        for t in workable_types(types, roles)
    ]


LANDING = {"supervisor": "/supervision", "district_leader": "/stats", "admin": "/admin"}


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


def landing_for(role: str) -> str:
    if role in LANDING:
        return LANDING[role]
    return next((path for path, _, roles in NAVIGATION if role in roles), "/cases")


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
        context.setdefault("role_label", ROLE_LABELS.get(actor.role, actor.role))
        context.setdefault("nav", nav_for(actor.role, actor.unit.kind))
        context.setdefault("now", w.ctx.now)
        context.setdefault("type_nav", type_nav(w.platform.types, (actor.role,)))
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
templates.env.globals["ROLE_LABELS"] = ROLE_LABELS
