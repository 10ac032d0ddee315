"""消费投诉 over the API, by the consumer-protection officer of 区市场监管局 and its station: a
complaint is registered, accepted with the 受理告知书 (generated as .docx), mediated — a test
suspends the clock — and closed by the 调解书 with the amount recovered; another is not
accepted with the 不予受理告知书; a business that cannot be reached is listed in the
abnormal-operation register before the mediation is terminated; a 12345 CONSUMER order
received by the bureau opens a linked complaint pre-filled from it. Only the roles the type
file names see it. Synthetic people only."""

from __future__ import annotations

from tests.api.conftest import Login
from tests.api.flows import assert_error
from tests.consumer.support import (
    BUSINESS_CODE,
    CASES,
    OFFICER,
    STATION,
    at,
    complaint,
    file_paper,
    generate,
)
from tests.support import FakeClock


def test_a_complaint_walks_from_intake_to_a_mediation_agreement(
    login: Login, clock: FakeClock
) -> None:
    officer = login(OFFICER)
    at(clock, "2023-07-03")
    case = complaint(officer)
    case_id = case["id"]
    assert (case["state"], case["number"][:2]) == ("received", "XT")
    text = generate(
        officer,
        case_id,
        "acceptance_notice",
        number="石市监投受〔2023〕T1号",
        issued_on="2023-07-04",
    )
    assert "消费投诉受理告知书" in text and "株洲某网络科技有限公司（测试）" in text
    assert "四十五个工作日" in text
    at(clock, "2023-07-04")
    assert officer.act(case_id, "accept")["state"] == "mediating"
    officer.act(case_id, "suspend_mediation", reason="送检课程合同鉴定（测试）")
    at(clock, "2023-07-10")
    officer.act(case_id, "resume_mediation")
    at(clock, "2023-07-12")
    agreement = generate(
        officer,
        case_id,
        "mediation_agreement",
        number="石市监调〔2023〕T1号",
        signed_on="2023-07-12",
        terms="经营者退还课程费5000元（测试）",
        amount="5000",
    )
    assert "消费纠纷调解书" in agreement and "经营者退还课程费5000元（测试）" in agreement
    # Settling needs the amount recovered, named next to its input.
    missing = officer.post(f"{CASES}/{case_id}/actions/settle", json={"inputs": {}})
    assert assert_error(missing, 422)["field"] == "amount_recovered"
    body = officer.act(case_id, "settle", amount_recovered="5000")
    assert body["state"] == "closed"
    assert (body["fields"]["outcome"], body["fields"]["amount_recovered"]) == (
        "agreement",
        "5000.00",
    )
    # The officer sees the complainant's phone; a district leader sees it masked.
    assert officer.case(case_id).json()["fields"]["complainant_phone"] == "17100008001"
    masked = login("leader1").case(case_id).json()["fields"]["complainant_phone"]
    assert masked != "17100008001" and "*" in masked


def test_a_complaint_not_accepted_gets_its_notice_and_reason(
    login: Login, clock: FakeClock
) -> None:
    officer = login(OFFICER)
    at(clock, "2023-07-05")
    case_id = complaint(officer, topic="other", summary="非生活消费的经营纠纷（测试）")["id"]
    text = generate(
        officer,
        case_id,
        "refusal_notice",
        number="石市监投不受〔2023〕T1号",
        issued_on="2023-07-06",
        reason="不属于为生活消费需要购买商品或者接受服务（测试）",
    )
    assert "消费投诉不予受理告知书" in text and "第十五条" in text
    # The ground is required, and must be one of the rule's.
    bad = officer.post(
        f"{CASES}/{case_id}/actions/refuse", json={"inputs": {"refusal_ground": "dislike"}}
    )
    assert assert_error(bad, 422)["field"] == "refusal_ground"
    body = officer.act(case_id, "refuse", refusal_ground="not_consumer")
    assert (body["state"], body["fields"]["outcome"]) == ("refused", "refused")
    # A closed complaint cannot be mediated any more.
    assert_error(officer.post(f"{CASES}/{case_id}/actions/accept", json={"inputs": {}}), 409)


def test_an_unreachable_business_is_listed_as_abnormal_before_the_mediation_ends(
    login: Login, clock: FakeClock
) -> None:
    officer = login(OFFICER)
    at(clock, "2023-08-01")
    case_id = complaint(officer)["id"]
    officer.act(case_id, "accept")
    # Terminating because the business cannot be reached needs the listing first.
    early = officer.post(
        f"{CASES}/{case_id}/actions/terminate",
        json={"inputs": {"termination_ground": "unreachable"}},
    )
    assert "经营异常名录" in assert_error(early, 422)["message"]
    # The listing needs its decision on file.
    assert_error(officer.post(f"{CASES}/{case_id}/actions/list_abnormal", json={}), 422)
    file_paper(
        officer,
        case_id,
        "abnormal_listing_decision",
        number="石市监异〔2023〕T1号",
        issued_on="2023-08-10",
        finding="通过登记的住所无法联系（测试）",
    )
    at(clock, "2023-08-10")
    listed = officer.act(case_id, "list_abnormal")["fields"]
    assert (listed["abnormal_listed"], listed["abnormal_decision"]) == (
        True,
        "石市监异〔2023〕T1号",
    )
    assert listed["abnormal_listed_on"] == "2023-08-10"
    # Listed once per complaint.
    again = officer.post(f"{CASES}/{case_id}/actions/list_abnormal", json={})
    assert "已因本件列入" in assert_error(again, 422)["message"]
    body = officer.act(case_id, "terminate", termination_ground="unreachable")
    assert (body["state"], body["fields"]["outcome"]) == ("closed", "terminated")

    # A second complaint against the same business: it is in the register already, so it is
    # not listed again, and its mediation may end as unreachable at once.
    second = complaint(officer, complainant_name="测试消费者己")
    officer.act(second["id"], "accept")
    file_paper(
        officer,
        second["id"],
        "abnormal_listing_decision",
        number="石市监异〔2023〕T2号",
        issued_on="2023-08-10",
        finding="同上（测试）",
    )
    twice = officer.post(f"{CASES}/{second['id']}/actions/list_abnormal", json={})
    refusal = assert_error(twice, 409, "already_listed")
    assert body["number"] in refusal["message"]
    ended = officer.act(second["id"], "terminate", termination_ground="unreachable")
    assert ended["fields"]["abnormal_listed"] is False


def test_only_the_roles_the_file_names_see_or_take_complaints(
    login: Login, clock: FakeClock
) -> None:
    at(clock, "2023-07-07")
    station = login(STATION)
    case_id = complaint(station, channel="petition", platform_number="XF-T1")["id"]
    # The bureau sees its station's complaints (subtree) and may not act as their lead.
    bureau = login(OFFICER)
    assert bureau.case(case_id).status_code == 200
    station.act(case_id, "accept")
    # Other units' handlers, the hotline and the labour inspector see nothing of it.
    for outsider in ("tx_handler", "operator1", "rsj_inspector", "scjg_handler"):
        assert_error(login(outsider).case(case_id), 404)
    refused = login("tx_handler").post(
        CASES,
        json={
            "type": "consumer_complaint",
            "fields": {
                "channel": "walk_in",
                "complainant_name": "测试乙",
                "business_name": "某店（测试）",
                "topic": "price",
                "amount_in_dispute": "10",
                "summary": "测试",
            },
        },
    )
    assert refused.status_code in (403, 404, 422)
    assert refused.json()["code"]
    # A district leader and the supervisor may read it.
    assert login("leader1").case(case_id).status_code == 200


def test_a_consumer_order_received_by_the_bureau_opens_a_linked_complaint(
    login: Login, clock: FakeClock
) -> None:
    at(clock, "2023-06-08")
    order = login("operator1").register(
        request_kind="complaint",
        category="CONSUMER",
        content="网络培训机构拒不退还课程费3000元（测试合成数据）",
        caller_name="测试丙",
        caller_phone="17100008003",
    )
    login("dispatcher1").act(order["id"], "dispatch", lead_unit="SF-SCJG")
    officer = login(OFFICER)
    officer.act(order["id"], "acknowledge")
    offered = officer.get(f"{CASES}/{order['id']}/links").json()["open"]
    first = {o["type"] for o in offered if o["suggested"]}
    assert first == {"consumer_complaint", "consumer_report"}
    assert offered[0]["reason"] == "本件属“消费维权”类，可转为关联案件办理"
    prefill = officer.get(
        f"{CASES}/{order['id']}/prefill/consumer_complaint", params={"link": "source_case"}
    )
    assert prefill.status_code == 200, prefill.text
    fields = prefill.json()["fields"]
    assert fields["source_case"] == order["number"] and "3000元" in fields["summary"]
    base = {
        **fields,
        "business_name": "株洲某在线教育科技有限公司（测试）",
        "business_credit_code": BUSINESS_CODE,
        "topic": "online_training",
        "amount_in_dispute": "3000",
    }
    wrong = officer.post(
        CASES, json={"type": "consumer_complaint", "fields": {**base, "channel": "walk_in"}}
    )
    assert "12345热线" in assert_error(wrong, 422)["message"]
    case = complaint(officer, **{**base, "channel": "hotline_12345"})
    assert case["fields"]["source_case"] == order["id"]
    back = officer.get(f"{CASES}/{order['id']}/links").json()
    assert case["id"] in [c["case"]["id"] for c in back["incoming"]]
