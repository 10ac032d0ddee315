"""系统管理 actions: each checks, then changes in one transaction and logs to admin_log, and
drops the caches the change makes stale once it commits.

The database is shared by the whole session: usernames and unit codes are unique per test,
units made here are deactivated again, and global settings are restored in `finally`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, TypeVar

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from fazhi.actions.admin.common import record
from fazhi.actions.admin.deadlines import (
    ClockForm,
    check_reset_clock_setting,
    check_save_clock_setting,
)
from fazhi.actions.admin.duty import check_set_duty, duty_mapping
from fazhi.actions.admin.units import check_add_unit, check_rename_unit, check_set_unit_active
from fazhi.actions.admin.users import (
    check_create_user,
    check_reset_password,
    check_set_user_active,
    check_update_user,
)
from fazhi.actions.auth import actor_for, authenticate, login
from fazhi.actions.cases import ActionContext
from fazhi.actions.platform import Platform
from fazhi.domain.durations import Duration
from fazhi.domain.errors import DomainError
from fazhi.store.db import transaction
from fazhi.store.models import AdminLog, ApiToken, ClockSetting, Unit, User
from tests.support import FakeClock

T = TypeVar("T")
PASSWORD = "fazhi2023"


def ctx_for(platform: Platform, clock: FakeClock, username: str = "admin") -> ActionContext:
    with platform.sessions() as session:
        user = session.scalar(select(User).where(User.username == username))
        assert user is not None
        return ActionContext(platform, actor_for(platform, user), clock())


def run(platform: Platform, change: Callable[[Any], T]) -> T:
    """One committed transaction, as a page makes it."""
    with transaction(platform.sessions) as session:
        return change(session)


def refused(platform: Platform, change: Callable[[Any], Any]) -> DomainError:
    with pytest.raises(DomainError) as caught:
        run(platform, change)
    return caught.value


def fields_of(error: DomainError) -> dict[str | None, str]:
    problems = error.problems or []
    if not problems:
        return {error.field: error.message}
    return {p.field: p.message for p in problems}


def unique(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:8]}"


def last_log(platform: Platform, target: str) -> AdminLog:
    with platform.sessions() as session:
        row = session.scalar(
            select(AdminLog).where(AdminLog.target == target).order_by(AdminLog.id.desc())
        )
        assert row is not None, target
        return row


# ---------------------------------------------------------------------------------------------
# Accounts


def test_an_admin_creates_an_account_that_can_log_in_and_the_change_is_logged(
    platform: Platform, clock: FakeClock
) -> None:
    ctx = ctx_for(platform, clock)
    name = unique("t_op_")
    user = run(
        platform,
        lambda s: check_create_user(
            s, ctx, name, "测试话务员", "operator", "SF-12345", "Secret-1234"
        ),
    )
    assert user.id and user.active and user.role == "operator"
    issued = login(platform, name, "Secret-1234")
    assert issued.actor.unit.code == "SF-12345"
    row = last_log(platform, f"user:{name}")
    assert row.action == "user_create" and row.actor_username == "admin"
    assert row.details == {
        "username": name,
        "display_name": "测试话务员",
        "role": "operator",
        "unit": "SF-12345",
    }
    assert "secret" not in str(row.details)


def test_every_problem_of_a_new_account_is_reported_on_its_field(
    platform: Platform, clock: FakeClock
) -> None:
    ctx = ctx_for(platform, clock)
    error = refused(
        platform, lambda s: check_create_user(s, ctx, "admin", "", "boss", "NO-SUCH", "short")
    )
    fields = fields_of(error)
    assert "已存在" in fields["username"]
    assert set(fields) == {"username", "display_name", "role", "unit", "password"}
    assert "10" in fields["password"]
    error = refused(
        platform,
        lambda s: check_create_user(s, ctx, "Bad Name!", "甲", "operator", "SF", "Xy-" * 4),
    )
    assert set(fields_of(error)) == {"username"}


def test_only_an_admin_may_manage(platform: Platform, clock: FakeClock) -> None:
    ctx = ctx_for(platform, clock, "dispatcher1")
    error = refused(
        platform,
        lambda s: check_create_user(s, ctx, unique("t_"), "甲", "operator", "SF", "Pass-12345678"),
    )
    assert error.status == 403
    assert refused(platform, lambda s: check_set_duty(s, ctx, "DISPUTE", "")).status == 403


def _signed_in(platform: Platform, clock: FakeClock, username: str) -> str:
    issued = login(platform, username, "Secret-1234")
    # Remembered in the token cache, as after any request.
    run(platform, lambda s: authenticate(s, platform, issued.token, clock()))
    assert any(a.username == username for a, _, _ in platform.token_cache.values())
    return issued.token


def _new_user(platform: Platform, clock: FakeClock, role: str = "unit_handler") -> User:
    ctx = ctx_for(platform, clock)
    return run(
        platform,
        lambda s: check_create_user(s, ctx, unique("t_u_"), "测试", role, "SF-CGJ", "Secret-1234"),
    )


@pytest.mark.parametrize(
    "change",
    [
        lambda s, ctx, user: check_set_user_active(s, ctx, user.id, False),
        lambda s, ctx, user: check_update_user(s, ctx, user.id, "测试", "unit_leader", "SF-CGJ"),
        lambda s, ctx, user: check_reset_password(s, ctx, user.id, "another-secret"),
    ],
    ids=["deactivate", "role", "password"],
)
def test_deactivating_changing_role_or_resetting_password_ends_sessions_at_once(
    platform: Platform, clock: FakeClock, change: Callable[..., Any]
) -> None:
    user = _new_user(platform, clock)
    token = _signed_in(platform, clock, user.username)
    ctx = ctx_for(platform, clock)
    run(platform, lambda s: change(s, ctx, user))
    assert not any(a.user_id == user.id for a, _, _ in platform.token_cache.values())
    with platform.sessions() as session:
        assert all(
            t.revoked for t in session.scalars(select(ApiToken).where(ApiToken.user_id == user.id))
        )
    error = refused(platform, lambda s: authenticate(s, platform, token, clock()))
    assert error.status == 401


def test_a_new_name_or_unit_shows_at_once_without_ending_the_session(
    platform: Platform, clock: FakeClock
) -> None:
    user = _new_user(platform, clock)
    token = _signed_in(platform, clock, user.username)
    ctx = ctx_for(platform, clock)
    run(platform, lambda s: check_update_user(s, ctx, user.id, "新名字", user.role, "SF-ZJJ"))
    actor = run(platform, lambda s: authenticate(s, platform, token, clock()))
    assert (actor.name, actor.unit.code) == ("新名字", "SF-ZJJ")
    assert last_log(platform, f"user:{user.username}").details == {
        "changes": {"display_name": ["测试", "新名字"], "unit": ["SF-CGJ", "SF-ZJJ"]}
    }


def test_an_admin_cannot_deactivate_themself_or_change_their_own_role(
    platform: Platform, clock: FakeClock
) -> None:
    ctx = ctx_for(platform, clock)
    me = ctx.actor.user_id
    assert "自己" in refused(platform, lambda s: check_set_user_active(s, ctx, me, False)).message
    error = refused(platform, lambda s: check_update_user(s, ctx, me, "管理员", "operator", "SF"))
    assert "自己的角色" in fields_of(error)["role"]


def test_a_deactivated_account_can_be_reactivated_only_in_an_active_unit(
    platform: Platform, clock: FakeClock
) -> None:
    ctx = ctx_for(platform, clock)
    unit = run(
        platform,
        lambda s: check_add_unit(s, ctx, "SF", "department", unique("T-D-"), "测试临时部门"),
    )
    name = unique("t_r_")
    user = run(
        platform,
        lambda s: check_create_user(
            s, ctx, name, "测试", "unit_handler", unit.code, "Pass-12345678"
        ),
    )
    run(platform, lambda s: check_set_user_active(s, ctx, user.id, False))
    run(platform, lambda s: check_set_unit_active(s, ctx, unit.id, False))
    error = refused(platform, lambda s: check_set_user_active(s, ctx, user.id, True))
    assert "已停用" in error.message
    run(platform, lambda s: check_set_unit_active(s, ctx, unit.id, True))
    run(platform, lambda s: check_set_user_active(s, ctx, user.id, True))
    assert last_log(platform, f"user:{name}").action == "user_reactivate"
    run(platform, lambda s: check_set_user_active(s, ctx, user.id, False))
    run(platform, lambda s: check_set_unit_active(s, ctx, unit.id, False))


# ---------------------------------------------------------------------------------------------
# Units


def test_a_unit_is_added_under_a_fitting_parent_with_its_path_and_depth(
    platform: Platform, clock: FakeClock
) -> None:
    ctx = ctx_for(platform, clock)
    street_code, community_code = unique("T-S-"), unique("T-C-")
    street = run(
        platform, lambda s: check_add_unit(s, ctx, "SF", "street", street_code, "测试街道")
    )
    community = run(
        platform,
        lambda s: check_add_unit(s, ctx, street_code, "community", community_code, "测试社区"),
    )
    grid = run(
        platform,
        lambda s: check_add_unit(
            s, ctx, community_code, "grid", unique("T-G-"), "测试网格", "网格"
        ),
    )
    try:
        with platform.sessions() as session:
            root = session.scalar(select(Unit).where(Unit.code == "SF"))
            assert root is not None
            assert street.path == f"{root.path}{street.id}/" and street.depth == root.depth + 1
            assert community.path == f"{street.path}{community.id}/" and community.depth == 2
            assert grid.path == f"{community.path}{grid.id}/" and grid.depth == 3
        # The directory reloaded: the new units are known, the grid's street found by path.
        directory = platform.directory()
        ref = directory.by_code[grid.code]
        assert directory.street_of(ref).code == street_code  # type: ignore[union-attr]
        assert last_log(platform, f"unit:{community_code}").details == {
            "code": community_code,
            "name": "测试社区",
            "kind": "community",
            "parent": street_code,
        }
    finally:
        for unit in (grid, community, street):
            run(platform, lambda s, u=unit: check_set_unit_active(s, ctx, u.id, False))
    assert street_code not in platform.directory().by_code


@pytest.mark.parametrize(
    ("parent", "kind"),
    [
        ("SF", "community"),  # a community belongs under a street
        ("SF", "grid"),
        ("SF-TX", "grid"),  # a grid belongs under a community
        ("SF-TX", "street"),  # a street belongs under the district
        ("SF-TX-C01", "community"),
        ("SF-CGJ", "company"),  # companies and centres sit under the district
        ("SF-TX-C01-G01", "department"),
    ],
)
def test_a_kind_that_does_not_fit_its_parent_is_refused_on_kind(
    platform: Platform, clock: FakeClock, parent: str, kind: str
) -> None:
    ctx = ctx_for(platform, clock)
    error = refused(platform, lambda s: check_add_unit(s, ctx, parent, kind, unique("T-"), "测试"))
    assert "上级应为" in fields_of(error)["kind"]


def test_unit_codes_are_unique_and_well_formed(platform: Platform, clock: FakeClock) -> None:
    ctx = ctx_for(platform, clock)
    error = refused(platform, lambda s: check_add_unit(s, ctx, "SF", "department", "SF-CGJ", "甲"))
    assert "已被" in fields_of(error)["code"]
    error = refused(platform, lambda s: check_add_unit(s, ctx, "SF", "department", "甲 乙", ""))
    assert set(fields_of(error)) == {"code", "name"}
    error = refused(platform, lambda s: check_add_unit(s, ctx, "", "", "", "甲"))
    assert set(fields_of(error)) == {"parent", "kind", "code"}


def test_a_unit_is_renamed_and_the_directory_shows_the_new_name(
    platform: Platform, clock: FakeClock
) -> None:
    ctx = ctx_for(platform, clock)
    unit = run(
        platform, lambda s: check_add_unit(s, ctx, "SF", "department", unique("T-R-"), "旧名称")
    )
    try:
        assert platform.directory().by_code[unit.code].name == "旧名称"
        run(platform, lambda s: check_rename_unit(s, ctx, unit.id, "新名称", "新"))
        assert platform.directory().by_code[unit.code].name == "新名称"
        assert last_log(platform, f"unit:{unit.code}").details == {
            "changes": {"name": ["旧名称", "新名称"], "short_name": [None, "新"]}
        }
        error = refused(platform, lambda s: check_rename_unit(s, ctx, unit.id, " ", ""))
        assert set(fields_of(error)) == {"name"}
    finally:
        run(platform, lambda s: check_set_unit_active(s, ctx, unit.id, False))


def test_a_unit_with_active_accounts_children_or_categories_is_not_deactivated(
    platform: Platform, clock: FakeClock
) -> None:
    ctx = ctx_for(platform, clock)
    with platform.sessions() as session:
        cgj = session.scalar(select(Unit).where(Unit.code == "SF-CGJ"))
        street = session.scalar(select(Unit).where(Unit.code == "SF-TX"))
        root = session.scalar(select(Unit).where(Unit.code == "SF"))
    assert cgj is not None and street is not None and root is not None
    message = refused(platform, lambda s: check_set_unit_active(s, ctx, cgj.id, False)).message
    assert "在用账号" in message and "默认主办单位" in message
    message = refused(platform, lambda s: check_set_unit_active(s, ctx, street.id, False)).message
    assert "下级单位" in message
    assert (
        "根单位"
        in refused(platform, lambda s: check_set_unit_active(s, ctx, root.id, False)).message
    )
    assert "SF-CGJ" in platform.directory().by_code

    unit = run(
        platform, lambda s: check_add_unit(s, ctx, "SF", "department", unique("T-X-"), "测试部门")
    )
    user = run(
        platform,
        lambda s: check_create_user(
            s, ctx, unique("t_x_"), "甲", "unit_handler", unit.code, "Xy-" * 4
        ),
    )
    message = refused(platform, lambda s: check_set_unit_active(s, ctx, unit.id, False)).message
    assert user.username in message
    run(platform, lambda s: check_set_user_active(s, ctx, user.id, False))
    run(platform, lambda s: check_set_unit_active(s, ctx, unit.id, False))
    assert unit.code not in platform.directory().by_code
    assert last_log(platform, f"unit:{unit.code}").action == "unit_deactivate"


def test_a_unit_under_an_inactive_parent_cannot_be_reactivated(
    platform: Platform, clock: FakeClock
) -> None:
    ctx = ctx_for(platform, clock)
    parent = run(
        platform, lambda s: check_add_unit(s, ctx, "SF", "department", unique("T-P-"), "上级")
    )
    child = run(
        platform,
        lambda s: check_add_unit(s, ctx, parent.code, "department", unique("T-Q-"), "下级"),
    )
    run(platform, lambda s: check_set_unit_active(s, ctx, child.id, False))
    run(platform, lambda s: check_set_unit_active(s, ctx, parent.id, False))
    assert (
        "上级单位"
        in refused(platform, lambda s: check_set_unit_active(s, ctx, child.id, True)).message
    )


# ---------------------------------------------------------------------------------------------
# Duty mapping


def test_the_duty_mapping_moves_a_category_to_one_unit_only(
    platform: Platform, clock: FakeClock
) -> None:
    ctx = ctx_for(platform, clock)
    assert platform.directory().default_unit_for("SANITATION").code == "SF-CGJ"  # type: ignore[union-attr]
    try:
        run(platform, lambda s: check_set_duty(s, ctx, "SANITATION", "SF-ZJJ"))
        assert platform.directory().default_unit_for("SANITATION").code == "SF-ZJJ"  # type: ignore[union-attr]
        with platform.sessions() as session:
            holders = duty_mapping(session, platform.region_code)
            cgj = session.scalar(select(Unit).where(Unit.code == "SF-CGJ"))
        assert holders["SANITATION"].code == "SF-ZJJ"
        assert cgj is not None and "SANITATION" not in cgj.categories
        assert {"CITY_APPEARANCE", "ILLEGAL_BUILDING"} <= set(cgj.categories)
        row = last_log(platform, "category:SANITATION")
        assert row.details == {
            "category": "SANITATION",
            "name": "环境卫生",
            "before": ["SF-CGJ"],
            "after": "SF-ZJJ",
        }
    finally:
        run(platform, lambda s: check_set_duty(s, ctx, "SANITATION", "SF-CGJ"))
    assert platform.directory().default_unit_for("SANITATION").code == "SF-CGJ"  # type: ignore[union-attr]


def test_only_dispute_may_be_left_without_a_unit_and_streets_are_not_lead_units(
    platform: Platform, clock: FakeClock
) -> None:
    ctx = ctx_for(platform, clock)
    assert refused(platform, lambda s: check_set_duty(s, ctx, "SANITATION", "")).field == "unit"
    assert (
        "部门" in refused(platform, lambda s: check_set_duty(s, ctx, "SANITATION", "SF-TX")).message
    )
    assert refused(platform, lambda s: check_set_duty(s, ctx, "NOPE", "SF-CGJ")).status == 404
    before = _log_count(platform, "category:DISPUTE")
    assert run(platform, lambda s: check_set_duty(s, ctx, "DISPUTE", "")) is None
    assert platform.directory().default_unit_for("DISPUTE") is None
    assert _log_count(platform, "category:DISPUTE") == before  # unchanged: nothing logged


def _log_count(platform: Platform, target: str) -> int:
    with platform.sessions() as session:
        return len(session.scalars(select(AdminLog.id).where(AdminLog.target == target)).all())


# ---------------------------------------------------------------------------------------------
# Clock settings


def _handle_normal(platform: Platform) -> Duration:
    clock = platform.types.get("hotline").clock("handle")  # type: ignore[union-attr]
    assert clock is not None
    return clock.limit_for("dispatch", {"urgency": "normal"})


def _form(**overrides: Any) -> ClockForm:
    base: dict[str, Any] = {
        "default": "5wd",
        "values": {"normal": "", "urgent": "24h", "complex": "15wd"},
        "action_limits": {"reopen": "5wd"},
        "basis": "本地规则（测试）",
    }
    base.update(overrides)
    return ClockForm(**base)


def test_a_clock_setting_is_stored_as_far_as_it_differs_and_applies_after_commit(
    platform: Platform, clock: FakeClock
) -> None:
    ctx = ctx_for(platform, clock)
    assert _handle_normal(platform) == Duration(5, "wd")
    try:
        form = _form(values={"normal": "3wd", "urgent": "24h", "complex": "15wd"})
        row = run(platform, lambda s: check_save_clock_setting(s, ctx, "hotline", "handle", form))
        assert row is not None
        assert (row.default_limit, row.values, row.action_limits) == (None, {"normal": "3wd"}, {})
        assert row.basis_note == "本地规则（测试）" and row.updated_by == ctx.actor.user_id
        assert _handle_normal(platform) == Duration(3, "wd")
        assert platform.types.get("hotline").clock("handle").basis == "本地规则（测试）"  # type: ignore[union-attr]
        log = last_log(platform, "clock:hotline.handle")
        assert log.action == "clock_setting_change"
        assert log.details["before"]["default"] == "5wd"
        assert log.details["after"]["values"] == {
            "normal": "3wd",
            "urgent": "24h",
            "complex": "15wd",
        }
    finally:
        run(platform, lambda s: check_reset_clock_setting(s, ctx, "hotline", "handle"))
    assert _handle_normal(platform) == Duration(5, "wd")
    assert last_log(platform, "clock:hotline.handle").action == "clock_setting_reset"


def test_bad_limits_are_refused_on_their_fields_and_nothing_changes(
    platform: Platform, clock: FakeClock
) -> None:
    ctx = ctx_for(platform, clock)
    form = _form(
        default="5 days",
        values={"normal": "0wd", "urgent": "24h", "complex": ""},
        action_limits={"reopen": ""},
        basis="",
    )
    error = refused(platform, lambda s: check_save_clock_setting(s, ctx, "hotline", "handle", form))
    fields = fields_of(error)
    assert set(fields) == {"default", "value.normal", "on.reopen", "basis"}
    assert "时限格式无法识别" in fields["default"] and "大于0" in fields["value.normal"]
    with platform.sessions() as session:
        assert session.get(ClockSetting, ("hotline", "handle")) is None
    assert _handle_normal(platform) == Duration(5, "wd")
    assert (
        refused(
            platform, lambda s: check_save_clock_setting(s, ctx, "hotline", "nope", form)
        ).status
        == 404
    )


def test_saving_the_files_own_values_leaves_no_override(
    platform: Platform, clock: FakeClock
) -> None:
    ctx = ctx_for(platform, clock)
    spec = platform.types.get("hotline").clock("revisit")  # type: ignore[union-attr]
    assert spec is not None
    form = ClockForm(default="2wd", values={}, action_limits={}, basis=spec.basis)
    assert (
        run(platform, lambda s: check_save_clock_setting(s, ctx, "hotline", "revisit", form))
        is None
    )
    with platform.sessions() as session:
        assert session.get(ClockSetting, ("hotline", "revisit")) is None


def test_a_change_made_in_a_savepoint_applies_when_the_outer_transaction_commits(
    platform: Platform, clock: FakeClock
) -> None:
    """Pages run each change in a savepoint; its release is not yet the commit."""
    ctx = ctx_for(platform, clock)
    form = ClockForm(default="3wd", values={}, action_limits={}, basis="本地规则（测试）")
    try:
        with transaction(platform.sessions) as session:
            with session.begin_nested():
                check_save_clock_setting(session, ctx, "hotline", "revisit", form)
            session.execute(select(User.id).limit(1))  # the page goes on after the savepoint
        revisit = platform.types.get("hotline").clock("revisit")  # type: ignore[union-attr]
        assert revisit is not None and revisit.limit.default == Duration(3, "wd")
    finally:
        run(platform, lambda s: check_reset_clock_setting(s, ctx, "hotline", "revisit"))
    revisit = platform.types.get("hotline").clock("revisit")  # type: ignore[union-attr]
    assert revisit is not None and revisit.limit.default == Duration(2, "wd")


# ---------------------------------------------------------------------------------------------
# The log itself


def test_the_admin_log_refuses_updates_and_deletes(platform: Platform, clock: FakeClock) -> None:
    ctx = ctx_for(platform, clock)
    run(platform, lambda s: record(s, ctx, "user_update", "user:nobody", {"test": True}))
    with platform.engine.connect() as conn:
        for statement in ("UPDATE admin_log SET target = 'x'", "DELETE FROM admin_log"):
            with pytest.raises(DBAPIError) as caught:
                conn.execute(text(statement))
            assert "append-only" in str(caught.value)
            conn.rollback()
    assert last_log(platform, "user:nobody").details == {"test": True}
