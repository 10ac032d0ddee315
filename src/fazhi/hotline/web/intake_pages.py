"""受理 (intake): the operator's form for a hotline request, with the place it resolves to,
earlier orders from the same caller or address, and the default lead unit; plus the
dispatch form's helpers (default lead unit, deadline preview)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import pass_context
from sqlalchemy import or_, select
from starlette.concurrency import run_in_threadpool

from fazhi.actions.cases import case_type_or_error, create_case
from fazhi.actions.platform import Platform
from fazhi.actions.visibility import read_visible_case, visible_clause
from fazhi.domain.calendar import CalendarYearUnknown
from fazhi.domain.case_type import CaseType
from fazhi.domain.durations import due_at
from fazhi.domain.duty import STREET_LED_CATEGORIES
from fazhi.domain.errors import DomainError
from fazhi.domain.units import UnitRef
from fazhi.hotline.actions.knowledge import do_record_uses, parse_article_ids
from fazhi.hotline.read.caller_history import caller_history, key_of_phone
from fazhi.hotline.read.repeats import find_similar
from fazhi.http.deps import Work, platform_of
from fazhi.http.params import CaseId
from fazhi.org.directory import UnitDirectory
from fazhi.org.gazetteer import Placement, gazetteer_for, place_from_grid
from fazhi.org.locate import locate_grid
from fazhi.read.presenters import case_number
from fazhi.store.models import Case
from fazhi.web.console import home, local_time, page_work, redirect, render, templates
from fazhi.web.forms import error_status, field_errors, inputs_from_form

router = APIRouter(include_in_schema=False)

HOTLINE = "hotline"
INTAKE_ROLES = frozenset({"operator", "dispatcher"})
INTENTS = {"register": "register", "resolve": "resolve_at_intake"}
# Inputs shown on the intake form, in tab order; errors on any other field go to the top.
FORM_FIELDS = (
    "caller_name",
    "caller_phone",
    "request_kind",
    "content",
    "address",
    "longitude",
    "latitude",
    "category",
    "urgency",
    "channel",
    "answer",
)
RECENT_DAYS = 30
RECENT_LIMIT = 10
MAX_QUERY = 200


# ---------------------------------------------------------------------------------------------
# Helpers (no request needed)


def parse_point(longitude: str | None, latitude: str | None) -> tuple[float, float] | None:
    """Both coordinates as finite numbers, or None."""
    try:
        lon, lat = float(str(longitude).strip()), float(str(latitude).strip())
    except (TypeError, ValueError):
        return None
    if not (math.isfinite(lon) and math.isfinite(lat)):
        return None
    return lon, lat


def locate(
    platform: Platform, address: str, longitude: str | None = None, latitude: str | None = None
) -> Placement | None:
    """Coordinates first (the grid polygon that holds them), then the address text."""
    directory = platform.directory()
    point = parse_point(longitude, latitude)
    if point is not None:
        grid = locate_grid(platform.directory(), point)
        if grid is not None:
            return place_from_grid(directory, grid)
    return gazetteer_for(directory).locate_address(address or "")


def intake_grid(directory: UnitDirectory, inputs: dict[str, Any]) -> UnitRef | None:
    """The place to record from the address alone, when no grid was chosen and no
    coordinates were given (they are placed by `create_case` itself): the grid the address
    names, else its community (网格待定: a community of several grids), else its street.

    The order's `grid` holds the most specific unit known, so that the place the form showed
    (定位：田心街道 / 田心东社区) is the place stored: statistics, the street filter and
    visibility read the street from it (`UnitDirectory.street_of`)."""
    if inputs.get("grid") or parse_point(inputs.get("longitude"), inputs.get("latitude")):
        return None
    place = gazetteer_for(directory).locate_address(str(inputs.get("address") or ""))
    return place.area if place is not None else None


@dataclass(frozen=True)
class DefaultUnit:
    """The duty list's lead unit for a category, and how to say it."""

    unit: UnitRef | None
    text: str


def default_lead_unit(
    directory: UnitDirectory, category: str | None, area: UnitRef | None
) -> DefaultUnit:
    """The duty list's unit for `category` where the request arises (`area`: its grid,
    community or street, None when unknown), see `UnitDirectory.duty`."""
    if not category:
        return DefaultUnit(None, "")
    choice = directory.duty(category, area)
    unit = directory.by_id.get(choice.unit_id) if choice.unit_id is not None else None
    if choice.rule is not None and unit is not None:
        scope = directory.by_id.get(choice.rule.area_id) if choice.rule.area_id else None
        return DefaultUnit(unit, f"{unit.name}（职责清单：{scope.name if scope else '全区'}）")
    if unit is not None and choice.source == "street":
        return DefaultUnit(unit, f"{unit.name}（属地街道人民调解）")
    if unit is not None:
        return DefaultUnit(unit, unit.name)
    if category in STREET_LED_CATEGORIES:
        return DefaultUnit(None, "属地街道（人民调解），事发地点确定后显示")
    return DefaultUnit(None, "未配置，请派单时选择")


def deadline_text(
    platform: Platform,
    case_type: CaseType,
    fields: dict[str, Any],
    urgency: str,
    now: datetime,
    action: str = "dispatch",
) -> str:
    """办理时限将至：2023-06-08 23:59（5个工作日） for a dispatch now at `urgency`."""
    clock = case_type.clock("handle")
    if clock is None:
        return ""
    values = dict(fields)
    spec = case_type.field("urgency")
    if spec is not None and urgency in {code for code, _ in spec.choices}:
        values["urgency"] = urgency
    limit = clock.limit_for(action, values)
    try:
        due = due_at(now, limit, platform.calendar())
    except CalendarYearUnknown as exc:
        return exc.message
    return f"{clock.label}将至：{local_time(due)}（{limit.label}）"


def likely_duplicates(
    w: Work,
    text: str,
    phone: str,
    longitude: str | None,
    latitude: str | None,
    category: str = "",
    address: str = "",
) -> list[dict[str, Any]]:
    """Orders probably about the same problem: similar text, nearby, within 14 days
    (fazhi.hotline.routing.repeats), each with its score explained. Without coordinates the grid is
    taken from the address when it names exactly one."""
    if not text.strip():
        return []
    point = parse_point(longitude, latitude)
    grid_id = None
    if point is None and address.strip():
        place = gazetteer_for(w.ctx.directory).locate_address(address[:MAX_QUERY])
        grid_id = place.grid.id if place is not None and place.grid is not None else None
    found = find_similar(
        w.session,
        w.platform,
        w.actor,
        text[:4000],
        phone.strip()[:MAX_QUERY],
        point[0] if point else None,
        point[1] if point else None,
        grid_id,
        w.ctx.now,
        category=category.strip()[:40] or None,
        limit=RECENT_LIMIT,
    )
    case_type = w.platform.types.get(HOTLINE)
    return [
        {
            "id": s.case.id,
            "number": case_number(case_type, s.case),
            "state_label": case_type.state_label(s.case.state) if case_type else s.case.state,
            "title": s.case.title,
            "created_at": s.case.created_at,
            "explanation": s.candidate.explain(),
            "score": s.candidate.score,
        }
        for s in found
        if s.candidate.likely_duplicate
    ]


def recent_orders(w: Work, phone: str, address: str) -> list[dict[str, Any]]:
    """Hotline orders of the last 30 days from this phone or at this address, newest first."""
    phone, address = phone.strip()[:MAX_QUERY], address.strip()[:MAX_QUERY]
    conditions = []
    if phone:
        conditions.append(Case.fields["caller_phone"].as_string() == phone)
    if address:
        conditions.append(Case.fields["address"].as_string() == address)
    if not conditions:
        return []
    now = w.ctx.now
    stmt = (
        select(Case)
        .where(
            visible_clause(w.actor),
            Case.type == HOTLINE,
            Case.created_at >= now - timedelta(days=RECENT_DAYS),
            Case.created_at <= now,
            or_(*conditions),
        )
        .order_by(Case.created_at.desc(), Case.id.desc())
        .limit(RECENT_LIMIT)
    )
    case_type = w.platform.types.get(HOTLINE)
    items = []
    for case in w.session.scalars(stmt):
        same_phone = bool(phone) and case.fields.get("caller_phone") == phone
        same_address = bool(address) and case.fields.get("address") == address
        reasons = [
            reason
            for reason, hit in (("同一来电号码", same_phone), ("同一地址", same_address))
            if hit
        ]
        items.append(
            {
                "id": case.id,
                "number": case_number(case_type, case),
                "state_label": case_type.state_label(case.state) if case_type else case.state,
                "title": case.title,
                "created_at": case.created_at,
                "caller_phone": case.fields.get("caller_phone") or "",
                "address": case.fields.get("address") or "",
                "reasons": "、".join(reasons),
            }
        )
    return items


# ---------------------------------------------------------------------------------------------
# The intake page


def _refused(request: Request, w: Work, fragment: bool = False) -> Response:
    if fragment:
        return HTMLResponse('<p class="error">当前角色无权受理诉求</p>', status_code=403)
    return render(
        request,
        "intake_forbidden.html",
        {"landing": home(request, w)},
        w,
        status_code=403,
    )


def _locate_context(
    w: Work, address: str, longitude: str, latitude: str, category: str
) -> dict[str, Any]:
    place = locate(w.platform, address, longitude, latitude)
    default = default_lead_unit(w.ctx.directory, category, place.area if place else None)
    wanted = bool(address.strip()) or parse_point(longitude, latitude) is not None
    return {"place": place, "place_wanted": wanted, "default_unit": default}


def _render_intake(
    request: Request,
    w: Work,
    values: dict[str, str],
    errors: dict[str, str] | None = None,
    form_error: str = "",
    status_code: int = 200,
) -> Response:
    case_type = case_type_or_error(w.platform, HOTLINE)
    resolve = case_type.action("resolve_at_intake")
    context: dict[str, Any] = {
        "f": {name: case_type.field(name) for name in FORM_FIELDS if case_type.field(name)},
        "answer_spec": resolve.input("answer") if resolve else None,
        "can_resolve": bool(resolve and w.actor.has_role(*resolve.roles)),
        "values": values,
        "errors": errors or {},
        "form_error": form_error,
        "recent": recent_orders(w, values.get("caller_phone", ""), values.get("address", "")),
        "duplicates": likely_duplicates(
            w,
            values.get("content", ""),
            values.get("caller_phone", ""),
            values.get("longitude"),
            values.get("latitude"),
            values.get("category", ""),
            values.get("address", ""),
        ),
    }
    context.update(
        _locate_context(
            w,
            values.get("address", ""),
            values.get("longitude", ""),
            values.get("latitude", ""),
            values.get("category", ""),
        )
    )
    return render(request, "intake.html", context, w, status_code=status_code)


@router.get("/intake")
def intake_page(request: Request) -> Response:
    with page_work(request) as w:
        if not w.actor.has_role(*INTAKE_ROLES):
            return _refused(request, w)
        case_type = case_type_or_error(w.platform, HOTLINE)
        values = {
            spec.name: str(spec.default)
            for spec in case_type.fields
            if spec.name in FORM_FIELDS and spec.default is not None
        }
        return _render_intake(request, w, values)


@router.post("/intake")
async def intake_submit(request: Request) -> Response:
    form = await request.form()
    platform = platform_of(request)
    intent = str(form.get("intent") or "register")
    action_name = INTENTS.get(intent, "register")
    values = {k: v for k, v in form.items() if isinstance(v, str) and k in FORM_FIELDS}
    values["knowledge_ids"] = str(form.get("knowledge_ids") or "")[:200]

    def locked() -> Response:
        with platform.writing(), page_work(request) as w:
            if not w.actor.has_role(*INTAKE_ROLES):
                return _refused(request, w)
            case_type = case_type_or_error(w.platform, HOTLINE)
            action = case_type.action(action_name)
            if action is None:  # a type file without this creating action
                return _render_intake(
                    request, w, values, form_error="该案件类型不支持此受理方式", status_code=422
                )
            inputs = inputs_from_form(action.inputs, form)
            grid = intake_grid(w.ctx.directory, inputs)
            if grid is not None:
                inputs["grid"] = grid.id
            try:
                with w.session.begin_nested():
                    case = create_case(w.session, w.ctx, HOTLINE, inputs, action_name)
                    # 知识库 articles inserted into the answer: counted with the order.
                    ids = parse_article_ids(values["knowledge_ids"])
                    do_record_uses(w.session, w.ctx, ids, case.id)
            except DomainError as exc:
                errors, general = field_errors(exc, FORM_FIELDS)
                return _render_intake(
                    request,
                    w,
                    values,
                    errors,
                    general,
                    status_code=error_status(exc),
                )
        return redirect(request, f"/cases/{case.id}?done={action_name}")

    return await run_in_threadpool(locked)


@router.get("/intake/locate")
def intake_locate(
    request: Request,
    address: str = "",
    longitude: str = "",
    latitude: str = "",
    category: str = "",
) -> Response:
    with page_work(request) as w:
        if not w.actor.has_role(*INTAKE_ROLES):
            return _refused(request, w, fragment=True)
        context = _locate_context(w, address[:MAX_QUERY], longitude, latitude, category[:40])
        return render(request, "_intake_locate.html", context)


@router.get("/intake/recent")
def intake_recent(
    request: Request,
    phone: str = "",
    address: str = "",
    caller_phone: str = "",
    content: str = "",
    longitude: str = "",
    latitude: str = "",
    category: str = "",
) -> Response:
    """`phone` (or `caller_phone`, the form field's own name, as htmx sends it); with
    `content` (and coordinates, category or an address) also likely duplicates."""
    with page_work(request) as w:
        if not w.actor.has_role(*INTAKE_ROLES):
            return _refused(request, w, fragment=True)
        phone = phone or caller_phone
        recent = recent_orders(w, phone, address)
        duplicates = likely_duplicates(
            w, content[:4000], phone, longitude, latitude, category, address
        )
        key = key_of_phone(w.actor.region_code, phone[:MAX_QUERY])
        history = caller_history(w.session, w.platform, w.actor, key, w.ctx.now)
        return render(
            request,
            "_intake_recent.html",
            {
                "recent": recent,
                "duplicates": duplicates,
                "history": history,
                "has_phone": key is not None,
            },
        )


# ---------------------------------------------------------------------------------------------
# The dispatch form's helpers


@router.get("/cases/{case_id}/deadline-preview")
def deadline_preview(
    request: Request, case_id: CaseId, urgency: str = "", action: str = "dispatch"
) -> Response:
    with page_work(request) as w:
        try:
            case = read_visible_case(w.session, w.ctx, case_id, "deadline_preview")
        except DomainError:
            return HTMLResponse('<span class="error">案件不存在或无权查看</span>', status_code=404)
        case_type = case_type_or_error(w.platform, case.type)
        start = action if action in ("dispatch", "reassign") else "dispatch"
        text = deadline_text(w.platform, case_type, case.fields, urgency, w.ctx.now, start)
        return render(request, "_deadline_preview.html", {"text": text})


@pass_context
def dispatch_defaults(
    context: Any, case: dict[str, Any], action: str, urgency: str = ""
) -> dict[str, Any]:
    """For _dispatch_form.html: the duty list's unit (preselected), and the deadline line."""
    request: Request = context["request"]
    platform = platform_of(request)
    directory = platform.directory()
    case_type = platform.types.get(case.get("type", ""))
    fields = case.get("fields") or {}
    # Where the case lies, as precisely as known: its grid, else its street, else the place
    # its address names (so that area rules of the duty list apply).
    area = None
    for brief in (case.get("grid"), case.get("street")):
        area = directory.resolve(brief) if brief else None
        if area is not None:
            break
    if area is None:
        place = gazetteer_for(directory).locate_address(str(fields.get("address") or ""))
        area = place.area if place else None
    default = default_lead_unit(directory, case.get("category"), area)
    current = (case.get("lead_unit") or {}).get("code")
    preselect = default.unit.code if default.unit else ""
    if action in ("reassign", "uphold_return") and preselect == current:
        preselect = ""  # it came back from that unit: let the dispatcher choose again
    now = context.get("now") or platform.now()
    urgency = urgency or str(fields.get("urgency") or "")
    preview = deadline_text(platform, case_type, fields, urgency, now, action) if case_type else ""
    # Short names (区城管局) are what dispatchers type: the chooser searches them too.
    aliases = {row.code: row.short_name for row in directory.rows.values() if row.short_name}
    return {
        "preselect": preselect,
        "default_text": default.text,
        "preview": preview,
        "aliases": aliases,
    }


templates.env.globals["dispatch_defaults"] = dispatch_defaults
