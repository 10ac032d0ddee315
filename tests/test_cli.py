"""The `fazhi` command against temporary SQLite databases (FAZHI_DATABASE_URL)."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from datetime import UTC, date, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import create_engine, func, select
from typer.testing import CliRunner, Result

from fazhi.cli import app
from fazhi.domain.calendar import CalendarYearUnknown
from fazhi.domain.holiday_notice import NoticeParseError, parse_notice
from fazhi.store.models import Case

# The CLI works on a SQLite file of its own here: the PostgreSQL run would only repeat it.
pytestmark = pytest.mark.sqlite_only

NOTICES = Path(__file__).resolve().parent / "fixtures" / "notices"
FICTIONAL_2027 = NOTICES / "2027-fictional.txt"
# A whole mainland mobile number, not part of a longer run of digits.
FULL_MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
MASKED_MOBILE = re.compile(r"^1[3-9]\d\*{4}\d{4}$")


def env_for(path: Path) -> dict[str, str]:
    return {"FAZHI_DATABASE_URL": f"sqlite:///{path}", "COLUMNS": "200"}


def run(env: dict[str, str], *args: str) -> Result:
    return CliRunner().invoke(app, list(args), env=env)


def flat(text: str) -> str:
    return "".join(text.split())


@pytest.fixture
def fresh(tmp_path: Path) -> dict[str, str]:
    """A database of its own that does not exist yet."""
    return env_for(tmp_path / "fresh.db")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    env = env_for(tmp_path_factory.mktemp("cli-demo") / "fazhi.db")
    result = run(env, "demo", "--orders", "30", "--current", "0")
    assert result.exit_code == 0, result.output
    assert "合成工单30件" in flat(result.output)
    yield env


def case_count(env: dict[str, str]) -> int:
    engine = create_engine(env["FAZHI_DATABASE_URL"])
    try:
        with engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(Case)).scalar() or 0)
    finally:
        engine.dispose()


# --- calendar -----------------------------------------------------------------------------


def test_add_workdays_across_national_day_2023(fresh: dict[str, str]) -> None:
    # Also on a fresh install: the calendar needs no `fazhi init` first.
    result = run(fresh, "calendar", "add-workdays", "2023-09-28", "20")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "2023-11-01"


def test_add_days_ending_in_a_holiday_rolls_forward_to_the_next_working_day(
    fresh: dict[str, str],
) -> None:
    # 9/28 + 3 days = 10/1, inside 中秋+国庆 (9/29–10/6); 10/7 is a make-up Saturday.
    result = run(fresh, "calendar", "add-days", "2023-09-28", "3")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "2023-10-07"
    # Ending on a working day: no rolling.
    assert run(fresh, "calendar", "add-days", "2023-09-28", "12").output.strip() == "2023-10-10"


def test_add_workdays_into_an_unknown_year_exits_2_with_the_chinese_message(
    fresh: dict[str, str],
) -> None:
    result = run(fresh, "calendar", "add-workdays", "2027-01-04", "3")
    assert result.exit_code == 2
    assert flat(CalendarYearUnknown(2027).message) in flat(result.output)
    assert "请先导入国务院办公厅2027年节假日安排通知" in flat(result.output)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("add-workdays", "2023-09-28", "0"), "N应为正整数"),
        (("add-days", "--", "2023-09-28", "-1"), "N不能为负数"),
        (("add-workdays", "28/09/2023", "1"), "日期格式应为2023-09-28"),
    ],
)
def test_bad_calendar_arguments_exit_2(
    fresh: dict[str, str], args: tuple[str, ...], message: str
) -> None:
    result = run(fresh, "calendar", *args)
    assert result.exit_code == 2
    assert message in flat(result.output)


def test_import_notice_without_yes_in_a_non_interactive_run_shows_the_summary_and_refuses(
    fresh: dict[str, str],
) -> None:
    result = run(fresh, "calendar", "import-notice", str(FICTIONAL_2027))
    assert result.exit_code == 2
    output = flat(result.output)
    assert "2027年节假日安排" in output
    assert "春节：2027-02-05至2027-02-13放假（9天）；调休上班2027-02-20" in output
    assert "国庆节：2027-10-01至2027-10-07放假（7天）；调休上班2027-09-26、2027-10-09" in output
    assert "非交互环境请加--yes确认保存" in output
    # Nothing was saved: 2027 is still unknown.
    assert run(fresh, "calendar", "add-workdays", "2027-01-04", "3").exit_code == 2


def test_import_notice_with_yes_saves_and_then_2027_computes(fresh: dict[str, str]) -> None:
    arrangement = parse_notice(FICTIONAL_2027.read_text(encoding="utf-8"))
    result = run(fresh, "calendar", "import-notice", str(FICTIONAL_2027), "--yes")
    assert result.exit_code == 0, result.output
    assert f"已保存2027年的{len(arrangement.overrides())}个调整日" in flat(result.output)
    assert run(fresh, "calendar", "add-workdays", "2027-01-04", "3").output.strip() == "2027-01-07"
    # Thursday 2/4; 春节 2/5–13 off; 2/14 is a Sunday: Monday 2/15.
    assert run(fresh, "calendar", "add-workdays", "2027-02-04", "1").output.strip() == "2027-02-15"
    # Friday 2/19; Saturday 2/20 is worked.
    assert run(fresh, "calendar", "add-workdays", "2027-02-19", "1").output.strip() == "2027-02-20"
    listing = flat(run(fresh, "calendar", "list").output)
    assert "2027" in listing.split("已知年份：")[1].split("2027-")[0]
    assert "2027-02-20上班春节" in listing
    # Importing the same notice again replaces the year rather than failing.
    assert run(fresh, "calendar", "import-notice", str(FICTIONAL_2027), "--yes").exit_code == 0


def test_an_unreadable_notice_exits_2_with_the_parsers_message(
    fresh: dict[str, str], tmp_path: Path
) -> None:
    garbage = tmp_path / "garbage.txt"
    garbage.write_text("这不是通知，只是一段随便写的文字。\n明天开会。\n", encoding="utf-8")
    with pytest.raises(NoticeParseError) as info:
        parse_notice(garbage.read_text(encoding="utf-8"))
    assert info.value.code == "notice_unreadable"
    result = run(fresh, "calendar", "import-notice", str(garbage), "--yes")
    assert result.exit_code == 2
    assert flat(info.value.message) in flat(result.output)


def test_a_notice_that_is_not_utf8_or_missing_exits_2(
    fresh: dict[str, str], tmp_path: Path
) -> None:
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes(FICTIONAL_2027.read_text(encoding="utf-8").encode("gbk", "replace"))
    result = run(fresh, "calendar", "import-notice", str(gbk), "--yes")
    assert result.exit_code == 2
    assert "UTF-8" in result.output
    missing = run(fresh, "calendar", "import-notice", str(tmp_path / "none.txt"), "--yes")
    assert missing.exit_code == 2
    assert "文件不存在" in missing.output


# --- init ---------------------------------------------------------------------------------


def test_init_is_idempotent(fresh: dict[str, str]) -> None:
    first = run(fresh, "init")
    assert first.exit_code == 0, first.output
    assert "数据库已就绪" in first.output
    second = run(fresh, "init")
    assert second.exit_code == 0, second.output
    assert case_count(fresh) == 0


def test_demo_only_names_known_modules(fresh: dict[str, str]) -> None:
    result = run(fresh, "demo", "--orders", "1", "--current", "0", "--only", "hotline,nosuch")
    assert result.exit_code == 2
    assert "未知的业务模块：nosuch" in flat(result.output) and "hotline" in result.output
    # Refused before anything is written: not even the database file exists.
    assert not Path(fresh["FAZHI_DATABASE_URL"].removeprefix("sqlite:///")).exists()


def test_init_on_a_loaded_database_keeps_its_data(demo: dict[str, str]) -> None:
    before = case_count(demo)
    # The demo's 30 orders of 2023 and 6 of 2022 (a fifth), and the other types' demo years: legality 19 (reviews, decisions,
    # visits), enforcement 41 penalty cases, disputes 1,838 (83 reconsiderations, 20
    # lawsuits, 1,735 mediations: 1,727 concluded, 8 still being mediated),
    # legal aid 466 applications, labour 932 (arbitration, wage arrears, inspection visits),
    # petitions 218 (200 petitions, 18 disclosure requests), consumer 6,394 (6,369
    # complaints, 24 reports, 1 campaign), correction 43 (8 subjects, their 29 anomalies,
    # 6 resettlement files).
    assert before == 30 + 6 + 19 + 41 + 1838 + 466 + 932 + 218 + 6394 + 43
    result = run(demo, "init")
    assert result.exit_code == 0, result.output
    assert case_count(demo) == before
    again = run(demo, "demo", "--orders", "30", "--current", "0")
    assert again.exit_code == 0
    assert "演示数据已存在，跳过生成" in flat(again.output)
    assert case_count(demo) == before


def test_the_batch_review_takes_the_cases_closed_in_a_period(demo: dict[str, str]) -> None:
    engine = create_engine(demo["FAZHI_DATABASE_URL"])
    try:
        with engine.connect() as conn:
            closed = conn.execute(
                select(Case.closed_at).where(Case.type == "penalty_case", Case.state == "closed")
            ).scalars()
            # closed_at is stored in UTC; the period is in local (Beijing) dates.
            local = [(c.replace(tzinfo=UTC) + timedelta(hours=8)).date() for c in closed]
    finally:
        engine.dispose()
    in_june = sum(1 for d in local if date(2023, 6, 1) <= d <= date(2023, 6, 30))
    assert 0 < in_june < len(local)
    june = run(demo, "case-file", "review-all", "--from", "2023-06-01", "--to", "2023-06-30")
    assert june.exit_code == 0, june.output
    assert f"已评查{in_june}份案卷" in flat(june.output)
    whole = run(demo, "case-file", "review-all")
    assert f"已评查{len(local)}份案卷" in flat(whole.output)
    bad = run(demo, "case-file", "review-all", "--from", "2023-06-31")
    assert bad.exit_code == 2 and "--from 应为 YYYY-MM-DD 日期" in bad.output


# --- export -------------------------------------------------------------------------------


def _full_phones(env: dict[str, str]) -> set[str]:
    engine = create_engine(env["FAZHI_DATABASE_URL"])
    try:
        with engine.connect() as conn:
            rows = conn.execute(select(Case.fields)).scalars().all()
    finally:
        engine.dispose()
    return {f["caller_phone"] for f in rows if f.get("caller_phone")}


def test_export_csv_masks_phone_numbers(demo: dict[str, str], tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    result = run(demo, "export", str(path))
    assert result.exit_code == 0, result.output
    assert "已导出36件" in flat(result.output)  # 30 orders of 2023, 6 of 2022
    text = path.read_text(encoding="utf-8-sig")
    assert not FULL_MOBILE.search(text), FULL_MOBILE.search(text)
    phones = _full_phones(demo)
    assert phones, "the demo should have callers with phone numbers"
    assert not any(p in text for p in phones)
    table = list(csv.reader(text.splitlines()))
    header, rows = table[0], table[1:]
    assert len(rows) == 36
    column = header.index("联系电话")
    shown = [r[column] for r in rows if r[column]]
    assert shown and all(MASKED_MOBILE.match(v) for v in shown), shown
    names = [r[header.index("来电人")] for r in rows if r[header.index("来电人")]]
    assert names and all("*" in n for n in names)


def test_export_xlsx_masks_phone_numbers(demo: dict[str, str], tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    result = run(demo, "export", str(path))
    assert result.exit_code == 0, result.output
    workbook = load_workbook(path, read_only=True)
    cells = [list(r) for r in workbook.worksheets[0].iter_rows(values_only=True)]
    workbook.close()
    header, rows = cells[0], cells[1:]
    assert len(rows) == 36
    everything = " ".join(str(c) for r in cells for c in r if c is not None)
    assert not FULL_MOBILE.search(everything)
    assert not any(p in everything for p in _full_phones(demo))
    column = header.index("联系电话")
    shown = [r[column] for r in rows if r[column]]
    assert shown and all(MASKED_MOBILE.match(str(v)) for v in shown), shown


def test_export_to_an_unsupported_kind_exits_2(demo: dict[str, str], tmp_path: Path) -> None:
    result = run(demo, "export", str(tmp_path / "out.pdf"))
    assert result.exit_code == 2
    assert "只支持导出为.csv或.xlsx" in flat(result.output)
