"""行政应诉 over the API: the district's legal staff register a suit when the complaint is
served, the defendant unit files its defence and evidence within 15 days (《行政诉讼法》第六十七条),
each hearing is recorded with the court's notice for the head of agency to appear and whether
the head appeared, the judgment concludes the suit, and an appeal is a second-instance suit
linked to the first. The type's declared rates: win rate = wins ÷ concluded, appearance rate
= appearances ÷ notices. Every party is synthetic."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fazhi.domain.durations import LOCAL_TZ
from tests.api.conftest import Login
from tests.api.flows import assert_error
from tests.support import ApiClient, FakeClock

CASES = "/api/v1/cases"
OFFICER = "sfj_fuyi"
DEFENDER = "zjj_handler"  # 区住建局 answers for the district government


def at(clock: FakeClock, day: str, hour: int = 10) -> None:
    clock.set(datetime.fromisoformat(day).replace(hour=hour, tzinfo=LOCAL_TZ))


def receive(officer: ApiClient, **fields: Any) -> dict[str, Any]:
    body = {
        "defendant_kind": "district_government",
        "defendant_unit": "SF-ZJJ",
        "plaintiff": "原告甲（测试合成）",
        "plaintiff_phone": "13900005555",
        "court": "株洲市中级人民法院",
        "court_case_number": "（2023）湘02行初T1号",
        "cause": "诉石峰区人民政府房屋征收补偿决定（测试）",
        **fields,
    }
    response = officer.post(CASES, json={"type": "litigation", "fields": body})
    assert response.status_code == 201, response.text
    return dict(response.json())


def add(client: ApiClient, case_id: int, kind: str, **data: Any) -> None:
    response = client.post(f"{CASES}/{case_id}/documents", json={"kind": kind, "data": data})
    assert response.status_code == 201, response.text


def defend(login: Login, case_id: int, day: str) -> dict[str, Any]:
    add(login(DEFENDER), case_id, "defence", submitted_on=day)
    return login(DEFENDER).act(case_id, "file_defence")


def judge(officer: ApiClient, case_id: int, judgment: str, day: str) -> dict[str, Any]:
    add(officer, case_id, "judgment", number="（2023）湘02行初T1号判决书", judged_on=day)
    return officer.act(case_id, "judge", judgment=judgment, judged_on=day)


def clock_of(body: dict[str, Any], name: str) -> dict[str, Any]:
    return next(c for c in body["clocks"] if c["name"] == name)


def test_a_suit_walks_from_service_to_judgment(login: Login, clock: FakeClock) -> None:
    officer = login(OFFICER)
    # Served on 20 September 2023: 15 days end on 5 October, in the National Day holiday;
    # the defence is due on the next working day, the make-up Saturday 7 October.
    at(clock, "2023-09-20")
    case = receive(officer)
    case_id = case["id"]
    assert (case["state"], case["fields"]["served_on"]) == ("defending", "2023-09-20")
    defence = clock_of(case, "defence")
    assert defence["due_at"] == "2023-10-07T23:59:59+08:00"
    assert "第六十七条" in defence["basis"]
    # The defendant unit sees the suit (the plaintiff's phone masked) and files the defence.
    seen = login(DEFENDER).case(case_id).json()
    assert seen["fields"]["plaintiff_phone"] != "13900005555"
    assert (
        "答辩状"
        in assert_error(
            login(DEFENDER).post(f"{CASES}/{case_id}/actions/file_defence", json={"inputs": {}}),
            422,
        )["message"]
    )
    at(clock, "2023-10-07", 16)
    filed = defend(login, case_id, "2023-10-07")
    assert filed["state"] == "trial"
    assert clock_of(filed, "defence")["status"] == "met"

    # A hearing the head was summoned to (the notice 5 days ahead) and attended.
    at(clock, "2023-11-10")
    heard = officer.act(
        case_id,
        "record_hearing",
        hearing_on="2023-11-10",
        head_appearance="appeared",
        notice_sent_on="2023-11-05",
        head_name="区住建局局长（测试）",
    )
    (hearing,) = heard["fields"]["hearings"]
    assert hearing["number"] == 1 and hearing["notice_timely"] is True
    # An absence needs its accepted reason; a notice cannot come after the hearing.
    response = officer.post(
        f"{CASES}/{case_id}/actions/record_hearing",
        json={
            "inputs": {
                "hearing_on": "2023-11-20",
                "head_appearance": "absent",
                "notice_sent_on": "2023-11-19",
            }
        },
    )
    assert assert_error(response, 422)["field"] == "absence_reason"
    response = officer.post(
        f"{CASES}/{case_id}/actions/record_hearing",
        json={
            "inputs": {
                "hearing_on": "2023-11-20",
                "head_appearance": "appeared",
                "notice_sent_on": "2023-11-21",
                "head_name": "某某",
            }
        },
    )
    assert assert_error(response, 422)["field"] == "notice_sent_on"
    # A notice served late (one day ahead) is recorded as late: it is the court's lateness.
    second = officer.act(
        case_id,
        "record_hearing",
        hearing_on="2023-11-20",
        head_appearance="absent",
        notice_sent_on="2023-11-19",
        absence_reason="出庭通知书开庭前一日才送达，负责人因公务在外（测试）",
    )
    assert [h["notice_timely"] for h in second["fields"]["hearings"]] == [True, False]

    # The judgment's date must match its paper.
    add(officer, case_id, "judgment", number="（2023）湘02行初T1号判决书", judged_on="2023-12-01")
    response = officer.post(
        f"{CASES}/{case_id}/actions/judge",
        json={"inputs": {"judgment": "win", "judged_on": "2023-12-02"}},
    )
    assert "不一致" in assert_error(response, 422)["message"]
    judged = officer.act(case_id, "judge", judgment="win", judged_on="2023-12-01")
    assert (judged["state"], judged["fields"]["judgment"]) == ("judged", "win")


def test_a_late_defence_is_recorded_as_missed(login: Login, clock: FakeClock) -> None:
    at(clock, "2023-06-01")
    case = receive(login(OFFICER))
    case_id = case["id"]
    assert clock_of(case, "defence")["due_at"] == "2023-06-16T23:59:59+08:00"  # 15 days
    at(clock, "2023-06-19")
    filed = defend(login, case_id, "2023-06-19")
    assert clock_of(filed, "defence")["status"] == "missed"


def test_an_appeal_is_a_second_instance_suit_linked_to_the_first(
    login: Login, clock: FakeClock
) -> None:
    officer = login(OFFICER)
    at(clock, "2023-06-01")
    first = receive(officer, challenged_act="房屋征收补偿决定（测试）")["id"]
    defend(login, first, "2023-06-05")
    judge(officer, first, "win", "2023-07-01")
    # From the judged suit, the second instance is opened pre-filled and linked.
    prefill = officer.get(
        f"{CASES}/{first}/prefill/litigation", params={"link": "first_instance"}
    ).json()["fields"]
    assert prefill["plaintiff"] == "原告甲（测试合成）" and prefill["defendant_kind"] == (
        "district_government"
    )
    # A second instance names its first.
    response = officer.post(
        CASES,
        json={"type": "litigation", "fields": {**_suit(), "instance": "second"}},
    )
    assert assert_error(response, 422)["field"] == "first_instance"
    at(clock, "2023-07-10")
    appeal = receive(
        officer,
        instance="second",
        first_instance=prefill["first_instance"],
        court="湖南省高级人民法院",
        court_case_number="（2023）湘行终T1号",
    )
    assert appeal["fields"]["first_instance"] == first
    links = officer.get(f"{CASES}/{first}/links").json()
    assert appeal["id"] in [c["case"]["id"] for c in links["incoming"]]
    assert "litigation" in [o["type"] for o in links["open"]]  # 发起… on the judged suit


def _suit() -> dict[str, Any]:
    return {
        "defendant_kind": "department",
        "defendant_unit": "SF-ZJJ",
        "plaintiff": "原告乙（测试合成）",
        "court": "石峰区人民法院",
        "cause": "诉区住建局行政处罚（测试）",
    }


def _figures(client: ApiClient, day: str) -> tuple[dict[str, int], dict[str, float | None]]:
    body = client.get(
        "/api/v1/analytics/metrics", params={"type": "litigation", "from": day, "to": day}
    ).json()
    return (
        {m["name"]: m["value"] for m in body["metrics"]},
        {r["name"]: r["value"] for r in body["rates"]},
    )


def test_win_and_appearance_rates_come_from_the_declared_statistics(
    login: Login, clock: FakeClock
) -> None:
    officer, leader = login(OFFICER), login("leader1")
    day = "2023-02-14"
    at(clock, day)
    before, _ = _figures(leader, day)
    # Three suits judged that day: two won, one lost; two hearings with notices (one head
    # appeared, one absent with reason) and one hearing without a notice.
    for judgment, appearance in (("win", "appeared"), ("win", "absent"), ("lose", "not_notified")):
        case_id = receive(officer)["id"]
        defend(login, case_id, day)
        inputs: dict[str, Any] = {"hearing_on": day, "head_appearance": appearance}
        if appearance != "not_notified":
            inputs["notice_sent_on"] = "2023-02-08"
        if appearance == "appeared":
            inputs["head_name"] = "负责人（测试）"
        if appearance == "absent":
            inputs["absence_reason"] = "因病住院（测试）"
        officer.act(case_id, "record_hearing", **inputs)
        judge(officer, case_id, judgment, day)
    after, rates = _figures(leader, day)
    delta = {k: after.get(k, 0) - before.get(k, 0) for k in after}
    assert (delta["concluded"], delta["wins"], delta["losses"]) == (3, 2, 1)
    assert (delta["notices"], delta["appearances"]) == (2, 1)
    if not before.get("concluded"):  # the day is the test's own: the rates are exact
        assert rates["win_rate"] == 2 / 3 and rates["appearance_rate"] == 1 / 2
    # The office reads the same figures through the disputes statistics.
    year = officer.get("/api/v1/disputes/statistics", params={"year": 2023}).json()
    assert year["litigation"]["counts"]["wins"] >= 2
    assert {"win_rate", "appearance_rate"} <= set(year["litigation"]["rate_values"])


def test_only_the_legal_staff_and_the_defendant_see_a_suit(login: Login, clock: FakeClock) -> None:
    at(clock, "2023-06-01")
    case_id = receive(login(OFFICER))["id"]
    assert_error(login("tx_handler").case(case_id), 404)
    assert_error(login("operator1").case(case_id), 404)
    # The defendant unit files the defence but records no hearing nor judgment.
    assert_error(
        login(DEFENDER).post(
            f"{CASES}/{case_id}/actions/judge", json={"inputs": {"judgment": "win"}}
        ),
        403,
    )
    # The disputes statistics are the office's, the supervisors' and the leaders'.
    response = login("operator1").get("/api/v1/disputes/statistics", params={"year": 2023})
    assert assert_error(response, 403)["code"] == "forbidden_role"
    assert assert_error(login(OFFICER).get("/api/v1/disputes/statistics"), 422)["code"]
