"""The consumer year: the synthetic 2023 demo (`fazhi demo`) reproduces the seed report's
figures through the types' declared statistics — 6,369 complaints from the platforms worth
4,299,300 yuan in dispute with 69,000 recovered, 1,119 about online training of which 171 by
petition, 12315 closed 97.46% and 12345 100%, 4 reports filed and 11 businesses listed as
abnormal in the online-training campaign, which recovered 2,520,000 yuan — read in a
database of the demo year alone. A
campaign groups the complaints and reports that name it; the year's listings are the
businesses put in the abnormal-operation register. The console's /consumer page shows it all
to the consumer officer, is refused to others, and a case-page action goes through."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import select

from fazhi.actions.auth import actor_for, roles_of
from fazhi.actions.context import ActionContext, Work
from fazhi.actions.platform import Platform
from fazhi.consumer import plugin
from fazhi.consumer.demo.parties import credit_code
from fazhi.consumer.read import year_overview
from fazhi.domain.durations import LOCAL_TZ
from fazhi.store.db import transaction
from fazhi.store.models import User
from tests.api.conftest import Login
from tests.api.flows import assert_error
from tests.consumer.support import (
    BUSINESS_CODE,
    OFFICER,
    STATION,
    STATISTICS,
    at,
    campaign,
    complaint,
    file_paper,
    report,
)
from tests.databases import organised_platform
from tests.support import FakeClock
from tests.web.conftest import Console

# The synthetic demo year's content and pages: the same on either database.
pytestmark = pytest.mark.dialect_neutral

# A business of this test's own, so no other test's listing of the same one is in the way.
GONE_CODE = credit_code(8889)


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    """A database of the demo year alone: its 6,394 cases would slow every later test of a
    worker sharing the session's database."""
    clock = FakeClock(datetime(2024, 1, 10, 9, tzinfo=LOCAL_TZ))
    with organised_platform(tmp_path_factory.mktemp("consumer-demo"), "consumer_demo", clock) as p:
        yield p


def year_of(platform: Platform, username: str) -> dict[str, Any]:
    """The consumer page's body for 2023 as `username` reads it."""
    with transaction(platform.sessions) as session:
        user = session.scalars(select(User).where(User.username == username)).one()
        actor = actor_for(platform, user, roles_of(session, user.id))
        return year_overview(Work(session, ActionContext(platform, actor, platform.clock())), 2023)


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_the_demo_reproduces_the_seed_figures(fresh: Platform) -> None:
    message = plugin.generate_demo(fresh, 0, 0, 1, lambda n: None)
    assert "投诉6369件" in message
    assert "跳过" in plugin.generate_demo(fresh, 0, 0, 1, lambda n: None)  # once only
    types = year_of(fresh, "leader1")["types"]

    def value(type_name: str, name: str) -> int:
        metric, _, by = name.partition(":")
        figures = types[type_name]
        return int(figures["by"][metric].get(by, 0) if by else figures["values"][metric])

    complaints = {
        name: value("consumer_complaint", name)
        for name in (
            "received",
            "amount_in_dispute",
            "amount_recovered",
            "online_training",
            "online_training_by_channel:petition",
            "abnormal_listed",
            "received_12315",
            "closed_12315",
            "received_12345",
            "closed_12345",
        )
    }
    assert complaints == {
        "received": 6369,
        "amount_in_dispute": 429_930_000,  # fen: 429.93万元
        "amount_recovered": 6_900_000,  # fen: 6.9万元
        "online_training": 1119,
        "online_training_by_channel:petition": 171,
        "abnormal_listed": 11,
        "received_12315": 5000,
        "closed_12315": 4873,  # 97.46%
        "received_12345": 1198,
        "closed_12345": 1198,  # 100%
    }
    assert (
        value("consumer_report", "received"),
        value("consumer_report", "online_training_filed"),
    ) == (24, 4)
    assert (
        value("consumer_campaign", "launched"),
        value("consumer_campaign", "amount_recovered"),
    ) == (1, 252_000_000)  # 252万元

    # The officer's year: the campaign groups the seed's online-training matters, and the
    # eleven businesses listed are in the year's listings.
    body = year_of(fresh, OFFICER)
    demo = [c for c in body["campaigns"] if "（合成）" in c["theme"]]
    assert len(demo) == 1
    grouped = demo[0]
    assert (grouped["complaints"], grouped["complaints_by_channel"]["petition"]) == (1119, 171)
    assert (grouped["reports_filed"], grouped["abnormal_listed"]) == (4, 11)
    assert grouped["amount_recovered"] == "2520000.00"
    listed = [a for a in body["abnormal_listings"] if "（合成" in a["business_name"]]
    assert len(listed) == 11 and len({a["business_credit_code"] for a in listed}) == 11
    rates = {r["name"]: r for r in body["types"]["consumer_complaint"]["rates"]}
    assert {"closure_rate_12315", "closure_rate_12345"} <= set(rates)


def test_a_campaign_groups_the_complaints_and_reports_that_name_it(
    login: Login, clock: FakeClock
) -> None:
    # 2024 holds no other consumer cases of the session: the figures are this test's own.
    officer = login(OFFICER)
    at(clock, "2024-03-04")
    # The 田心 station takes part: it sees the campaign and files its complaints under it.
    drive = campaign(officer, starts_on="2024-03-01", ends_on="2024-06-30", units=["SF-SCJG-TX"])
    other = campaign(
        officer,
        theme="预付卡专项（测试）",
        topic="prepaid_card",
        starts_on="2024-03-01",
        ends_on="2024-04-30",
    )
    bad = officer.post(
        "/api/v1/cases",
        json={
            "type": "consumer_campaign",
            "fields": {
                "theme": "倒置（测试）",
                "topic": "price",
                "starts_on": "2024-05-01",
                "ends_on": "2024-04-01",
                "plan": "测试",
            },
        },
    )
    assert "结束日期" in assert_error(bad, 422)["message"]
    linked = [
        complaint(
            officer,
            campaign=drive["id"],
            channel="petition",
            amount_in_dispute="3000",
            business_credit_code=GONE_CODE,
        ),
        complaint(
            officer, campaign=drive["id"], channel="platform_12315", amount_in_dispute="2000"
        ),
        complaint(login(STATION), campaign=drive["number"], channel="hotline_12345"),
    ]
    complaint(officer, topic="price", amount_in_dispute="50")  # not in the campaign
    complaint(officer, campaign=other["id"], topic="prepaid_card")
    filed = report(officer, campaign=drive["id"], topic="online_training")["id"]
    file_paper(officer, filed, "verification_report", summary="属实（测试）")
    officer.act(filed, "file_case", penalty_reference="石市监立〔2024〕T1号")
    # One of the campaign's businesses cannot be reached: listed, then the mediation ends.
    gone = linked[0]["id"]
    officer.act(gone, "accept")
    file_paper(
        officer,
        gone,
        "abnormal_listing_decision",
        number="石市监异〔2024〕T1号",
        issued_on="2024-03-04",
        finding="无法联系（测试）",
    )
    officer.act(gone, "list_abnormal")
    officer.act(gone, "terminate", termination_ground="unreachable")
    officer.act(linked[1]["id"], "accept")
    officer.act(linked[1]["id"], "settle", amount_recovered="1500")
    officer.act(drive["id"], "conclude", amount_recovered="4500", conclusion="督促退费（测试）")

    body = officer.get(STATISTICS, params={"year": 2024}).json()
    by_theme = {c["theme"]: c for c in body["campaigns"]}
    grouped = by_theme["网络培训退费专项整治（测试）"]
    assert grouped["number"] == drive["number"] and grouped["state"] == "concluded"
    assert grouped["complaints"] == 3
    assert grouped["complaints_by_channel"] == {
        "hotline_12345": 1,
        "petition": 1,
        "platform_12315": 1,
    }
    assert (grouped["complaints_closed"], grouped["reports"], grouped["reports_filed"]) == (2, 1, 1)
    assert grouped["abnormal_listed"] == 1
    assert grouped["amount_in_dispute"] == "11800.00"  # 3000 + 2000 + 6800
    assert grouped["amount_recovered_by_complaints"] == "1500.00"
    assert grouped["amount_recovered"] == "4500.00"
    assert by_theme["预付卡专项（测试）"]["complaints"] == 1
    # The year's listing names the business, its code, the day and the decision.
    assert [
        (a["business_credit_code"], a["listed_on"], a["decision"])
        for a in body["abnormal_listings"]
    ] == [(GONE_CODE, "2024-03-04", "石市监异〔2024〕T1号")]
    values = body["types"]["consumer_complaint"]["values"]
    assert (values["received"], values["online_training"], values["abnormal_listed"]) == (5, 3, 1)
    assert values["amount_recovered"] == 150_000  # fen
    # A campaign of another year is not this year's.
    assert officer.get(STATISTICS, params={"year": 2026}).json()["campaigns"] == []
    # The hotline's operator and a street's handler see none of the consumer types.
    for outsider in ("operator1", "tx_handler"):
        assert_error(login(outsider).get(STATISTICS, params={"year": 2024}), 403)


def test_the_consumer_page_shows_the_year_to_the_consumer_officer_only(
    console: Console,
) -> None:
    page = console(OFFICER).get("/consumer", params={"year": "2024"})
    assert page.status_code == 200
    assert 'data-type="consumer_complaint"' in page.text
    assert 'data-rate="closure_rate_12315"' in page.text and "全国12315平台办结率" in page.text
    assert 'id="consumer-campaigns"' in page.text and 'id="consumer-abnormal"' in page.text
    assert 'href="/consumer"' in page.text  # in the officer's menu
    for outsider in ("operator1", "tx_handler", "rsj_inspector"):
        assert console(outsider).get("/consumer").status_code == 403


def test_a_complaint_is_registered_and_accepted_on_the_console(
    console: Console, login: Login, clock: FakeClock
) -> None:
    at(clock, "2023-06-09")
    http = console(OFFICER)
    form = http.get("/cases/new/consumer_complaint")
    assert form.status_code == 200 and "被投诉人" in form.text
    fields = {
        "action": "register",
        "channel": "walk_in",
        "complainant_name": "测试丁",
        "business_name": "株洲某健身服务有限公司（网页测试）",
        "business_credit_code": BUSINESS_CODE,
        "topic": "prepaid_card",
        "amount_in_dispute": "2400",
        "summary": "健身卡停业不退费（测试）",
    }
    bad = http.post("/cases/new/consumer_complaint", data={**fields, "business_credit_code": "1"})
    assert bad.status_code == 422 and "统一社会信用代码" in bad.text
    created = http.post("/cases/new/consumer_complaint", data=fields)
    assert created.status_code == 303
    found = re.fullmatch(r"/cases/(\d+)\?done=register", created.headers["location"])
    assert found
    case_id = int(found.group(1))
    page = http.get(f"/cases/{case_id}")
    assert page.status_code == 200 and "受理" in page.text and "受理决定期限" in page.text
    done = http.post(f"/cases/{case_id}/do/accept", data={})
    assert done.status_code == 303
    assert login(OFFICER).case(case_id).json()["state"] == "mediating"
    assert console("operator1").get("/cases/new/consumer_complaint").status_code == 403
