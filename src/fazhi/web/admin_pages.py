"""系统管理 (admin console): accounts and roles, units, the duty mapping, deadline settings,
the holiday calendar and the log of these changes. Role admin only; everyone else gets 403.

Every change goes through `fazhi.actions.admin` (check, then do, in the page's transaction)
and is recorded in `admin_log`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from fazhi.actions import admin, duty
from fazhi.actions.admin import ClockForm
from fazhi.actions.user_roles import held_roles, roles_by_user
from fazhi.catalog.categories import load_categories
from fazhi.domain.errors import DomainError
from fazhi.http.deps import Work
from fazhi.store.models import (
    AdminLog,
    CalendarDay,
    CalendarYear,
    ClockSetting,
    GazetteerEntry,
    Unit,
    User,
    UserRole,
)
from fazhi.web.console import PageAnswer, page_work, redirect, render
from fazhi.web.forms import error_status, field_errors

router = APIRouter(include_in_schema=False)
USER_LIMIT = 500
LOG_PAGE = 50

FLASH = {
    "user_created": "账号已创建",
    "user_updated": "账号信息已保存",
    "password_reset": "密码已重置，该账号需用新密码重新登录",
    "user_deactivated": "账号已停用，其登录已立即失效",
    "user_reactivated": "账号已启用",
    "unit_created": "单位已新增",
    "unit_renamed": "单位名称已保存",
    "unit_deactivated": "单位已停用",
    "unit_reactivated": "单位已启用",
    "duty_changed": "职责映射已保存",
    "rule_saved": "区域职责规则已保存，原规则（如有）已停用并留在历史中",
    "rule_retired": "区域职责规则已停用",
    "entry_added": "地名已登记",
    "entry_deactivated": "地名已停用",
    "clock_saved": "办理时限已保存，对此后开始计时的时限生效",
    "clock_reset": "已恢复类型文件中的默认时限",
    "notice_saved": "节假日安排已导入",
    "day_saved": "调整日已保存",
    "day_removed": "调整日已删除",
}
SECTIONS = (
    ("/admin/users", "账号与角色", "新建账号、调整角色和所属单位、重置密码、停用或启用账号。"),
    ("/admin/units", "组织机构", "单位树：新增下级单位、修改名称、停用或启用单位。"),
    (
        "/admin/duty",
        "分类与职责",
        "24类诉求各自的默认主办单位（派单时的推荐单位），及按街道、社区的职责清单。",
    ),
    ("/admin/gazetteer", "地名库", "小区、道路、楼栋、地标等地名，受理时据此定位到社区和网格。"),
    ("/admin/deadlines", "办理时限", "各类案件各项时限的默认值与按紧急程度等的取值。"),
    ("/admin/calendar", "节假日", "导入国务院办公厅节假日安排通知，维护放假和调休上班日。"),
    ("/admin/log", "管理日志", "以上各项调整的记录（只增不改）。"),
)


DETAIL_LABELS = {
    "changes": "变更",
    "before": "调整前",
    "after": "调整后",
    "username": "用户名",
    "display_name": "姓名",
    "role": "角色",
    "roles": "全部角色",
    "unit": "单位",
    "code": "编码",
    "name": "名称",
    "short_name": "简称",
    "kind": "类型",
    "parent": "上级",
    "category": "分类",
    "basis": "依据",
    "year": "年份",
    "days": "调整日数",
    "summary": "安排",
    "area": "区域",
    "rule": "规则编号",
    "community": "社区",
    "grid": "网格",
}


def describe(details: dict[str, Any] | None) -> list[tuple[str, str]]:
    """An admin log row's details as (label, text) lines."""
    lines = []
    for key, value in (details or {}).items():
        if isinstance(value, dict | list):
            text = json.dumps(value, ensure_ascii=False)
        else:
            text = "—" if value is None else str(value)
        lines.append((DETAIL_LABELS.get(key, key), text))
    return lines


@contextmanager
def admin_work(request: Request) -> Iterator[Work]:
    """page_work for admins only; anyone else gets the 403 page (and nothing is written)."""
    with page_work(request) as w:
        if not w.actor.has_role("admin"):
            raise PageAnswer(render(request, "admin/forbidden.html", {}, w, status_code=403))
        yield w


def _page(
    request: Request, w: Work, template: str, context: dict[str, Any], status_code: int = 200
) -> Response:
    done = request.query_params.get("done", "")
    context.setdefault("flash", FLASH.get(done, ""))
    context.setdefault("errors", {})
    context.setdefault("form_error", "")
    context.setdefault("values", {})
    context["kind_labels"] = admin.KIND_LABELS
    context["describe"] = describe
    context["action_labels"] = admin.ACTION_LABELS
    return render(request, template, context, w, status_code=status_code)


def _attempt(w: Work, change: Callable[[], Any]) -> tuple[Any, DomainError | None]:
    """Run a change in a savepoint: on a refusal nothing of it stays, and the page can answer."""
    try:
        with w.session.begin_nested():
            return change(), None
    except DomainError as exc:
        return None, exc


def _form_text(form: Any, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def _unit_options(session: Session, region_code: str, kinds: tuple[str, ...] = ()) -> list[Any]:
    """Active units grouped by kind, for a select box (value = code)."""
    units = [u for u in admin.region_units(session, region_code) if u.active]
    groups = []
    for kind, label in admin.KIND_LABELS.items():
        if kinds and kind not in kinds:
            continue
        members = sorted((u for u in units if u.kind == kind), key=lambda u: u.path)
        if members:
            groups.append((label, members))
    return groups


# ---------------------------------------------------------------------------------------------
# Overview


@router.get("/admin")
def overview(request: Request) -> Response:
    with admin_work(request) as w:
        s, region = w.session, w.actor.region_code
        counts = {
            "/admin/users": s.scalar(
                select(func.count()).where(User.region_code == region, User.active.is_(True))
            ),
            "/admin/units": s.scalar(
                select(func.count()).where(Unit.region_code == region, Unit.active.is_(True))
            ),
            "/admin/duty": len(load_categories()),
            "/admin/gazetteer": s.scalar(
                select(func.count()).where(
                    GazetteerEntry.region_code == region, GazetteerEntry.active.is_(True)
                )
            ),
            "/admin/deadlines": s.scalar(select(func.count()).select_from(ClockSetting)),
            "/admin/calendar": s.scalar(select(func.count()).select_from(CalendarYear)),
            "/admin/log": s.scalar(select(func.count()).select_from(AdminLog)),
        }
        notes = {
            "/admin/users": "个在用账号",
            "/admin/units": "个在用单位",
            "/admin/duty": "类诉求",
            "/admin/gazetteer": "个登记地名",
            "/admin/deadlines": "项时限已按本地规则调整",
            "/admin/calendar": "个年份由导入的通知确定",
            "/admin/log": "条记录",
        }
        recent, _ = admin.log_entries(s, limit=8)
        return _page(
            request,
            w,
            "admin/index.html",
            {
                "sections": [(p, t, d, counts[p], notes[p]) for p, t, d in SECTIONS],
                "recent": recent,
                "action_labels": admin.ACTION_LABELS,
            },
        )


# ---------------------------------------------------------------------------------------------
# Accounts


def _users_page(
    request: Request,
    w: Work,
    errors: dict[str, str] | None = None,
    form_error: str = "",
    values: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    params = request.query_params
    q = params.get("q", "").strip()[:64]
    role = params.get("role", "")
    state = params.get("state", "")
    region = w.actor.region_code
    stmt = select(User).where(User.region_code == region)
    if q:
        pattern = f"%{q}%"
        stmt = stmt.where(or_(User.username.ilike(pattern), User.display_name.ilike(pattern)))
    catalog = w.platform.roles
    if role in catalog:
        holds = select(UserRole.user_id).where(UserRole.role == role)
        stmt = stmt.where(or_(User.role == role, User.id.in_(holds)))
    if state in ("active", "inactive"):
        stmt = stmt.where(User.active.is_(state == "active"))
    users = list(w.session.scalars(stmt.order_by(User.username).limit(USER_LIMIT + 1)))
    units = {u.id: u for u in admin.region_units(w.session, region)}
    held = roles_by_user(w.session, users[:USER_LIMIT], catalog)
    return _page(
        request,
        w,
        "admin/users.html",
        {
            "users": users[:USER_LIMIT],
            "held": held,
            "capped": len(users) > USER_LIMIT,
            "units": units,
            "roles": _role_options(w),
            "unit_options": _unit_options(w.session, region),
            "filters": {"q": q, "role": role, "state": state},
            "errors": errors or {},
            "form_error": form_error,
            "values": values or {},
            "open_create": errors is not None,
        },
        status_code=status_code,
    )


def _role_options(w: Work) -> list[tuple[str, str]]:
    """(id, label) of the roles an admin may give an account, in catalog order."""
    return [(spec.name, spec.label) for spec in w.platform.roles.assignable]


def _form_roles(form: Any) -> list[str]:
    return [v for v in form.getlist("roles") if isinstance(v, str) and v]


@router.get("/admin/users")
def users_page(request: Request) -> Response:
    with admin_work(request) as w:
        return _users_page(request, w)


@router.post("/admin/users")
async def create_user_page(request: Request) -> Response:
    form = await request.form()
    values: dict[str, Any] = {
        k: _form_text(form, k) for k in ("username", "display_name", "role", "unit")
    }
    values["roles"] = _form_roles(form)
    platform = request.app.state.platform
    with platform.writing(), admin_work(request) as w:
        user, exc = _attempt(
            w,
            lambda: admin.create_user(
                w.session,
                w.ctx,
                values["username"],
                values["display_name"],
                values["role"],
                values["unit"],
                _form_text(form, "password"),
                values["roles"],
            ),
        )
        if exc is not None:
            errors, general = field_errors(exc)
            return _users_page(request, w, errors, general, values, error_status(exc))
    return redirect(request, f"/admin/users/{user.id}?done=user_created")


def _user_page(
    request: Request,
    w: Work,
    user_id: int,
    errors: dict[str, str] | None = None,
    form_error: str = "",
    values: dict[str, Any] | None = None,
    open_form: str = "",
    status_code: int = 200,
) -> Response:
    user = w.session.get(User, user_id)
    if user is None or user.region_code != w.actor.region_code:
        return render(request, "admin/not_found.html", {"what": "账号"}, w, status_code=404)
    unit = w.session.get(Unit, user.unit_id)
    log = list(
        w.session.scalars(
            select(AdminLog)
            .where(AdminLog.target == f"user:{user.username}")
            .order_by(AdminLog.id.desc())
            .limit(20)
        )
    )
    return _page(
        request,
        w,
        "admin/user.html",
        {
            "user": user,
            "unit": unit,
            "held": held_roles(w.session, user, w.platform.roles),
            "roles": _role_options(w),
            "unit_options": _unit_options(w.session, w.actor.region_code),
            "is_self": user.id == w.actor.user_id,
            "errors": errors or {},
            "form_error": form_error,
            "values": values or {},
            "open_form": open_form,
            "log": log,
            "action_labels": admin.ACTION_LABELS,
        },
        status_code=status_code,
    )


@router.get("/admin/users/{user_id}")
def user_page(request: Request, user_id: int) -> Response:
    with admin_work(request) as w:
        return _user_page(request, w, user_id)


@router.post("/admin/users/{user_id}")
async def update_user_page(request: Request, user_id: int) -> Response:
    form = await request.form()
    values: dict[str, Any] = {k: _form_text(form, k) for k in ("display_name", "role", "unit")}
    # The form always lists the other roles (none ticked: none); a post without the
    # field (an older form) leaves them as they are.
    values["roles"] = _form_roles(form) if "roles_listed" in form else None
    platform = request.app.state.platform
    with platform.writing(), admin_work(request) as w:
        _, exc = _attempt(
            w,
            lambda: admin.update_user(
                w.session,
                w.ctx,
                user_id,
                values["display_name"],
                values["role"],
                values["unit"],
                values["roles"],
            ),
        )
        if exc is not None:
            errors, general = field_errors(exc)
            return _user_page(
                request, w, user_id, errors, general, values, "profile", error_status(exc)
            )
    return redirect(request, f"/admin/users/{user_id}?done=user_updated")


@router.post("/admin/users/{user_id}/password")
async def reset_password_page(request: Request, user_id: int) -> Response:
    form = await request.form()
    platform = request.app.state.platform
    with platform.writing(), admin_work(request) as w:
        password = _form_text(form, "password")
        if password != _form_text(form, "password_again"):
            errors = {"password_again": "两次输入的密码不一致"}
            return _user_page(request, w, user_id, errors, "", {}, "password", 422)
        _, exc = _attempt(w, lambda: admin.reset_password(w.session, w.ctx, user_id, password))
        if exc is not None:
            errors, general = field_errors(exc)
            return _user_page(
                request, w, user_id, errors, general, {}, "password", error_status(exc)
            )
    return redirect(request, f"/admin/users/{user_id}?done=password_reset")


@router.post("/admin/users/{user_id}/active")
async def user_active_page(request: Request, user_id: int) -> Response:
    form = await request.form()
    active = _form_text(form, "active") == "1"
    platform = request.app.state.platform
    with platform.writing(), admin_work(request) as w:
        _, exc = _attempt(w, lambda: admin.set_user_active(w.session, w.ctx, user_id, active))
        if exc is not None:
            return _user_page(request, w, user_id, {}, exc.message, {}, "", error_status(exc))
    done = "user_reactivated" if active else "user_deactivated"
    return redirect(request, f"/admin/users/{user_id}?done={done}")


# ---------------------------------------------------------------------------------------------
# Units


def _units_page(
    request: Request,
    w: Work,
    errors: dict[str, str] | None = None,
    form_error: str = "",
    values: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    params = request.query_params
    show_grids = params.get("grids") == "1"
    q = params.get("q", "").strip()[:100]
    units = admin.unit_tree(admin.region_units(w.session, w.actor.region_code))
    by_id = {u.id: u for u in units}
    grids_under: dict[int, int] = {}
    for unit in units:
        if unit.kind == "grid" and unit.parent_id is not None:
            grids_under[unit.parent_id] = grids_under.get(unit.parent_id, 0) + 1
    if q:
        needle = q.lower()
        matched = {
            u.id
            for u in units
            if needle in u.name.lower()
            or needle in u.code.lower()
            or needle in (u.short_name or "").lower()
        }
        keep = set(matched)
        for unit_id in matched:  # keep their ancestors, so each match is shown in place
            keep.update(int(p) for p in by_id[unit_id].path.strip("/").split("/") if p)
        shown = [u for u in units if u.id in keep]
    else:
        matched = set()
        shown = [u for u in units if show_grids or u.kind != "grid"]
    users_in = dict(
        w.session.execute(
            select(User.unit_id, func.count())
            .where(User.region_code == w.actor.region_code, User.active.is_(True))
            .group_by(User.unit_id)
        ).all()
    )
    parents = [u for u in units if u.active and u.kind != "grid"]
    return _page(
        request,
        w,
        "admin/units.html",
        {
            "units": shown,
            "total": len(units),
            "grid_count": sum(grids_under.values()),
            "grids_under": grids_under,
            "users_in": users_in,
            "show_grids": show_grids,
            "q": q,
            "matched": matched,
            "parents": parents,
            "kinds": [(k, admin.KIND_LABELS[k]) for k in admin.PARENT_KINDS],
            "parent_kinds": admin.PARENT_KINDS,
            "errors": errors or {},
            "form_error": form_error,
            "values": values or {},
            "open_create": errors is not None,
        },
        status_code=status_code,
    )


@router.get("/admin/units")
def units_page(request: Request) -> Response:
    with admin_work(request) as w:
        return _units_page(request, w)


@router.post("/admin/units")
async def add_unit_page(request: Request) -> Response:
    form = await request.form()
    values = {k: _form_text(form, k) for k in ("parent", "kind", "code", "name", "short_name")}
    platform = request.app.state.platform
    with platform.writing(), admin_work(request) as w:
        unit, exc = _attempt(
            w,
            lambda: admin.add_unit(
                w.session,
                w.ctx,
                values["parent"],
                values["kind"],
                values["code"],
                values["name"],
                values["short_name"],
            ),
        )
        if exc is not None:
            errors, general = field_errors(exc)
            return _units_page(request, w, errors, general, values, error_status(exc))
    return redirect(request, f"/admin/units/{unit.id}?done=unit_created")


def _unit_page(
    request: Request,
    w: Work,
    unit_id: int,
    errors: dict[str, str] | None = None,
    form_error: str = "",
    values: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    unit = w.session.get(Unit, unit_id)
    if unit is None or unit.region_code != w.actor.region_code:
        return render(request, "admin/not_found.html", {"what": "单位"}, w, status_code=404)
    all_units = {u.id: u for u in admin.region_units(w.session, w.actor.region_code)}
    ancestors = [
        all_units[int(p)]
        for p in unit.path.strip("/").split("/")
        if p and int(p) in all_units and int(p) != unit.id
    ]
    children = sorted(
        (u for u in all_units.values() if u.parent_id == unit.id), key=lambda u: u.code
    )
    users = list(
        w.session.scalars(select(User).where(User.unit_id == unit.id).order_by(User.username))
    )
    names = {c.code: c.name for c in load_categories()}
    return _page(
        request,
        w,
        "admin/unit.html",
        {
            "unit": unit,
            "ancestors": ancestors,
            "children": children,
            "users": users,
            "categories": [(c, names.get(c, c)) for c in unit.categories or []],
            "blockers": admin.deactivation_blockers(w.session, unit) if unit.active else [],
            "parent": all_units.get(unit.parent_id) if unit.parent_id else None,
            "errors": errors or {},
            "form_error": form_error,
            "values": values or {},
        },
        status_code=status_code,
    )


@router.get("/admin/units/{unit_id}")
def unit_page(request: Request, unit_id: int) -> Response:
    with admin_work(request) as w:
        return _unit_page(request, w, unit_id)


@router.post("/admin/units/{unit_id}")
async def rename_unit_page(request: Request, unit_id: int) -> Response:
    form = await request.form()
    values = {k: _form_text(form, k) for k in ("name", "short_name")}
    platform = request.app.state.platform
    with platform.writing(), admin_work(request) as w:
        _, exc = _attempt(
            w,
            lambda: admin.rename_unit(
                w.session, w.ctx, unit_id, values["name"], values["short_name"]
            ),
        )
        if exc is not None:
            errors, general = field_errors(exc)
            return _unit_page(request, w, unit_id, errors, general, values, error_status(exc))
    return redirect(request, f"/admin/units/{unit_id}?done=unit_renamed")


@router.post("/admin/units/{unit_id}/active")
async def unit_active_page(request: Request, unit_id: int) -> Response:
    form = await request.form()
    active = _form_text(form, "active") == "1"
    platform = request.app.state.platform
    with platform.writing(), admin_work(request) as w:
        _, exc = _attempt(w, lambda: admin.set_unit_active(w.session, w.ctx, unit_id, active))
        if exc is not None:
            general = "；".join(p.message for p in exc.problems) or exc.message
            return _unit_page(request, w, unit_id, {}, general, {}, error_status(exc))
    done = "unit_reactivated" if active else "unit_deactivated"
    return redirect(request, f"/admin/units/{unit_id}?done={done}")


# ---------------------------------------------------------------------------------------------
# Duty mapping


def _duty_page(
    request: Request,
    w: Work,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    region = w.actor.region_code
    mapping = admin.duty_mapping(w.session, region)
    history: dict[str, list[Any]] = {}
    for rule in duty.rule_history(w.session, region):
        history.setdefault(rule.category, []).append(rule)
    rows = []
    for category in load_categories():
        unit = mapping.get(category.code)
        rules = history.get(category.code, [])
        rows.append(
            {
                "category": category,
                "unit": unit,
                "may_be_unassigned": category.code in admin.MAY_BE_UNASSIGNED,
                "rules": [r for r in rules if r.active],
                "history": [r for r in rules if not r.active],
            }
        )
    units = {u.id: u for u in admin.region_units(w.session, region)}
    return _page(
        request,
        w,
        "admin/duty.html",
        {
            "rows": rows,
            "units": units,
            "unit_options": _unit_options(w.session, region, admin.DUTY_KINDS),
            "area_options": _unit_options(w.session, region, ("street", "community")),
            "rule_unit_options": _unit_options(w.session, region, duty.RULE_UNIT_KINDS),
            "errors": errors or {},
            "values": values or {},
            "changed": request.query_params.get("category", ""),
        },
        status_code=status_code,
    )


@router.get("/admin/duty")
def duty_page(request: Request) -> Response:
    with admin_work(request) as w:
        return _duty_page(request, w)


@router.post("/admin/duty/{category}")
async def set_duty_page(request: Request, category: str) -> Response:
    form = await request.form()
    unit_code = _form_text(form, "unit")
    platform = request.app.state.platform
    with platform.writing(), admin_work(request) as w:
        _, exc = _attempt(w, lambda: admin.set_duty(w.session, w.ctx, category, unit_code))
        if exc is not None:
            if exc.status == 404:
                return render(request, "admin/not_found.html", {"what": "分类"}, w, 404)
            return _duty_page(
                request, w, {category: exc.message}, {category: unit_code}, error_status(exc)
            )
    return redirect(request, f"/admin/duty?done=duty_changed&category={category}#duty-{category}")


@router.post("/admin/duty-rules/{category}")
async def add_duty_rule_page(request: Request, category: str) -> Response:
    form = await request.form()
    area, unit = _form_text(form, "area"), _form_text(form, "unit")
    platform = request.app.state.platform
    with platform.writing(), admin_work(request) as w:
        _, exc = _attempt(w, lambda: duty.add_duty_rule(w.session, w.ctx, category, area, unit))
        if exc is not None:
            if exc.status == 404:
                return render(request, "admin/not_found.html", {"what": "分类"}, w, 404)
            errors, general = field_errors(exc)
            return _duty_page(
                request,
                w,
                {f"rule-{category}-{k}": v for k, v in errors.items()}
                | ({f"rule-{category}": general} if general else {}),
                {f"rule-{category}-area": area, f"rule-{category}-unit": unit},
                error_status(exc),
            )
    return redirect(request, f"/admin/duty?done=rule_saved&category={category}#duty-{category}")


@router.post("/admin/duty-rules/{rule_id}/retire")
def retire_duty_rule_page(request: Request, rule_id: int) -> Response:
    platform = request.app.state.platform
    with platform.writing(), admin_work(request) as w:
        rule, exc = _attempt(w, lambda: duty.retire_duty_rule(w.session, w.ctx, rule_id))
        if exc is not None:
            if exc.status == 404:
                return render(request, "admin/not_found.html", {"what": "职责规则"}, w, 404)
            return _duty_page(request, w, status_code=error_status(exc))
        category = rule.category
    return redirect(request, f"/admin/duty?done=rule_retired&category={category}#duty-{category}")


# ---------------------------------------------------------------------------------------------
# Gazetteer (地名库)


def _gazetteer_page(
    request: Request,
    w: Work,
    errors: dict[str, str] | None = None,
    form_error: str = "",
    values: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    region = w.actor.region_code
    units = {u.id: u for u in admin.region_units(w.session, region)}
    communities = sorted(
        (u for u in units.values() if u.active and u.kind == "community"), key=lambda u: u.path
    )
    grids = sorted(
        (u for u in units.values() if u.active and u.kind == "grid"), key=lambda u: u.path
    )
    return _page(
        request,
        w,
        "admin/gazetteer.html",
        {
            "entries": duty.gazetteer_entries(w.session, region),
            "units": units,
            "communities": communities,
            "grids": grids,
            "errors": errors or {},
            "form_error": form_error,
            "values": values or {},
        },
        status_code=status_code,
    )


@router.get("/admin/gazetteer")
def gazetteer_page(request: Request) -> Response:
    with admin_work(request) as w:
        return _gazetteer_page(request, w)


@router.post("/admin/gazetteer")
async def add_gazetteer_page(request: Request) -> Response:
    form = await request.form()
    values = {k: _form_text(form, k) for k in ("name", "community", "grid")}
    platform = request.app.state.platform
    with platform.writing(), admin_work(request) as w:
        entry_form = duty.EntryForm(values["name"], values["community"], values["grid"])
        _, exc = _attempt(w, lambda: duty.add_gazetteer_entry(w.session, w.ctx, entry_form))
        if exc is not None:
            errors, general = field_errors(exc)
            return _gazetteer_page(request, w, errors, general, values, error_status(exc))
    return redirect(request, "/admin/gazetteer?done=entry_added")


@router.post("/admin/gazetteer/{entry_id}/deactivate")
def deactivate_gazetteer_page(request: Request, entry_id: int) -> Response:
    platform = request.app.state.platform
    with platform.writing(), admin_work(request) as w:
        _, exc = _attempt(w, lambda: duty.deactivate_gazetteer_entry(w.session, w.ctx, entry_id))
        if exc is not None:
            if exc.status == 404:
                return render(request, "admin/not_found.html", {"what": "地名"}, w, 404)
            return _gazetteer_page(request, w, {}, exc.message, {}, error_status(exc))
    return redirect(request, "/admin/gazetteer?done=entry_deactivated")


# ---------------------------------------------------------------------------------------------
# Deadline settings


def _deadlines_page(
    request: Request,
    w: Work,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    open_clock: str = "",
    status_code: int = 200,
) -> Response:
    platform = w.platform
    assert platform.base_types is not None
    rows = {(r.type, r.clock): r for r in w.session.scalars(select(ClockSetting))}
    editors = {
        u.id: u.username
        for u in w.session.scalars(
            select(User).where(User.id.in_({r.updated_by for r in rows.values() if r.updated_by}))
        )
    }
    types = []
    for file_type in platform.base_types:
        current = platform.types.get(file_type.name) or file_type
        clocks = []
        for file_clock in file_type.clocks:
            clock = current.clock(file_clock.name) or file_clock
            key = f"{file_type.name}.{file_clock.name}"
            current_values = dict(clock.limit.values)
            row = rows.get((file_type.name, file_clock.name))
            clocks.append(
                {
                    "key": key,
                    "spec": clock,
                    "file": file_clock,
                    "by_label": (
                        file_type.field(clock.limit.by_field).label  # type: ignore[union-attr]
                        if clock.limit.by_field and file_type.field(clock.limit.by_field)
                        else clock.limit.by_field
                    ),
                    "value_rows": [
                        (
                            k,
                            label,
                            str(current_values[k]) if k in current_values else "",
                            dict(file_clock.limit.values).get(k),
                        )
                        for k, label in admin.value_keys(file_type, file_clock)
                    ],
                    "action_rows": [
                        (a, file_type.action(a).label if file_type.action(a) else a, str(d))  # type: ignore[union-attr]
                        for a, d in clock.limit_on
                    ],
                    "file_on": dict(file_clock.limit_on),
                    "row": row,
                    "editor": editors.get(row.updated_by) if row and row.updated_by else "",
                    "starts": [
                        file_type.action(a).label if file_type.action(a) else a  # type: ignore[union-attr]
                        for a in clock.start
                    ],
                }
            )
        types.append({"type": file_type, "clocks": clocks})
    return _page(
        request,
        w,
        "admin/deadlines.html",
        {
            "form_error": "时限未保存：请按提示修改标出的项目" if errors else "",
            "types": types,
            "errors": errors or {},
            "values": values or {},
            "open_clock": open_clock or request.query_params.get("clock", ""),
        },
        status_code=status_code,
    )


@router.get("/admin/deadlines")
def deadlines_page(request: Request) -> Response:
    with admin_work(request) as w:
        return _deadlines_page(request, w)


@router.post("/admin/deadlines/{type_name}/{clock_name}")
async def save_deadline_page(request: Request, type_name: str, clock_name: str) -> Response:
    form = await request.form()
    values = {k: _form_text(form, k) for k in form}
    clock_form = ClockForm(
        default=values.get("default", ""),
        values={k[6:]: v for k, v in values.items() if k.startswith("value.")},
        action_limits={k[3:]: v for k, v in values.items() if k.startswith("on.")},
        basis=values.get("basis", ""),
    )
    key = f"{type_name}.{clock_name}"
    platform = request.app.state.platform
    with platform.writing(), admin_work(request) as w:
        _, exc = _attempt(
            w, lambda: admin.save_clock_setting(w.session, w.ctx, type_name, clock_name, clock_form)
        )
        if exc is not None:
            if exc.status == 404:
                return render(request, "admin/not_found.html", {"what": "时限"}, w, 404)
            errors, general = field_errors(exc)
            if general:
                errors["_form"] = general
            return _deadlines_page(
                request,
                w,
                {f"{key}:{k}": v for k, v in errors.items()},
                {f"{key}:{k}": v for k, v in values.items()},
                key,
                error_status(exc),
            )
    return redirect(request, f"/admin/deadlines?done=clock_saved&clock={key}#clock-{key}")


@router.post("/admin/deadlines/{type_name}/{clock_name}/reset")
def reset_deadline_page(request: Request, type_name: str, clock_name: str) -> Response:
    platform = request.app.state.platform
    key = f"{type_name}.{clock_name}"
    with platform.writing(), admin_work(request) as w:
        _, exc = _attempt(
            w, lambda: admin.reset_clock_setting(w.session, w.ctx, type_name, clock_name)
        )
        if exc is not None:
            return render(request, "admin/not_found.html", {"what": "时限"}, w, 404)
    return redirect(request, f"/admin/deadlines?done=clock_reset&clock={key}#clock-{key}")


# ---------------------------------------------------------------------------------------------
# Holiday calendar


def _calendar_page(
    request: Request,
    w: Work,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    preview: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    calendar = w.platform.calendar()
    imported = {
        row.year: row for row in w.session.scalars(select(CalendarYear).order_by(CalendarYear.year))
    }
    known = sorted(calendar.known_years())
    builtin = [y for y in known if y not in imported]
    days = list(w.session.scalars(select(CalendarDay).order_by(CalendarDay.day.desc())))
    return _page(
        request,
        w,
        "admin/calendar.html",
        {
            "builtin": (builtin[0], builtin[-1]) if builtin else None,
            "imported": list(imported.values()),
            "known": known,
            "days": days,
            "day_kinds": admin.DAY_KINDS,
            "errors": errors or {},
            "values": values or {},
            "preview": preview,
        },
        status_code=status_code,
    )


@router.get("/admin/calendar")
def calendar_page(request: Request) -> Response:
    with admin_work(request) as w:
        return _calendar_page(request, w)


@router.post("/admin/calendar/notice")
async def notice_page(request: Request) -> Response:
    form = await request.form()
    text = _form_text(form, "text")
    save = _form_text(form, "confirm") == "1"
    platform = request.app.state.platform
    with platform.writing(), admin_work(request) as w:
        change = admin.import_notice if save else lambda _s, _c, t: (admin.read_notice(t), 0)
        result, exc = _attempt(w, lambda: change(w.session, w.ctx, text))
        if exc is not None:
            return _calendar_page(
                request, w, {"text": exc.message}, {"text": text}, status_code=error_status(exc)
            )
        if not save:
            arrangement = result[0]
            year = arrangement.year
            replaced = w.session.scalar(
                select(func.count()).where(
                    CalendarDay.day >= date(year, 1, 1), CalendarDay.day <= date(year, 12, 31)
                )
            )
            preview = {
                "year": year,
                "lines": arrangement.summary_lines(),
                "days": len(arrangement.overrides()),
                "replaced": replaced,
                "already": w.session.get(CalendarYear, year) is not None,
            }
            return _calendar_page(request, w, {}, {"text": text}, preview)
    return redirect(request, "/admin/calendar?done=notice_saved")


@router.post("/admin/calendar/days")
async def add_day_page(request: Request) -> Response:
    form = await request.form()
    values = {k: _form_text(form, k) for k in ("day", "kind", "name")}
    problem = ""
    day: date | None = None
    if values["day"]:
        try:
            day = date.fromisoformat(values["day"])
        except ValueError:
            problem = "日期格式应为 2027-10-01"
    platform = request.app.state.platform
    with platform.writing(), admin_work(request) as w:
        if problem:
            return _calendar_page(request, w, {"day": problem}, values, status_code=422)
        _, exc = _attempt(
            w,
            lambda: admin.set_calendar_day(w.session, w.ctx, day, values["kind"], values["name"]),
        )
        if exc is not None:
            errors, general = field_errors(exc)
            if general:
                errors.setdefault("day", general)
            return _calendar_page(request, w, errors, values, status_code=error_status(exc))
    return redirect(request, "/admin/calendar?done=day_saved")


@router.post("/admin/calendar/days/{day}/delete")
def remove_day_page(request: Request, day: str) -> Response:
    platform = request.app.state.platform
    with platform.writing(), admin_work(request) as w:
        try:
            when = date.fromisoformat(day)
        except ValueError:
            return render(request, "admin/not_found.html", {"what": "调整日"}, w, 404)
        _, exc = _attempt(w, lambda: admin.remove_calendar_day(w.session, w.ctx, when))
        if exc is not None:
            return render(request, "admin/not_found.html", {"what": "调整日"}, w, 404)
    return redirect(request, "/admin/calendar?done=day_removed")


# ---------------------------------------------------------------------------------------------
# Log


@router.get("/admin/log")
def log_page(request: Request) -> Response:
    try:
        page = max(1, min(int(request.query_params.get("page", "1")), 100_000))
    except ValueError:
        page = 1
    with admin_work(request) as w:
        rows, total = admin.log_entries(w.session, LOG_PAGE, (page - 1) * LOG_PAGE)
        return _page(
            request,
            w,
            "admin/log.html",
            {
                "rows": rows,
                "total": total,
                "page": page,
                "pages": max(1, -(-total // LOG_PAGE)),
                "action_labels": admin.ACTION_LABELS,
            },
        )
