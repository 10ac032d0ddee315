"""人民调解 walked in the console over real HTTP, as the committee's mediator (tx_mediator,
田心街道人民调解委员会): opened from a 12345 DISPUTE work order by its 发起人民调解 link with
the form pre-filled, two parties as records; started with the mediators as records of a
list-typed action input (errors inside a record shown next to its input); a session, a
pause and a resumption; the agreement generated from its form; and the 30-calendar-day
window to apply for court confirmation — counted down in days, refused after it with the
Chinese message in the action's form. Synthetic people only."""

from __future__ import annotations

import re
from datetime import datetime

import httpx

from fazhi.domain.durations import LOCAL_TZ
from tests.api.conftest import Login
from tests.api.conftest import _api_clients as _api_clients  # the fixture `login` uses
from tests.api.conftest import login as login  # API tokens minted so moving the clock keeps them
from tests.support import FakeClock
from tests.web.conftest import Console
from tests.web.html import by_id, error_of, names_in, page, text_of, value_of

MEDIATOR = "tx_mediator"
COMMITTEE = "SF-TX-TJWH"  # 田心街道人民调解委员会 (demo)
CONTENT = "楼上住户装修漏水，双方协商不成，请求调解（控制台测试合成数据）"


def _at(clock: FakeClock, day: str, hour: int = 9) -> None:
    """Move the suite's clock (a console sign-in lasts hours: sign in again after it)."""
    clock.set(datetime.fromisoformat(day).replace(hour=hour, tzinfo=LOCAL_TZ))


def _dispute_order(login: Login) -> dict:
    """A DISPUTE work order dispatched to the committee and acknowledged there (API)."""
    order = login("operator1").register(
        request_kind="help", category="DISPUTE", content=CONTENT, caller_phone="13900001111"
    )
    login("dispatcher1").act(order["id"], "dispatch", lead_unit=COMMITTEE)
    login(MEDIATOR).act(order["id"], "acknowledge")
    return dict(order)


def _version(http: httpx.Client, case_id: int) -> str:
    doc = page(http.get(f"/cases/{case_id}").text)
    return str(doc.xpath('//form//input[@name="version"]')[0].get("value"))


def _act(http: httpx.Client, case_id: int, action: str, **data: str) -> httpx.Response:
    """Post the case page's form of `action` (with the page's current version)."""
    body = {"version": _version(http, case_id), **data}
    return http.post(f"/cases/{case_id}/do/{action}", data=body)


def _done(response: httpx.Response, case_id: int, action: str) -> None:
    assert response.status_code == 303, response.text
    assert response.headers["location"] == f"/cases/{case_id}?done={action}"


def _clock_row(doc, label: str) -> str:  # type: ignore[no-untyped-def]
    rows = by_id(doc, "clocks").xpath("./tbody/tr")
    found = [" ".join(r.text_content().split()) for r in rows if label in r.text_content()]
    assert found, f"no clock {label}"
    return found[0]


def test_a_mediation_walks_from_the_work_order_to_the_court_confirmation_window(
    console: Console,
    login,
    clock: FakeClock,  # type: ignore[no-untyped-def]
) -> None:
    _at(clock, "2023-09-11")
    order = _dispute_order(login)
    http = console(MEDIATOR)

    # (a) 发起人民调解 on the work order's page opens the form pre-filled from the order.
    order_page = page(http.get(f"/cases/{order['id']}").text)
    links = order_page.xpath('//*[@id="links-open"]//a[@data-open-type="mediation"]')
    assert links and links[0].text_content() == "发起人民调解"
    href = links[0].get("href")
    assert href == f"/cases/new/mediation?link=source_case&from={order['id']}"
    form = page(http.get(href).text)
    assert value_of(form, "summary") == CONTENT
    assert value_of(form, "source_case") == order["number"]
    names = names_in(form, "create-form")
    assert "parties[1][name]" in names  # min_items: 2 — two record groups from the start
    created = http.post(
        "/cases/new/mediation",
        data={
            "action": "apply",
            "source_case": order["number"],
            "dispute_kind": "neighbourhood",
            "summary": CONTENT,
            "parties[0][side]": "applicant",
            "parties[0][kind]": "person",
            "parties[0][name]": "甲某某",
            "parties[0][phone]": "13900001111",
            "parties[1][side]": "respondent",
            "parties[1][kind]": "person",
            "parties[1][name]": "乙某某",
        },
    )
    assert created.status_code == 303, created.text
    found = re.fullmatch(r"/cases/(\d+)\?done=apply", created.headers["location"])
    assert found, created.headers["location"]
    case_id = int(found.group(1))
    doc = page(http.get(f"/cases/{case_id}").text)
    rows = by_id(doc, "records-parties").xpath("./tbody/tr")
    assert [r.xpath("./td")[2].text_content() for r in rows] == ["甲某某", "乙某某"]
    assert order["number"] in text_of(doc, "links-outgoing")

    # (b) 开始调解 takes the mediators as records of a list input, like the create form.
    start = doc.xpath('//details[@data-action="start"]//form')[0]
    assert start.xpath('.//fieldset[@data-list-field="mediators"]')
    assert start.xpath('.//*[@id="start-mediators-0-name"][@name="mediators[0][name]"]')
    assert start.xpath('.//template//*[@name="mediators[__INDEX__][name]"]')
    assert doc.xpath('//script[@src="/static/list-field.js"]')
    refused = _act(http, case_id, "start", **{"mediators[0][certificate_no]": "TJ-0001"})
    assert refused.status_code == 422
    shown = page(refused.text)
    assert "请填写姓名" in error_of(shown, "start-mediators-0-name")
    assert value_of(shown, "start-mediators-0-certificate_no") == "TJ-0001"
    none_given = page(_act(http, case_id, "start").text)
    assert "调解员" in error_of(none_given, "start-mediators")
    _done(
        _act(
            http,
            case_id,
            "start",
            **{
                "mediators[0][name]": "曹淑芬",
                "mediators[0][certificate_no]": "TJ-0001",
                "mediators[3][name]": "周建国",  # indexes may have gaps (添加 / 删除)
            },
        ),
        case_id,
        "start",
    )
    doc = page(http.get(f"/cases/{case_id}").text)
    assert "调解中" in text_of(doc, "main")
    mediators = by_id(doc, "records-mediators").xpath("./tbody/tr")
    assert [r.xpath("./td")[0].text_content() for r in mediators] == ["曹淑芬", "周建国"]

    _done(
        _act(
            http,
            case_id,
            "record_session",
            held_on="2023-09-12",
            place="田心街道调委会调解室",
            attendees="甲某某、乙某某、调解员曹淑芬",
            result="双方同意由乙方承担维修费用",
        ),
        case_id,
        "record_session",
    )
    _at(clock, "2023-09-25")
    http = console(MEDIATOR)  # a new day, signed in again
    _done(_act(http, case_id, "pause", reason="乙方外出，暂缓调解"), case_id, "pause")
    _at(clock, "2023-10-09")
    http = console(MEDIATOR)  # a new day, signed in again
    _done(_act(http, case_id, "resume"), case_id, "resume")
    # 30 calendar days from 11 Sep: 14 used by 25 Sep, the other 16 from 9 Oct → 25 Oct.
    assert "2023-10-25" in _clock_row(page(http.get(f"/cases/{case_id}").text), "调解期限")

    # The agreement, generated from its form with the committee's template (生成文书).
    doc = page(http.get(f"/cases/{case_id}").text)
    agreement = doc.xpath('//form[@data-form="doc:agreement"]')[0]
    generate = agreement.xpath('.//button[text()="生成文书"]')[0]
    assert generate.get("formaction") == f"/cases/{case_id}/documents/generate"
    generated = http.post(
        f"/cases/{case_id}/documents/generate",
        data={
            "kind": "agreement",
            "version": _version(http, case_id),
            "number": "田调协〔2023〕17号",
            "signed_on": "2023-10-10",
            "terms": "乙方于10日内支付维修费2000元",
            "performance": "一次性转账支付",
        },
    )
    assert generated.status_code == 303, generated.text
    assert generated.headers["location"] == f"/cases/{case_id}?done=document_generated"
    docs = page(http.get(f"/cases/{case_id}").text)
    kind = docs.xpath('//div[@data-kind="agreement"]')[0]
    assert "田调协〔2023〕17号" in kind.text_content()
    assert kind.xpath(".//a[contains(@href, '/file')]")

    _at(clock, "2023-10-10", 15)
    http = console(MEDIATOR)  # a new day, signed in again
    _done(_act(http, case_id, "reach_agreement"), case_id, "reach_agreement")
    doc = page(http.get(f"/cases/{case_id}").text)
    assert "已达成协议" in text_of(doc, "main")
    window = _clock_row(doc, "申请司法确认期限")
    # 30 calendar days after 10 Oct, counted down in days, not 工作日.
    assert "（30日）" in window and "2023-11-09" in window
    assert "剩余30天" in window and "工作日" not in window
    _at(clock, "2023-11-01")
    http = console(MEDIATOR)  # a new day, signed in again
    assert "剩余8天" in _clock_row(page(http.get(f"/cases/{case_id}").text), "申请司法确认期限")

    # (c) After the window the application is refused, the message in the action's form…
    _at(clock, "2023-11-10")
    http = console(MEDIATOR)  # a new day, signed in again
    late = _act(http, case_id, "apply_confirmation", court="石峰区人民法院")
    assert late.status_code == 422
    shown = page(late.text)
    message = text_of(shown, "apply_confirmation-form-error")
    assert "已超过申请司法确认的30日期限" in message
    assert by_id(shown, "apply_confirmation-form-error").xpath(
        'ancestor::details[@data-action="apply_confirmation"][@open]'
    )
    assert value_of(shown, "apply_confirmation-court") == "石峰区人民法院"
    # …and within it (nothing was written by the refusal) it is taken.
    _at(clock, "2023-11-08")
    http = console(MEDIATOR)  # a new day, signed in again
    _done(
        _act(http, case_id, "apply_confirmation", court="石峰区人民法院"),
        case_id,
        "apply_confirmation",
    )
    doc = page(http.get(f"/cases/{case_id}?done=apply_confirmation").text)
    assert "已申请司法确认" in text_of(doc, "main")
    assert "石峰区人民法院" in text_of(doc, "case-fields")
