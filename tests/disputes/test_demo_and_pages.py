"""The synthetic 2023 disputes (`fazhi demo`) reproduce the seed report's figures through the
two types' declared statistics — 83 reconsideration applications; 20 lawsuits, 18 concluded,
17 won (94.4%), 9 notices for the head of agency to appear and 9 appearances (100%) — fast;
the console's /disputes page shows them to the office, and a suit's case page takes an
action with the refusal shown next to its input."""

from __future__ import annotations

from typing import Any

import pytest

from fazhi.actions.platform import Platform
from fazhi.disputes import plugin
from tests.api.conftest import Login
from tests.support import FakeClock
from tests.web.conftest import Console
from tests.web.html import error_of, page

# The synthetic demo year's content and pages: the same on either database.
pytestmark = pytest.mark.dialect_neutral

OFFICER = "sfj_fuyi"


def _year(login: Login) -> dict[str, Any]:
    response = login(OFFICER).get("/api/v1/disputes/statistics", params={"year": 2023})
    assert response.status_code == 200, response.text
    return dict(response.json())


def _delta(before: dict[str, Any], after: dict[str, Any], type_name: str) -> dict[str, int]:
    old, new = before[type_name]["counts"], after[type_name]["counts"]
    return {k: new[k] - old.get(k, 0) for k in new}


def _by(body: dict[str, Any], type_name: str, metric: str) -> dict[str, int]:
    found = next(m for m in body[type_name]["metrics"] if m["name"] == metric)
    return {b["value"]: b["count"] for b in found.get("by", [])}


def test_the_demo_reproduces_the_seed_figures(
    platform: Platform, login: Login, console: Console
) -> None:
    before = _year(login)
    # (About 1.5 s on SQLite; speed is the benchmarks' concern, not a pass/fail here.)
    message = plugin.generate_demo(platform, 0, 0, 1, lambda n: None)
    assert "收到申请83件" in message
    assert "跳过" in plugin.generate_demo(platform, 0, 0, 1, lambda n: None)  # once only
    after = _year(login)

    applications = _delta(before, after, "reconsideration")
    assert applications["received"] == 83
    assert (applications["accepted"], applications["deemed_accepted"]) == (77, 0)
    assert (applications["rejected"], applications["concluded"]) == (6, 71)
    assert applications["corrected"] == 13
    old, new = (
        _by(before, "reconsideration", "by_outcome"),
        _by(after, "reconsideration", "by_outcome"),
    )
    outcomes = {k: n - old.get(k, 0) for k, n in new.items() if n - old.get(k, 0)}
    assert outcomes == {
        "maintain": 39,
        "dismiss": 9,
        "revoke": 6,
        "change": 2,
        "confirm_illegal": 3,
        "order_performance": 2,
        "terminate": 6,
        "mediated": 4,
    }

    suits = _delta(before, after, "litigation")
    assert (suits["received"], suits["concluded"], suits["wins"], suits["losses"]) == (
        20,
        18,
        17,
        1,
    )
    assert round(100 * suits["wins"] / suits["concluded"], 1) == 94.4  # the seed's win rate
    assert (suits["notices"], suits["appearances"]) == (9, 9)  # every summoned head appeared
    old, new = (
        _by(before, "litigation", "received_by_defendant"),
        _by(after, "litigation", "received_by_defendant"),
    )
    assert new["district_government"] - old.get("district_government", 0) == 20

    shown = console(OFFICER).get("/disputes", params={"year": "2023"})
    assert shown.status_code == 200
    doc = page(shown.text)
    rates = doc.xpath('//table[@id="litigation-rates"]//tr[@data-rate="win_rate"]')
    assert rates and "胜诉率" in rates[0].text_content()
    metrics = doc.xpath('//table[@id="reconsideration-metrics"]//tr[@data-metric="received"]')
    assert (
        metrics and str(after["reconsideration"]["counts"]["received"]) in metrics[0].text_content()
    )


def test_the_overview_is_the_offices_landing_and_refused_to_others(console: Console) -> None:
    office = console(OFFICER)
    landing = office.get("/", follow_redirects=False)
    assert landing.headers.get("location") == "/disputes", landing.status_code
    assert 'href="/disputes"' in office.get("/work").text
    assert console("operator1").get("/disputes").status_code == 403


def test_a_suit_is_worked_on_its_case_page(
    login: Login, console: Console, clock: FakeClock
) -> None:
    officer = login(OFFICER)
    body = {
        "defendant_kind": "department",
        "defendant_unit": "SF-ZJJ",
        "plaintiff": "原告丙（控制台测试合成）",
        "court": "石峰区人民法院",
        "cause": "诉区住建局行政处罚（控制台测试）",
    }
    case_id = officer.post("/api/v1/cases", json={"type": "litigation", "fields": body}).json()[
        "id"
    ]
    http = console(OFFICER)
    served = page(http.get(f"/cases/{case_id}").text)
    (row,) = served.xpath('//table[@id="clocks"]//tr[@data-clock="defence"]')
    assert "答辩举证期限" in row.text_content() and "第六十七条" in row.xpath("./td")[0].get(
        "title"
    )
    login("zjj_handler").post(
        f"/api/v1/cases/{case_id}/documents",
        json={"kind": "defence", "data": {"submitted_on": "2023-06-01"}},
    )
    login("zjj_handler").act(case_id, "file_defence")
    shown = page(http.get(f"/cases/{case_id}").text)
    assert "记录庭审" in shown.text_content()
    version = str(shown.xpath('//form//input[@name="version"]')[0].get("value"))
    form = {
        "version": version,
        "hearing_on": "2023-06-20",
        "head_appearance": "absent",
        "notice_sent_on": "2023-06-15",
    }
    refused = http.post(f"/cases/{case_id}/do/record_hearing", data=form)
    assert refused.status_code == 422
    assert error_of(page(refused.text), "record_hearing-absence_reason")
    done = http.post(
        f"/cases/{case_id}/do/record_hearing",
        data={**form, "absence_reason": "因公出差，已委托副局长出庭（测试）"},
    )
    assert done.status_code == 303, done.text
    hearings = officer.case(case_id).json()["fields"]["hearings"]
    assert hearings[0]["head_appearance"] == "absent" and hearings[0]["notice_timely"] is True
