"""Any filtered list to Excel (web/work_export_pages.py): the rows the list shows with every
page of them, personal data masked as the user's role sees it on screen, text kept as text."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from io import BytesIO
from typing import Any
from urllib.parse import unquote

from openpyxl import load_workbook

from tests.support import ApiClient
from tests.web.conftest import Console
from tests.web.html import by_id, page

Login = Callable[[str], ApiClient]


def sheet_rows(content: bytes) -> list[list[Any]]:
    book = load_workbook(BytesIO(content))
    return [list(r) for r in book.active.iter_rows(values_only=True)]


def dispatched(login: Login, **fields: Any) -> dict[str, Any]:
    case = login("operator1").register(**fields)
    login("dispatcher1").act(case["id"], "dispatch", lead_unit="SF-CGJ")
    return case


def test_the_list_links_to_its_export_with_the_same_filters(console: Console) -> None:
    doc = page(console("dispatcher1").get("/cases", params={"state": "registered"}).text)
    link = by_id(doc, "export-xlsx")
    assert link is not None and link.get("href") == "/export/cases.xlsx?state=registered"


def test_the_export_holds_the_filtered_rows_masked_as_the_role_sees_them(
    console: Console, login: Login
) -> None:
    tag = uuid.uuid4().hex[:8]
    case = dispatched(login, content=f"{tag} 路灯不亮（测试合成数据）", caller_phone="17000004321")
    response = console("cgj_handler").get("/export/work.xlsx", params={"q": tag})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert unquote(response.headers["content-disposition"]).endswith(".xlsx")
    header, *rows = sheet_rows(response.content)
    assert header[:4] == ["编号", "类型", "标题", "分类"] and "联系电话" in header
    assert [r[0] for r in rows] == [case["number"]]
    phone = rows[0][header.index("联系电话")]
    assert phone == "170****4321"  # a unit handler sees it masked on screen too
    assert rows[0][header.index("主办单位")] == "石峰区城市管理和综合执法局"
    assert rows[0][header.index("时限")] == "剩余1个工作日"
    # The dispatcher sees the whole number on screen, and so in the file.
    whole = console("dispatcher1").get("/export/cases.xlsx", params={"q": tag})
    header, *rows = sheet_rows(whole.content)
    assert rows[0][header.index("联系电话")] == "17000004321"


def test_text_that_looks_like_a_formula_stays_text(console: Console, login: Login) -> None:
    tag = uuid.uuid4().hex[:8]
    login("operator1").register(content=f'=HYPERLINK("http://x","{tag}")（测试合成数据）')
    response = console("dispatcher1").get("/export/cases.xlsx", params={"q": tag})
    book = load_workbook(BytesIO(response.content))
    cells = [c for row in book.active.iter_rows(min_row=2) for c in row if c.value]
    title = next(c for c in cells if str(c.value).startswith("=HYPERLINK"))
    assert title.data_type == "s"


def test_every_page_of_the_list_is_exported(console: Console, login: Login) -> None:
    tag = uuid.uuid4().hex[:8]
    for n in range(32):  # more than one page of the list (30)
        login("operator1").register(content=f"{tag} 第{n}件（测试合成数据）")
    response = console("dispatcher1").get("/export/cases.xlsx", params={"q": tag})
    _, *rows = sheet_rows(response.content)
    assert len(rows) == 32
