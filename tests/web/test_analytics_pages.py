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


# Issue 10: the hotspot page said 「显著上升 0 个」 above 100+ rows of λ, p and q(BH).
def test_hotspot_summary_agrees_with_the_rows_and_explains_them(
    server: ServerThread, clock: FakeClock, week: Week
) -> None:
    import re

    html = page(server, clock, "supervisor1", f"/analytics/hotspots?{week.query}")
    section = html.split('id="hotspots"', 1)[1].split("</section>", 1)[0]
    flagged = len(re.findall(r'<tr class="flagged">', section))
    tested = len(re.findall(r"<tr(?: class=\"flagged\")?><td>", section))
    summary = re.search(r"共检验 (\d+) 个格子，显著上升 (\d+) 个", section)
    assert summary is not None, section[:400]
    assert int(summary.group(2)) == flagged
    assert int(summary.group(1)) == tested
    # Chinese headings, the statistics explained in words.
    if tested:
        for heading in ("期内工单数", "期望值 λ", "p 值", "q 值（BH 校正）"):
            assert heading in section
    assert "期望值 λ：" in html and "p 值：" in html and "q 值：" in html
    # Significant rows come before any other (they are in their own table).
    if flagged:
        assert section.index('class="flagged"') < section.find("未达显著")


# Issue 10: the 难点 page showed internal case ids as link text.
def test_hard_cases_are_listed_by_case_number(
    server: ServerThread, clock: FakeClock, week: Week
) -> None:
    import re

    html = page(server, clock, "leader1", f"/analytics/hard-cases?unit={LEAD}")
    links = re.findall(r'<a href="/cases/(\d+)">([^<]*)</a>', html)
    assert links
    for case_id, text in links:
        assert text.startswith("RX") and text.endswith(f"{int(case_id):07d}"), text


# Issue 10: the unit filter was a free-text box wanting codes like SF-CGJ.
@pytest.mark.parametrize("view", ["units", "hotspots", "trends", "metrics", "hard-cases"])
def test_the_unit_filter_is_the_unit_picker(
    server: ServerThread, clock: FakeClock, week: Week, view: str
) -> None:
    html = page(server, clock, "supervisor1", f"/analytics/{view}?unit={LEAD}")
    assert 'id="a-unit" name="unit" data-unit-picker' in html
    assert '<script src="/static/unit-picker.js" defer>' in html
    assert f'<option value="{LEAD}" selected>石峰区城市管理和综合执法局</option>' in html
    assert 'placeholder="全部"' not in html
    # A unit leader is offered only its own subtree.
    own = page(server, clock, "tx_leader", f"/analytics/{view}")
    assert f'<option value="{LEAD}"' not in own and 'value="SF-TX"' in own
