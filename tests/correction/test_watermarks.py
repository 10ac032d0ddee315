"""Every export that can hold a community-correction, anomaly or resettlement record names the
user who took it and the time — the console's list exports, `fazhi export` (CSV and Excel),
the day's CSV — and every page that prints them — a case's 处理单, its case page, the
officer's day view and a subject's file, printed from the browser — because the three types
declare `export_watermark` in their files (the engine reads the flag, never a type's name);
an export or a printed page of another type carries none."""

from __future__ import annotations

import csv
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from fazhi.actions.platform import Platform
from fazhi.catalog.registry import default_case_types
from fazhi.read.export import export_cases
from tests.api.conftest import Login
from tests.correction.support import OFFICER, at, register
from tests.correction.test_resettlement import open_file
from tests.support import FakeClock
from tests.visibility_support import actor_of
from tests.web.conftest import Console
from tests.web.html import by_id, page, text_of

WATERMARKED = ("community_correction", "correction_anomaly", "resettlement")
MARK = "导出人：陆建华（tx_sfs） 导出时间：2023-11-20 10:15"


def book(content: bytes) -> Any:
    return load_workbook(BytesIO(content))


@pytest.fixture
def records(login: Login, clock: FakeClock) -> tuple[int, int]:
    """A subject and a released person's file of 田心's office, at 2023-11-20 10:15."""
    officer = login(OFFICER)
    at(clock, "2023-11-20", 10, 15)
    subject = register(officer, judgment_effective_on="2023-11-20", term_start="2023-11-20")
    released = open_file(officer, released_on="2023-11-17")
    return int(subject["id"]), int(released["id"])


def test_the_types_that_hold_these_records_declare_the_watermark_and_no_other_does() -> None:
    types = default_case_types()
    assert {t.name for t in types if t.watermarked} == set(WATERMARKED)


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/export/cases.xlsx", {"type": "community_correction"}),
        ("/export/cases.xlsx", {"type": "resettlement"}),
        ("/export/cases.xlsx", {}),  # every type the officer sees: these among them
        ("/export/work.xlsx", {}),  # the officer's queue (subjects awaiting report-in)
    ],
)
def test_the_consoles_list_exports_holding_them_are_watermarked(
    console: Console, records: tuple[int, int], path: str, params: dict[str, str]
) -> None:
    response = console(OFFICER).get(path, params=params)
    assert response.status_code == 200
    workbook = book(response.content)
    sheet = workbook.active
    first = [c.value for c in next(sheet.iter_rows(max_row=1))]
    assert MARK in str(first[0]) and first[1:] == [None] * (len(first) - 1)
    assert next(sheet.iter_rows(min_row=2, max_row=2))[0].value == "编号"
    assert MARK in sheet.oddFooter.center.text and MARK in str(workbook.properties.description)


def test_an_export_of_another_type_carries_no_watermark(console: Console) -> None:
    response = console("dispatcher1").get("/export/cases.xlsx", params={"type": "hotline"})
    assert response.status_code == 200
    sheet = book(response.content).active
    assert next(sheet.iter_rows(max_row=1))[0].value == "编号"
    assert not sheet.oddFooter.center.text


@pytest.mark.parametrize("type_name", ["community_correction", "resettlement"])
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_fazhi_export_of_them_is_watermarked(
    platform: Platform, records: tuple[int, int], tmp_path: Path, type_name: str, suffix: str
) -> None:
    # The function `fazhi export --type … --as tx_sfs` runs, at the platform's (test) clock.
    path = tmp_path / f"out{suffix}"
    count = export_cases(platform, path, type_name, None, None, actor_of(platform, OFFICER))
    assert count >= 1
    if suffix == ".csv":
        lines = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
        first, header = lines[0], lines[1]
    else:
        sheet = book(path.read_bytes()).active
        rows = list(sheet.iter_rows(max_row=2, values_only=True))
        first, header = [v for v in rows[0] if v is not None], list(rows[1])
        assert MARK in sheet.oddFooter.center.text
    assert len(first) == 1 and MARK in first[0] and first[0].startswith("仅限工作使用")
    assert header[0] == "编号"


def test_fazhi_export_of_another_type_is_not(platform: Platform, tmp_path: Path) -> None:
    path = tmp_path / "hotline.csv"
    export_cases(platform, path, "hotline", None, None, actor_of(platform, "admin"))
    assert path.read_text(encoding="utf-8-sig").splitlines()[0].startswith("编号")


@pytest.mark.parametrize("which", [0, 1], ids=["community_correction", "resettlement"])
def test_the_printed_sheet_of_one_carries_the_watermark_under_its_title_and_on_every_page(
    console: Console, records: tuple[int, int], which: int
) -> None:
    response = console(OFFICER).get(f"/cases/{records[which]}/print")
    assert response.status_code == 200
    doc = page(response.text)
    assert text_of(doc, "sheet-watermark") == "仅限工作使用 " + MARK
    # Across the paper: the overlay is repeated on each printed page (print-only CSS).
    overlay = by_id(doc, "print-watermark")
    assert overlay is not None and MARK in text_of(doc, "print-watermark")
    css = console(OFFICER).get("/static/console.css").text
    assert ".print-watermark { display: none; }" in css
    assert "@media print" in css.split(".print-watermark { display: none; }")[1]


def test_its_pages_printed_from_the_browser_carry_it_too(
    console: Console, records: tuple[int, int]
) -> None:
    subject, released = records
    http = console(OFFICER)
    for path in (f"/cases/{subject}", f"/cases/{released}"):
        assert MARK in text_of(page(http.get(path).text), "print-watermark"), path
    for path in ("/correction", f"/correction/subjects/{subject}"):
        mark = text_of(page(http.get(path).text), "print-watermark")
        assert "仅限社区矫正工作使用 " + MARK in mark, path


def test_the_printed_sheet_of_another_type_carries_none(
    console: Console, login: Login, clock: FakeClock
) -> None:
    at(clock, "2023-11-20", 10, 15)
    order = login("operator1").register()
    for path in (f"/cases/{order['id']}/print", f"/cases/{order['id']}"):
        response = console("operator1").get(path)
        assert response.status_code == 200
        doc = page(response.text)
        assert by_id(doc, "print-watermark") is None and by_id(doc, "sheet-watermark") is None
        assert "导出人" not in response.text
