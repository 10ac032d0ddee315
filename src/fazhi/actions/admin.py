"""系统管理: accounts, units, the duty mapping, clock settings and the holiday calendar.

Every function checks first (the actor is an admin, the inputs, the rules of the tree) and
then does, inside the caller's transaction, and appends one row to `admin_log` for each
change. Caches that the change makes stale — the unit directory, the case types' limits, the
calendar, a user's remembered tokens — are dropped once the transaction commits.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import event, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fazhi.actions.calendar import remove_override, save_arrangement, set_override
from fazhi.actions.cases import ActionContext
from fazhi.actions.org import hash_password
from fazhi.actions.platform import Platform
from fazhi.actions.user_roles import check_roles, held_roles, set_user_roles
from fazhi.catalog.categories import load_categories
from fazhi.catalog.settings import parse_limit
from fazhi.domain.case_type import CaseType, ClockSpec
from fazhi.domain.durations import Duration
from fazhi.domain.errors import DomainError, Problem, not_found
from fazhi.domain.holiday_notice import NoticeArrangement, NoticeParseError, parse_notice
from fazhi.store.models import (
    AdminLog,
    ApiToken,
    CalendarDay,
    Case,
    ClockSetting,
    Unit,
    User,
)

KIND_LABELS: dict[str, str] = {
    "district": "区",
    "department": "部门",
    "street": "街道（镇）",
    "community": "社区（村）",
    "grid": "网格",
    "centre": "中心",
    "company": "公用事业与运营商",
}
# Where a new unit may sit. Departments may also sit under a department or a street (the
# demo's 区政府督查室 under 区政府办, 司法所 under 区司法局, 执法中队 under a street).
PARENT_KINDS: dict[str, tuple[str, ...]] = {
    "department": ("district", "department", "street"),
    "centre": ("district",),
    "company": ("district",),
    "street": ("district",),
    "community": ("street",),
    "grid": ("community",),
}
# Units that may be a category's default lead unit; a category may be left without one only
# when routing has its own answer (矛盾纠纷 goes to the street where it happens).
DUTY_KINDS = ("department", "centre", "company")
MAY_BE_UNASSIGNED = frozenset({"DISPUTE"})
DAY_KINDS = {"holiday": "放假", "workday": "上班"}

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
MIN_PASSWORD = 8
MAX_PASSWORD = 128
MAX_NOTICE = 20_000


# ---------------------------------------------------------------------------------------------
# Shared


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


def _fail(problems: list[Problem], status: int = 422) -> None:
    if problems:
        raise DomainError.from_problems(problems, status)


def _text(value: str | None) -> str:
    return (value or "").strip()


def _check_text(
    problems: list[Problem], field: str, value: str, label: str, limit: int, required: bool = True
) -> None:
    if required and not value:
        problems.append(Problem("required", f"请填写{label}", field))
    elif len(value) > limit:
        problems.append(Problem("too_long", f"{label}不能超过{limit}字", field))


# ---------------------------------------------------------------------------------------------
# Accounts


def forget_tokens(platform: Platform, user_id: int) -> None:
    """Drop the user's remembered tokens from this process's cache."""
    for digest, (actor, _expires, _fetched) in list(platform.token_cache.items()):
        if actor.user_id == user_id:
            platform.token_cache.pop(digest, None)


def _end_sessions(session: Session, ctx: ActionContext, user_id: int, revoke: bool) -> None:
    """Make the user's tokens stop working (revoke) or show their new details (cache only)."""
    if revoke:
        session.execute(
            update(ApiToken)
            .where(ApiToken.user_id == user_id, ApiToken.revoked.is_(False))
            .values(revoked=True)
        )
    platform = ctx.platform
    forget_tokens(platform, user_id)
    # Again after commit: a request in between may have remembered the old state.
    after_commit(session, lambda: forget_tokens(platform, user_id))


def _user(session: Session, ctx: ActionContext, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None or user.region_code != ctx.actor.region_code:
        raise not_found("账号")
    return user


def _active_unit(
    session: Session, ctx: ActionContext, code: str, field: str, problems: list[Problem]
) -> Unit | None:
    if not code:
        problems.append(Problem("required", "请选择所属单位", field))
        return None
    unit = session.scalar(
        select(Unit).where(Unit.region_code == ctx.actor.region_code, Unit.code == code)
    )
    if unit is None or not unit.active:
        problems.append(Problem("unknown_unit", "单位不存在或已停用", field))
        return None
    return unit


def _check_password(problems: list[Problem], password: str) -> None:
    if len(password) < MIN_PASSWORD:
        problems.append(Problem("password_short", f"密码至少{MIN_PASSWORD}位", "password"))
    elif len(password) > MAX_PASSWORD:
        problems.append(Problem("password_long", f"密码不能超过{MAX_PASSWORD}位", "password"))


def create_user(
    session: Session,
    ctx: ActionContext,
    username: str,
    display_name: str,
    role: str,
    unit_code: str,
    password: str,
    roles: Sequence[str] = (),
) -> User:
    """A new account with its primary `role` and the other `roles` it holds."""
    require_admin(ctx)
    username, display_name = _text(username).lower(), _text(display_name)
    problems: list[Problem] = []
    if not username:
        problems.append(Problem("required", "请填写用户名", "username"))
    elif len(username) > 64 or not USERNAME_RE.match(username):
        problems.append(
            Problem(
                "invalid_username",
                "用户名只能由小写字母、数字和 . _ - 组成，以字母或数字开头，不超过64位",
                "username",
            )
        )
    elif session.scalar(select(User.id).where(User.username == username)) is not None:
        problems.append(Problem("duplicate_username", f"用户名 {username} 已存在", "username"))
    _check_text(problems, "display_name", display_name, "姓名", 100)
    held = check_roles(problems, ctx.platform.roles, role, roles)
    unit = _active_unit(session, ctx, _text(unit_code), "unit", problems)
    _check_password(problems, password)
    _fail(problems)
    assert unit is not None
    user = User(
        region_code=ctx.actor.region_code,
        username=username,
        display_name=display_name,
        role=role,
        unit_id=unit.id,
        password_hash=hash_password(password),
        active=True,
    )
    try:
        with session.begin_nested():
            session.add(user)
            session.flush()
    except IntegrityError:  # created by someone else since the check
        raise DomainError(
            "duplicate_username", f"用户名 {username} 已存在", 422, "username"
        ) from None
    set_user_roles(session, user, held)
    details: dict[str, Any] = {
        "username": username,
        "display_name": display_name,
        "role": role,
        "unit": unit.code,
    }
    if len(held) > 1:
        details["roles"] = list(held)
    record(session, ctx, "user_create", f"user:{username}", details)
    return user


def update_user(
    session: Session,
    ctx: ActionContext,
    user_id: int,
    display_name: str,
    role: str,
    unit_code: str,
    roles: Sequence[str] | None = None,
) -> User:
    """Change name, roles and unit: `role` is the primary role, `roles` the others the
    user is to hold (None: those it holds now). A change of roles ends the user's sessions
    at once."""
    require_admin(ctx)
    user = _user(session, ctx, user_id)
    display_name = _text(display_name)
    problems: list[Problem] = []
    _check_text(problems, "display_name", display_name, "姓名", 100)
    before_roles = held_roles(session, user, ctx.platform.roles)
    held = check_roles(
        problems, ctx.platform.roles, role, before_roles[1:] if roles is None else roles
    )
    if user.id == ctx.actor.user_id and held != before_roles:
        problems.append(Problem("own_role", "不能修改自己的角色", "role"))
    unit = _active_unit(session, ctx, _text(unit_code), "unit", problems)
    _fail(problems)
    assert unit is not None
    before_unit = session.get(Unit, user.unit_id)
    changes: dict[str, list[Any]] = {}
    if display_name != user.display_name:
        changes["display_name"] = [user.display_name, display_name]
    if role != user.role:
        changes["role"] = [user.role, role]
    if held != before_roles and (len(held) > 1 or len(before_roles) > 1):
        changes["roles"] = [list(before_roles), list(held)]
    if unit.id != user.unit_id:
        changes["unit"] = [before_unit.code if before_unit else None, unit.code]
    if not changes:
        return user
    user.display_name, user.role, user.unit_id = display_name, role, unit.id
    set_user_roles(session, user, held)
    _end_sessions(session, ctx, user.id, revoke="role" in changes or "roles" in changes)
    record(session, ctx, "user_update", f"user:{user.username}", {"changes": changes})
    return user


def reset_password(session: Session, ctx: ActionContext, user_id: int, password: str) -> User:
    """Set a new password; the user's existing sessions end."""
    require_admin(ctx)
    user = _user(session, ctx, user_id)
    problems: list[Problem] = []
    _check_password(problems, password)
    _fail(problems)
    user.password_hash = hash_password(password)
    _end_sessions(session, ctx, user.id, revoke=True)
    record(session, ctx, "user_password_reset", f"user:{user.username}", {})
    return user


def set_user_active(session: Session, ctx: ActionContext, user_id: int, active: bool) -> User:
    """Deactivate (its tokens stop working at once) or reactivate an account."""
    require_admin(ctx)
    user = _user(session, ctx, user_id)
    if user.active == active:
        return user
    if not active and user.id == ctx.actor.user_id:
        raise DomainError("own_account", "不能停用自己的账号", 422)
    if active:
        unit = session.get(Unit, user.unit_id)
        if unit is None or not unit.active:
            raise DomainError(
                "unit_inactive", "该账号所属单位已停用，请先把账号调整到在用的单位", 422, "unit"
            )
    user.active = active
    if not active:
        _end_sessions(session, ctx, user.id, revoke=True)
    record(
        session,
        ctx,
        "user_reactivate" if active else "user_deactivate",
        f"user:{user.username}",
        {},
    )
    return user


# ---------------------------------------------------------------------------------------------
# Units


def _forget_units(session: Session, platform: Platform) -> None:
    platform.forget_units()
    after_commit(session, platform.forget_units)


def region_units(session: Session, region_code: str) -> list[Unit]:
    """Every unit of the region, active or not."""
    return list(session.scalars(select(Unit).where(Unit.region_code == region_code)))


def unit_tree(units: list[Unit]) -> list[Unit]:
    """Parents before children, siblings by kind then code: the order to show the tree in."""
    rank = {kind: i for i, kind in enumerate(KIND_LABELS)}
    children: dict[int | None, list[Unit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    for members in children.values():
        members.sort(key=lambda u: (rank.get(u.kind, 99), u.code))
    ids = {u.id for u in units}
    roots = [u for u in units if u.parent_id is None or u.parent_id not in ids]
    roots.sort(key=lambda u: (rank.get(u.kind, 99), u.code))
    ordered: list[Unit] = []
    stack = list(reversed(roots))
    while stack:
        unit = stack.pop()
        ordered.append(unit)
        stack.extend(reversed(children.get(unit.id, [])))
    return ordered


def _unit(session: Session, ctx: ActionContext, unit_id: int) -> Unit:
    unit = session.get(Unit, unit_id)
    if unit is None or unit.region_code != ctx.actor.region_code:
        raise not_found("单位")
    return unit


def add_unit(
    session: Session,
    ctx: ActionContext,
    parent_code: str,
    kind: str,
    code: str,
    name: str,
    short_name: str = "",
) -> Unit:
    """A new unit under an active parent whose kind fits (a community under a street, ...)."""
    require_admin(ctx)
    parent_code, code, name, short_name = map(_text, (parent_code, code, name, short_name))
    problems: list[Problem] = []
    parent = None
    if not parent_code:
        problems.append(Problem("required", "请选择上级单位", "parent"))
    else:
        parent = session.scalar(
            select(Unit).where(Unit.region_code == ctx.actor.region_code, Unit.code == parent_code)
        )
        if parent is None or not parent.active:
            problems.append(Problem("unknown_unit", "上级单位不存在或已停用", "parent"))
            parent = None
    if kind not in PARENT_KINDS:
        problems.append(Problem("required", "请选择单位类型", "kind"))
    elif parent is not None and parent.kind not in PARENT_KINDS[kind]:
        allowed = "或".join(KIND_LABELS[k] for k in PARENT_KINDS[kind])
        problems.append(
            Problem(
                "kind_misfit",
                f"{KIND_LABELS[kind]}的上级应为{allowed}，「{parent.name}」是"
                f"{KIND_LABELS.get(parent.kind, parent.kind)}",
                "kind",
            )
        )
    if not code:
        problems.append(Problem("required", "请填写单位编码", "code"))
    elif len(code) > 64 or not CODE_RE.match(code):
        problems.append(
            Problem(
                "invalid_code",
                "编码只能由字母、数字、- 和 _ 组成，以字母或数字开头，不超过64位",
                "code",
            )
        )
    else:
        taken = session.scalar(
            select(Unit).where(Unit.region_code == ctx.actor.region_code, Unit.code == code)
        )
        if taken is not None:
            problems.append(
                Problem("duplicate_code", f"编码 {code} 已被「{taken.name}」使用", "code")
            )
    _check_text(problems, "name", name, "单位名称", 200)
    _check_text(problems, "short_name", short_name, "简称", 100, required=False)
    _fail(problems)
    assert parent is not None
    unit = Unit(
        region_code=ctx.actor.region_code,
        code=code,
        name=name,
        short_name=short_name or None,
        kind=kind,
        parent_id=parent.id,
        path="",
        depth=parent.depth + 1,
        categories=[],
        polygon=None,
        address_hints=[],
        active=True,
    )
    try:
        with session.begin_nested():
            session.add(unit)
            session.flush()
    except IntegrityError:
        raise DomainError("duplicate_code", f"编码 {code} 已被使用", 422, "code") from None
    unit.path = f"{parent.path}{unit.id}/"
    record(
        session,
        ctx,
        "unit_create",
        f"unit:{code}",
        {"code": code, "name": name, "kind": kind, "parent": parent.code},
    )
    _forget_units(session, ctx.platform)
    return unit


def rename_unit(
    session: Session, ctx: ActionContext, unit_id: int, name: str, short_name: str = ""
) -> Unit:
    require_admin(ctx)
    unit = _unit(session, ctx, unit_id)
    name, short_name = _text(name), _text(short_name)
    problems: list[Problem] = []
    _check_text(problems, "name", name, "单位名称", 200)
    _check_text(problems, "short_name", short_name, "简称", 100, required=False)
    _fail(problems)
    changes: dict[str, list[Any]] = {}
    if name != unit.name:
        changes["name"] = [unit.name, name]
    if (short_name or None) != unit.short_name:
        changes["short_name"] = [unit.short_name, short_name or None]
    if not changes:
        return unit
    unit.name, unit.short_name = name, short_name or None
    record(session, ctx, "unit_rename", f"unit:{unit.code}", {"changes": changes})
    _forget_units(session, ctx.platform)
    return unit


def deactivation_blockers(session: Session, unit: Unit) -> list[str]:
    """Why the unit cannot be deactivated now (empty when it can)."""
    reasons = []
    if unit.parent_id is None:
        reasons.append("根单位（区）不能停用")
    users = list(
        session.scalars(
            select(User.username).where(User.unit_id == unit.id, User.active.is_(True)).limit(6)
        )
    )
    if users:
        count = session.scalar(
            select(func.count()).where(User.unit_id == unit.id, User.active.is_(True))
        )
        shown = "、".join(users[:5]) + ("等" if len(users) > 5 else "")
        reasons.append(f"还有{count}个在用账号（{shown}），请先停用这些账号或调整其所属单位")
    children = session.scalar(
        select(func.count()).where(Unit.parent_id == unit.id, Unit.active.is_(True))
    )
    if children:
        reasons.append(f"还有{children}个在用的下级单位，请先停用下级单位")
    if unit.categories:
        names = {c.code: c.name for c in load_categories()}
        listed = "、".join(names.get(c, c) for c in unit.categories)
        reasons.append(f"是「{listed}」的默认主办单位，请先在职责映射中调整")
    open_cases = session.scalar(
        select(func.count()).where(Case.lead_unit_id == unit.id, Case.terminal.is_(False))
    )
    if open_cases:
        reasons.append(f"还在主办{open_cases}件未办结的案件，请先改派")
    return reasons


def set_unit_active(session: Session, ctx: ActionContext, unit_id: int, active: bool) -> Unit:
    require_admin(ctx)
    unit = _unit(session, ctx, unit_id)
    if unit.active == active:
        return unit
    if active:
        parent = session.get(Unit, unit.parent_id) if unit.parent_id else None
        if parent is not None and not parent.active:
            raise DomainError(
                "parent_inactive", f"上级单位「{parent.name}」已停用，请先启用上级单位", 422
            )
    else:
        reasons = deactivation_blockers(session, unit)
        if reasons:
            raise DomainError.from_problems(
                [Problem("unit_in_use", f"不能停用「{unit.name}」：{r}") for r in reasons]
            )
    unit.active = active
    record(
        session,
        ctx,
        "unit_reactivate" if active else "unit_deactivate",
        f"unit:{unit.code}",
        {"name": unit.name},
    )
    _forget_units(session, ctx.platform)
    return unit


# ---------------------------------------------------------------------------------------------
# Duty mapping (分类 → 默认主办单位)


def duty_mapping(session: Session, region_code: str) -> dict[str, Unit]:
    """Category code → the unit whose `categories` lists it (active or not)."""
    found: dict[str, Unit] = {}
    for unit in session.scalars(
        select(Unit).where(Unit.region_code == region_code).order_by(Unit.id)
    ):
        for code in unit.categories or []:
            found.setdefault(code, unit)
    return found


def set_duty(session: Session, ctx: ActionContext, category: str, unit_code: str) -> Unit | None:
    """Make `unit_code` the category's default lead unit ("" for none, where allowed)."""
    require_admin(ctx)
    names = {c.code: c.name for c in load_categories()}
    if category not in names:
        raise not_found("分类")
    unit_code = _text(unit_code)
    target: Unit | None = None
    if not unit_code:
        if category not in MAY_BE_UNASSIGNED:
            raise DomainError("required", "该分类必须有默认主办单位", 422, "unit")
    else:
        target = session.scalar(
            select(Unit).where(Unit.region_code == ctx.actor.region_code, Unit.code == unit_code)
        )
        if target is None or not target.active:
            raise DomainError("unknown_unit", "单位不存在或已停用", 422, "unit")
        if target.kind not in DUTY_KINDS:
            raise DomainError(
                "unit_kind", "默认主办单位应为部门、中心或公用事业与运营商", 422, "unit"
            )
    holders = [
        u
        for u in session.scalars(select(Unit).where(Unit.region_code == ctx.actor.region_code))
        if category in (u.categories or [])
    ]
    if [u.id for u in holders] == ([target.id] if target else []):
        return target
    for unit in holders:
        if unit is not target:
            # A new list, not an edit in place: the JSON column must see the change.
            unit.categories = [c for c in unit.categories if c != category]
    if target is not None and category not in (target.categories or []):
        target.categories = [*(target.categories or []), category]
    record(
        session,
        ctx,
        "duty_change",
        f"category:{category}",
        {
            "category": category,
            "name": names[category],
            "before": [u.code for u in holders],
            "after": target.code if target else None,
        },
    )
    _forget_units(session, ctx.platform)
    return target


# ---------------------------------------------------------------------------------------------
# Clock settings (办理时限)


@dataclass(frozen=True)
class ClockForm:
    """What the admin typed for one clock; keys are a `by` field's values and action names."""

    default: str
    values: Mapping[str, str]
    action_limits: Mapping[str, str]
    basis: str


def value_keys(case_type: CaseType, spec: ClockSpec) -> list[tuple[str, str]]:
    """(value, label) for each value of the clock's `by` field, with any the file adds."""
    if not spec.limit.by_field:
        return []
    field = case_type.field(spec.limit.by_field)
    keys = list(field.choices) if field and field.choices else []
    known = {k for k, _ in keys}
    keys += [(k, k) for k, _ in spec.limit.values if k not in known]
    return keys


def _file_clock(platform: Platform, type_name: str, clock_name: str) -> tuple[CaseType, ClockSpec]:
    assert platform.base_types is not None
    case_type = platform.base_types.get(type_name)
    spec = case_type.clock(clock_name) if case_type else None
    if case_type is None or spec is None:
        raise not_found("时限")
    return case_type, spec


def _current_limits(platform: Platform, type_name: str, clock_name: str) -> dict[str, Any]:
    case_type = platform.types.get(type_name)
    spec = case_type.clock(clock_name) if case_type else None
    return _limit_summary(spec) if spec else {}


def _limit_summary(spec: ClockSpec) -> dict[str, Any]:
    return {
        "default": str(spec.limit.default),
        "values": {k: str(d) for k, d in spec.limit.values},
        "on": {k: str(d) for k, d in spec.limit_on},
    }


def _reload_types(session: Session, platform: Platform) -> None:
    after_commit(session, platform.reload_types)


def save_clock_setting(
    session: Session, ctx: ActionContext, type_name: str, clock_name: str, form: ClockForm
) -> ClockSetting | None:
    """Store the clock's limits as far as they differ from its type file; None when they all
    equal the file (the override is then removed). Applies to clocks started afterwards."""
    require_admin(ctx)
    case_type, spec = _file_clock(ctx.platform, type_name, clock_name)
    problems: list[Problem] = []

    def parsed(text: str, field: str, required: bool) -> Duration | None:
        text = _text(text)
        if not text:
            if required:
                problems.append(Problem("required", "请填写时限", field))
            return None
        try:
            return parse_limit(text)
        except ValueError as exc:
            problems.append(Problem("invalid_limit", str(exc), field))
            return None

    default = parsed(form.default, "default", True)
    file_values = dict(spec.limit.values)
    values: dict[str, str | None] = {}
    for key, _label in value_keys(case_type, spec):
        chosen = parsed(form.values.get(key, ""), f"value.{key}", False)
        if chosen != file_values.get(key):
            values[key] = str(chosen) if chosen else None
    file_on = dict(spec.limit_on)
    action_limits: dict[str, str] = {}
    for action, duration in file_on.items():
        chosen = parsed(form.action_limits.get(action, ""), f"on.{action}", True)
        if chosen is not None and chosen != duration:
            action_limits[action] = str(chosen)
    basis = _text(form.basis)
    _check_text(problems, "basis", basis, "时限依据", 1000)
    _fail(problems)
    assert default is not None
    before = _current_limits(ctx.platform, type_name, clock_name)
    row = session.get(ClockSetting, (type_name, clock_name))
    changed_default = None if default == spec.limit.default else str(default)
    note = "" if basis == spec.basis else basis
    target = f"clock:{type_name}.{clock_name}"
    if changed_default is None and not values and not action_limits and not note:
        if row is not None:
            session.delete(row)
            record(session, ctx, "clock_setting_reset", target, {"before": before})
            _reload_types(session, ctx.platform)
        return None
    if row is None:
        row = ClockSetting(type=type_name, clock=clock_name)
        session.add(row)
    elif (row.default_limit, row.values, row.action_limits, row.basis_note) == (
        changed_default,
        values,
        action_limits,
        note,
    ):
        return row  # saved again unchanged: nothing to log
    row.default_limit = changed_default
    row.values = values
    row.action_limits = action_limits
    row.basis_note = note
    row.updated_at = ctx.now
    row.updated_by = ctx.actor.user_id
    after = {
        "default": str(default),
        "values": {k: str(d) for k, d in spec.limit.values if k not in values}
        | {k: v for k, v in values.items() if v},
        "on": {k: action_limits.get(k, str(d)) for k, d in spec.limit_on},
    }
    record(
        session,
        ctx,
        "clock_setting_change",
        target,
        {"before": before, "after": after, "basis": basis},
    )
    _reload_types(session, ctx.platform)
    return row


def reset_clock_setting(
    session: Session, ctx: ActionContext, type_name: str, clock_name: str
) -> bool:
    """Back to the type file's limits; False when there was no override."""
    require_admin(ctx)
    _file_clock(ctx.platform, type_name, clock_name)
    row = session.get(ClockSetting, (type_name, clock_name))
    if row is None:
        return False
    before = _current_limits(ctx.platform, type_name, clock_name)
    session.delete(row)
    record(
        session, ctx, "clock_setting_reset", f"clock:{type_name}.{clock_name}", {"before": before}
    )
    _reload_types(session, ctx.platform)
    return True


# ---------------------------------------------------------------------------------------------
# Holiday calendar


def _forget_calendar(session: Session, platform: Platform) -> None:
    after_commit(session, platform.forget_calendar)


def read_notice(text: str) -> NoticeArrangement:
    """The notice as parsed, or a DomainError on `text` with the parser's Chinese message."""
    if not text.strip():
        raise DomainError("required", "请粘贴通知全文", 422, "text")
    if len(text) > MAX_NOTICE:
        raise DomainError("too_long", f"通知全文不能超过{MAX_NOTICE}字", 422, "text")
    try:
        return parse_notice(text)
    except NoticeParseError as exc:
        raise DomainError(exc.code, exc.message, 422, "text") from None


def import_notice(session: Session, ctx: ActionContext, text: str) -> tuple[NoticeArrangement, int]:
    """Save a year's arrangement (replacing that year's overrides); the year becomes known."""
    require_admin(ctx)
    arrangement = read_notice(text)
    saved = save_arrangement(
        session,
        arrangement,
        f"{arrangement.year}年节假日安排通知（{ctx.actor.username}导入）",
        ctx.now,
    )
    record(
        session,
        ctx,
        "calendar_import",
        f"calendar:{arrangement.year}",
        {"year": arrangement.year, "days": saved, "summary": arrangement.summary_lines()},
    )
    _forget_calendar(session, ctx.platform)
    return arrangement, saved


def set_calendar_day(
    session: Session, ctx: ActionContext, day: date | None, kind: str, name: str
) -> None:
    require_admin(ctx)
    name = _text(name)
    problems: list[Problem] = []
    if day is None:
        problems.append(Problem("required", "请填写日期", "day"))
    if kind not in DAY_KINDS:
        problems.append(Problem("required", "请选择放假或上班", "kind"))
    _check_text(problems, "name", name, "名称", 40, required=False)
    _fail(problems)
    assert day is not None
    existing = session.get(CalendarDay, day)
    before = {"kind": existing.kind, "name": existing.name} if existing else None
    set_override(session, day, kind, name, f"管理员 {ctx.actor.username}")
    record(
        session,
        ctx,
        "calendar_day_set",
        f"calendar:{day.isoformat()}",
        {"before": before, "after": {"kind": kind, "name": name}},
    )
    _forget_calendar(session, ctx.platform)


def remove_calendar_day(session: Session, ctx: ActionContext, day: date) -> None:
    require_admin(ctx)
    existing = session.get(CalendarDay, day)
    if existing is None:
        raise not_found("调整日")
    before = {"kind": existing.kind, "name": existing.name, "source": existing.source}
    remove_override(session, day)
    record(session, ctx, "calendar_day_remove", f"calendar:{day.isoformat()}", {"before": before})
    _forget_calendar(session, ctx.platform)


# ---------------------------------------------------------------------------------------------
# The log


ACTION_LABELS: dict[str, str] = {
    "user_create": "新建账号",
    "user_update": "修改账号",
    "user_password_reset": "重置密码",
    "user_deactivate": "停用账号",
    "user_reactivate": "启用账号",
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
