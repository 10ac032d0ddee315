"""Statistics are the type's own: each shipped type's metrics, with their labels, come out of
/api/v1/analytics/metrics, and "on time" is decided by the type's own clock — a disclosure
request answered 40 days after it arrived is replied and concluded, but not on time."""

from __future__ import annotations

from typing import Any

import pytest

from fazhi.actions.platform import Platform
from tests.api.flows import CASES, Desk
from tests.support import FakeClock

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
APPLIED = "2024-09-02T09:00:00+08:00"  # a Monday no other test uses
REPLIED = "2024-10-14T10:00:00+08:00"  # 42 days later; the 20-working-day limit was 9/30


def metrics(desk: Desk, type_name: str, day: str) -> dict[str, Any]:
    response = desk["supervisor1"].get(
        f"/api/v1/analytics/metrics?type={type_name}&from={day}&to={day}"
    )
    assert response.status_code == 200, response.text
    return dict(response.json())


def values(body: dict[str, Any]) -> dict[str, int]:
    return {m["name"]: m["value"] for m in body["metrics"]}


def test_a_disclosure_request_replied_40_days_late_is_not_on_time(
    desk: Desk, clock: FakeClock
) -> None:
    sfj = desk["sfj_handler"]
    clock.set(APPLIED)
    response = sfj.post(
        CASES,
        json={
            "type": "disclosure_request",
            "fields": {
                "applicant_kind": "citizen",
                "applicant_name": "测试丁",
                "request_content": "2024年道路维修计划（统计测试）",
            },
        },
    )
    assert response.status_code == 201, response.text
    case_id = response.json()["id"]
    clock.set(REPLIED)
    upload = sfj.post(
        f"{CASES}/{case_id}/documents",
        data={"kind": "reply_letter"},
        files={"file": ("reply.pdf", PDF, "application/pdf")},
    )
    assert upload.status_code == 201, upload.text
    body = sfj.act(
        case_id,
        "reply",
        reply_kind="partly_disclosed",
        refusal_ground="deliberative",
        reply_text="部分公开（测试）",
    )
    assert body["state"] == "replied"
    [reply] = [c for c in body["clocks"] if c["name"] == "reply"]
    assert reply["status"] == "missed"

    got = metrics(desk, "disclosure_request", REPLIED[:10])
    counted = values(got)
    assert counted["replied"] == 1 and counted["concluded"] == 1
    assert counted["replied_on_time"] == 0
    assert counted["concluded_on_time"] == 0
    [outcome] = [m for m in got["metrics"] if m["name"] == "outcome"]
    assert outcome["by"] == [{"value": "partly_disclosed", "label": "部分公开", "count": 1}]
    rates = {r["name"]: r["value"] for r in got["rates"]}
    assert rates == {"on_time_reply_rate": 0.0, "on_time_rate": 0.0}
    assert values(metrics(desk, "disclosure_request", APPLIED[:10]))["received"] == 1


def test_every_shipped_types_metrics_appear_in_the_statistics_api(
    desk: Desk, platform: Platform
) -> None:
    shipped = [t for t in platform.types if t.metrics]
    assert {t.name for t in shipped} >= {"hotline", "disclosure_request"}
    for case_type in shipped:
        body = metrics(desk, case_type.name, "2023-06-01")
        assert body["type"] == case_type.name
        assert [(m["name"], m["label"]) for m in body["metrics"]] == [
            (m.name, m.label) for m in case_type.metrics
        ]
        assert [r["name"] for r in body["rates"]] == [r.name for r in case_type.rates]


def test_the_default_type_is_the_hotline_and_unknown_types_are_refused(desk: Desk) -> None:
    body = desk["supervisor1"].get("/api/v1/analytics/metrics").json()
    assert body["type"] == "hotline"
    response = desk["supervisor1"].get("/api/v1/analytics/metrics?type=no_such_type")
    assert response.status_code == 422
    assert response.json()["code"] == "unknown_case_type"


@pytest.mark.parametrize("view", ["units", "hotspots", "trends"])
def test_the_analytics_views_answer_for_another_type(desk: Desk, view: str) -> None:
    body = desk["supervisor1"].get(f"/api/v1/analytics/{view}?type=disclosure_request").json()
    assert body["type"] == "disclosure_request"
    assert body["metric"] == "received"
