"""The synthetic 2023 year (`fazhi demo`) gives the seed report's figures through the types'
declared statistics — 171 petitions about online training transferred to the market
regulator (信访171件), and 17 disclosure requests received, all concluded (收到政府信息公开申请
17件，均按程序办结) — read over the package's API by the district leader before and after,
since other tests of the session add cases of 2023 too. The console's /petitions page is the
petition officer's, /disclosure-report the disclosure handler's; both are refused to others;
a petition is registered and accepted on the console's forms."""

from __future__ import annotations

import re
from typing import Any

import pytest

from fazhi.actions.platform import Platform
from fazhi.petition import plugin
from tests.api.conftest import Login
from tests.petition.support import CASES, DISCLOSURE_HANDLER, OFFICER, at, file_paper
from tests.support import ApiClient, FakeClock
from tests.web.conftest import Console

# The synthetic demo year's content and pages: the same on either database.
pytestmark = pytest.mark.dialect_neutral


def petitions(leader: ApiClient) -> dict[str, Any]:
    response = leader.get("/api/v1/petitions/statistics", params={"year": 2023})
    assert response.status_code == 200, response.text
    body = response.json()
    out: dict[str, Any] = dict(body["values"])
    for name, counts in body["by"].items():
        out.update({f"{name}:{value}": n for value, n in counts.items()})
    return out


def report(leader: ApiClient) -> dict[str, Any]:
    response = leader.get("/api/v1/disclosure/report", params={"year": 2023})
    assert response.status_code == 200, response.text
    return dict(response.json()["report"])


def delta(before: dict[str, Any], after: dict[str, Any], *names: str) -> dict[str, Any]:
    return {n: after.get(n, 0) - before.get(n, 0) for n in names}


def test_the_demo_reproduces_the_seed_figures(platform: Platform, login: Login) -> None:
    leader = login("leader1")
    before, report_before = petitions(leader), report(leader)
    message = plugin.generate_demo(platform, 0, 0, 1, lambda n: None)
    assert "网络培训类171件" in message and "收到17件" in message
    assert "跳过" in plugin.generate_demo(platform, 0, 0, 1, lambda n: None)  # once only
    after, report_after = petitions(leader), report(leader)
    assert delta(
        before,
        after,
        "received",
        "online_training",
        "by_matter:online_training",
        "transferred",
        "accepted",
        "not_accepted",
        "answered",
        "reviews",
        "re_reviews",
        "concluded",
        "by_outcome:transferred",
        "by_outcome:re_review",
        "told",
        "told_on_time",
    ) == {
        "received": 200,
        "online_training": 171,
        "by_matter:online_training": 171,
        "transferred": 179,  # 171 to the market regulator, 8 wage petitions to 区人社局
        "accepted": 15,
        "not_accepted": 4,
        "answered": 12,
        "reviews": 3,
        "re_reviews": 1,
        "concluded": 197,  # all but the 3 still being handled
        "by_outcome:transferred": 179,
        "by_outcome:re_review": 1,
        "told": 198,  # 2 withdrawn before being told
        "told_on_time": 198,
    }

    def flat(r: dict[str, Any]) -> dict[str, int]:
        return {
            "received": r["received"]["total"],
            "natural_person": r["received"]["natural_person"],
            "organisation": r["received"]["organisation"],
            "concluded": r["concluded"]["total"],
            "disclosed": r["concluded"]["disclosed"],
            "partly_disclosed": r["concluded"]["partly_disclosed"],
            "refused": r["concluded"]["refused"],
            "not_held": r["concluded"]["not_held"],
            "not_handled": r["concluded"]["not_handled"],
            "reconsiderations": r["reconsiderations"]["total"],
            "lawsuits": r["lawsuits"]["total"],
            "lawsuits_direct": r["lawsuits"]["direct"],
        }

    assert delta(flat(report_before), flat(report_after), *flat(report_after)) == {
        "received": 17,  # the seed's figure
        "natural_person": 14,
        "organisation": 3,
        "concluded": 18,  # the 17 and the one carried over from 2022
        "disclosed": 10,
        "partly_disclosed": 3,
        "refused": 2,
        "not_held": 2,
        "not_handled": 1,
        "reconsiderations": 1,
        "lawsuits": 1,
        "lawsuits_direct": 1,
    }
    # The stocks: one carried over from 2022; nothing carried into 2024 by the demo.
    assert report_after["carried_over"] - report_before["carried_over"] == 1
    assert report_after["carried_forward"] == report_before["carried_forward"]


def test_the_pages_show_the_year_figures_to_the_owning_roles_only(console: Console) -> None:
    page = console(OFFICER).get("/petitions", params={"year": "2023"})
    assert page.status_code == 200
    assert 'data-rate="on_time_rate"' in page.text and "网络教育培训类信访" in page.text
    for outsider in ("operator1", "tx_handler", DISCLOSURE_HANDLER):
        assert console(outsider).get("/petitions").status_code == 403
    report_page = console(DISCLOSURE_HANDLER).get("/disclosure-report", params={"year": "2023"})
    assert report_page.status_code == 200
    assert (
        'data-row="carried_over"' in report_page.text and "结转下年度继续办理" in report_page.text
    )
    for outsider in ("operator1", "dispatcher1", "rsj_arbitrator"):
        assert console(outsider).get("/disclosure-report").status_code == 403
    # The supervisor reads both from their addresses.
    assert console("supervisor1").get("/petitions").status_code == 200
    assert console("supervisor1").get("/disclosure-report").status_code == 200


def test_a_petition_is_registered_and_accepted_on_the_console(
    console: Console, login: Login, clock: FakeClock
) -> None:
    at(clock, "2023-06-19")
    http = console(OFFICER)
    form = http.get("/cases/new/petition")
    assert form.status_code == 200 and "信访人" in form.text
    fields = {
        "action": "register",
        "channel": "visit",
        "petitioner_name": "测试来访人（网页）",
        "petitioner_phone": "17000008009",
        "petitioners": "1",
        "matter": "urban_management",
        "subject": "反映占道经营（网页测试）",
        "content": "小区门口长期占道经营（测试）",
    }
    bad = http.post("/cases/new/petition", data={**fields, "petitioner_phone": "123"})
    assert bad.status_code == 422
    created = http.post("/cases/new/petition", data=fields)
    assert created.status_code == 303
    found = re.fullmatch(r"/cases/(\d+)\?done=register", created.headers["location"])
    assert found
    case_id = int(found.group(1))
    refused = http.post(f"/cases/{case_id}/do/accept", data={})
    assert refused.status_code == 422 and "受理告知书" in refused.text
    file_paper(
        login(OFFICER),
        case_id,
        "acceptance_notice",
        number="石信〔T〕网1号",
        issued_on="2023-06-19",
    )
    done = http.post(f"/cases/{case_id}/do/accept", data={})
    assert done.status_code == 303
    assert login(OFFICER).get(f"{CASES}/{case_id}").json()["state"] == "handling"
    assert console("operator1").get("/cases/new/petition").status_code == 403
