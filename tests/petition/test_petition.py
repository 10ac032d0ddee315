"""A petition (信访) walks from registration to its final re-review opinion over the API by the
petition bureau's officer, with the papers practice requires; it may be refused or
transferred to the competent organ as a link to the case opened there (a wage case); a HOUSING
order received by the bureau suggests turning it into a petition; no other role sees
petitions, and the disclosure request's reconsiderations and lawsuits are recorded once."""

from __future__ import annotations

from tests.api.conftest import Login
from tests.api.flows import assert_error
from tests.labour.support import wage_case
from tests.petition.support import (
    CASES,
    DISCLOSURE_HANDLER,
    OFFICER,
    at,
    disclosure,
    file_paper,
    register,
)
from tests.support import ApiClient, FakeClock
from tests.support import generated_text as generate


def test_the_whole_walk_to_the_final_re_review_opinion(login: Login, clock: FakeClock) -> None:
    officer = login(OFFICER)
    at(clock, "2023-03-01")
    case = register(officer, petitioners=3)
    case_id = case["id"]
    assert case["state"] == "registered" and case["number"].startswith("XF20230301")
    assert case["fields"]["received_on"] == "2023-03-01"
    text = generate(
        officer, case_id, "acceptance_notice", number="石信〔2023〕受T1号", issued_on="2023-03-06"
    )
    assert "信访事项受理告知书" in text and "反映房屋征收补偿问题（测试）" in text
    at(clock, "2023-03-06")
    assert officer.act(case_id, "accept")["state"] == "handling"
    at(clock, "2023-04-10")
    text = generate(
        officer,
        case_id,
        "handling_opinion",
        number="石信〔2023〕处T1号",
        issued_on="2023-04-10",
        opinion="经调查核实，补偿标准符合规定（测试）。",
    )
    assert "补偿标准符合规定" in text and "30日内" in text
    case = officer.act(case_id, "answer", opinion_result="explained")
    assert case["state"] == "answered" and case["fields"]["opinion_result"] == "explained"
    at(clock, "2023-04-20")
    officer.act(case_id, "request_review", note="对处理意见不服（测试）")
    at(clock, "2023-05-10")
    officer.act(case_id, "record_handling", held_on="2023-05-10", note="复查听证（测试）")
    # The review opinion must be on file before the review is decided.
    missing = officer.post(
        f"{CASES}/{case_id}/actions/decide_review", json={"inputs": {"review_result": "explained"}}
    )
    assert "复查意见书" in assert_error(missing, 422)["message"]
    at(clock, "2023-05-15")
    text = generate(
        officer,
        case_id,
        "review_opinion",
        number="石信〔2023〕复查T1号",
        issued_on="2023-05-15",
        opinion="维持原处理意见（测试）。",
    )
    assert "信访事项复查意见书" in text and "请求复核" in text
    officer.act(case_id, "decide_review", review_result="explained")
    at(clock, "2023-06-01")
    officer.act(case_id, "request_re_review", note="对复查意见不服（测试）")
    file_paper(
        officer,
        case_id,
        "re_review_opinion",
        number="石信〔T〕复核1号",
        issued_on="2023-06-20",
        opinion="复核维持（测试）。",
    )
    at(clock, "2023-06-20")
    done = officer.act(case_id, "decide_re_review", re_review_result="not_supported")
    assert done["state"] == "closed"
    assert done["fields"]["outcome"] == "re_review" and done["fields"]["closed_on"] == "2023-06-20"
    assert len(done["fields"]["handling_records"]) == 1
    # Final: nothing more may be asked.
    again = officer.post(
        f"{CASES}/{case_id}/actions/request_review", json={"inputs": {"note": "再次（测试）"}}
    )
    assert_error(again, 409)


def test_a_petition_for_a_legal_channel_is_refused_with_its_notice(
    login: Login, clock: FakeClock
) -> None:
    officer = login(OFFICER)
    at(clock, "2023-05-08")
    case_id = register(officer, matter="other", subject="要求撤销生效判决（测试）")["id"]
    refuse = {"refusal_reason": "legal_channel"}
    without = officer.post(f"{CASES}/{case_id}/actions/refuse", json={"inputs": refuse})
    assert "不予受理告知书" in assert_error(without, 422)["message"]
    text = generate(
        officer,
        case_id,
        "refusal_notice",
        number="石信〔T〕不1号",
        issued_on="2023-05-08",
        reason="应通过诉讼途径解决（测试）",
    )
    assert "信访事项不予受理告知书" in text and "应通过诉讼途径解决" in text
    done = officer.act(case_id, "refuse", **refuse)
    assert done["state"] == "not_accepted" and done["fields"]["outcome"] == "not_accepted"


def test_a_transferred_petition_links_to_the_wage_case_opened_for_it(
    login: Login, clock: FakeClock
) -> None:
    officer, inspector = login(OFFICER), login("rsj_inspector")
    at(clock, "2023-07-03")
    petition = register(officer, matter="wages", subject="反映工地欠薪（测试）")
    # Transferred first; the labour bureau opens its case; the bureau links it afterwards.
    transferred = officer.act(
        petition["id"], "transfer", transferred_unit="SF-RSJ", note="转区人社局（测试）"
    )
    assert transferred["state"] == "transferred"
    assert transferred["fields"]["outcome"] == "transferred"
    wage = wage_case(inspector, summary="信访转送：工地欠薪（测试）")
    linked = officer.act(petition["id"], "link_transferred_case", transferred_case=wage["number"])
    assert linked["fields"]["transferred_case"] == wage["id"]

    # The wage case shows where it came from only to those who may see petitions.
    def incoming(client: ApiClient) -> list[int]:
        body = client.get(f"{CASES}/{wage['id']}/links").json()
        return [link["case"]["id"] for link in body["incoming"]]

    assert petition["id"] in incoming(officer) and petition["id"] not in incoming(inspector)
    outgoing = officer.get(f"{CASES}/{petition['id']}/links").json()["outgoing"]
    assert wage["id"] in [link["case"]["id"] for link in outgoing]
    # Only a wage case may be the target: a disclosure request is refused.
    other = register(officer, matter="wages", subject="另一欠薪（测试）")
    not_wage = officer.post(
        f"{CASES}/{other['id']}/actions/transfer",
        json={
            "inputs": {
                "transferred_unit": "SF-RSJ",
                "note": "转送（测试）",
                "transferred_case": petition["number"],
            }
        },
    )
    assert assert_error(not_wage, 422)["field"] == "transferred_case"


def test_a_housing_order_received_by_the_bureau_suggests_a_petition(
    login: Login, clock: FakeClock
) -> None:
    at(clock, "2023-06-12")
    officer = login(OFFICER)
    order = login("operator1").register(
        request_kind="complaint",
        category="HOUSING",
        content="多次反映征收补偿款未到位（测试合成数据）",
        caller_name="测试丁",
        caller_phone="17000008004",
    )
    login("dispatcher1").act(order["id"], "dispatch", lead_unit="SF-XFJ")
    officer.act(order["id"], "acknowledge")
    offered = officer.get(f"{CASES}/{order['id']}/links").json()["open"]
    assert offered[0]["type"] == "petition" and offered[0]["suggested"] is True
    prefill = officer.get(f"{CASES}/{order['id']}/prefill/petition", params={"link": "source_case"})
    assert prefill.status_code == 200, prefill.text
    fields = prefill.json()["fields"]
    assert fields["source_case"] == order["number"] and "征收补偿款" in fields["content"]
    made = register(officer, **{**fields, "channel": "hotline", "subject": "征收补偿（测试）"})
    assert made["fields"]["source_case"] == order["id"]


def test_no_other_role_sees_or_registers_petitions(login: Login, clock: FakeClock) -> None:
    officer = login(OFFICER)
    at(clock, "2023-05-09")
    case_id = register(officer)["id"]
    for outsider in ("operator1", "tx_handler", "rsj_inspector", DISCLOSURE_HANDLER):
        client = login(outsider)
        assert_error(client.case(case_id), 404)
        denied = client.post(CASES, json={"type": "petition", "fields": {"subject": "x"}})
        assert denied.status_code in (403, 404), denied.text
        assert_error(client.get("/api/v1/petitions/statistics", params={"year": 2023}), 403)
    # Those who supervise see it but cannot act on it.
    assert login("supervisor1").case(case_id).status_code == 200
    acting = login("supervisor1").post(
        f"{CASES}/{case_id}/actions/withdraw", json={"inputs": {"reason": "x"}}
    )
    assert_error(acting, 403)


def test_a_disclosure_reconsideration_and_lawsuit_are_recorded_once(
    login: Login, clock: FakeClock
) -> None:
    handler = login(DISCLOSURE_HANDLER)
    at(clock, "2023-04-03")
    case_id = disclosure(handler, applicant_kind="legal_person")["id"]
    file_paper(
        handler, case_id, "reply_letter", number="石政办公开〔T〕2号", issued_on="2023-04-10"
    )
    handler.act(
        case_id,
        "reply",
        reply_kind="not_handled",
        not_handled_reason="repeated",
        reply_text="重复申请，不予处理（测试）",
    )
    handler.act(case_id, "record_reconsideration", reconsideration_result="corrected")
    twice = handler.post(
        f"{CASES}/{case_id}/actions/record_reconsideration",
        json={"inputs": {"reconsideration_result": "maintained"}},
    )
    assert "已登记" in assert_error(twice, 422)["message"]
    case = handler.act(
        case_id,
        "record_lawsuit",
        lawsuit_route="after_reconsideration",
        lawsuit_result="maintained",
    )
    assert case["state"] == "replied" and case["fields"]["conclusion"] == "not_handled"
    # 不予处理 needs its circumstance.
    other = disclosure(handler)["id"]
    file_paper(handler, other, "reply_letter", number="石政办公开〔T〕3号")
    bare = handler.post(
        f"{CASES}/{other}/actions/reply",
        json={"inputs": {"reply_kind": "not_handled", "reply_text": "不予处理（测试）"}},
    )
    assert assert_error(bare, 422)["field"] == "not_handled_reason"
