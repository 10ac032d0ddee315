"""The generic create form with records and links, over HTTP, on a test-only type
(tests/fixtures/case_types/dispute_mediation.yaml): a `list` of parties with errors by
record, money, date and datetime inputs, a choice between create actions, links between
cases shown both ways, and a mediation opened from a 12345 order pre-filled — with the
caller's phone copied only for those who may see it whole."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from tests.fixture_types import ID_NUMBERS, fixture_type_server
from tests.support import TLS, FakeClock, ServerThread
from tests.web.html import by_id, error_of, names_in, page, text_of, value_of

Console = Callable[[str], httpx.Client]
NEW = "/cases/new/dispute_mediation"
PHONE = "17000004321"
MASKED = "170****4321"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, clock: FakeClock) -> Iterator[ServerThread]:
    """This module's console serves the fixture types (overrides the session server)."""
    with fixture_type_server(tmp_path_factory.mktemp("fixture-types"), clock) as thread:
        yield thread


@pytest.fixture
def api(server: ServerThread) -> Iterator[Callable[[str], httpx.Client]]:
    clients: list[httpx.Client] = []

    def make(username: str) -> httpx.Client:
        token = httpx.post(
            f"{server.url}/api/v1/auth/token",
            json={"username": username, "password": "fazhi2023"},
            verify=TLS,
        ).json()["access_token"]
        http = httpx.Client(
            base_url=server.url,
            headers={"authorization": f"Bearer {token}"},
            timeout=30,
            verify=TLS,
        )
        clients.append(http)
        return http

    yield make
    for http in clients:
        http.close()


def mediation(**fields: str) -> dict[str, str]:
    """A complete form for the fixture type with one person as party (synthetic data)."""
    body = {
        "action": "apply",
        "kind": "neighbour",
        "summary": f"楼上漏水纠纷（测试 {uuid.uuid4().hex[:6]}）",
        "applicant_phone": "",
        "amount": "",
        "happened_on": "",
        "heard_at": "",
        "source_case": "",
        "parties[0][kind]": "person",
        "parties[0][name]": "测试甲",
        "parties[0][id_number]": ID_NUMBERS[0],
    }
    body.update(fields)
    return body


def created_id(response: httpx.Response, done: str = "apply") -> int:
    assert response.status_code == 303, response.text
    found = re.fullmatch(rf"/cases/(\d+)\?done={done}", response.headers["location"])
    assert found, response.headers["location"]
    return int(found.group(1))


def hotline_order(
    api: Callable[[str], httpx.Client], dispatch_to: str | None = None
) -> dict[str, Any]:
    response = api("operator1").post(
        "/api/v1/cases",
        json={
            "type": "hotline",
            "fields": {
                "request_kind": "complaint",
                "category": "CITY_APPEARANCE",
                "content": f"邻居装修噪音扰民（测试 {uuid.uuid4().hex[:6]}）",
                "caller_name": "测试乙",
                "caller_phone": PHONE,
            },
        },
    )
    assert response.status_code == 201, response.text
    order = dict(response.json())
    if dispatch_to:
        done = api("dispatcher1").post(
            f"/api/v1/cases/{order['id']}/actions/dispatch",
            json={"inputs": {"lead_unit": dispatch_to}},
        )
        assert done.status_code == 200, done.text
    return order


def table_rows(doc: Any, table_id: str) -> list[list[str]]:
    table = by_id(doc, table_id)
    assert table is not None, f"no table {table_id}"
    return [
        [" ".join(td.text_content().split()) for td in tr.xpath("./td")]
        for tr in table.xpath("./tbody/tr")
    ]


# ---------------------------------------------------------------------------------------------
# The form


def test_the_form_has_a_record_group_per_party_and_proper_inputs(console: Console) -> None:
    doc = page(console("operator1").get(NEW).text)
    names = names_in(doc, "create-form")
    parties = [n for n in names if n.startswith("parties")]
    assert parties == ["parties[0][kind]", "parties[0][name]", "parties[0][id_number]"]
    # The group to clone for another record, with a placeholder index, and its script.
    template = doc.xpath('//fieldset[@data-list-field="parties"]/template')[0]
    assert template.xpath('.//*[@name="parties[__INDEX__][name]"]')
    assert doc.xpath('//script[@src="/static/list-field.js"]')
    assert by_id(doc, "amount").get("type") == "number"
    assert by_id(doc, "amount").get("step") == "0.01"
    assert "元" in by_id(doc, "amount").getparent().text_content()
    assert by_id(doc, "happened_on").get("type") == "date"
    assert by_id(doc, "heard_at").get("type") == "datetime-local"
    assert by_id(doc, "source_case").get("type") is None  # a text input for a case number
    assert by_id(doc, "outcome") is None  # internal


def test_errors_inside_records_are_shown_next_to_the_record_field(
    console: Console, api: Callable[[str], httpx.Client]
) -> None:
    http = console("operator1")
    response = http.post(
        NEW,
        data=mediation(
            **{
                "parties[0][id_number]": "110105194912310039",  # wrong check digit
                "parties[3][kind]": "person",  # gaps in the indexes are fine
                "parties[3][name]": "测试丁",
                "parties[4][kind]": "organisation",
                "parties[4][name]": "",
                "amount": "12.345",
            }
        ),
    )
    assert response.status_code == 422
    doc = page(response.text)
    # Records are numbered as the form shows them again: 0, 1, 2.
    assert "身份证号不是有效的身份证号码" in error_of(doc, "parties-0-id_number")
    assert "请填写身份证号" in error_of(doc, "parties-1-id_number")
    assert "当事人第2项" in error_of(doc, "parties-1-id_number")
    assert "请填写姓名或名称" in error_of(doc, "parties-2-name")
    assert error_of(doc, "parties-2-id_number") == ""  # an organisation needs none
    assert "最多保留两位小数" in error_of(doc, "amount")
    # What was typed stays, record by record.
    assert value_of(doc, "parties-1-name") == "测试丁"
    assert value_of(doc, "parties-2-kind") == "organisation"
    assert value_of(doc, "parties-0-id_number") == "110105194912310039"
    cases = api("operator1").get("/api/v1/cases", params={"type": "dispute_mediation"})
    assert all(c["title"] != mediation()["summary"] for c in cases.json()["items"])


def test_a_list_needs_its_minimum_of_records(console: Console) -> None:
    body = {k: v for k, v in mediation().items() if not k.startswith("parties")}
    body["parties[0][name]"] = "   "  # a record left blank is no record
    response = console("operator1").post(NEW, data=body)
    assert response.status_code == 422
    assert error_of(page(response.text), "parties") == "请填写当事人（至少1项）"


def test_records_are_saved_in_order_and_shown_as_a_table(
    console: Console, api: Callable[[str], httpx.Client]
) -> None:
    http = console("operator1")
    case_id = created_id(
        http.post(
            NEW,
            data=mediation(
                **{
                    "parties[7][kind]": "organisation",
                    "parties[7][name]": "石峰测试物业有限公司",
                    "parties[2][kind]": "person",
                    "parties[2][name]": "测试戊",
                    "parties[2][id_number]": ID_NUMBERS[1],
                    "amount": "1234.5",
                    "happened_on": "2023-05-30",
                    "heard_at": "2023-06-01T08:30",
                }
            ),
        )
    )
    fields = api("operator1").get(f"/api/v1/cases/{case_id}").json()["fields"]
    assert [p["name"] for p in fields["parties"]] == ["测试甲", "测试戊", "石峰测试物业有限公司"]
    assert fields["parties"][2] == {"kind": "organisation", "name": "石峰测试物业有限公司"}
    assert fields["amount"] == "1234.50"
    assert fields["heard_at"] == "2023-06-01T00:30:00+00:00"  # 08:30 in 石峰区, kept in UTC
    doc = page(http.get(f"/cases/{case_id}").text)
    assert table_rows(doc, "records-parties") == [
        ["自然人", "测试甲", ID_NUMBERS[0]],
        ["自然人", "测试戊", ID_NUMBERS[1]],
        ["单位", "石峰测试物业有限公司", ""],
    ]
    shown = text_of(doc, "case-fields")
    assert "1,234.50 元" in shown and "2023-06-01 08:30" in shown and "2023-05-30" in shown


def test_records_are_masked_per_record_for_viewers_who_see_personal_data_masked(
    console: Console,
) -> None:
    case_id = created_id(console("cgj_handler").post(NEW, data=mediation()))
    doc = page(console("cgj_handler").get(f"/cases/{case_id}").text)
    assert table_rows(doc, "records-parties")[0] == ["自然人", "测*甲", "110105********002X"]


def test_a_user_with_several_create_actions_chooses_one(console: Console) -> None:
    handler = console("cgj_handler")
    choice = page(handler.get(NEW).text)
    links = by_id(choice, "create-choice").xpath(".//a[@data-action]")
    assert [(a.get("data-action"), a.text_content()) for a in links] == [
        ("apply", "登记调解申请"),
        ("apply_simple", "简易调解登记"),
    ]
    assert by_id(choice, "create-form") is None
    simple = page(handler.get(NEW, params={"action": "apply_simple"}).text)
    assert value_of(simple, "create-form") is not None
    assert simple.xpath('//input[@name="action"]')[0].get("value") == "apply_simple"
    created = handler.post(NEW, data=mediation(action="apply_simple"))
    assert created.status_code == 303
    assert created.headers["location"].endswith("?done=apply_simple")
    # One create action: the form straight away.
    assert by_id(page(console("operator1").get(NEW).text), "create-form") is not None


def test_roles_without_a_create_action_are_refused(console: Console) -> None:
    for username in ("dispatcher1", "supervisor1"):
        assert console(username).get(NEW).status_code == 403
    assert console("dispatcher1").post(NEW, data=mediation()).status_code == 403


def test_a_phone_summary_field_filters_only_for_those_who_see_phones_whole(
    console: Console, api: Callable[[str], httpx.Client]
) -> None:
    case_id = created_id(console("operator1").post(NEW, data=mediation(applicant_phone=PHONE)))
    found = api("operator1").get(
        "/api/v1/cases", params={"type": "dispute_mediation", "f.applicant_phone": PHONE}
    )
    assert case_id in [c["id"] for c in found.json()["items"]]
    refused = api("cgj_leader").get(
        "/api/v1/cases", params={"type": "dispute_mediation", "f.applicant_phone": PHONE}
    )
    assert (refused.status_code, refused.json()["code"]) == (422, "unknown_filter")
    masked_list = page(console("cgj_handler").get("/cases?type=dispute_mediation").text)
    assert by_id(masked_list, "f-field-applicant_phone") is None
    assert by_id(masked_list, "f-field-kind") is not None
    assert (
        by_id(
            page(console("operator1").get("/cases?type=dispute_mediation").text),
            "f-field-applicant_phone",
        )
        is not None
    )


def test_a_mediation_counts_down_in_calendar_days(console: Console) -> None:
    http = console("cgj_handler")
    case_id = created_id(http.post(NEW, data=mediation()))
    # 30 calendar days from Thursday 2023-06-01 end on Saturday 07-01, so the limit runs to
    # the next working day, Monday 07-03: 32 days on the calendar.
    clocks = text_of(page(http.get(f"/cases/{case_id}").text), "clocks")
    assert "2023-07-03 23:59" in clocks and "剩余32天" in clocks
    row = page(http.get("/work", params={"type": "dispute_mediation", "q": str(case_id)}).text)
    assert "剩余32天" in text_of(row, "case-list")


# ---------------------------------------------------------------------------------------------
# Links and the linked case opened pre-filled


def open_button(doc: Any) -> str:
    links = doc.xpath('//*[@id="links-open"]//a[@data-open-type="dispute_mediation"]')
    assert links, "no 发起纠纷调解 on the page"
    assert links[0].text_content() == "发起纠纷调解"
    return str(links[0].get("href"))


def test_an_operator_opens_a_mediation_prefilled_with_the_caller_phone_whole(
    console: Console, api: Callable[[str], httpx.Client]
) -> None:
    order = hotline_order(api)
    http = console("operator1")
    href = open_button(page(http.get(f"/cases/{order['id']}").text))
    assert href == f"/cases/new/dispute_mediation?link=source_case&from={order['id']}"
    form = page(http.get(href).text)
    assert value_of(form, "summary") == order["fields"]["content"]
    assert value_of(form, "applicant_phone") == PHONE
    assert value_of(form, "source_case") == order["number"]
    assert order["number"] in text_of(form, "link-source")


def test_a_unit_handler_gets_the_form_without_the_phone_it_sees_masked(
    console: Console, api: Callable[[str], httpx.Client]
) -> None:
    order = hotline_order(api, dispatch_to="SF-CGJ")
    http = console("cgj_handler")
    href = open_button(page(http.get(f"/cases/{order['id']}").text))
    # Two create actions: the choice keeps the link.
    choice = page(http.get(href).text)
    apply_href = by_id(choice, "create-choice").xpath('.//a[@data-action="apply"]')[0].get("href")
    assert f"from={order['id']}" in apply_href and "link=source_case" in apply_href
    response = http.get(apply_href)
    form = page(response.text)
    assert value_of(form, "summary") == order["fields"]["content"]
    assert value_of(form, "applicant_phone") == ""
    assert MASKED not in response.text and PHONE not in response.text
    assert value_of(form, "source_case") == order["number"]
    prefill = api("cgj_handler").get(
        f"/api/v1/cases/{order['id']}/prefill/dispute_mediation", params={"link": "source_case"}
    )
    assert prefill.status_code == 200
    assert prefill.json()["fields"] == {
        "summary": order["fields"]["content"],
        "source_case": order["number"],
    }


def test_the_link_is_shown_on_both_case_pages_and_in_the_api(
    console: Console, api: Callable[[str], httpx.Client]
) -> None:
    order = hotline_order(api, dispatch_to="SF-CGJ")
    http = console("cgj_handler")
    mediation_id = created_id(http.post(NEW, data=mediation(source_case=order["number"])))
    number = api("cgj_handler").get(f"/api/v1/cases/{mediation_id}").json()["number"]

    outgoing = page(http.get(f"/cases/{mediation_id}").text)
    link = outgoing.xpath('//*[@id="links-outgoing"]//dd[@data-link-field="source_case"]')[0]
    assert link.getprevious().text_content() == "来源工单"
    assert link.xpath("./a")[0].get("href") == f"/cases/{order['id']}"
    assert order["number"] in link.text_content()

    incoming = page(http.get(f"/cases/{order['id']}").text)
    assert "由此发起的纠纷调解" in text_of(incoming, "case-links")
    assert f"/cases/{mediation_id}" in [
        a.get("href") for a in by_id(incoming, "links-incoming").xpath(".//a")
    ]

    detail = api("cgj_handler").get(f"/api/v1/cases/{mediation_id}").json()
    assert [(link["field"], link["case"]["id"]) for link in detail["links"]["outgoing"]] == [
        ("source_case", order["id"])
    ]
    back = api("cgj_handler").get(f"/api/v1/cases/{order['id']}").json()["links"]
    assert [(i["field"], i["case"]["id"], i["case"]["number"]) for i in back["incoming"]] == [
        ("source_case", mediation_id, number)
    ]


def test_linked_cases_are_listed_only_for_those_who_may_see_them(
    console: Console, api: Callable[[str], httpx.Client]
) -> None:
    order = hotline_order(api, dispatch_to="SF-CGJ")
    # Opened by the 12345 centre: 区城管局 sees the order, not the mediation.
    mediation_id = created_id(
        console("operator1").post(NEW, data=mediation(source_case=order["number"]))
    )
    seen = api("operator1").get(f"/api/v1/cases/{order['id']}/links").json()
    assert [i["case"]["id"] for i in seen["incoming"]] == [mediation_id]
    hidden = api("cgj_handler").get(f"/api/v1/cases/{order['id']}/links").json()
    assert hidden["incoming"] == []
    assert f"/cases/{mediation_id}" not in console("cgj_handler").get(f"/cases/{order['id']}").text


def test_a_link_to_a_case_one_may_not_see_or_of_another_type_is_refused(
    console: Console, api: Callable[[str], httpx.Client]
) -> None:
    order = hotline_order(api, dispatch_to="SF-CGJ")
    # 区住建局 may not see the order: the console and the API both refuse the link.
    response = console("zjj_handler").post(NEW, data=mediation(source_case=order["number"]))
    assert response.status_code == 422
    assert "找不到编号为" in error_of(page(response.text), "source_case")
    refused = api("zjj_handler").post(
        "/api/v1/cases",
        json={"type": "dispute_mediation", "fields": {**api_fields(), "source_case": order["id"]}},
    )
    assert (refused.status_code, refused.json()["code"]) == (422, "unknown_case")
    # A number whose prefix does not match the case it names, and a case of another type.
    wrong_prefix = "GK" + order["number"][2:]
    response = console("cgj_handler").post(NEW, data=mediation(source_case=wrong_prefix))
    assert "找不到编号为" in error_of(page(response.text), "source_case")
    other = created_id(console("cgj_handler").post(NEW, data=mediation()))
    other_number = api("cgj_handler").get(f"/api/v1/cases/{other}").json()["number"]
    response = console("cgj_handler").post(NEW, data=mediation(source_case=other_number))
    assert response.status_code == 422
    assert "12345热线工单" in error_of(page(response.text), "source_case")
    # Other problems of the same form are reported with it.
    response = console("cgj_handler").post(NEW, data=mediation(source_case="RX000", summary=""))
    doc = page(response.text)
    assert error_of(doc, "summary") == "请填写纠纷概要"
    assert error_of(doc, "source_case") != ""


def api_fields() -> dict[str, Any]:
    return {
        "kind": "family",
        "summary": "家庭赡养纠纷（测试）",
        "parties": [{"kind": "person", "name": "测试庚", "id_number": ID_NUMBERS[0]}],
    }


def test_the_api_creates_records_and_links_with_paths_in_its_errors(
    api: Callable[[str], httpx.Client],
) -> None:
    order = hotline_order(api)
    operator = api("operator1")
    bad = operator.post(
        "/api/v1/cases",
        json={
            "type": "dispute_mediation",
            "fields": {**api_fields(), "parties": [{"kind": "person", "name": "测试辛"}]},
        },
    )
    assert bad.status_code == 422
    assert (bad.json()["code"], bad.json()["field"]) == ("required", "parties[0].id_number")
    made = operator.post(
        "/api/v1/cases",
        json={
            "type": "dispute_mediation",
            "fields": {**api_fields(), "source_case": order["number"]},
        },
    )
    assert made.status_code == 201, made.text
    assert made.json()["fields"]["source_case"] == order["id"]
    links = operator.get(f"/api/v1/cases/{order['id']}/links").json()
    assert made.json()["id"] in [i["case"]["id"] for i in links["incoming"]]


def test_an_action_that_changes_the_link_moves_it(
    console: Console, api: Callable[[str], httpx.Client]
) -> None:
    first, second = hotline_order(api), hotline_order(api)
    operator = api("operator1")
    mediation_id = created_id(
        console("operator1").post(NEW, data=mediation(source_case=first["number"]))
    )

    def incoming(order_id: int) -> list[int]:
        links = operator.get(f"/api/v1/cases/{order_id}/links").json()
        return [i["case"]["id"] for i in links["incoming"]]

    assert mediation_id in incoming(first["id"])
    moved = operator.post(
        f"/api/v1/cases/{mediation_id}/actions/set_source",
        json={"inputs": {"source_case": second["number"]}},
    )
    assert moved.status_code == 200, moved.text
    assert mediation_id not in incoming(first["id"])
    assert mediation_id in incoming(second["id"])
    events = operator.get(f"/api/v1/cases/{mediation_id}/events").json()["items"]
    assert events[-1]["payload"]["changes"]["source_case"] == [first["id"], second["id"]]
    # A link to a case the actor may not see is refused by the action as well.
    hidden = hotline_order(api, dispatch_to="SF-ZJJ")
    handler_case = created_id(console("cgj_handler").post(NEW, data=mediation()))
    refused = api("cgj_handler").post(
        f"/api/v1/cases/{handler_case}/actions/set_source",
        json={"inputs": {"source_case": hidden["id"]}},
    )
    assert (refused.status_code, refused.json()["code"]) == (422, "unknown_case")
