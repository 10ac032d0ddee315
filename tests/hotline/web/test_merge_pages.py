"""相似工单 and 并单 in the console, the intake's likely-duplicate warning, and the 重复诉求率
page. All data is synthetic."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator

import httpx
import pytest

from fazhi.actions.platform import Platform
from fazhi.store.db import transaction
from fazhi.store.models import Case
from tests.support import FakeClock, ServerThread, browser_client

PASSWORD = "fazhi2023"
Console = Callable[[str], httpx.Client]
LON, LAT = "113.1060", "27.9700"  # inside 清水塘社区第二网格 (synthetic polygons)
HX = {"hx-request": "true"}


@pytest.fixture
def console(server: ServerThread, clock: FakeClock) -> Iterator[Console]:
    clock.set("2024-12-27T10:00:00+08:00")
    clients: list[httpx.Client] = []

    def make(username: str) -> httpx.Client:
        http = browser_client(server.url)
        clients.append(http)
        response = http.post("/login", data={"username": username, "password": PASSWORD})
        assert response.status_code == 303, response.text
        return http

    yield make
    for http in clients:
        http.close()


def intake(http: httpx.Client, content: str, **fields: str) -> int:
    body = {
        "caller_name": "测试丙",
        "caller_phone": f"136{uuid.uuid4().int % 10**8:08d}",
        "request_kind": "complaint",
        "content": content,
        "address": "",
        "longitude": LON,
        "latitude": LAT,
        "category": "SANITATION",
        "urgency": "normal",
        "channel": "phone",
        "answer": "",
        "intent": "register",
        **fields,
    }
    response = http.post("/intake", data=body)
    assert response.status_code == 303, response.text
    found = re.fullmatch(r"/cases/(\d+)\?done=register", response.headers["location"])
    assert found
    return int(found.group(1))


def texts() -> tuple[str, str]:
    tag = uuid.uuid4().hex[:4]
    return (
        f"红旗路{tag}号垃圾桶满溢多日无人清运，气味很大",
        f"红旗路{tag}号的垃圾桶满了好几天没人清运，臭味很大",
    )


def fields_of(platform: Platform, case_id: int) -> tuple[str, dict[str, object]]:
    with transaction(platform.sessions) as session:
        case = session.get(Case, case_id)
        assert case is not None
        return case.state, dict(case.fields)


def test_the_case_page_loads_similar_orders_for_the_hotline_centre_only(console: Console) -> None:
    http = console("dispatcher1")
    first, second = texts()
    lead = intake(http, first)
    dup = intake(http, second)
    page = http.get(f"/cases/{lead}").text
    assert f'hx-get="/cases/{lead}/similar"' in page
    fragment = http.get(f"/cases/{lead}/similar", headers=HX).text
    assert "<h2>相似工单</h2>" in fragment and "<html" not in fragment
    assert f'name="duplicates" value="{dup}"' in fragment
    assert "疑似同一诉求" in fragment and "内容相似" in fragment and "当天" in fragment
    assert 'id="merge-form"' in fragment and 'name="reason"' in fragment
    # Without htmx the same list comes as a whole page.
    assert "<html" in http.get(f"/cases/{lead}/similar").text

    handler = console("cgj_handler")
    assert 'hx-get="/cases/' not in handler.get(f"/cases/{lead}").text
    # The order is not the unit's: its similar orders answer as if it did not exist.
    assert handler.get(f"/cases/{lead}/similar").status_code == 404
    # A supervisor sees the order but is not the hotline centre.
    assert console("supervisor1").get(f"/cases/{lead}/similar").status_code == 403


def test_merge_form_closes_the_checked_orders_into_this_one(
    console: Console, platform: Platform
) -> None:
    http = console("operator1")
    first, second = texts()
    lead, dup = intake(http, first), intake(http, second)

    refused = http.post(
        f"/cases/{lead}/merge", data={"duplicates": [str(dup)], "reason": ""}, headers=HX
    )
    assert refused.status_code == 422
    assert 'id="merge-error"' in refused.text and "请填写并单理由" in refused.text
    assert f'value="{dup}" id="dup-{dup}" checked' in refused.text
    assert fields_of(platform, dup)[0] == "registered"

    response = http.post(
        f"/cases/{lead}/merge", data={"duplicates": [str(dup)], "reason": "同一处垃圾满溢（测试）"}
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/cases/{lead}?done=merge"
    state, fields = fields_of(platform, dup)
    assert state == "closed" and fields["merged_into"] == lead
    page = http.get(f"/cases/{lead}?done=merge").text
    assert "已完成「并单」" in page and "接收并单" in page
    merged_page = http.get(f"/cases/{dup}").text
    assert "并入工单" in merged_page and "已办结" in merged_page
    fragment = http.get(f"/cases/{dup}/similar", headers=HX).text
    assert f'href="/cases/{lead}"' in fragment and "本工单已并入" in fragment

    assert 'id="merge-submit"' not in fragment  # a merged order is no lead
    # htmx posts are answered with HX-Redirect.
    third = intake(http, second)
    hx = http.post(
        f"/cases/{lead}/merge",
        data={"duplicates": [str(third)], "reason": "重复（测试）"},
        headers=HX,
    )
    assert hx.status_code == 204 and hx.headers["hx-redirect"] == f"/cases/{lead}?done=merge"


def number_of(platform: Platform, case_id: int) -> str:
    from fazhi.read.presenters import case_number

    with transaction(platform.sessions) as session:
        case = session.get(Case, case_id)
        assert case is not None
        return case_number(platform.types.get("hotline"), case)


def timeline_entry(page: str, label: str) -> str:
    entries = re.findall(r'<li data-seq="\d+">(.*?)</li>', page, re.S)
    found = [e for e in entries if f'<span class="what">{label}</span>' in e]
    assert found, f"no {label} entry on the timeline"
    return found[-1]


def test_both_orders_name_each_other_by_case_number_with_the_reason(
    console: Console, platform: Platform
) -> None:
    # The walk: the merged order said 「并入工单 3122」 (an internal id) and the lead's entry
    # showed neither the merged order nor the reason.
    http = console("dispatcher1")
    first, second = texts()
    lead, dup = intake(http, first), intake(http, second)
    reason = "同一处垃圾满溢，并入主工单（测试）"
    merged = http.post(f"/cases/{lead}/merge", data={"duplicates": [str(dup)], "reason": reason})
    assert merged.status_code == 303
    lead_number, dup_number = number_of(platform, lead), number_of(platform, dup)
    assert lead_number.startswith("RX") and dup_number.startswith("RX")

    merged_page = http.get(f"/cases/{dup}").text
    fields = merged_page.split('id="case-fields"', 1)[1].split("</dl>", 1)[0]
    assert f'<dt>并入工单</dt><dd><a href="/cases/{lead}">{lead_number}</a></dd>' in fields
    entry = timeline_entry(merged_page, "并单")
    assert lead_number in entry and f">{lead}<" not in entry and f"→ {lead}<" not in entry
    assert reason in entry
    fragment = http.get(f"/cases/{dup}/similar", headers=HX).text
    assert f'<a href="/cases/{lead}">{lead_number}</a>' in fragment

    entry = timeline_entry(http.get(f"/cases/{lead}").text, "接收并单")
    assert f'<a href="/cases/{dup}">{dup_number}</a>' in entry
    assert reason in entry


def test_intake_recent_lists_likely_duplicates_with_the_score_explained(console: Console) -> None:
    http = console("operator1")
    first, second = texts()
    earlier = intake(http, first)
    html = http.get(
        "/intake/recent",
        params={
            "caller_phone": "",
            "address": "",
            "content": second,
            "longitude": LON,
            "latitude": LAT,
        },
    ).text
    assert 'id="duplicate-warning"' in html and f'href="/cases/{earlier}"' in html
    assert re.search(r"内容相似 \d+%，相距 0 米，当天", html)
    other = http.get(
        "/intake/recent",
        params={"content": "路灯不亮（测试）", "longitude": LON, "latitude": LAT},
    ).text
    assert "duplicate-warning" not in other
    assert http.get("/intake/recent").text.strip() == ""


def test_repeat_rate_page(console: Console) -> None:
    http = console("leader1")
    html = http.get("/repeats", params={"from": "2024-12-09", "to": "2024-12-13"}).text
    assert "重复诉求率" in html and 'id="repeats-unit"' in html and 'id="repeats-category"' in html
    assert 'value="2024-12-09"' in html and 'value="2024-12-13"' in html
    assert http.get("/repeats", params={"from": "bad"}).status_code == 422
    assert console("operator1").get("/repeats").status_code == 403
