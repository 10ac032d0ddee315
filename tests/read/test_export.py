"""An export is a read by a user: it holds only the cases that user may see, every row of a
restricted type is recorded as a read of that case, and personal data is always masked."""

from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy import select

from fazhi.actions.cases import create_case
from fazhi.actions.platform import Platform
from fazhi.read.export import export_cases
from fazhi.store.db import transaction
from fazhi.store.models import Event
from tests.visibility_support import RESTRICTED, actor_of, context

ID_NUMBER = "11010519491231002X"


def rows(path: Path) -> list[list[str]]:
    return list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))[1:]


def reads(platform: Platform, case_id: int) -> list[Event]:
    with platform.sessions() as session:
        return list(
            session.scalars(select(Event).where(Event.case_id == case_id, Event.action == "read"))
        )


def test_an_export_of_a_restricted_type_holds_what_its_user_sees_and_records_each_row(
    vplatform: Platform, tmp_path: Path
) -> None:
    fields = {"summary": "导出测试", "subject_name": "测试导出", "subject_id_number": ID_NUMBER}
    with transaction(vplatform.sessions) as session:
        case_id = create_case(session, context(vplatform, "tx_sfs"), RESTRICTED, fields).id

    mine = tmp_path / "mine.csv"
    count = export_cases(vplatform, mine, RESTRICTED, None, None, actor_of(vplatform, "tx_sfs"))
    assert count == len(rows(mine)) >= 1
    text = mine.read_text(encoding="utf-8-sig")
    assert "测试导出" not in text and ID_NUMBER not in text  # a file is always masked
    assert "110105********002X" in text
    [read] = [e for e in reads(vplatform, case_id) if e.payload == {"read": "export"}]
    assert read.actor["username"] == "tx_sfs"

    # The administrator's export of the same type is empty, and records nothing.
    theirs = tmp_path / "theirs.csv"
    before = len(reads(vplatform, case_id))
    admin = actor_of(vplatform, "admin")
    assert export_cases(vplatform, theirs, RESTRICTED, None, None, admin) == 0
    assert rows(theirs) == [] and len(reads(vplatform, case_id)) == before


# Text a spreadsheet would run (OWASP's formula starts; a leading tab or CR is stripped from
# case fields on input, so those two are checked on the cell helpers below).
FORMULAS = ['=HYPERLINK("http://x.example","点此")', "+1+1", "-2+3", "@SUM(A1)"]


def test_an_export_never_writes_a_live_formula(platform: Platform, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    contents = [f"{start}（公式注入测试）" for start in FORMULAS]
    with transaction(platform.sessions) as session:
        for content in contents:
            fields = {"request_kind": "complaint", "category": "CITY_APPEARANCE"}
            create_case(
                session, context(platform, "operator1"), "hotline", fields | {"content": content}
            )
    admin = actor_of(platform, "admin")

    book = tmp_path / "cases.xlsx"
    export_cases(platform, book, "hotline", None, None, admin)
    sheet = load_workbook(book).worksheets[0]
    cells = [c for row in sheet.iter_rows() for c in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    written = {c.value for c in cells}
    assert set(contents) <= written  # the text itself, exact

    table = tmp_path / "cases.csv"
    export_cases(platform, table, "hotline", None, None, admin)
    values = {v for row in rows(table) for v in row}
    assert {"'" + c for c in contents} <= values
    assert not [v for v in values if v.startswith(("=", "+", "-", "@", "\t", "\r"))]


def test_numbers_stay_numbers_and_only_formula_like_text_is_quoted() -> None:
    from openpyxl import Workbook

    from fazhi.read.sheets import csv_row, xlsx_row

    assert csv_row(["\t=1", "\r=1"]) == ["'\t=1", "'\r=1"]
    assert csv_row([-5, 2.5, "-3", "正常文本", "a=b", None]) == [
        -5,
        2.5,
        "'-3",
        "正常文本",
        "a=b",
        None,
    ]
    sheet = Workbook(write_only=True).create_sheet()
    number, text = xlsx_row(sheet, [-5, "=1+1"])
    assert number == -5
    assert (text.value, text.data_type) == ("=1+1", "s")
