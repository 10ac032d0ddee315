"""系统管理: the overview of the admin sections and the log of their changes (role admin
only; everyone else gets 403)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import func, select

from fazhi.actions.admin import common as admin_common
from fazhi.catalog.categories import load_categories
from fazhi.store.models import (
    AdminLog,
    CalendarYear,
    ClockSetting,
    GazetteerEntry,
    Unit,
    User,
)
from fazhi.web.admin_support import (
    LOG_PAGE,
    SECTIONS,
    admin_page,
    admin_work,
)

router = APIRouter(include_in_schema=False)


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
        recent, _ = admin_common.log_entries(s, limit=8)
        return admin_page(
            request,
            w,
            "admin/index.html",
            {
                "sections": [(p, t, d, counts[p], notes[p]) for p, t, d in SECTIONS],
                "recent": recent,
                "action_labels": admin_common.ACTION_LABELS,
            },
        )


# ---------------------------------------------------------------------------------------------
# Log


@router.get("/admin/log")
def log_page(request: Request) -> Response:
    try:
        page = max(1, min(int(request.query_params.get("page", "1")), 100_000))
    except ValueError:
        page = 1
    with admin_work(request) as w:
        rows, total = admin_common.log_entries(w.session, LOG_PAGE, (page - 1) * LOG_PAGE)
        return admin_page(
            request,
            w,
            "admin/log.html",
            {
                "rows": rows,
                "total": total,
                "page": page,
                "pages": max(1, -(-total // LOG_PAGE)),
                "action_labels": admin_common.ACTION_LABELS,
            },
        )
