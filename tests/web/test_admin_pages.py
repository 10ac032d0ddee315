"""系统管理 pages over HTTP: only admins get in; accounts, units, the duty mapping, deadline
settings and the holiday calendar change through forms whose errors show in Chinese next to
the field; each change is in admin_log.

The database is shared by the whole session: usernames and unit codes are unique per test,
and global things changed here (duty mapping, clock settings, the 2027 calendar) are restored
in `finally`.
"""

from __future__ import annotations

import html
import re
import uuid
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import delete, select

from fazhi.actions.platform import Platform
from fazhi.domain.durations import Duration
from fazhi.store.db import transaction
from fazhi.store.models import AdminLog, CalendarDay, CalendarYear, ClockSetting, Unit, User
from tests.support import TLS, ApiClient, ServerThread, browser_client

PASSWORD = "fazhi2023"
NOTICE_2027 = (
    Path(__file__).parent.parent / "fixtures" / "notices" / "2027-fictional.txt"
).read_text(encoding="utf-8")
Console = Callable[..., httpx.Client]


@pytest.fixture
def console(server: ServerThread) -> Iterator[Console]:
    """console("admin") → an httpx client signed in to the console (session cookie)."""
    clients: list[httpx.Client] = []

    def make(username: str, password: str = PASSWORD) -> httpx.Client:
        http = browser_client(server.url)
        clients.append(http)
        response = http.post("/login", data={"username": username, "password": password})
        assert response.status_code == 303, response.text
        return http

    yield make
    for http in clients:
        http.close()


@pytest.fixture
def admin(console: Console) -> httpx.Client:
    return console("admin")


def unique(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:8]}"


def field_error(page: str, input_id: str) -> str:
    """The error message shown next to an input (by the input's id)."""
    found = re.search(rf'<p class="field-error" id="{re.escape(input_id)}-error">([^<]*)</p>', page)
    assert found, f"no error shown for {input_id}"
    return html.unescape(found.group(1))


def logs(platform: Platform, target: str) -> list[AdminLog]:
    with platform.sessions() as session:
        return list(
            session.scalars(select(AdminLog).where(AdminLog.target == target).order_by(AdminLog.id))
        )


def user_row(platform: Platform, username: str) -> User:
    with platform.sessions() as session:
        user = session.scalar(select(User).where(User.username == username))
        assert user is not None
        return user


def unit_row(platform: Platform, code: str) -> Unit:
    with platform.sessions() as session:
        unit = session.scalar(select(Unit).where(Unit.code == code))
        assert unit is not None
        return unit


def create_user(admin: httpx.Client, **fields: str) -> httpx.Response:
    body = {
        "username": unique("t_web_"),
        "display_name": "测试用户",
        "role": "operator",
        "unit": "SF-12345",
        "password": "Secret-1234",
    }
    body.update(fields)
    return admin.post("/admin/users", data=body)


# ---------------------------------------------------------------------------------------------
# Who may enter


@pytest.mark.parametrize("username", ["operator1", "dispatcher1", "supervisor1", "leader1"])
def test_everyone_but_an_admin_gets_403(console: Console, username: str) -> None:
    http = console(username)
    for path in ("/admin", "/admin/users", "/admin/units", "/admin/duty", "/admin/deadlines"):
        response = http.get(path)
        assert response.status_code == 403, path
        assert "无权访问系统管理" in response.text
    name = unique("t_no_")
    response = http.post(
        "/admin/users",
        data={
            "username": name,
            "display_name": "甲",
            "role": "admin",
            "unit": "SF",
            "password": "Pass-12345678",
        },
    )
    assert response.status_code == 403
    assert http.post("/admin/duty/SANITATION", data={"unit": "SF-ZJJ"}).status_code == 403
    assert http.post("/admin/calendar/days", data={"day": "2025-06-06"}).status_code == 403


def test_without_a_session_the_console_asks_to_log_in(server: ServerThread) -> None:
    with httpx.Client(base_url=server.url, follow_redirects=False, verify=TLS) as http:
        response = http.get("/admin/users")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=/admin/users")


def test_the_admin_lands_on_the_overview_which_links_every_section(server: ServerThread) -> None:
    with browser_client(server.url) as http:
        response = http.post("/login", data={"username": "admin", "password": PASSWORD})
        assert response.headers["location"] == "/admin"
        page = http.get("/admin")
    assert page.status_code == 200
    for path in (
        "/admin/users",
        "/admin/units",
        "/admin/duty",
        "/admin/deadlines",
        "/admin/calendar",
    ):
        assert f'href="{path}"' in page.text
    assert '<link rel="stylesheet" href="/static/admin.css">' in page.text


def test_every_page_renders_with_labelled_inputs(admin: httpx.Client) -> None:
    for path in (
        "/admin",
        "/admin/users",
        "/admin/units",
        "/admin/units?grids=1",
        "/admin/units?q=清水塘",
        "/admin/duty",
        "/admin/gazetteer",
        "/admin/deadlines",
        "/admin/calendar",
        "/admin/log",
    ):
        page = admin.get(path)
        assert page.status_code == 200, path
        labels = set(re.findall(r'<label[^>]* for="([^"]+)"', page.text))
        for tag, input_id, kind in re.findall(
            r'<(input|select|textarea)[^>]* id="([^"]+)"(?:[^>]*type="([a-z]+)")?', page.text
        ):
            if kind != "hidden":
                assert input_id in labels, f"{path}: {tag}#{input_id} has no label"
    assert admin.get("/static/admin.css").status_code == 200


# ---------------------------------------------------------------------------------------------
# Accounts


def test_a_new_account_can_log_in_and_lands_on_its_roles_page(
    admin: httpx.Client, console: Console, platform: Platform
) -> None:
    name = unique("t_web_")
    response = create_user(admin, username=name, display_name="测试<b>话务员</b>")
    assert response.status_code == 303, response.text
    user = user_row(platform, name)
    assert response.headers["location"] == f"/admin/users/{user.id}?done=user_created"
    assert (user.role, user.active) == ("operator", True)
    page = admin.get(response.headers["location"])
    assert "账号已创建" in page.text
    listing = admin.get("/admin/users", params={"q": name}).text
    assert "测试&lt;b&gt;话务员&lt;/b&gt;" in listing and "<b>话务员</b>" not in listing
    assert "话务员" in listing and "石峰区12345热线服务中心" in listing

    http = browser_client(str(admin.base_url))
    signed_in = http.post("/login", data={"username": name, "password": "Secret-1234"})
    assert signed_in.status_code == 303 and signed_in.headers["location"] == "/work"
    assert http.get("/work").status_code == 200
    assert http.get("/admin").status_code == 403
    http.close()
    assert [row.action for row in logs(platform, f"user:{name}")] == ["user_create"]


def test_a_duplicate_username_is_shown_next_to_the_field(admin: httpx.Client) -> None:
    response = create_user(admin, username="dispatcher1", password="short")
    assert response.status_code == 422
    assert field_error(response.text, "new-username") == "用户名 dispatcher1 已存在"
    assert "10" in field_error(response.text, "new-password")
    # What was typed is kept, the password is not.
    assert 'value="dispatcher1"' in response.text and 'value="short"' not in response.text
    assert '<details class="card" id="create-user" open>' in response.text


def test_a_deactivated_accounts_existing_sessions_stop_working_at_once(
    admin: httpx.Client, console: Console, platform: Platform, server: ServerThread
) -> None:
    name = unique("t_off_")
    assert create_user(admin, username=name).status_code == 303
    user = user_row(platform, name)
    page_session = console(name, "Secret-1234")
    assert page_session.get("/cases").status_code == 200  # the token is now remembered
    token = httpx.post(
        f"{server.url}/api/v1/auth/token",
        json={"username": name, "password": "Secret-1234"},
        verify=TLS,
    ).json()["access_token"]
    api = httpx.Client(
        base_url=server.url, headers={"authorization": f"Bearer {token}"}, verify=TLS
    )
    assert api.get("/api/v1/cases").status_code == 200

    response = admin.post(f"/admin/users/{user.id}/active", data={"active": "0"})
    assert response.status_code == 303
    assert "其登录已立即失效" in admin.get(response.headers["location"]).text
    assert page_session.get("/cases").status_code == 303  # back to the login page
    assert api.get("/api/v1/cases").status_code == 401
    api.close()
    with browser_client(server.url) as http:
        failed = http.post("/login", data={"username": name, "password": "Secret-1234"})
    assert failed.status_code == 422
    assert [r.action for r in logs(platform, f"user:{name}")] == ["user_create", "user_deactivate"]

    assert admin.post(f"/admin/users/{user.id}/active", data={"active": "1"}).status_code == 303
    assert console(name, "Secret-1234").get("/cases").status_code == 200


def test_a_role_change_ends_sessions_and_the_new_role_applies(
    admin: httpx.Client, console: Console, platform: Platform
) -> None:
    name = unique("t_role_")
    assert create_user(admin, username=name).status_code == 303
    user = user_row(platform, name)
    session = console(name, "Secret-1234")
    assert session.get("/work").status_code == 200
    response = admin.post(
        f"/admin/users/{user.id}",
        data={"display_name": "改名", "role": "supervisor", "unit": "SF-DCS"},
    )
    assert response.status_code == 303
    assert session.get("/work").status_code == 303
    again = console(name, "Secret-1234")
    assert again.get("/supervision").status_code == 200
    changes = logs(platform, f"user:{name}")[-1].details["changes"]
    assert changes == {
        "display_name": ["测试用户", "改名"],
        "role": ["operator", "supervisor"],
        "unit": ["SF-12345", "SF-DCS"],
    }


def test_password_reset_needs_matching_long_passwords_then_the_new_one_works(
    admin: httpx.Client, console: Console, platform: Platform
) -> None:
    name = unique("t_pw_")
    assert create_user(admin, username=name).status_code == 303
    user = user_row(platform, name)
    path = f"/admin/users/{user.id}/password"
    mismatch = admin.post(path, data={"password": "New-secret-1", "password_again": "other"})
    assert mismatch.status_code == 422
    assert field_error(mismatch.text, "password_again") == "两次输入的密码不一致"
    short = admin.post(path, data={"password": "short", "password_again": "short"})
    assert "10" in field_error(short.text, "password")
    ok = admin.post(path, data={"password": "New-secret-1", "password_again": "New-secret-1"})
    assert ok.status_code == 303
    assert console(name, "New-secret-1").get("/work").status_code == 200
    assert logs(platform, f"user:{name}")[-1].action == "user_password_reset"


def test_an_admin_cannot_deactivate_themself(admin: httpx.Client, platform: Platform) -> None:
    me = user_row(platform, "admin")
    page = admin.get(f"/admin/users/{me.id}").text
    assert "不能停用自己的账号" in page and 'id="deactivate"' not in page
    response = admin.post(f"/admin/users/{me.id}/active", data={"active": "0"})
    assert response.status_code == 422
    assert "不能停用自己的账号" in response.text
    assert user_row(platform, "admin").active
    response = admin.post(
        f"/admin/users/{me.id}",
        data={"display_name": "系统管理员", "role": "operator", "unit": "SF"},
    )
    assert response.status_code == 422
    assert field_error(response.text, "role") == "不能修改自己的角色"


def test_unknown_accounts_and_units_are_404(admin: httpx.Client) -> None:
    assert admin.get("/admin/users/999999").status_code == 404
    assert admin.get("/admin/units/999999").status_code == 404
    assert admin.post("/admin/users/999999/active", data={"active": "0"}).status_code == 404


# ---------------------------------------------------------------------------------------------
# Units


def add_unit(admin: httpx.Client, **fields: str) -> httpx.Response:
    body = {"parent": "SF", "kind": "department", "code": unique("T-W-"), "name": "测试部门"}
    body.update(fields)
    return admin.post("/admin/units", data=body)


def test_units_are_added_renamed_and_deactivated_by_the_rules(
    admin: httpx.Client, platform: Platform
) -> None:
    street_code, community_code = unique("T-WS-"), unique("T-WC-")
    response = add_unit(admin, kind="street", code=street_code, name="测试街道")
    assert response.status_code == 303, response.text
    street = unit_row(platform, street_code)
    assert street.depth == 1 and street.path == f"{unit_row(platform, 'SF').path}{street.id}/"
    assert response.headers["location"] == f"/admin/units/{street.id}?done=unit_created"
    try:
        # A community under the district does not fit; the message is next to the kind.
        misfit = add_unit(admin, kind="community", code=community_code, name="测试社区")
        assert misfit.status_code == 422
        assert "社区（村）的上级应为街道（镇）" in field_error(misfit.text, "new-kind")
        duplicate = add_unit(admin, parent=street_code, kind="community", code="SF-CGJ")
        assert "已被" in field_error(duplicate.text, "new-code")
        ok = add_unit(admin, parent=street_code, kind="community", code=community_code, name="社区")
        assert ok.status_code == 303
        community = unit_row(platform, community_code)
        assert community.path == f"{street.path}{community.id}/" and community.depth == 2
        assert platform.directory().by_code[community_code].path == community.path

        tree = admin.get("/admin/units").text
        assert f'data-code="{community_code}"' in tree and "--depth: 2" in tree

        renamed = admin.post(
            f"/admin/units/{street.id}", data={"name": "测试新街道", "short_name": ""}
        )
        assert renamed.status_code == 303
        assert platform.directory().by_code[street_code].name == "测试新街道"
        blank = admin.post(f"/admin/units/{street.id}", data={"name": "", "short_name": ""})
        assert field_error(blank.text, "name") == "请填写单位名称"

        # Not while a child is active, nor while an active account is attached.
        refused = admin.post(f"/admin/units/{street.id}/active", data={"active": "0"})
        assert refused.status_code == 422 and "下级单位" in refused.text
        name = unique("t_unit_")
        assert (
            create_user(admin, username=name, role="unit_handler", unit=community_code).status_code
            == 303
        )
        page = admin.get(f"/admin/units/{community.id}").text
        assert "暂不能停用" in page and name in page
        refused = admin.post(f"/admin/units/{community.id}/active", data={"active": "0"})
        assert refused.status_code == 422 and "在用账号" in refused.text
        user = user_row(platform, name)
        assert admin.post(f"/admin/users/{user.id}/active", data={"active": "0"}).status_code == 303
        done = admin.post(f"/admin/units/{community.id}/active", data={"active": "0"})
        assert done.status_code == 303
        assert community_code not in platform.directory().by_code
    finally:
        for code in (community_code, street_code):
            with platform.sessions() as session:
                unit = session.scalar(select(Unit).where(Unit.code == code))
            if unit is not None and unit.active:
                admin.post(f"/admin/units/{unit.id}/active", data={"active": "0"})
    assert street_code not in platform.directory().by_code
    actions = [r.action for r in logs(platform, f"unit:{street_code}")]
    assert actions == ["unit_create", "unit_rename", "unit_deactivate"]


# ---------------------------------------------------------------------------------------------
# Duty mapping


def test_a_duty_change_moves_the_default_unit_and_is_logged(
    admin: httpx.Client, platform: Platform
) -> None:
    assert platform.directory().default_unit_for("CITY_APPEARANCE").code == "SF-CGJ"  # type: ignore[union-attr]
    page = admin.get("/admin/duty").text
    assert page.count('<form method="post" action="/admin/duty/') == 24
    try:
        response = admin.post("/admin/duty/CITY_APPEARANCE", data={"unit": "SF-ZJJ"})
        assert response.status_code == 303
        assert platform.directory().default_unit_for("CITY_APPEARANCE").code == "SF-ZJJ"  # type: ignore[union-attr]
        assert "职责映射已保存" in admin.get(response.headers["location"]).text
        blank = admin.post("/admin/duty/CITY_APPEARANCE", data={"unit": ""})
        assert blank.status_code == 422
        assert field_error(blank.text, "unit-CITY_APPEARANCE") == "该分类必须有默认主办单位"
        assert admin.post("/admin/duty/NO_SUCH", data={"unit": "SF-ZJJ"}).status_code == 404
    finally:
        admin.post("/admin/duty/CITY_APPEARANCE", data={"unit": "SF-CGJ"})
    assert platform.directory().default_unit_for("CITY_APPEARANCE").code == "SF-CGJ"  # type: ignore[union-attr]
    afters = [r.details["after"] for r in logs(platform, "category:CITY_APPEARANCE")][-2:]
    assert afters == ["SF-ZJJ", "SF-CGJ"]
    assert "不设（由事发地街道主办）" in admin.get("/admin/duty").text


# ---------------------------------------------------------------------------------------------
# Deadline settings


def handle_due(api: ApiClient, case_id: int) -> dict[str, Any]:
    case = api.get(f"/api/v1/cases/{case_id}").json()
    return next(c for c in case["clocks"] if c["name"] == "handle" and c["running"])


def dispatched(login: Callable[[str], ApiClient]) -> int:
    case_id = int(login("operator1").register()["id"])
    login("dispatcher1").act(case_id, "dispatch", lead_unit="SF-CGJ", urgency="normal")
    return case_id


def test_a_deadline_change_applies_to_new_dispatches_only_and_bad_limits_are_refused(
    admin: httpx.Client, platform: Platform, login: Callable[[str], ApiClient]
) -> None:
    page = admin.get("/admin/deadlines").text
    assert "调整只对此后开始计时的时限生效" in page
    assert "紧急 <b>24小时</b>" in page and "复杂 <b>15个工作日</b>" in page
    # Limits are shown (and prefilled) in Chinese, never as the type file's short form.
    shown = re.sub(r"<[^>]+>", " ", page)
    assert not re.search(r"\b\d+(min|wd|cd|mo|h)\b", shown), "raw limit codes on the page"
    assert re.search(r'value="5个工作日"', page) and "类型文件：15个工作日" in page
    before = dispatched(login)  # Thursday 2023-06-01 09:00: 5 WD → Thursday 6/8
    assert handle_due(login("operator1"), before)["due_at"] == "2023-06-08T23:59:59+08:00"
    form = {
        "default": "5wd",
        "value.normal": "3个工作日",  # typed as it is shown
        "value.urgent": "24h",
        "value.complex": "15wd",
        "on.reopen": "5wd",
        "basis": "本地规则（测试）：一般3个工作日",
    }
    try:
        bad = admin.post("/admin/deadlines/hotline/handle", data={**form, "value.normal": "3 days"})
        assert bad.status_code == 422
        message = field_error(bad.text, "c-hotline-handle-v-normal")
        assert "时限格式无法识别" in message and "5个工作日" in message
        assert 'value="3 days"' in bad.text  # what was typed is kept for correction
        assert platform.types.get("hotline").clock("handle").limit_for(  # type: ignore[union-attr]
            "dispatch", {"urgency": "normal"}
        ) == Duration(5, "wd")

        saved = admin.post("/admin/deadlines/hotline/handle", data=form)
        assert saved.status_code == 303
        page = admin.get(saved.headers["location"]).text
        assert "一般 <b>3个工作日</b>" in page and "已按本地规则调整" in page

        after = dispatched(login)  # 3 WD from Thursday 6/1: Fri 6/2, Mon 6/5, Tue 6/6
        clock = handle_due(login("operator1"), after)
        assert (clock["due_at"], clock["limit"]) == ("2023-06-06T23:59:59+08:00", "3wd")
        assert clock["basis"] == "本地规则（测试）：一般3个工作日"
        # The order dispatched before the change keeps its due date.
        assert handle_due(login("operator1"), before)["due_at"] == "2023-06-08T23:59:59+08:00"
        # The API describes the type as it now is.
        described = login("operator1").get("/api/v1/case-types/hotline").json()
        handle = next(c for c in described["clocks"] if c["name"] == "handle")
        assert handle["limit_values"]["normal"] == "3wd"
    finally:
        reset = admin.post("/admin/deadlines/hotline/handle/reset")
        assert reset.status_code == 303
    with platform.sessions() as session:
        assert session.get(ClockSetting, ("hotline", "handle")) is None
    assert handle_due(login("operator1"), dispatched(login))["limit"] == "5wd"
    actions = [r.action for r in logs(platform, "clock:hotline.handle")][-2:]
    assert actions == ["clock_setting_change", "clock_setting_reset"]


# ---------------------------------------------------------------------------------------------
# Holiday calendar


@pytest.fixture
def forget_2027(platform: Platform) -> Iterator[None]:
    """Whatever the test did, 2027 is unknown again afterwards."""
    try:
        yield
    finally:
        with transaction(platform.sessions) as session:
            session.execute(
                delete(CalendarDay).where(
                    CalendarDay.day >= date(2027, 1, 1), CalendarDay.day <= date(2027, 12, 31)
                )
            )
            session.execute(delete(CalendarYear).where(CalendarYear.year == 2027))
        platform.forget_calendar()


def test_a_notice_is_previewed_then_saved_and_2027_becomes_known(
    admin: httpx.Client, platform: Platform, forget_2027: None
) -> None:
    assert 2027 not in platform.calendar().known_years()
    preview = admin.post("/admin/calendar/notice", data={"text": NOTICE_2027})
    assert preview.status_code == 200
    assert "2027年安排（预览，尚未保存）" in preview.text
    assert "国庆节" in preview.text and "2027-10-01" in preview.text
    assert 2027 not in platform.calendar().known_years()  # a preview saves nothing

    saved = admin.post("/admin/calendar/notice", data={"text": NOTICE_2027, "confirm": "1"})
    assert saved.status_code == 303
    assert 2027 in platform.calendar().known_years()
    assert platform.calendar().add_workdays(date(2027, 9, 30), 2) == date(2027, 10, 9)
    page = admin.get(saved.headers["location"]).text
    assert "节假日安排已导入" in page and 'data-day="2027-10-09"' in page
    row = logs(platform, "calendar:2027")[-1]
    assert row.action == "calendar_import" and row.details["year"] == 2027


@pytest.mark.parametrize(
    ("text", "needle"),
    [("", "请粘贴通知全文"), ("今天天气很好", ""), ("x" * 20_001, "不能超过")],
)
def test_an_unreadable_notice_is_refused_next_to_the_textarea(
    admin: httpx.Client, platform: Platform, text: str, needle: str
) -> None:
    for data in ({"text": text}, {"text": text, "confirm": "1"}):
        response = admin.post("/admin/calendar/notice", data=data)
        assert response.status_code == 422
        message = field_error(response.text, "notice-text")
        assert needle in message and any("\u4e00" <= ch <= "\u9fff" for ch in message)
    assert 2027 not in platform.calendar().known_years()


def test_a_single_day_is_added_and_deleted(admin: httpx.Client, platform: Platform) -> None:
    assert platform.calendar().add_workdays(date(2025, 6, 5), 1) == date(2025, 6, 6)
    try:
        bad = admin.post("/admin/calendar/days", data={"day": "2025-13-01", "kind": "holiday"})
        assert bad.status_code == 422 and "日期格式" in field_error(bad.text, "day")
        no_kind = admin.post("/admin/calendar/days", data={"day": "2025-06-06", "kind": ""})
        assert field_error(no_kind.text, "day-kind") == "请选择放假或上班"
        added = admin.post(
            "/admin/calendar/days",
            data={"day": "2025-06-06", "kind": "holiday", "name": "测试调整"},
        )
        assert added.status_code == 303
        assert platform.calendar().add_workdays(date(2025, 6, 5), 1) == date(2025, 6, 9)
        assert 'data-day="2025-06-06"' in admin.get("/admin/calendar").text
    finally:
        removed = admin.post("/admin/calendar/days/2025-06-06/delete")
    assert removed.status_code == 303
    assert platform.calendar().add_workdays(date(2025, 6, 5), 1) == date(2025, 6, 6)
    assert admin.post("/admin/calendar/days/2025-06-06/delete").status_code == 404
    assert admin.post("/admin/calendar/days/not-a-day/delete").status_code == 404
    actions = [r.action for r in logs(platform, "calendar:2025-06-06")][-2:]
    assert actions == ["calendar_day_set", "calendar_day_remove"]


def test_the_log_page_lists_changes_newest_first(admin: httpx.Client) -> None:
    name = unique("t_log_")
    assert create_user(admin, username=name).status_code == 303
    page = admin.get("/admin/log").text
    assert f"user:{name}" in page and "新建账号" in page
    assert page.index(f"user:{name}") < page.index("</tbody>")
