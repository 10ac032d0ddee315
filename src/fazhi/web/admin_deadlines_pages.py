"""系统管理 · 办理时限: the deployment's limits for each clock of each type."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from fazhi.actions.admin import deadlines as admin_deadlines
from fazhi.http.deps import Work
from fazhi.store.models import (
    ClockSetting,
    User,
)
from fazhi.web.admin_support import (
    admin_page,
    admin_work,
    attempt,
    form_text,
)
from fazhi.web.console import redirect, render
from fazhi.web.forms import error_status, field_errors

router = APIRouter(include_in_schema=False)


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
            select(User).where(
                User.region_code == w.actor.region_code,
                User.id.in_({r.updated_by for r in rows.values() if r.updated_by}),
            )
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
                        for k, label in admin_deadlines.value_keys(file_type, file_clock)
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
    return admin_page(
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
    values = {k: form_text(form, k) for k in form}
    clock_form = admin_deadlines.ClockForm(
        default=values.get("default", ""),
        values={k[6:]: v for k, v in values.items() if k.startswith("value.")},
        action_limits={k[3:]: v for k, v in values.items() if k.startswith("on.")},
        basis=values.get("basis", ""),
    )
    key = f"{type_name}.{clock_name}"
    platform = request.app.state.platform

    def locked() -> Response:
        with platform.writing(), admin_work(request) as w:
            _, exc = attempt(
                w,
                lambda: admin_deadlines.check_save_clock_setting(
                    w.session, w.ctx, type_name, clock_name, clock_form
                ),
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

    return await run_in_threadpool(locked)


@router.post("/admin/deadlines/{type_name}/{clock_name}/reset")
def reset_deadline_page(request: Request, type_name: str, clock_name: str) -> Response:
    platform = request.app.state.platform
    key = f"{type_name}.{clock_name}"
    with platform.writing(), admin_work(request) as w:
        _, exc = attempt(
            w,
            lambda: admin_deadlines.check_reset_clock_setting(
                w.session, w.ctx, type_name, clock_name
            ),
        )
        if exc is not None:
            return render(request, "admin/not_found.html", {"what": "时限"}, w, 404)
    return redirect(request, f"/admin/deadlines?done=clock_reset&clock={key}#clock-{key}")
