"""What every console page shares: the signed-in user from the session cookie, the page
layout and navigation by role, template filters, and form handling in Chinese."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import ChoiceLoader, FileSystemLoader

from fazhi.actions.auth import authenticate
from fazhi.actions.context import ActionContext
from fazhi.domain.calendar import CalendarYearUnknown
from fazhi.domain.durations import LOCAL_TZ, Duration, local_date
from fazhi.domain.errors import DomainError
from fazhi.domain.roles import ROLE_LABELS
from fazhi.http.deps import TOKEN_COOKIE, Work, platform_of
from fazhi.store.db import transaction

TEMPLATES = Path(__file__).parent / "templates"
templates = Jinja2Templates(directory=TEMPLATES)

NavEntry = tuple[str, str, frozenset[str]]
# (path, label, roles that see it); the first match of a role is its landing page. Type
# packages add their own entries (ConsoleExtension.nav), placed after an entry named here.
NAVIGATION: list[NavEntry] = [
    ("/work", "工作台", frozenset({"operator", "dispatcher", "unit_handler", "unit_leader"})),
    (
        "/analytics/metrics",
        "分析",
        frozenset({"district_leader", "supervisor", "dispatcher", "admin", "unit_leader"}),
    ),
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
    ("/notifications", "通知", frozenset({"admin", "dispatcher"})),
]
LANDING = {"admin": "/admin"}


@dataclass(frozen=True)
class CasePageExtension:
    """What a type package adds to the generic case page of its type.

    `action_forms`: action → template rendering its form's body instead of the generic
    inputs (in scope: a, case, values, errors, open_action, units, field_input);
    `own_pages`: actions taken on a page of their own, left out of the action list;
    `panels`: (roles, URL with {id}) sections loaded by htmx below the actions."""

    action_forms: Mapping[str, str] = field(default_factory=dict)
    own_pages: frozenset[str] = frozenset()
    panels: tuple[tuple[frozenset[str], str], ...] = ()


@dataclass(frozen=True)
class ConsoleExtension:
    """What a type package adds to the console: its pages' routers, navigation entries
    (each placed after an existing path), landing pages by role, its case-page additions by
    type, links on the work list, analytics views (key, label, after key), and the folders of
    its templates and static files (served under /static/<static_prefix>/)."""

    routers: tuple[Any, ...] = ()
    nav: tuple[tuple[NavEntry, str], ...] = ()
    nav_unit_kinds: Mapping[str, frozenset[str]] = field(default_factory=dict)
    landing: Mapping[str, str] = field(default_factory=dict)
    case_pages: Mapping[str, CasePageExtension] = field(default_factory=dict)
    work_links: tuple[NavEntry, ...] = ()
    analytics_views: tuple[tuple[str, str, str], ...] = ()
    templates: Path | None = None
    static_prefix: str = ""
    static: Path | None = None


def _placed(base: list[Any], extras: Iterable[tuple[Any, str]], key: Any) -> list[Any]:
    """`base` with each extra inserted after the item whose key is its anchor (at the end
    when the anchor is unknown), in the order given."""
    items = list(base)
    for item, after in extras:
        at = next((i for i, x in enumerate(items) if key(x) == after), len(items) - 1)
        items.insert(at + 1, item)
    return items


@dataclass(frozen=True)
class Console:
    """The console as composed for one app (the engine's and every type package's parts),
    kept as `app.state.console`."""

    navigation: tuple[NavEntry, ...] = tuple(NAVIGATION)
    nav_unit_kinds: Mapping[str, frozenset[str]] = field(default_factory=dict)
    landing: Mapping[str, str] = field(default_factory=lambda: dict(LANDING))
    case_pages: Mapping[str, CasePageExtension] = field(default_factory=dict)
    work_links: tuple[NavEntry, ...] = ()
    analytics_views: tuple[tuple[str, str], ...] = ()

    @classmethod
    def compose(cls, extensions: Iterable[ConsoleExtension]) -> Console:
        found = list(extensions)
        base = cls()
        nav = _placed(list(base.navigation), (e for x in found for e in x.nav), lambda n: n[0])
        views = _placed(
            list(ANALYTICS_VIEWS.items()),
            (((k, label), after) for x in found for k, label, after in x.analytics_views),
            lambda v: v[0],
        )
        return cls(
            navigation=tuple(nav),
            nav_unit_kinds={k: v for x in found for k, v in x.nav_unit_kinds.items()},
            landing={**base.landing, **{k: v for x in found for k, v in x.landing.items()}},
            case_pages={k: v for x in found for k, v in x.case_pages.items()},
            work_links=tuple(link for x in found for link in x.work_links),
            analytics_views=tuple(views),
        )

    def nav_for(self, role: str, unit_kind: str) -> list[tuple[str, str]]:
        return [
            (path, label)
            for path, label, roles in self.navigation
            if role in roles and unit_kind in self.nav_unit_kinds.get(path, frozenset({unit_kind}))
        ]

    def landing_for(self, role: str) -> str:
        if role in self.landing:
            return self.landing[role]
        return next((path for path, _, roles in self.navigation if role in roles), "/cases")

    def case_page(self, type_name: str) -> CasePageExtension:
        return self.case_pages.get(type_name, CasePageExtension())


# The engine's own analytics views; type packages add theirs (ConsoleExtension).
ANALYTICS_VIEWS = {"metrics": "指标", "hotspots": "热点", "trends": "趋势", "units": "单位绩效"}


def install(extensions: Iterable[ConsoleExtension]) -> Console:
    """Let the templates of the type packages be found (beside the engine's), and compose
    the console; called once per app by the composition root."""
    found = list(extensions)
    loaders = [FileSystemLoader(str(TEMPLATES))]
    loaders += [FileSystemLoader(str(x.templates)) for x in found if x.templates is not None]
    templates.env.loader = ChoiceLoader(loaders)
    return Console.compose(found)


def console_of(request: Request) -> Console:
    found: Console | None = getattr(request.app.state, "console", None)
    return found if found is not None else Console()


def nav_for(role: str, unit_kind: str) -> list[tuple[str, str]]:
    """The engine's navigation alone (an app's composed one: `console_of(request)`)."""
    return Console().nav_for(role, unit_kind)


def landing_for(role: str) -> str:
    return Console().landing_for(role)


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
        context.setdefault("role_label", ROLE_LABELS.get(actor.role, actor.role))
        context.setdefault("nav", console_of(request).nav_for(actor.role, actor.unit.kind))
        context.setdefault("now", w.ctx.now)
    context.setdefault("current_path", request.url.path)
    return templates.TemplateResponse(request, template, context, status_code=status_code)


def forbidden(request: Request, w: Work, what: str) -> Response:
    """The 403 page of a view the user's role may not open (`what` names the view)."""
    return render(request, "stats_denied.html", {"what": what}, w, status_code=403)


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
templates.env.globals["ROLE_LABELS"] = ROLE_LABELS
