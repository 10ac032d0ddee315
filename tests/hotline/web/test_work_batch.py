"""Batch actions from the work list: 批量签收 by a unit's staff, 批量派单 by the dispatcher —
each ticked order through the one door on its own, each refusal reported case by case in
Chinese, no order half-written and the others done all the same."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select

from fazhi.actions.platform import Platform
from fazhi.store.models import Event
from tests.support import ApiClient
from tests.web.conftest import Console
from tests.web.html import by_id, page, text_of

Login = Callable[[str], ApiClient]


def dispatched(login: Login, unit: str = "SF-CGJ") -> dict[str, Any]:
    case = login("operator1").register()
    return login("dispatcher1").act(case["id"], "dispatch", lead_unit=unit)


def results(html: str) -> dict[int, tuple[bool, str]]:
    doc = page(html)
    rows = doc.xpath('//table[@id="batch-results"]/tbody/tr')
    return {
        int(r.get("data-case-id")): (r.get("data-ok") == "true", r.xpath("./td")[3].text_content())
        for r in rows
        if r.get("data-case-id")
    }


def events(platform: Platform, case_id: int) -> int:
    with platform.sessions() as session:
        return int(session.scalar(select(func.count()).where(Event.case_id == case_id)) or 0)


def test_unit_staff_are_offered_batch_acknowledge_with_a_checkbox_per_row(
    console: Console, login: Login
) -> None:
    case = dispatched(login)
    doc = page(console("cgj_handler").get("/work", params={"q": case["number"]}).text)
    box = doc.xpath(f'//tr[@data-case-id="{case["id"]}"]//input[@type="checkbox"]')
    assert box and box[0].get("form") == "batch-form" and box[0].get("name") == "case"
    assert box[0].get("value") == f"{case['id']}:{case['version']}"
    assert by_id(doc, "batch-acknowledge") is not None
    assert by_id(doc, "batch-dispatch") is None  # dispatching is the dispatcher's


def test_batch_acknowledge_takes_each_order_and_reports_each_refusal(
    console: Console, login: Login, platform: Platform
) -> None:
    mine = [dispatched(login), dispatched(login)]
    elsewhere = dispatched(login, unit="SF-ZJJ")  # another unit's order
    taken = dispatched(login)
    login("cgj_handler").act(taken["id"], "acknowledge")  # already signed for
    before = events(platform, elsewhere["id"])
    ticked = [*mine, elsewhere, taken]
    response = console("cgj_handler").post(
        "/work/batch",
        data={
            "action": "hotline:acknowledge",
            "case": [f"{c['id']}:{c['version']}" for c in ticked],
        },
    )
    assert response.status_code == 200, response.text
    found = results(response.text)
    assert all(found[c["id"]][0] for c in mine)
    assert not found[taken["id"]][0] and "未办理" in found[taken["id"]][1]
    # The other unit's order is no concern of this one: shown only as asked, not opened.
    summary = text_of(page(response.text), "batch-summary")
    assert "成功 2 件" in summary and "未办理 2 件" in summary
    for c in mine:
        assert login("cgj_handler").case(c["id"]).json()["state"] == "handling"
    assert login("dispatcher1").case(elsewhere["id"]).json()["state"] == "dispatched"
    assert events(platform, elsewhere["id"]) == before  # nothing written to it


def test_a_stale_row_is_refused_and_the_rest_are_done(console: Console, login: Login) -> None:
    first, second = dispatched(login), dispatched(login)
    login("supervisor1").act(second["id"], "supervise", kind="key_supervision", reason="测试")
    response = console("cgj_handler").post(
        "/work/batch",
        data={
            "action": "hotline:acknowledge",
            "case": [f"{first['id']}:{first['version']}", f"{second['id']}:{second['version']}"],
        },
    )
    found = results(response.text)
    assert found[first["id"]][0]
    ok, message = found[second["id"]]
    assert not ok and "已被他人更新" in message  # the version the list showed has moved on


def test_batch_dispatch_sends_every_order_to_the_chosen_unit(
    console: Console, login: Login
) -> None:
    cases = [login("operator1").register() for _ in range(3)]
    done = login("dispatcher1")
    done.act(cases[2]["id"], "dispatch", lead_unit="SF-ZJJ")  # dispatched meanwhile
    http = console("dispatcher1")
    doc = page(http.get("/work", params={"q": cases[0]["number"]}).text)
    assert by_id(doc, "batch-dispatch") is not None
    assert by_id(doc, "batch-dispatch-lead_unit") is not None  # the action's own inputs
    response = http.post(
        "/work/batch",
        data={
            "action": "hotline:dispatch",
            "case": [str(c["id"]) for c in cases],
            "dispatch.lead_unit": "SF-CGJ",
            "dispatch.urgency": "normal",
            "dispatch.note": "批量派单（测试）",
        },
    )
    found = results(response.text)
    assert found[cases[0]["id"]][0] and found[cases[1]["id"]][0]
    assert not found[cases[2]["id"]][0]
    for c in cases[:2]:
        body = done.case(c["id"]).json()
        assert (body["state"], body["lead_unit"]["code"]) == ("dispatched", "SF-CGJ")


def test_batch_dispatch_without_a_unit_says_why_for_each_order(
    console: Console, login: Login
) -> None:
    case = login("operator1").register()
    response = console("dispatcher1").post(
        "/work/batch", data={"action": "hotline:dispatch", "case": str(case["id"])}
    )
    ok, message = results(response.text)[case["id"]]
    assert not ok and "主办单位" in message
    assert login("dispatcher1").case(case["id"]).json()["state"] == "registered"


def test_nothing_ticked_or_an_action_not_offered_is_refused(console: Console) -> None:
    http = console("cgj_handler")
    empty = http.post("/work/batch", data={"action": "hotline:acknowledge"})
    assert empty.status_code == 422 and "请先勾选" in text_of(page(empty.text), "batch-error")
    other = http.post("/work/batch", data={"action": "hotline:dispatch", "case": "1"})
    assert other.status_code == 403
    assert "不能批量" in text_of(page(other.text), "batch-error")
