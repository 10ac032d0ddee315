"""What the admin actions share: the admin check, running a cache reload after commit, the
admin log, the form checks, and the labels of the tree's unit kinds."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from fazhi.actions.context import ActionContext
from fazhi.actions.platform import Platform
from fazhi.domain.errors import DomainError, Problem
from fazhi.store.cache_versions import bump
from fazhi.store.models import AdminLog, User, UserRole

KIND_LABELS: dict[str, str] = {
    "district": "区",
    "department": "部门",
    "street": "街道（镇）",
    "community": "社区（村）",
    "grid": "网格",
    "centre": "中心",
    "company": "公用事业与运营商",
}
USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


def first_admin_context(session: Session, platform: Platform) -> ActionContext | None:
    """The platform's region's first administrator acting now (None without one): who
    loads demo registers."""
    from fazhi.actions.auth import actor_for

    admin = session.scalars(
        select(User)
        .join(UserRole, UserRole.user_id == User.id)
        .where(User.region_code == platform.region_code, UserRole.role == "admin")
        .order_by(User.id)
    ).first()
    return (
        None
        if admin is None
        else ActionContext(platform, actor_for(platform, admin), platform.now())
    )


def require_admin(ctx: ActionContext) -> None:
    if not ctx.actor.has_role("admin"):
        raise DomainError("forbidden_role", "只有系统管理员可以进行系统管理", 403)


def after_commit(session: Session, fn: Callable[[], object]) -> None:
    """Run `fn` once the caller's transaction commits (not if it rolls back).

    SQLAlchemy also fires after_commit when a savepoint is released (pages run each change
    in one); only the outermost commit counts, or a reload would read the old state.
    """
    done = False

    def fire(current: Session) -> None:
        nonlocal done
        if done or current.in_nested_transaction():
            return
        done = True
        fn()

    event.listen(session, "after_commit", fire)


def forget_units(session: Session, platform: Platform) -> None:
    """Drop the unit directory now and again once the transaction commits; other
    processes drop theirs at their next transaction (store.cache_versions)."""
    bump(session, "units")
    platform.forget_units()
    after_commit(session, platform.forget_units)


def record(
    session: Session, ctx: ActionContext, action: str, target: str, details: dict[str, Any]
) -> AdminLog:
    """Append one row to the admin log (the table refuses updates and deletes)."""
    row = AdminLog(
        at=ctx.now,
        actor_id=ctx.actor.user_id,
        actor_username=ctx.actor.username,
        action=action,
        target=target[:200],
        details=details,
    )
    session.add(row)
    return row


def fail_on(problems: list[Problem], status: int = 422) -> None:
    """Refuse with every problem found, if any."""
    if problems:
        raise DomainError.from_problems(problems, status)


def text(value: str | None) -> str:
    return (value or "").strip()


def check_text(
    problems: list[Problem], field: str, value: str, label: str, limit: int, required: bool = True
) -> None:
    if required and not value:
        problems.append(Problem("required", f"请填写{label}", field))
    elif len(value) > limit:
        problems.append(Problem("too_long", f"{label}不能超过{limit}字", field))


# ---------------------------------------------------------------------------------------------
# The log

ACTION_LABELS: dict[str, str] = {
    "user_create": "新建账号",
    "user_update": "修改账号",
    "user_password_reset": "重置密码",
    "user_deactivate": "停用账号",
    "user_reactivate": "启用账号",
    "account_locked": "登录失败次数过多，临时锁定",
    "account_unlocked": "解除登录锁定",
    "totp_enrolled": "启用双因素认证",
    "totp_reset": "重置双因素认证",
    "unit_create": "新增单位",
    "unit_rename": "修改单位名称",
    "unit_deactivate": "停用单位",
    "unit_reactivate": "启用单位",
    "duty_change": "调整职责映射",
    "duty_rule_add": "新增区域职责规则",
    "duty_rule_change": "调整区域职责规则",
    "duty_rule_retire": "停用区域职责规则",
    "gazetteer_add": "新增地名",
    "gazetteer_deactivate": "停用地名",
    "clock_setting_change": "调整办理时限",
    "clock_setting_reset": "恢复默认时限",
    "calendar_import": "导入节假日通知",
    "calendar_day_set": "设置调整日",
    "calendar_day_remove": "删除调整日",
}


def log_entries(session: Session, limit: int = 50, offset: int = 0) -> tuple[list[AdminLog], int]:
    total = session.scalar(select(func.count()).select_from(AdminLog)) or 0
    rows = session.scalars(
        select(AdminLog).order_by(AdminLog.id.desc()).limit(limit).offset(offset)
    )
    return list(rows), total
