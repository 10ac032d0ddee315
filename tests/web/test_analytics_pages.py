"""The 热点 / 难点 / 趋势 / 单位绩效 pages render and explain their numbers."""

from __future__ import annotations

from datetime import date

import pytest

from tests.analytics.scenario import LEAD, Week, build_week, console_client, make_desk
from tests.support import FakeClock, ServerThread

MONDAY = date(2025, 4, 14)


@pytest.fixture(scope="module")
def week(server: ServerThread, clock: FakeClock) -> Week:
    return build_week(make_desk(server, clock), clock, MONDAY, "分析页面测试")


def page(server: ServerThread, clock: FakeClock, user: str, path: str) -> str:
    response = console_client(server, clock, user).get(path)
    assert response.status_code == 200, f"{path}: {response.status_code}"
    return response.text


def test_units_page_shows_formulas_and_ranking(
    server: ServerThread, clock: FakeClock, week: Week
) -> None:
    html = page(server, clock, "leader1", f"/analytics/units?{week.query}&unit={LEAD}")
    assert "按期办结率" in html and "满意率" in html and "退单率" in html
    assert "综合得分 = " in html
    assert "石峰区城市管理和综合执法局" in html
    assert "83.3%" in html  # on-time closure 5/6


def test_hotspots_page_explains_the_test(
    server: ServerThread, clock: FakeClock, week: Week
) -> None:
    html = page(server, clock, "supervisor1", f"/analytics/hotspots?{week.query}")
    assert "泊松" in html and "Benjamini–Hochberg" in html
    assert 'id="hotspots"' in html


def test_trends_page_draws_the_weekly_series(
    server: ServerThread, clock: FakeClock, week: Week
) -> None:
    html = page(server, clock, "supervisor1", f"/analytics/trends?to={week.friday}")
    assert "<svg" in html and "z =" in html
    assert 'id="by-category"' in html and 'id="by-street"' in html


def test_hard_cases_page_lists_orders(server: ServerThread, clock: FakeClock, week: Week) -> None:
    html = page(server, clock, "leader1", f"/analytics/hard-cases?unit={LEAD}")
    assert "难点工单" in html and "已超期" in html


def test_operators_are_refused(server: ServerThread, clock: FakeClock, week: Week) -> None:
    response = console_client(server, clock, "operator1").get("/analytics/units")
    assert response.status_code == 403
