"""考核: the monthly ranking page and its Excel export, over the known month of
tests/hotline/read/test_assessment.py."""

from __future__ import annotations

import re
from io import BytesIO

from openpyxl import load_workbook

from tests.analytics.scenario import LEAD_NAME, console_client
from tests.hotline.read.test_assessment import month  # noqa: F401  (fixture)
from tests.support import FakeClock, ServerThread


def test_the_ranking_page_shows_score_and_components(
    server: ServerThread,
    clock: FakeClock,
    month: dict[str, int],  # noqa: F811
) -> None:
    html = console_client(server, clock, "supervisor1").get("/assessment?month=2025-11").text
    assert 'type="month"' in html and 'value="2025-11"' in html
    row = next(r for r in html.split("<tr ")[1:] if LEAD_NAME in r)
    assert "<b>68.0</b>" in row and "50.0%" in row and "（1/5）" in row
    assert "1 / 0 / 1" in row  # objections raised / upheld / rejected
    assert "诉求不合理" in html and "权重" in html
    sorted_html = console_client(server, clock, "supervisor1").get(
        "/assessment?month=2025-11&sort=satisfaction&order=asc"
    )
    assert 'aria-sort="ascending"' in sorted_html.text
    bad = console_client(server, clock, "supervisor1").get("/assessment?month=2025-13")
    assert bad.status_code == 200 and "月份无法识别" in bad.text
    assert console_client(server, clock, "operator1").get("/assessment").status_code == 403


def test_the_export_has_one_row_per_unit(
    server: ServerThread,
    clock: FakeClock,
    month: dict[str, int],  # noqa: F811
) -> None:
    response = console_client(server, clock, "supervisor1").get(
        "/assessment/export.xlsx?month=2025-11"
    )
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content), read_only=True)
    rows = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    assert rows[0][:3] == ["名次", "单位", "综合得分"]
    lead = next(r for r in rows if r[1] == LEAD_NAME)
    assert lead[2] == 68.0 and lead[3:6] == [2, 1, 0.5] and lead[12:15] == [5, 1, 0.2]
    assert lead[17:21] == [1, 0, 1, 4]
    assert re.match(r"\d{4}-\d{2}考核", book.sheetnames[0])
