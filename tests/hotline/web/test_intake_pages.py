"""受理 (intake) page over HTTP: the form, its errors in Chinese next to the fields, the place
an address resolves to, earlier orders from the same caller, and the dispatch form's helpers
(default lead unit, deadline preview)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, update

from fazhi.actions.platform import Platform
from fazhi.catalog.registry import default_case_types
from fazhi.domain.calendar import WorkCalendar
from fazhi.domain.durations import LOCAL_TZ
from fazhi.hotline.web.intake_pages import deadline_text
from fazhi.store.db import transaction
from fazhi.store.models import Case, DutyRule, GazetteerEntry
from tests.support import TLS, FakeClock, ServerThread

PASSWORD = "fazhi2023"
Console = Callable[[str], httpx.Client]


def unique_phone() -> str:
    return f"139{uuid.uuid4().int % 10**8:08d}"


def order(**fields: str) -> dict[str, str]:
    """A complete intake form (synthetic data), with `fields` overriding."""
    body = {
        "caller_name": "测试乙",
        "caller_phone": unique_phone(),
        "request_kind": "complaint",
        "content": f"小区门口流动摊贩占道经营（测试合成数据 {uuid.uuid4().hex[:6]}）",
        "address": "石峰区田心大道1号（合成地址）",
        "longitude": "",
        "latitude": "",
        "category": "CITY_APPEARANCE",
        "urgency": "normal",
        "channel": "phone",
        "answer": "",
        "intent": "register",
    }
    body.update(fields)
    return body


def created_id(response: httpx.Response, done: str = "register") -> int:
    assert response.status_code == 303, response.text
    found = re.fullmatch(rf"/cases/(\d+)\?done={done}", response.headers["location"])
    assert found, response.headers["location"]
    return int(found.group(1))


def load_case(platform: Platform, case_id: int) -> Case:
    with transaction(platform.sessions) as session:
        case = session.get(Case, case_id)
        assert case is not None
        session.expunge(case)
        return case


def case_count(platform: Platform) -> int:
    with transaction(platform.sessions) as session:
        return int(session.scalar(select(func.count()).select_from(Case)) or 0)


def error_of(html: str, field: str) -> str:
    found = re.search(rf'<p class="field-error" id="{field}-error">([^<]*)</p>', html)
    return found.group(1) if found else ""


def unit_id(platform: Platform, code: str) -> int:
    return platform.directory().by_code[code].id


# ---------------------------------------------------------------------------------------------
# The page and who may use it


def test_the_intake_page_has_every_control_for_an_operator(console: Console) -> None:
    response = console("operator1").get("/intake")
    assert response.status_code == 200
    html = response.text
    for element_id in (
        "caller_name",
        "caller_phone",
        "content",
        "address",
        "longitude",
        "latitude",
        "answer",
    ):
        assert f'id="{element_id}"' in html, element_id
        assert f'<label for="{element_id}"' in html, f"{element_id} has no label"
    for select_id in ("request_kind", "category", "urgency", "channel"):
        assert re.search(rf'<select id="{select_id}"', html), select_id
    assert '<textarea id="content"' in html and '<textarea id="answer"' in html
    assert '<option value="phone" selected>电话</option>' in html
    assert '<option value="CITY_APPEARANCE">市容秩序</option>' in html
    categories = re.findall(r'<select id="category".*?</select>', html, re.S)[0]
    assert categories.count("<option") == 25  # 请选择 and the 24 categories
    assert re.search(r'<button type="submit" class="primary" name="intent" value="register">', html)
    assert 'name="intent" value="resolve">即时办结</button>' in html
    assert 'hx-trigger="keyup changed delay:400ms, change"' in html
    assert '<link rel="stylesheet" href="/static/intake.css">' in html


def test_a_dispatcher_may_register_but_not_resolve_at_intake(console: Console) -> None:
    html = console("dispatcher1").get("/intake").text
    assert 'value="register"' in html
    assert 'value="resolve"' not in html  # 即时办结 is the operator's (type file)


def test_a_unit_handler_is_refused(console: Console) -> None:
    http = console("cgj_handler")
    assert http.get("/intake").status_code == 403
    assert http.get("/intake/locate", params={"address": "樱花地带小区"}).status_code == 403
    assert http.get("/intake/recent", params={"phone": "13900000000"}).status_code == 403
    response = http.post("/intake", data=order())
    assert response.status_code == 403


def test_signed_out_users_are_sent_to_the_login_page(server: ServerThread) -> None:
    response = httpx.get(f"{server.url}/intake", follow_redirects=False, verify=TLS)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=/intake")


def test_the_static_files_are_served(console: Console) -> None:
    http = console("operator1")
    assert http.get("/static/intake.css").status_code == 200
    assert http.get("/static/unit-picker.js").status_code == 200


# ---------------------------------------------------------------------------------------------
# Posting the form


def test_missing_content_is_shown_next_to_the_field_and_nothing_is_created(
    console: Console, platform: Platform
) -> None:
    before = case_count(platform)
    body = order(content="   ", caller_name="<b>测试丙</b>")
    response = console("operator1").post("/intake", data=body)
    assert response.status_code == 422
    html = response.text
    assert error_of(html, "content") == "请填写诉求内容"
    assert 'id="content" name="content"' in html and 'aria-describedby="content-error"' in html
    # What was typed stays, escaped.
    assert body["caller_phone"] in html
    assert "&lt;b&gt;测试丙&lt;/b&gt;" in html and "<b>测试丙</b>" not in html
    assert case_count(platform) == before


def test_several_errors_each_go_next_to_their_own_field(console: Console) -> None:
    response = console("operator1").post(
        "/intake", data=order(request_kind="", category="", caller_phone="12")
    )
    assert response.status_code == 422
    assert error_of(response.text, "request_kind") == "请选择诉求类型"
    assert error_of(response.text, "category") == "请选择诉求分类"
    assert "格式不正确" in error_of(response.text, "caller_phone")


def test_a_good_order_is_registered_and_the_browser_goes_to_its_page(
    console: Console, platform: Platform
) -> None:
    http = console("operator1")
    body = order()
    case_id = created_id(http.post("/intake", data=body))
    case = load_case(platform, case_id)
    assert case.state == "registered" and case.type == "hotline"
    assert case.fields["caller_phone"] == body["caller_phone"]
    assert case.fields["channel"] == "phone" and case.category == "CITY_APPEARANCE"
    assert "answer" not in case.fields  # only 即时办结 takes an answer
    page = http.get(f"/cases/{case_id}?done=register")
    assert page.status_code == 200 and "已完成「受理登记」" in page.text


def test_htmx_posts_get_an_hx_redirect(console: Console) -> None:
    response = console("operator1").post("/intake", data=order(), headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert re.fullmatch(r"/cases/\d+\?done=register", response.headers["HX-Redirect"])


def test_resolving_at_intake_needs_an_answer(console: Console, platform: Platform) -> None:
    before = case_count(platform)
    response = console("operator1").post("/intake", data=order(intent="resolve"))
    assert response.status_code == 422
    assert error_of(response.text, "answer") == "请填写即时答复"
    assert case_count(platform) == before


def test_resolving_at_intake_with_an_answer_closes_the_order(
    console: Console, platform: Platform
) -> None:
    answer = "已告知来电人办理地点和所需材料（测试）"
    response = console("operator1").post(
        "/intake", data=order(intent="resolve", request_kind="consultation", answer=answer)
    )
    case = load_case(platform, created_id(response, "resolve_at_intake"))
    assert case.state == "closed" and case.terminal
    assert case.fields["answer"] == answer


def test_a_script_in_the_content_is_shown_escaped_on_the_case_page(console: Console) -> None:
    http = console("operator1")
    script = '<script>alert("xss")</script>'
    case_id = created_id(http.post("/intake", data=order(content=f"测试内容{script}")))
    html = http.get(f"/cases/{case_id}").text
    assert script not in html
    assert "&lt;script&gt;alert(&#34;xss&#34;)&lt;/script&gt;" in html


def test_coordinates_place_the_order_on_their_grid(console: Console, platform: Platform) -> None:
    response = console("operator1").post(
        "/intake", data=order(address="", longitude="113.140", latitude="27.890")
    )
    case = load_case(platform, created_id(response))
    assert case.grid_id == unit_id(platform, "SF-XSL-C06-G01")


def test_an_address_in_a_community_of_several_grids_places_the_order_in_that_community(
    console: Console, platform: Platform
) -> None:
    # 樱花社区 has two grids (网格待定): the order is placed on the community, so that it
    # counts for its street in the statistics and the street filter finds it.
    response = console("operator1").post("/intake", data=order(address="樱花地带小区5栋"))
    case = load_case(platform, created_id(response))
    assert case.grid_id == unit_id(platform, "SF-XSL-C06")
    page = console("dispatcher1").get(f"/cases/{case.id}").text
    assert "<dt>所在街道</dt><dd>响石岭街道</dd>" in page


def test_the_place_shown_at_intake_is_the_place_stored(
    console: Console, platform: Platform
) -> None:
    # The walk: 「定位：田心街道 / 田心东社区」 was shown, and the order was saved unplaced.
    address = "凤凰公寓7栋"
    assert "田心街道 / 田心东社区 / 网格待定" in locate(console("operator1"), address=address)
    response = console("operator1").post("/intake", data=order(address=address))
    case = load_case(platform, created_id(response))
    directory = platform.directory()
    unit = directory.by_id[case.grid_id] if case.grid_id else None
    assert unit is not None and unit.code == "SF-TX-C01"
    street = directory.street_of(unit)
    assert street is not None and street.code == "SF-TX"
    listed = console("dispatcher1").get("/work", params={"street": "SF-TX"}).text
    assert f'data-case-id="{case.id}"' in listed


# ---------------------------------------------------------------------------------------------
# Where the address lies, and the default lead unit


def locate(http: httpx.Client, **params: str) -> str:
    query = {"address": "", "longitude": "", "latitude": "", **params}
    response = http.get("/intake/locate", params=query, headers={"HX-Request": "true"})
    assert response.status_code == 200
    return response.text


def test_an_estate_name_is_placed_in_its_community_and_street(console: Console) -> None:
    html = locate(console("operator1"), address="石峰区樱花地带小区3栋2单元")
    assert "响石岭街道 / 樱花社区 / 网格待定" in html
    assert "匹配：樱花地带小区" in html


def test_an_unknown_address_asks_for_more(console: Console) -> None:
    html = locate(console("operator1"), address="某某路不存在的地方")
    assert "未能定位，请补充" in html
    assert locate(console("operator1"), address="").strip() == ""


def test_coordinates_are_placed_by_their_grid(console: Console) -> None:
    html = locate(console("operator1"), address="未知地址", longitude="113.14", latitude="27.89")
    assert "响石岭街道 / 樱花社区 / 樱花社区第一网格" in html and "按坐标" in html


def test_the_default_lead_unit_follows_the_category(console: Console) -> None:
    http = console("operator1")
    html = locate(http, address="樱花地带小区", category="CITY_APPEARANCE")
    assert "默认承办单位：石峰区城市管理和综合执法局" in html
    # A dispute goes to the street of the place (人民调解).
    html = locate(http, address="樱花地带小区", category="DISPUTE")
    assert "默认承办单位：响石岭街道（属地街道人民调解）" in html
    html = locate(http, address="", category="DISPUTE")
    assert "事发地点确定后显示" in html


def test_user_text_in_the_fragments_is_escaped(console: Console) -> None:
    html = locate(console("operator1"), address="<img src=x onerror=alert(1)>")
    assert "<img" not in html


# ---------------------------------------------------------------------------------------------
# Earlier orders from the same phone or address


def test_earlier_orders_from_the_same_phone_within_30_days_are_listed(
    console: Console, clock: FakeClock
) -> None:
    http = console("operator1")  # signed in at 2023-06-01 09:00; valid all along
    phone = unique_phone()
    clock.set("2023-04-25T10:00:00+08:00")  # 37 days before
    too_old = created_id(http.post("/intake", data=order(caller_phone=phone)))
    clock.set("2023-05-20T10:00:00+08:00")
    earlier = created_id(http.post("/intake", data=order(caller_phone=phone)))
    clock.set("2023-05-28T10:00:00+08:00")
    latest = created_id(http.post("/intake", data=order(caller_phone=phone)))
    other = created_id(http.post("/intake", data=order()))
    clock.set("2023-06-01T09:00:00+08:00")

    answer = http.get("/intake/recent", params={"phone": phone, "address": ""}).text
    html, history = answer.split('id="intake-caller-history"', 1)
    assert 'class="warn-box" id="repeat-warning"' in html
    assert f'href="/cases/{earlier}"' in html and f'href="/cases/{latest}"' in html
    assert f'href="/cases/{too_old}"' not in html
    # The caller's whole history, below the 30-day warning, still names the older order.
    assert f'href="/cases/{too_old}"' in history
    assert f'href="/cases/{other}"' not in html
    assert html.index(f"/cases/{latest}") < html.index(f"/cases/{earlier}")  # newest first
    assert f"RX20230520{earlier:07d}" in html and "待派单" in html
    assert phone in html  # the operator sees the phone whole
    # htmx sends the form field's own name.
    same = http.get("/intake/recent", params={"caller_phone": phone, "address": ""}).text
    assert f'href="/cases/{earlier}"' in same


def test_earlier_orders_at_the_same_address_are_listed(console: Console) -> None:
    http = console("operator1")
    address = f"响石岭街道建设巷20号{uuid.uuid4().hex[:6]}栋"
    first = created_id(http.post("/intake", data=order(address=address)))
    html = http.get("/intake/recent", params={"phone": "", "address": address}).text
    assert f'href="/cases/{first}"' in html and "同一地址" in html


def test_no_earlier_orders_no_warning(console: Console) -> None:
    http = console("operator1")
    assert "repeat-warning" not in http.get("/intake/recent", params={"phone": unique_phone()}).text
    assert http.get("/intake/recent").text.strip() == ""


# ---------------------------------------------------------------------------------------------
# The dispatch form


def registered(console: Console, **fields: str) -> int:
    return created_id(console("operator1").post("/intake", data=order(**fields)))


def test_the_deadline_preview_counts_working_days_from_a_thursday(console: Console) -> None:
    case_id = registered(console)
    http = console("dispatcher1")  # Thursday 2023-06-01 09:00
    preview = http.get(f"/cases/{case_id}/deadline-preview", params={"urgency": "normal"})
    assert preview.status_code == 200
    assert preview.text.strip() == "办理时限将至：2023-06-08 23:59（5个工作日）"
    urgent = http.get(f"/cases/{case_id}/deadline-preview", params={"urgency": "urgent"}).text
    assert urgent.strip() == "办理时限将至：2023-06-02 09:00（24小时）"
    complex_ = http.get(f"/cases/{case_id}/deadline-preview", params={"urgency": "complex"}).text
    # 14 WD reach Wed 6/21; 端午 6/22–24 is off and Sunday 6/25 is worked: the 15th.
    assert "2023-06-25 23:59（15个工作日）" in complex_
    # No urgency chosen: the order's own.
    assert "2023-06-08 23:59" in http.get(f"/cases/{case_id}/deadline-preview").text


def test_the_deadline_preview_refuses_a_year_without_a_calendar() -> None:
    class NoCalendar:
        """A platform whose calendar knows no year at all."""

        def calendar(self) -> WorkCalendar:
            return WorkCalendar(use_builtin=False)

    hotline = default_case_types().get("hotline")
    assert hotline is not None
    now = datetime(2023, 6, 1, 9, 0, tzinfo=LOCAL_TZ)
    text = deadline_text(NoCalendar(), hotline, {}, "normal", now)  # type: ignore[arg-type]
    assert text == "没有2023年的节假日安排，无法计算期限；请先导入国务院办公厅2023年节假日安排通知"
    # Hour-based limits need no calendar.
    urgent = deadline_text(NoCalendar(), hotline, {}, "urgent", now)  # type: ignore[arg-type]
    assert urgent == "办理时限将至：2023-06-02 09:00（24小时）"


def test_the_deadline_preview_is_404_for_an_unknown_case(console: Console) -> None:
    assert console("dispatcher1").get("/cases/999999999/deadline-preview").status_code == 404


def selected_lead(html: str, prefix: str = "dispatch") -> str:
    block = re.search(rf'<select id="{prefix}-lead_unit".*?</select>', html, re.S)
    assert block, "no lead unit select"
    found = re.search(r'<option value="([^"]+)"[^>]* selected>', block.group(0))
    return found.group(1) if found else ""


def test_the_dispatch_form_is_searchable_and_preselects_the_duty_unit(console: Console) -> None:
    case_id = registered(console)
    html = console("dispatcher1").get(f"/cases/{case_id}").text
    # static/unit-picker.js searches the tree (name, short name, pinyin initials) for it.
    assert re.search(r'<select id="dispatch-lead_unit" name="lead_unit" data-unit-picker', html)
    assert selected_lead(html) == "SF-CGJ"
    assert 'data-alias="区城管局"' in html  # short names are searchable too
    assert "默认承办单位：石峰区城市管理和综合执法局" in html
    for group in ("部门", "街道（镇）", "社区（村）", "公用事业与运营商"):
        assert f'<optgroup label="{group}">' in html
    # The same input names as before, so the action works unchanged.
    for name in ("lead_unit", "assisting_units", "urgency", "note"):
        assert f'name="{name}"' in html
    assert "办理时限将至：2023-06-08 23:59（5个工作日）" in html
    assert f'hx-get="/cases/{case_id}/deadline-preview?action=dispatch"' in html


def test_a_dispute_preselects_the_street_of_the_place(console: Console) -> None:
    case_id = registered(console, category="DISPUTE", address="樱花地带小区5栋")
    html = console("dispatcher1").get(f"/cases/{case_id}").text
    assert selected_lead(html) == "SF-XSL"


def test_dispatching_through_the_form_still_works(console: Console, platform: Platform) -> None:
    case_id = registered(console, urgency="normal")
    http = console("dispatcher1")
    page = http.get(f"/cases/{case_id}").text
    version = re.search(r'name="version" value="(\d+)"', page)
    assert version
    data: dict[str, Any] = {
        "version": version.group(1),
        "lead_unit": "",
        "urgency": "urgent",
        "note": "",
    }
    refused = http.post(f"/cases/{case_id}/do/dispatch", data=data)
    assert refused.status_code == 422
    assert error_of(refused.text, "dispatch-lead_unit") == "请选择主办单位"
    assert selected_lead(refused.text) == ""  # what was posted, not the default
    assert '<option value="urgent" selected>' in refused.text
    assert "2023-06-02 09:00（24小时）" in refused.text  # the preview follows the posted urgency
    data["lead_unit"] = "SF-CGJ"
    done = http.post(f"/cases/{case_id}/do/dispatch", data=data)
    assert done.status_code == 303
    case = load_case(platform, case_id)
    assert case.state == "dispatched" and case.lead_unit_id == unit_id(platform, "SF-CGJ")
    assert case.fields["urgency"] == "urgent"


# ---------------------------------------------------------------------------------------------
# The duty list's area rules and the admins' gazetteer entries, as intake sees them


@pytest.fixture
def stop_rules_and_names(platform: Platform) -> Iterator[None]:
    """Rules and gazetteer entries added by a test are stopped afterwards (shared DB)."""
    try:
        yield
    finally:
        with transaction(platform.sessions) as session:
            session.execute(update(DutyRule).where(DutyRule.active.is_(True)).values(active=False))
            session.execute(
                update(GazetteerEntry).where(GazetteerEntry.active.is_(True)).values(active=False)
            )
        platform.forget_units()


def test_an_unknown_address_registers_an_order_without_a_grid(
    console: Console, platform: Platform
) -> None:
    address = "某某路不存在的地方88号"
    assert "未能定位，请补充" in locate(console("operator1"), address=address)
    response = console("operator1").post("/intake", data=order(address=address))
    case = load_case(platform, created_id(response))
    assert case.grid_id is None
    assert case.fields["address"] == address


def test_an_area_rule_changes_the_default_unit_for_an_address_in_that_street(
    console: Console, platform: Platform, stop_rules_and_names: None
) -> None:
    http = console("operator1")
    admin = console("admin")
    # 东方花园 lies in 九郎山社区 of 响石岭街道; 福星公寓 in 响石岭社区 of the same street.
    assert "默认承办单位：石峰区城市管理和综合执法局" in locate(
        http, address="东方花园3栋", category="CITY_APPEARANCE"
    )
    saved = admin.post(
        "/admin/duty-rules/CITY_APPEARANCE", data={"area": "SF-XSL", "unit": "SF-ZJJ"}
    )
    assert saved.status_code == 303
    html = locate(http, address="东方花园3栋", category="CITY_APPEARANCE")
    assert "默认承办单位：石峰区住房和城乡建设局（职责清单：响石岭街道）" in html
    # Another street keeps the district default.
    html = locate(http, address="阳光小区2栋", category="CITY_APPEARANCE")
    assert "默认承办单位：石峰区城市管理和综合执法局" in html
    # The dispatch form preselects the rule's unit for an order in that street.
    case_id = registered(console, address="福星公寓1栋")
    assert selected_lead(console("dispatcher1").get(f"/cases/{case_id}").text) == "SF-ZJJ"
    other = registered(console, address="阳光小区2栋")
    assert selected_lead(console("dispatcher1").get(f"/cases/{other}").text) == "SF-CGJ"


def test_a_new_gazetteer_entry_places_a_previously_unknown_address(
    console: Console, platform: Platform, stop_rules_and_names: None
) -> None:
    name = f"翠微苑{uuid.uuid4().hex[:4]}"
    http = console("operator1")
    assert "未能定位，请补充" in locate(http, address=f"{name}5栋")
    saved = console("admin").post(
        "/admin/gazetteer",
        data={"name": name, "community": "SF-XSL-C06", "grid": "SF-XSL-C06-G01"},
    )
    assert saved.status_code == 303, saved.text
    html = locate(http, address=f"{name}5栋")
    assert "响石岭街道 / 樱花社区 / 樱花社区第一网格" in html and f"匹配：{name}" in html
    response = http.post("/intake", data=order(address=f"{name}5栋"))
    case = load_case(platform, created_id(response))
    assert case.grid_id == unit_id(platform, "SF-XSL-C06-G01")
