"""The synthetic correction year (`fazhi demo`): the officer opens the office's day view, sees
the planted anomalies in the queue, and handles one to closing; the bureau sees every
office's; a second run writes nothing."""

from __future__ import annotations

import re

import pytest

from fazhi.actions.platform import Platform
from fazhi.correction import plugin
from tests.api.conftest import Login
from tests.correction.support import BUREAU, OFFICER, at
from tests.support import FakeClock
from tests.web.conftest import Console

# The synthetic demo year's content and pages: the same on either database.
pytestmark = pytest.mark.dialect_neutral


def test_the_officer_sees_the_planted_anomalies_and_handles_one_to_closing(
    platform: Platform, login: Login, console: Console, clock: FakeClock
) -> None:
    message = plugin.generate_demo(platform, 0, 0, 1, lambda n: None)
    assert re.search(r"矫正对象8人，打卡\d+次，发现异常\d+起（待处置\d+起）", message)
    assert "跳过" in plugin.generate_demo(platform, 0, 0, 1, lambda n: None)  # once only
    at(clock, "2023-12-31", 9, 30)
    officer = login(OFFICER)
    day = officer.get("/api/v1/correction/day").json()
    kinds = {a["kind"] for a in day["anomalies"]}
    assert {"missed", "late", "out_of_area"} <= kinds, day["anomalies"]
    # The office's subjects only: 田心's four; the bureau sees all eight and more.
    office = [s for s in day["subjects"] if s["office"] == "田心街道司法所"]
    assert len(office) >= 3 and all(s["office"] == "田心街道司法所" for s in day["subjects"])
    everyone = login(BUREAU).get("/api/v1/correction/day").json()
    assert {s["office"] for s in everyone["subjects"]} >= {"田心街道司法所", "铜塘湾街道司法所"}

    page = console(OFFICER).get("/correction")
    assert page.status_code == 200
    first = day["anomalies"][0]
    assert f'data-anomaly="{first["id"]}"' in page.text and "异常队列" in page.text

    # Handle it to closing on the engine's case page, through the one door.
    http = console(OFFICER)
    case_page = http.get(f"/cases/{first['id']}")
    assert case_page.status_code == 200 and "联系核实" in case_page.text
    steps = [
        (
            "contact",
            {"contact_way": "phone", "contact_note": "电话核实（测试）", "justified": "false"},
        ),
        ("handle", {"measure": "talk", "handling_record": "谈话教育（测试）"}),
        ("close", {"closing_note": "结案（测试）"}),
    ]
    for action, data in steps:
        done = http.post(f"/cases/{first['id']}/do/{action}", data=data)
        assert done.status_code == 303, (action, done.text[:500])
    assert officer.case(first["id"]).json()["state"] == "closed"
    queue = officer.get("/api/v1/correction/day").json()["anomalies"]
    assert first["id"] not in [a["id"] for a in queue]
