"""系统管理 · 账号与角色: accounts, their roles and units, passwords, deactivation."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import or_, select
from starlette.concurrency import run_in_threadpool

from fazhi.actions import login_guard
from fazhi.actions.admin import common as admin_common
from fazhi.actions.admin import units as admin_units
from fazhi.actions.admin import users as admin_users
from fazhi.actions.totp import check_reset_totp
from fazhi.actions.user_roles import held_roles, roles_by_user
from fazhi.http.deps import Work
from fazhi.http.params import PathId
from fazhi.store.models import (
    AdminLog,
    Unit,
    User,
    UserRole,
)
from fazhi.web.admin_support import (
    USER_LIMIT,
    admin_page,
    admin_work,
    attempt,
    form_text,
    unit_options,
)
from fazhi.web.console import redirect, render
from fazhi.web.forms import error_status, field_errors

router = APIRouter(include_in_schema=False)


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
    units = {u.id: u for u in admin_units.region_units(w.session, region)}
    held = roles_by_user(w.session, users[:USER_LIMIT], catalog)
    return admin_page(
        request,
        w,
        "admin/users.html",
        {
            "users": users[:USER_LIMIT],
            "held": held,
            "capped": len(users) > USER_LIMIT,
            "units": units,
            "roles": _role_options(w),
            "unit_options": unit_options(w.session, region),
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
        k: form_text(form, k) for k in ("username", "display_name", "role", "unit")
    }
    values["roles"] = _form_roles(form)
    platform = request.app.state.platform

    def locked() -> Response:
        # Hashed here, in the worker thread, before the writer's turn is taken.
        hashed = admin_users.hash_new_password(form_text(form, "password"), values["username"])
        with platform.writing(), admin_work(request) as w:
            user, exc = attempt(
                w,
                lambda: admin_users.check_create_user(
                    w.session,
                    w.ctx,
                    values["username"],
                    values["display_name"],
                    values["role"],
                    values["unit"],
                    form_text(form, "password"),
                    values["roles"],
                    hashed,
                ),
            )
            if exc is not None:
                errors, general = field_errors(exc)
                return _users_page(request, w, errors, general, values, error_status(exc))
        return redirect(request, f"/admin/users/{user.id}?done=user_created")

    return await run_in_threadpool(locked)


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
    return admin_page(
        request,
        w,
        "admin/user.html",
        {
            "user": user,
            "unit": unit,
            "held": held_roles(w.session, user, w.platform.roles),
            "roles": _role_options(w),
            "unit_options": unit_options(w.session, w.actor.region_code),
            "is_self": user.id == w.actor.user_id,
            "errors": errors or {},
            "form_error": form_error,
            "values": values or {},
            "open_form": open_form,
            "log": log,
            "action_labels": admin_common.ACTION_LABELS,
            "lock": login_guard.lock_of(w.session, user.username),
            "now": w.ctx.now,
        },
        status_code=status_code,
    )


@router.get("/admin/users/{user_id}")
def user_page(request: Request, user_id: PathId) -> Response:
    with admin_work(request) as w:
        return _user_page(request, w, user_id)


@router.post("/admin/users/{user_id}")
async def update_user_page(request: Request, user_id: PathId) -> Response:
    form = await request.form()
    values: dict[str, Any] = {k: form_text(form, k) for k in ("display_name", "role", "unit")}
    # The form always lists the other roles (none ticked: none); a post without the
    # field (an older form) leaves them as they are.
    values["roles"] = _form_roles(form) if "roles_listed" in form else None
    platform = request.app.state.platform

    def locked() -> Response:
        with platform.writing(), admin_work(request) as w:
            _, exc = attempt(
                w,
                lambda: admin_users.check_update_user(
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

    return await run_in_threadpool(locked)


@router.post("/admin/users/{user_id}/password")
async def reset_password_page(request: Request, user_id: PathId) -> Response:
    form = await request.form()
    platform = request.app.state.platform

    def locked() -> Response:
        password = form_text(form, "password")
        with admin_work(request) as w:
            target = w.session.get(User, user_id)
            username = target.username if target is not None else ""
        # Hashed here, in the worker thread, before the writer's turn is taken.
        same = password == form_text(form, "password_again")
        hashed = admin_users.hash_new_password(password, username) if same else None
        with platform.writing(), admin_work(request) as w:
            if not same:
                errors = {"password_again": "两次输入的密码不一致"}
                return _user_page(request, w, user_id, errors, "", {}, "password", 422)
            _, exc = attempt(
                w,
                lambda: admin_users.check_reset_password(
                    w.session, w.ctx, user_id, password, hashed
                ),
            )
            if exc is not None:
                errors, general = field_errors(exc)
                return _user_page(
                    request, w, user_id, errors, general, {}, "password", error_status(exc)
                )
        return redirect(request, f"/admin/users/{user_id}?done=password_reset")

    return await run_in_threadpool(locked)


@router.post("/admin/users/{user_id}/active")
async def user_active_page(request: Request, user_id: PathId) -> Response:
    form = await request.form()
    active = form_text(form, "active") == "1"
    platform = request.app.state.platform

    def locked() -> Response:
        with platform.writing(), admin_work(request) as w:
            _, exc = attempt(
                w, lambda: admin_users.check_set_user_active(w.session, w.ctx, user_id, active)
            )
            if exc is not None:
                return _user_page(request, w, user_id, {}, exc.message, {}, "", error_status(exc))
        done = "user_reactivated" if active else "user_deactivated"
        return redirect(request, f"/admin/users/{user_id}?done={done}")

    return await run_in_threadpool(locked)


def _simple_change(request: Request, user_id: int, change: Any, done: str) -> Response:
    """A change without a form to fill (unlock, reset of the second factor), in a worker
    thread; a refusal shows on the user's page."""
    platform = request.app.state.platform
    with platform.writing(), admin_work(request) as w:
        _, exc = attempt(w, lambda: change(w.session, w.ctx, user_id))
        if exc is not None:
            return _user_page(request, w, user_id, {}, exc.message, {}, "", error_status(exc))
    return redirect(request, f"/admin/users/{user_id}?done={done}")


@router.post("/admin/users/{user_id}/unlock")
def unlock_user_page(request: Request, user_id: int) -> Response:
    return _simple_change(request, user_id, admin_users.check_unlock_user, "user_unlocked")


@router.post("/admin/users/{user_id}/totp-reset")
def reset_totp_page(request: Request, user_id: int) -> Response:
    return _simple_change(request, user_id, check_reset_totp, "totp_reset")
