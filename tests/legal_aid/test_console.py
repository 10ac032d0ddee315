"""法律援助 in the console over real HTTP: the centre's menu leads to the overview (figures,
excellent cases, the lawyer register), which other roles are refused; the decision to grant
aid is taken with the case page's form, and the page then shows the case's number; a refusal
without its reason is shown next to the input. Synthetic people only."""

from __future__ import annotations

import httpx

from tests.api.conftest import Login
from tests.legal_aid.conftest import CASES, OFFICER, apply
from tests.support import FakeClock
from tests.web.conftest import Console
from tests.web.html import by_id, error_of, page, value_of


def _act(http: httpx.Client, case_id: int, action: str, **data: str) -> httpx.Response:
    doc = page(http.get(f"/cases/{case_id}").text)
    version = str(doc.xpath('//form//input[@name="version"]')[0].get("value"))
    return http.post(f"/cases/{case_id}/do/{action}", data={"version": version, **data})


def test_the_centre_decides_on_the_case_page_and_reads_the_overview(
    console: Console, login: Login, clock: FakeClock, lawyer_register: list[dict[str, str]]
) -> None:
    clock.set("2023-06-12T09:00:00+08:00")
    case_id = apply(login(OFFICER))["id"]
    http = console(OFFICER)
    home = page(http.get("/work").text)
    assert home.xpath('//nav//a[@href="/legal-aid"]'), "法律援助 in the centre's menu"

    refused = _act(http, case_id, "refuse", refusal_reason="")
    assert refused.status_code == 422
    assert error_of(page(refused.text), "refuse-refusal_reason")

    done = _act(http, case_id, "accept")
    assert done.status_code == 303, done.text
    shown = http.get(f"/cases/{case_id}").text
    assert "(2023)湘援0204民" in shown

    overview = http.get("/legal-aid", params={"year": "2023"})
    assert overview.status_code == 200
    doc = page(overview.text)
    assert by_id(doc, "legal-aid-figures") is not None
    lawyers = by_id(doc, "legal-aid-lawyers").text_content()  # type: ignore[union-attr]
    assert lawyer_register[0]["name"] in lawyers and "已不在册" in lawyers

    for username in ("operator1", "tx_handler"):
        assert console(username).get("/legal-aid").status_code == 403
    # The street's judicial office has the application form; a street handler has none.
    form = console("tx_sfs").get("/cases/new/legal_aid")
    assert form.status_code == 200 and "申请事项" in form.text
    assert console("tx_handler").get("/cases/new/legal_aid").status_code in (403, 404)


def test_the_centre_receives_a_court_notice_on_a_form_already_set_for_one(
    console: Console, clock: FakeClock
) -> None:
    clock.set("2023-06-13T09:00:00+08:00")
    http = console(OFFICER)
    overview = page(http.get("/legal-aid", params={"year": "2023"}).text)
    href = str(by_id(overview, "la-receive-notice").get("href"))  # type: ignore[union-attr]
    form = page(http.get(href).text)
    chosen = {
        name: form.xpath(f'//select[@name="{name}"]/option[@selected]/@value')
        for name in ("channel", "eligibility_basis", "matter_kind")
    }
    assert chosen == {
        "channel": ["court_notice"],
        "eligibility_basis": ["statutory_notice"],
        "matter_kind": ["criminal"],
    }
    # Personal data never comes from the address.
    leaked = page(http.get(href + "&applicant_name=测试泄露&matter=通知").text)
    assert "测试泄露" not in leaked.text_content() and value_of(leaked, "matter") == "通知"
    fields = {
        "action": "receive_notice",
        "channel": "court_notice",
        "notifying_body": "石峰区人民法院（网页测试）",
        "applicant_name": "测试被告人",
        "matter_kind": "criminal",
        "matter": "通知指派辩护律师（测试合成）",
        "eligibility_basis": "statutory_notice",
        "statutory_ground": "",
    }
    missing = http.post("/cases/new/legal_aid", data=fields)
    assert missing.status_code == 422
    assert error_of(page(missing.text), "statutory_ground")
    done = http.post("/cases/new/legal_aid", data={**fields, "statutory_ground": "minor"})
    assert done.status_code == 303, done.text
    shown = http.get(done.headers["location"]).text
    assert "(2023)湘援0204刑" in shown and "指派期限" in shown


def test_the_lawyer_is_chosen_from_the_register_on_the_assignment_form(
    console: Console, login: Login, clock: FakeClock, lawyer_register: list[dict[str, str]]
) -> None:
    clock.set("2023-06-14T09:00:00+08:00")
    centre = login(OFFICER)
    case_id = apply(centre)["id"]
    centre.act(case_id, "accept")
    http = console(OFFICER)
    doc = page(http.get(f"/cases/{case_id}").text)
    pick = by_id(doc, "assign-lawyer_licence")
    assert pick is not None and pick.tag == "select"
    offered = {str(o.get("value")): o for o in pick.xpath("./option") if o.get("value")}
    first, second, gone = lawyer_register
    # Practising lawyers only, each with the name and firm the script copies.
    assert first["licence_number"] in offered and second["licence_number"] in offered
    assert gone["licence_number"] not in offered
    chosen = offered[first["licence_number"]]
    assert chosen.get("data-name") == first["name"] and chosen.get("data-firm") == first["law_firm"]
    assert "本年已指派" in chosen.text_content()
    assert doc.xpath('//script[@src="/static/legal_aid/assign.js"]')
    # The register still decides: a name that is not the register's is refused beside it.
    wrong = _act(
        http,
        case_id,
        "assign",
        lawyer_licence=first["licence_number"],
        lawyer_name="测试他人",
        law_firm=first["law_firm"],
    )
    assert wrong.status_code == 422
    assert error_of(page(wrong.text), "assign-lawyer_name")
    done = _act(
        http,
        case_id,
        "assign",
        lawyer_licence=first["licence_number"],
        lawyer_name=first["name"],
        law_firm=first["law_firm"],
    )
    assert done.status_code == 303, done.text
    assert centre.get(f"{CASES}/{case_id}").json()["fields"]["lawyer_name"] == first["name"]
