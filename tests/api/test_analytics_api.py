"""/api/v1/analytics/*: shapes, the figures of a known week, and a unit leader held to its
own subtree."""

from __future__ import annotations

from datetime import date

import pytest

from tests.analytics.scenario import (
    LEAD,
    OTHER,
    Week,
    api_client,
    at,
    build_week,
    make_desk,
)
from tests.support import FakeClock, ServerThread

MONDAY = date(2025, 3, 17)


@pytest.fixture(scope="module")
def week(server: ServerThread, clock: FakeClock) -> Week:
    return build_week(make_desk(server, clock), clock, MONDAY, "分析接口测试")


def get(server: ServerThread, clock: FakeClock, user: str, path: str) -> dict[str, object]:
    response = api_client(server, clock, user).get(path)
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


def test_units_shows_rates_formulas_and_ranking(
    server: ServerThread, clock: FakeClock, week: Week
) -> None:
    body = get(server, clock, "leader1", f"/api/v1/analytics/units?{week.query}&unit={LEAD}")
    assert set(body["formulas"]) == {  # type: ignore[arg-type]
        "acknowledge_on_time_rate",
        "on_time_closure_rate",
        "resolution_rate",
        "satisfaction_rate",
        "return_rate",
        "repeat_rate",
    }
    assert "综合得分" in str(body["score_formula"])
    [unit] = [u for u in body["units"] if u["name"].startswith("石峰区城市管理")]  # type: ignore[union-attr]
    assert unit["counts"]["dispatched"] == 8
    assert unit["rates"]["on_time_closure_rate"] == pytest.approx(5 / 6)
    assert unit["rates"]["satisfaction_rate"] == pytest.approx(4 / 6)
    assert unit["rank"] == 1


def test_hotspots_and_trends_shapes(server: ServerThread, clock: FakeClock, week: Week) -> None:
    body = get(server, clock, "supervisor1", f"/api/v1/analytics/hotspots?{week.query}")
    assert body["metric"] == "received"
    assert "Poisson" in str(body["test"]) and "Benjamini" in str(body["test"])
    assert isinstance(body["cells"], list)
    trends = get(server, clock, "supervisor1", f"/api/v1/analytics/trends?to={week.friday}")
    assert len(trends["week_starts"]) == 9  # type: ignore[arg-type]
    [roads] = [s for s in trends["categories"] if s["key"] == "CITY_APPEARANCE"]  # type: ignore[union-attr]
    assert roads["weeks"][-1] >= 9
    assert roads["change"] in ("rise", "")


def test_hard_cases_lists_open_overdue_orders(
    server: ServerThread, clock: FakeClock, week: Week
) -> None:
    clock.set(at(date(2025, 6, 2), 9))  # long after E's handling deadline
    body = get(server, clock, "leader1", f"/api/v1/analytics/hard-cases?unit={LEAD}&size=500")
    ids = {c["id"] for c in body["cases"]}  # type: ignore[union-attr]
    assert week.ids["E"] in ids  # still in handling, now overdue
    assert week.ids["A"] not in ids
    for case in body["cases"]:  # type: ignore[union-attr]
        assert case["reasons"]


def test_a_unit_leader_is_held_to_its_subtree(
    server: ServerThread, clock: FakeClock, week: Week
) -> None:
    body = get(server, clock, "tx_leader", f"/api/v1/analytics/units?{week.query}&unit={LEAD}")
    assert body["unit"]["code"] == OTHER  # type: ignore[index]
    assert body["notes"]
    names = {u["name"] for u in body["units"]}  # type: ignore[union-attr]
    assert not any(n.startswith("石峰区城市管理") for n in names)
    clock.set(at(date(2025, 6, 2), 9))
    hard = get(server, clock, "tx_leader", "/api/v1/analytics/hard-cases?size=500")
    assert week.ids["E"] not in {c["id"] for c in hard["cases"]}  # type: ignore[union-attr]


def test_roles_without_analytics_are_refused(
    server: ServerThread, clock: FakeClock, week: Week
) -> None:
    response = api_client(server, clock, "operator1").get("/api/v1/analytics/units")
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden_role"
