"""What every console page shares: the signed-in user from the session cookie, the page
layout and navigation by role, template filters, and form handling in Chinese."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
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
from sqlalchemy import select

from fazhi.actions.auth import authenticate
from fazhi.actions.context import ActionContext
from fazhi.catalog.roles import RoleCatalog, default_roles
from fazhi.domain.case_type import CaseType
from fazhi.domain.due import remaining_label
from fazhi.domain.durations import LOCAL_TZ, Duration, extension_label
from fazhi.domain.errors import DomainError
from fazhi.domain.records import ClockRecord
from fazhi.domain.type_access import creatable_actions, workable_types
from fazhi.http.csrf import csrf_token
from fazhi.http.deps import TOKEN_COOKIE, Work, platform_of
from fazhi.read.messages import count_label, unread_count_query
from fazhi.store.db import transaction
from fazhi.web.form_tokens import CsrfFormExtension

TEMPLATES = Path(__file__).parent / "templates"
templates = Jinja2Templates(directory=TEMPLATES)
templates.env.add_extension(CsrfFormExtension)

NavEntry = tuple[str, str, frozenset[str]]
# A case's fields → the labels of what happened to it that its work-list row should show.
ListFlags = Callable[[Mapping[str, Any]], list[str]]
# In a nav entry's roles: every role.
EVERYONE = "*"
# A count shown beside a menu entry (unread messages, approvals waiting): a cheap indexed
# count as a scalar subquery, asked only for the entries the user's menu has, all of them
# in one statement (nav_counts).
NavCount = Callable[[Work], Any]
# (path, label, roles that see it); the first match of a role is its landing page. Type
# packages add their own entries (ConsoleExtension.nav), placed after an entry named here.
NAVIGATION: list[NavEntry] = [
    ("/work", "工作台", frozenset({"operator", "dispatcher", "unit_handler", "unit_leader"})),
    (
        "/analytics/metrics",
        "分析",
        frozenset({"district_leader", "supervisor", "dispatcher", "admin", "unit_leader"}),
    ),
    ("/indicators", "法治指标", frozenset({"district_leader", "rule_of_law_office", "admin"})),
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
    # Every console user has an inbox (站内消息).
    ("/messages", "消息", frozenset({EVERYONE})),
]
LANDING = {"admin": "/admin"}


# The ids a role's `nav` in catalog/roles.yaml may list, and the paths they stand for (the
# hotline's pages are among them: a role catalog names pages, not packages).
NAV_PATHS: dict[str, str] = {
    "work": "/work",
    "intake": "/intake",
    "supervision": "/supervision",
    "stats": "/stats",
    "map": "/map",
    "analytics": "/analytics/metrics",
    "indicators": "/indicators",
    "repeats": "/repeats",
    "cases": "/cases",
    "admin": "/admin",
    "report": "/report",
    "notifications": "/notifications",
    "missed_calls": "/missed-calls",
    "reply_templates": "/reply-templates",
    "assessment": "/assessment",
    "messages": "/messages",
    "approvals": "/approvals",
    "knowledge": "/knowledge",
    "catalogue": "/catalogue",
    "case_file_reviews": "/case-file-reviews",
    "penalty_items": "/penalty-items",
    "inspections": "/inspections",
    "legality": "/legality",
    "disputes": "/disputes",
    "legal_aid": "/legal-aid",
    "labour": "/labour",
    "petitions": "/petitions",
    "consumer": "/consumer",
    "correction": "/correction",
    "annual_report": "/annual-report",
}


def _roles(roles: str | Sequence[str]) -> tuple[str, ...]:
    return (roles,) if isinstance(roles, str) else tuple(roles)


def _catalog_paths(roles: Sequence[str], catalog: RoleCatalog | None) -> set[str]:
    catalog = catalog or default_roles()
    return {NAV_PATHS[n] for r in roles if r in catalog for n in catalog[r].nav if n in NAV_PATHS}


@dataclass(frozen=True)
class Shortcut:
    """A keyboard shortcut of a console page: `key` as shown and matched ("Alt+U",
    "Ctrl+Enter"), the element it acts on (a CSS selector: the first visible match is
    focused, a button clicked, a <details> opened, a form submitted; "@form" is the form
    being filled in) and what it does, in words for the page's 快捷键 legend."""

    key: str
    target: str
    label: str


# Shortcuts of every case page: submitting the action form being filled in.
CASE_SHORTCUTS = (Shortcut("Ctrl+Enter", "@form", "提交正在填写的表单"),)


@dataclass(frozen=True)
class CasePageExtension:
    """What a type package adds to the generic case page of its type.

    `action_forms`: action → template rendering its form's body instead of the generic
    inputs (in scope: a, case, values, errors, open_action, units, field_input);
    `own_pages`: actions taken on a page of their own, left out of the action list;
    `panels`: (roles, URL with {id}) sections loaded by htmx below the actions;
    `shortcuts`: (key, CSS selector, what) keyboard shortcuts of the page, listed in its
    快捷键 legend and bound by static/shortcuts.js (see `Shortcut`).
    `case_ref_fields`: whole-number fields holding another case's id (并入工单), shown as
    that case's number linking to it; `event_notes`: event action → a function of (work,
    the event's payload as shown) giving the (label, text) lines of its timeline entry, for
    events the type's actions do not describe (接收并单)."""

    action_forms: Mapping[str, str] = field(default_factory=dict)
    own_pages: frozenset[str] = frozenset()
    panels: tuple[tuple[frozenset[str], str], ...] = ()
    shortcuts: tuple[Shortcut, ...] = ()
    case_ref_fields: frozenset[str] = frozenset()
    event_notes: Mapping[str, Callable[[Work, Mapping[str, Any]], list[tuple[str, Any]]]] = field(
        default_factory=dict
    )


@dataclass(frozen=True)
class ConsoleExtension:
    """What a type package adds to the console: its pages' routers, navigation entries
    (each placed after an existing path), landing pages by role, its case-page additions by
    type, links on the work list, analytics views (key, label, after key), and the folders of
    its templates and static files (served under /static/<static_prefix>/); per type, the
    marks a work-list row shows beside the title (`list_flags`: the case's fields → labels
    such as 重办, 延期) and the actions the work list offers to take on many cases at once
    (`batch_actions`, each case still through the one door)."""

    routers: tuple[Any, ...] = ()
    nav: tuple[tuple[NavEntry, str], ...] = ()
    nav_unit_kinds: Mapping[str, frozenset[str]] = field(default_factory=dict)
    landing: Mapping[str, str] = field(default_factory=dict)
    # role → unit kind → landing page, before `landing` (a grid worker lands on 上报).
    unit_landing: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    case_pages: Mapping[str, CasePageExtension] = field(default_factory=dict)
    work_links: tuple[NavEntry, ...] = ()
    analytics_views: tuple[tuple[str, str, str], ...] = ()
    list_flags: Mapping[str, ListFlags] = field(default_factory=dict)
    batch_actions: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    nav_counts: Mapping[str, NavCount] = field(default_factory=dict)
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


def _unread_messages(w: Work) -> Any:
    return unread_count_query(w.actor)


ENGINE_NAV_COUNTS: dict[str, NavCount] = {"/messages": _unread_messages}


@dataclass(frozen=True)
class Console:
    """The console as composed for one app (the engine's and every type package's parts),
    kept as `app.state.console`."""

    navigation: tuple[NavEntry, ...] = tuple(NAVIGATION)
    nav_unit_kinds: Mapping[str, frozenset[str]] = field(default_factory=dict)
    landing: Mapping[str, str] = field(default_factory=lambda: dict(LANDING))
    unit_landing: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    case_pages: Mapping[str, CasePageExtension] = field(default_factory=dict)
    work_links: tuple[NavEntry, ...] = ()
    analytics_views: tuple[tuple[str, str], ...] = ()
    list_flags: Mapping[str, ListFlags] = field(default_factory=dict)
    batch_actions: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    nav_counts: Mapping[str, NavCount] = field(default_factory=lambda: dict(ENGINE_NAV_COUNTS))

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
            unit_landing={role: {**kinds} for x in found for role, kinds in x.unit_landing.items()},
            case_pages={k: v for x in found for k, v in x.case_pages.items()},
            work_links=tuple(link for x in found for link in x.work_links),
            analytics_views=tuple(views),
            list_flags={k: v for x in found for k, v in x.list_flags.items()},
            batch_actions={k: v for x in found for k, v in x.batch_actions.items()},
            nav_counts={
                **ENGINE_NAV_COUNTS,
                **{k: v for x in found for k, v in x.nav_counts.items()},
            },
        )

    def nav_for(
        self, roles: str | Sequence[str], unit_kind: str, catalog: RoleCatalog | None = None
    ) -> list[tuple[str, str]]:
        """(path, label) of the menu of a holder of `roles` in a unit of `unit_kind`: the
        entries that name one of its roles, and those its roles' `nav` in the roles catalog
        lists (a role added as data gets its menu without code)."""
        held = _roles(roles)
        wanted = _catalog_paths(held, catalog)
        return [
            (path, label)
            for path, label, entry_roles in self.navigation
            if (path in wanted or EVERYONE in entry_roles or any(r in entry_roles for r in held))
            and unit_kind in self.nav_unit_kinds.get(path, frozenset({unit_kind}))
        ]

    def landing_for(
        self, roles: str | Sequence[str], unit_kind: str = "", catalog: RoleCatalog | None = None
    ) -> str:
        """The primary role's (the first of `roles`) landing page: a package's for that role
        in a unit of `unit_kind`, else a package's or the engine's for the role, else the
        first entry of its menu."""
        held = _roles(roles)
        if not held:
            return "/cases"
        by_kind = self.unit_landing.get(held[0], {})
        if unit_kind in by_kind:
            return by_kind[unit_kind]
        if held[0] in self.landing:
            return self.landing[held[0]]
        menu = (
            self.nav_for(held[:1], unit_kind, catalog)
            if unit_kind
            else [
                (path, label)
                for path, label, entry in self.navigation
                if held[0] in entry or path in _catalog_paths(held[:1], catalog)
            ]
        )
        return menu[0][0] if menu else "/cases"

    def case_page(self, type_name: str) -> CasePageExtension:
        return self.case_pages.get(type_name, CasePageExtension())


def nav_counts(console: Console, nav: Sequence[tuple[str, str]], w: Work) -> dict[str, str]:
    """The counts beside the user's menu entries ("99+" past the inbox's cap), nonzero only:
    every count of the menu in one statement (it runs on every console page)."""
    asked = [(path, count(w)) for path, _ in nav if (count := console.nav_counts.get(path))]
    if not asked:
        return {}
    values = w.session.execute(select(*(query for _, query in asked))).one()
    return {path: count_label(int(v)) for (path, _), v in zip(asked, values, strict=True) if v}


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


def nav_for(roles: str | Sequence[str], unit_kind: str) -> list[tuple[str, str]]:
    """The engine's navigation alone (an app's composed one: `console_of(request)`)."""
    return Console().nav_for(roles, unit_kind)


def landing_for(roles: str | Sequence[str]) -> str:
    return Console().landing_for(roles)


def home(request: Request, w: Work) -> str:
    """The signed-in user's landing page in this app's console."""
    return console_of(request).landing_for(w.actor.roles, w.actor.unit.kind, w.platform.roles)


def type_nav(types: Iterable[CaseType], roles: tuple[str, ...]) -> list[dict[str, Any]]:
    """The case types `roles` may work on, for the navigation: each links to its list, and
    to its create form when one of the roles may create it."""
    return [
        {"name": t.name, "label": t.label, "create": bool(creatable_actions(t, roles))}
        for t in workable_types(types, roles)
    ]


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
        console = console_of(request)
        context.setdefault("nav", console.nav_for(actor.roles, actor.unit.kind, roles))
        context.setdefault("nav_counts", nav_counts(console, context["nav"], w))
        context.setdefault("now", w.ctx.now)
        context.setdefault("type_nav", type_nav(w.platform.types, actor.roles))
    context.setdefault("current_path", request.url.path)
    context.setdefault("csrf_token", csrf_token(request))
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


def countdown(clock: ClockRecord | None, now: datetime, calendar: Any) -> str:
    """剩余2个工作日 / 今日到期 / 剩余5小时30分钟 / 超期3个工作日 — the countdown of the
    running clock in its own unit (`domain.due.remaining_label`, the one countdown of the
    console and the API); "" without one."""
    return remaining_label(clock, now, calendar) if clock is not None else ""


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
templates.env.filters["extension_label"] = extension_label
# Labels of the roles for templates (event actors, the admin pages).
templates.env.globals["ROLE_LABELS"] = default_roles().labels
templates.env.globals["case_shortcuts"] = CASE_SHORTCUTS
