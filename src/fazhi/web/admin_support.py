"""What the 系统管理 pages share: the admin-only unit of work, the page frame (flash
messages, labels), running a change in a savepoint, form values and unit choices.

The pages are one module per area: admin_pages (overview and log), admin_users_pages,
admin_units_pages, admin_duty_pages (mapping, area rules, gazetteer), admin_deadlines_pages,
admin_calendar_pages. Role admin only; everyone else gets 403. Every change goes through
`fazhi.actions.admin` (check, then do, in the page's transaction) and is recorded in
`admin_log`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from fazhi.actions.admin import common as admin_common
from fazhi.actions.admin import units as admin_units
from fazhi.domain.errors import DomainError
from fazhi.http.deps import Work
from fazhi.web.console import PageAnswer, page_work, render

USER_LIMIT = 500
LOG_PAGE = 50

FLASH = {
    "user_created": "账号已创建",
    "user_updated": "账号信息已保存",
    "password_reset": "密码已重置，该账号需用新密码重新登录",
    "user_unlocked": "已解除登录锁定",
    "totp_reset": "已重置双因素认证，该账号可重新启用",
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


def admin_page(
    request: Request, w: Work, template: str, context: dict[str, Any], status_code: int = 200
) -> Response:
    done = request.query_params.get("done", "")
    context.setdefault("flash", FLASH.get(done, ""))
    context.setdefault("errors", {})
    context.setdefault("form_error", "")
    context.setdefault("values", {})
    context["kind_labels"] = admin_common.KIND_LABELS
    context["describe"] = describe
    context["action_labels"] = admin_common.ACTION_LABELS
    return render(request, template, context, w, status_code=status_code)


def attempt(w: Work, change: Callable[[], Any]) -> tuple[Any, DomainError | None]:
    """Run a change in a savepoint: on a refusal nothing of it stays, and the page can answer."""
    try:
        with w.session.begin_nested():
            return change(), None
    except DomainError as exc:
        return None, exc


def form_text(form: Any, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def unit_options(session: Session, region_code: str, kinds: tuple[str, ...] = ()) -> list[Any]:
    """Active units grouped by kind, for a select box (value = code)."""
    units = [u for u in admin_units.region_units(session, region_code) if u.active]
    groups = []
    for kind, label in admin_common.KIND_LABELS.items():
        if kinds and kind not in kinds:
            continue
        members = sorted((u for u in units if u.kind == kind), key=lambda u: u.path)
        if members:
            groups.append((label, members))
    return groups
