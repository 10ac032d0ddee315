"""统计 over HTTP: the figures of a known week, the charts as inline SVG, the unit ranking and
its sorting, the unit leader's restriction to its own subtree, and the Excel export."""

from __future__ import annotations

import re
from datetime import date, timedelta
from io import BytesIO
from urllib.parse import quote

import pytest
from openpyxl import load_workbook

from fazhi.web.svg_charts import day_chart, nice_ceiling
from tests.analytics.scenario import (
    CLOSED_PER_DAY,
    LEAD,
    LEAD_NAME,
    OTHER,
    RECEIVED_PER_DAY,
    Week,
    at,
    build_week,
    console_client,
    make_desk,
)
from tests.support import TLS, FakeClock, ServerThread

MONDAY = date(2024, 11, 4)


@pytest.fixture(scope="module")
def week(server: ServerThread, clock: FakeClock) -> Week:
    return build_week(make_desk(server, clock), clock, MONDAY, "统计页测试")


def page(server: ServerThread, clock: FakeClock, username: str, path: str) -> str:
    response = console_client(server, clock, username).get(path)
    assert response.status_code == 200, f"{path}: {response.status_code}"
    return response.text


def cards(html: str) -> dict[str, str]:
    return dict(re.findall(r'id="card-(\w+)">.*?<b data-value>([^<]*)</b>', html, re.S))


def ranking(html: str) -> list[str]:
    """The unit codes of the ranking table, top to bottom ('' for orders without a lead)."""
    table = html.split('id="unit-ranking"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'<tr data-unit="([^"]*)">', table)


def test_cards_show_the_weeks_figures_for_a_lead_unit(
    server: ServerThread, clock: FakeClock, week: Week
) -> None:
    html = page(server, clock, "leader1", f"/stats?{week.query}&unit={LEAD}")
    assert cards(html) == {
        "received": "7",
        "closed": "6",
        "closure_rate": "71.4%",
        "on_time_rate": "83.3%",
        "satisfaction_rate": "66.7%",
        "returns": "1",
        "reopenings": "1",
    }
    assert "5 / 7" in html and "5 / 6" in html and "（3 + 1）/ 6" in html
    # Each card says how it is computed.
    assert "期内办结工单中，各次办理时限均在到期前停止的工单数 ÷ 期内办结量" in html
    assert "（满意 + 基本满意）÷ 已评价数" in html
    assert "2024年11月04日 至 2024年11月08日" in html
    assert f"主办单位：{LEAD_NAME}" in html


def test_region_wide_cards_add_intake_answers_and_other_units(
    server: ServerThread, clock: FakeClock, week: Week
) -> None:
    figures = cards(page(server, clock, "supervisor1", f"/stats?{week.query}"))
    assert (figures["received"], figures["closed"], figures["on_time_rate"]) == (
        "9",
        "7",
        "85.7%",
    )


def test_default_period_is_the_last_30_days_by_the_platform_clock(
    server: ServerThread, clock: FakeClock
) -> None:
    clock.set(at(date(2024, 11, 8), 17))
    html = page(server, clock, "leader1", "/stats")
    assert "2024年10月10日 至 2024年11月08日" in html
    assert 'value="2024-10-10"' in html and 'value="2024-11-08"' in html
    assert 'href="/stats?from=2023-01-01&amp;to=2023-12-31"' in html  # quick link: 2023年全年
    assert ">近30天<" in html


def test_charts_are_inline_svg_drawn_on_the_server(
    server: ServerThread, clock: FakeClock, week: Week
) -> None:
    html = page(server, clock, "leader1", f"/stats?{week.query}&unit={LEAD}")
    daily = html.split('id="daily"', 1)[1].split("</section>", 1)[0]
    bars = re.findall(r"<rect [^>]*><title>([^<]*)</title></rect>", daily)
    assert bars == [
        f"2024-11-{4 + i:02d}：受理 {r} 件，办结 {c} 件"
        for i, (r, c) in enumerate(zip(RECEIVED_PER_DAY, CLOSED_PER_DAY, strict=True))
    ]
    assert "<polyline" in daily and ">11/4<" in daily  # the closed line and a day label
    categories = html.split('id="categories"', 1)[1].split("</section>", 1)[0]
    assert "<svg" in categories and "市容秩序：7 件（100.0%）" in categories
    streets = html.split('id="streets"', 1)[1].split("</section>", 1)[0]
    assert "未定位到网格：7 件" in streets  # the week's orders carry no coordinates
    # Nothing comes from elsewhere: no script but htmx and the unit picker, no external address.
    assert re.findall(r"<script[^>]*>", html) == [
        '<script src="/static/vendor/htmx.min.js" defer>',
        '<script src="/static/htmx-errors.js" defer>',
        '<script src="/static/unit-picker.js" defer>',
    ]
    assert "http://" not in html and "https://" not in html
    assert '<link rel="stylesheet" href="/static/stats.css">' in html


def test_unit_ranking_sorts_by_the_query_parameter(
    server: ServerThread, clock: FakeClock, week: Week
) -> None:
    by_received = ranking(page(server, clock, "leader1", f"/stats?{week.query}"))
    assert by_received[0] == LEAD and set(by_received) == {LEAD, OTHER, ""}
    ascending = ranking(page(server, clock, "leader1", f"/stats?{week.query}&order=asc"))
    assert ascending[-1] == LEAD
    html = page(server, clock, "leader1", f"/stats?{week.query}&sort=returns")
    assert ranking(html)[0] == LEAD
    assert 'aria-sort="descending"' in html
    row = html.split(f'<tr data-unit="{LEAD}">', 1)[1].split("</tr>", 1)[0]
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]
    assert cells[1:] == [LEAD_NAME, "7", "6", "83.3%（5/6）", "66.7%（4/6）", "7", "1"]
    # The formulas are stated under the table.
    assert "退单数：期内「退单」事件数，按退单单位计" in html


def test_a_unit_leader_sees_only_its_own_subtree(
    server: ServerThread, clock: FakeClock, week: Week
) -> None:
    # Asking for another unit falls back to one's own.
    html = page(server, clock, "cgj_leader", f"/stats?{week.query}&unit={OTHER}")
    assert cards(html)["received"] == "7"
    assert f"主办单位：{LEAD_NAME}" in html
    assert "只能统计本单位及下属单位，已按本单位统计" in html
    street = page(server, clock, "tx_leader", f"/stats?{week.query}&unit={LEAD}")
    assert cards(street)["received"] == "1" and cards(street)["closed"] == "0"
    assert f'value="{LEAD}"' not in street  # not even offered in the unit filter
    assert ranking(street) == [OTHER]


def test_roles_without_statistics_are_refused(server: ServerThread, clock: FakeClock) -> None:
    for username in ("operator1", "cgj_handler"):
        response = console_client(server, clock, username).get("/stats")
        assert response.status_code == 403
        assert "无权" in response.text
    export = console_client(server, clock, "operator1").get("/stats/export.xlsx?table=units")
    assert export.status_code == 403


def test_signed_out_users_are_sent_to_login(server: ServerThread) -> None:
    import httpx

    with httpx.Client(base_url=server.url, follow_redirects=False, verify=TLS) as http:
        response = http.get("/stats?from=2024-11-04")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=/stats")


def test_bad_dates_fall_back_with_a_notice(server: ServerThread, clock: FakeClock) -> None:
    clock.set(at(date(2024, 11, 8), 17))
    html = page(server, clock, "leader1", "/stats?from=yesterday&to=2024-11-08")
    assert "开始日期无法识别" in html and "2024年10月10日 至 2024年11月08日" in html
    swapped = page(server, clock, "leader1", "/stats?from=2024-11-08&to=2024-11-04")
    assert "已对调" in swapped and "2024年11月04日 至 2024年11月08日" in swapped
    unknown = page(server, clock, "leader1", "/stats?unit=NO-SUCH-UNIT")
    assert "找不到所选单位，已按全部单位统计" in unknown


def export(server: ServerThread, clock: FakeClock, query: str) -> tuple[list[list[object]], str]:
    response = console_client(server, clock, "leader1").get(f"/stats/export.xlsx?{query}")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    book = load_workbook(BytesIO(response.content), read_only=True)
    assert book.sheetnames[1] == "说明"
    rows = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    return rows, response.headers["content-disposition"]


def test_export_of_the_unit_ranking(server: ServerThread, clock: FakeClock, week: Week) -> None:
    rows, disposition = export(server, clock, f"table=units&{week.query}")
    assert rows[0] == [
        "主办单位",
        "受理量",
        "办结量",
        "按期办结量",
        "按期办结率",
        "已评价",
        "满意",
        "基本满意",
        "满意率",
        "派单量",
        "退单数",
    ]
    lead = next(r for r in rows if r[0] == LEAD_NAME)
    assert lead[1:4] == [7, 6, 5] and lead[5:8] == [6, 3, 1] and lead[9:11] == [7, 1]
    assert lead[4] == pytest.approx(0.8333) and lead[8] == pytest.approx(0.6667)
    assert len(rows) == 4  # header, 区城管局, 田心街道, orders without a lead unit
    name = quote("12345统计_主办单位排名_2024-11-04_2024-11-08.xlsx")
    assert disposition.startswith('attachment; filename="hotline-units-2024-11-04_2024-11-08.xlsx"')
    assert f"filename*=UTF-8''{name}" in disposition


def test_export_of_daily_categories_and_streets(
    server: ServerThread, clock: FakeClock, week: Week
) -> None:
    daily, _ = export(server, clock, f"table=daily&{week.query}&unit={LEAD}")
    assert daily[0] == ["日期", "受理量", "办结量"]
    assert daily[1:] == [
        [f"2024-11-{4 + i:02d}", r, c]
        for i, (r, c) in enumerate(zip(RECEIVED_PER_DAY, CLOSED_PER_DAY, strict=True))
    ]
    categories, _ = export(server, clock, f"table=categories&{week.query}&unit={LEAD}")
    assert categories == [
        ["诉求分类", "分类代码", "受理量", "占比"],
        ["市容秩序", "CITY_APPEARANCE", 7, 1],
    ]
    streets, _ = export(server, clock, f"table=streets&{week.query}&unit={LEAD}")
    assert streets[0] == ["街道（镇）", "受理量", "占比"]
    assert ["未定位到网格", 7, 1] in streets
    assert sum(int(str(r[1])) for r in streets[1:]) == 7
    assert len(streets) == 1 + 7 + 1  # header, the seven streets (zeros too), unplaced


def test_export_of_an_unknown_table_is_404(server: ServerThread, clock: FakeClock) -> None:
    response = console_client(server, clock, "leader1").get("/stats/export.xlsx?table=secrets")
    assert response.status_code == 404
    assert "没有这张统计表" in response.text


def test_a_year_is_labelled_by_month_and_a_week_by_day() -> None:
    year = [(date(2023, 1, 1) + timedelta(days=i), i % 7, 1) for i in range(365)]
    chart = day_chart(year)
    assert [text for _, text in chart.x_labels] == ["2023年1月"] + [f"{m}月" for m in range(2, 13)]
    assert len(chart.bars) == 365 and chart.total_received == sum(r for _, r, _ in year)
    assert [text for _, text in chart.y_ticks] == ["0", "2", "4", "6"]  # whole counts
    week = day_chart([(MONDAY + timedelta(days=i), 1, 0) for i in range(5)])
    assert [text for _, text in week.x_labels] == ["11/4", "11/5", "11/6", "11/7", "11/8"]
    assert nice_ceiling(6) == 10 and nice_ceiling(13) == 20 and nice_ceiling(0) == 1
