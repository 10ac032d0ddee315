"""Transfers from 全国12315平台 and the wage-arrears clue platform: each record keeps its
external id and source, a repeated import never creates a duplicate, a change at the source
is applied through `amend_from_source`, and a file is all or nothing. All data is synthetic."""

from __future__ import annotations

import csv
import uuid
from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select, update
from typer.testing import CliRunner

from fazhi.actions.auth import actor_for
from fazhi.actions.cases import ActionContext
from fazhi.actions.platform import Platform
from fazhi.cli import app
from fazhi.domain.durations import LOCAL_TZ
from fazhi.domain.errors import DomainError
from fazhi.hotline.actions.transfer_sources import SOURCES
from fazhi.hotline.actions.transfers import (
    TransferReport,
    do_import_transfer_file,
    read_transfer_file,
    template_rows,
)
from fazhi.store.db import transaction
from fazhi.store.models import Case, Event, User
from tests.support import FakeClock

ROOT = Path(__file__).resolve().parents[3]
SAMPLE_12315 = ROOT / "tests" / "fixtures" / "transfers" / "12315-sample.csv"
ORG_FILE = ROOT / "src" / "fazhi" / "demo" / "org.yaml"
WAGE_HEADERS = [c.header for c in SOURCES["wage_clue"].columns]


def unique_copy(sample: Path, tmp_path: Path) -> tuple[Path, str]:
    """The sample with its ids made unique to this test (the test database is shared)."""
    prefix = f"T{uuid.uuid4().hex[:8]}-"
    text = sample.read_text(encoding="utf-8-sig").replace("SYN-", prefix)
    path = tmp_path / sample.name
    path.write_text(text, encoding="utf-8-sig")
    return path, prefix


def write_csv(path: Path, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> Path:
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def wage_xlsx(path: Path, rows: Sequence[Sequence[Any]]) -> Path:
    """A synthetic export of the wage-arrears clue platform (合成示例)."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(WAGE_HEADERS)
    for r in rows:
        sheet.append(list(r))
    workbook.save(path)
    return path


def run(platform: Platform, clock: FakeClock, path: Path, source: str) -> TransferReport:
    with platform.sessions() as session:
        user = session.scalar(select(User).where(User.username == "operator1"))
        assert user is not None
        actor = actor_for(platform, user)
    with transaction(platform.sessions) as session:
        return do_import_transfer_file(
            session, ActionContext(platform, actor, clock()), path, source
        )


def stored(platform: Platform, source: str, prefix: str) -> dict[str, Case]:
    with platform.sessions() as session:
        return {
            str(c.external_id): c
            for c in session.scalars(
                select(Case).where(
                    Case.external_source == source, Case.external_id.like(prefix + "%")
                )
            )
        }


def total_cases(platform: Platform) -> int:
    with platform.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(Case)) or 0)


def events(platform: Platform, case_id: int) -> list[Event]:
    with platform.sessions() as session:
        return list(
            session.scalars(select(Event).where(Event.case_id == case_id).order_by(Event.seq))
        )


# --- 12315 ---------------------------------------------------------------------------------


def test_importing_the_same_12315_file_twice_leaves_the_same_number_of_cases(
    platform: Platform, clock: FakeClock, tmp_path: Path
) -> None:
    path, prefix = unique_copy(SAMPLE_12315, tmp_path)
    before = total_cases(platform)
    first = run(platform, clock, path, "12315")
    assert first.ok, first.rejected
    assert (first.rows, first.created, first.updated, first.unchanged) == (4, 4, 0, 0)
    after_first = total_cases(platform)
    assert after_first == before + 4

    second = run(platform, clock, path, "12315")
    assert second.ok, second.rejected
    assert (second.rows, second.created, second.updated, second.unchanged) == (4, 0, 0, 4)
    # The acceptance check: a repeated import creates no duplicate.
    assert total_cases(platform) == after_first
    assert len(stored(platform, "12315", prefix)) == 4
    assert {c.result for c in second.cases} == {"unchanged"}
    assert [c.id for c in second.cases] == [c.id for c in first.cases]


def test_12315_records_map_to_hotline_fields(
    platform: Platform, clock: FakeClock, tmp_path: Path
) -> None:
    path, prefix = unique_copy(SAMPLE_12315, tmp_path)
    report = run(platform, clock, path, "12315")
    assert report.ok, report.rejected
    cases = stored(platform, "12315", prefix)
    food = cases[prefix + "12315-0001"]
    assert (food.type, food.state, food.category) == ("hotline", "registered", "FOOD_DRUG")
    assert food.fields["channel"] == "transfer"
    assert food.fields["request_kind"] == "complaint"
    assert food.fields["caller_name"] == "测试甲"
    assert food.fields["caller_phone"] == "17000000101"
    assert food.fields["address"] == "石峰区田心街道某路1号"
    assert food.fields["content"].splitlines() == [
        "在该超市购买的酸奶已过保质期，要求退款并按规定赔偿（合成示例，非真实数据）",
        "被投诉方：石峰区某某超市（合成）",
        "商品或服务类别：食品",
    ]
    assert food.created_at == datetime(2023, 5, 30, 9, 12, tzinfo=LOCAL_TZ)
    assert cases[prefix + "12315-0002"].category == "CONSUMER"
    health = cases[prefix + "12315-0003"]
    assert (health.category, health.fields["request_kind"]) == ("FOOD_DRUG", "report")
    no_phone = cases[prefix + "12315-0004"]
    assert no_phone.category == "CONSUMER" and "caller_phone" not in no_phone.fields
    first_event = events(platform, food.id)[0]
    assert first_event.action == "register"
    assert first_event.payload["external"] == {"source": "12315", "id": prefix + "12315-0001"}
    numbers = {c.external_id: c.number for c in report.cases}
    assert numbers[prefix + "12315-0001"].startswith("RX20230530")


def test_a_record_changed_at_the_source_is_amended_through_amend_from_source(
    platform: Platform, clock: FakeClock, tmp_path: Path
) -> None:
    path, prefix = unique_copy(SAMPLE_12315, tmp_path)
    assert run(platform, clock, path, "12315").created == 4
    changed = path.read_text(encoding="utf-8-sig").replace(
        "要求退款并按规定赔偿", "要求退款并按规定赔偿；商家已拒绝协商"
    )
    path.write_text(changed, encoding="utf-8-sig")
    count = total_cases(platform)
    report = run(platform, clock, path, "12315")
    assert report.ok, report.rejected
    assert (report.created, report.updated, report.unchanged) == (0, 1, 3)
    assert total_cases(platform) == count
    case = stored(platform, "12315", prefix)[prefix + "12315-0001"]
    assert "商家已拒绝协商" in case.fields["content"]
    assert (case.state, case.version) == ("registered", 2)
    last = events(platform, case.id)[-1]
    assert last.action == "amend_from_source"
    assert (last.from_state, last.to_state) == ("registered", "registered")
    assert "商家已拒绝协商" in last.payload["changes"]["content"][1]
    assert "全国12315平台" in last.payload["inputs"]["note"]
    # Applied once: the next import finds it unchanged.
    again = run(platform, clock, path, "12315")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)


def test_a_closed_order_changed_at_the_source_is_rejected_with_a_reason(
    platform: Platform, clock: FakeClock, tmp_path: Path
) -> None:
    path, prefix = unique_copy(SAMPLE_12315, tmp_path)
    assert run(platform, clock, path, "12315").created == 4
    with transaction(platform.sessions) as session:
        session.execute(
            update(Case)
            .where(Case.external_source == "12315", Case.external_id == prefix + "12315-0002")
            .values(state="closed", terminal=True)
        )
    # Unchanged, a closed order is simply unchanged.
    assert run(platform, clock, path, "12315").unchanged == 4
    changed = path.read_text(encoding="utf-8-sig").replace("预付年卡", "预付两年卡")
    path.write_text(changed, encoding="utf-8-sig")
    report = run(platform, clock, path, "12315")
    assert not report.ok
    [rejected] = report.rejected
    assert (rejected.line, rejected.external_id) == (3, prefix + "12315-0002")
    assert "已办结" in rejected.message and "全国12315平台" in rejected.message
    case = stored(platform, "12315", prefix)[prefix + "12315-0002"]
    assert "预付两年卡" not in case.fields["content"]


def test_bad_rows_are_all_reported_with_line_numbers_and_nothing_is_written(
    platform: Platform, clock: FakeClock, tmp_path: Path
) -> None:
    p = f"B{uuid.uuid4().hex[:8]}-"
    header = [c.header for c in SOURCES["12315"].columns]
    good = [p + "1", "2023-05-30 09:00", "测试甲", "17000000101", "某店", "某路", "内容（合成）",
            "投诉", "服装"]  # fmt: skip
    rows = [
        good,
        [p + "2", "", "测试乙", "12345", "某店", "某路", "内容（合成）", "投诉", ""],
        [p + "3", "", "测试丙", "", "某店", "某路", "", "投诉", ""],
        [p + "4", "", "", "", "某店", "某路", "内容（合成）", "表扬", ""],
        [p + "5", "2099-01-01 08:00", "", "", "", "", "内容（合成）", "", ""],
        ["", "", "", "", "", "", "内容（合成）", "", ""],
        [p + "1", "", "", "", "", "", "重复（合成）", "", ""],
        [p + "6", "昨天", "", "", "", "", "内容（合成）", "", ""],
    ]
    path = write_csv(tmp_path / "bad.csv", header, rows)
    before = total_cases(platform)
    report = run(platform, clock, path, "12315")
    assert not report.ok
    found = {(e.line, e.field) for e in report.rejected}
    assert found == {
        (3, "phone"),
        (4, "description"),
        (5, "request_kind"),
        (6, "received_at"),
        (7, "external_id"),
        (8, "external_id"),
        (9, "received_at"),
    }
    messages = {e.line: e.message for e in report.rejected}
    assert messages[4] == "缺少投诉内容"
    assert messages[7] == "缺少投诉编号"
    assert "重复" in messages[8]
    assert "登记时间" in messages[9]
    # The good first row was rolled back with the rest.
    assert total_cases(platform) == before
    assert stored(platform, "12315", p) == {}


def test_12315_report_exports_with_report_headers_are_read(
    platform: Platform, clock: FakeClock, tmp_path: Path
) -> None:
    p = f"R{uuid.uuid4().hex[:8]}-"
    header = ["举报编号", "举报人", "被举报方", "举报内容", "诉求类型", "商品或服务类别"]
    rows = [[p + "1", "测试戊", "某药店（合成）", "无证销售处方药（合成示例）", "举报", "药品"]]
    path = write_csv(tmp_path / "report.csv", header, rows)
    report = run(platform, clock, path, "12315")
    assert report.ok, report.rejected
    case = stored(platform, "12315", p)[p + "1"]
    assert (case.category, case.fields["request_kind"]) == ("FOOD_DRUG", "report")
    assert case.created_at == clock()


def test_unknown_and_missing_columns_and_sources_are_refused(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "x.csv", ["投诉编号", "投诉内容", "备注"], [["1", "x", "y"]])
    with pytest.raises(DomainError) as unknown:
        read_transfer_file(path, "12315")
    assert unknown.value.message == "不认识的列：备注"
    path = write_csv(tmp_path / "y.csv", ["线索编号", "线索描述"], [["1", "x"]])
    with pytest.raises(DomainError) as missing:
        read_transfer_file(path, "wage_clue")
    assert missing.value.message == "缺少必需的列：欠薪单位"
    with pytest.raises(DomainError) as source:
        read_transfer_file(path, "12306")
    assert source.value.code == "unknown_source"


# --- wage clues (XLSX) ---------------------------------------------------------------------


def test_a_wage_clue_xlsx_creates_wage_reports_with_labelled_lines(
    platform: Platform, clock: FakeClock, tmp_path: Path
) -> None:
    p = f"W{uuid.uuid4().hex[:8]}-"
    rows: list[list[Any]] = [
        [p + "1", datetime(2023, 5, 31, 10, 5), "测试乙", "17000000102", "某某劳务公司（合成）",
         "某安置小区二期", "石峰区响石岭街道某路", 12, 186000.0,
         "工地12名工人3月至5月工资未发放（合成示例）"],
        [p + "2", "2023-05-30 08:00", "测试丙", "", "某某餐饮店（合成）", "", "", "", "4500.5",
         "餐馆服务员两个月工资未结清（合成示例）"],
    ]  # fmt: skip
    path = wage_xlsx(tmp_path / "wage_clue-sample.xlsx", rows)
    report = run(platform, clock, path, "wage_clue")
    assert report.ok, report.rejected
    assert report.created == 2
    cases = stored(platform, "wage_clue", p)
    site = cases[p + "1"]
    assert (site.category, site.fields["request_kind"], site.fields["channel"]) == (
        "WAGES",
        "report",
        "transfer",
    )
    assert site.fields["content"].splitlines() == [
        "工地12名工人3月至5月工资未发放（合成示例）",
        "欠薪单位：某某劳务公司（合成）",
        "项目名称：某安置小区二期",
        "工程地址：石峰区响石岭街道某路",
        "涉及人数：12人",
        "欠薪金额：186000元",
    ]
    assert site.fields["address"] == "石峰区响石岭街道某路"
    assert site.fields["caller_name"] == "测试乙"
    assert site.created_at == datetime(2023, 5, 31, 10, 5, tzinfo=LOCAL_TZ)
    assert "欠薪金额：4500.5元" in cases[p + "2"].fields["content"]
    assert "address" not in cases[p + "2"].fields
    again = run(platform, clock, path, "wage_clue")
    assert (again.created, again.unchanged) == (0, 2)


def test_a_wage_clue_with_bad_numbers_is_rejected_by_column(
    platform: Platform, clock: FakeClock, tmp_path: Path
) -> None:
    p = f"N{uuid.uuid4().hex[:8]}-"
    rows = [
        [p + "1", None, None, None, "某公司（合成）", None, None, "十几", 1000, "描述（合成）"],
        [p + "2", None, None, None, "某公司（合成）", None, None, 3, "-5", "描述（合成）"],
        [p + "3", None, None, None, None, None, None, 3, 5, "描述（合成）"],
    ]
    report = run(platform, clock, wage_xlsx(tmp_path / "bad.xlsx", rows), "wage_clue")
    assert [(e.line, e.field, e.message) for e in report.rejected] == [
        (2, "workers", "涉及人数应为非负整数"),
        (3, "amount", "欠薪金额应为非负数字"),
        (4, "employer", "缺少欠薪单位"),
    ]
    assert stored(platform, "wage_clue", p) == {}


# --- templates and the CLI -----------------------------------------------------------------


def test_each_template_has_every_column_and_an_example_that_imports(
    platform: Platform, clock: FakeClock, tmp_path: Path
) -> None:
    for source, profile in SOURCES.items():
        header, example = template_rows(source)
        assert header == [c.header for c in profile.columns]
        assert len(example) == len(header) and all(example)
        assert any("合成示例" in value for value in example)
        example[0] = f"E{uuid.uuid4().hex[:8]}"
        path = write_csv(tmp_path / f"{source}.csv", header, [example])
        report = run(platform, clock, path, source)
        assert (report.ok, report.created) == (True, 1), report.rejected


@pytest.fixture(scope="module")
def cli_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    path = tmp_path_factory.mktemp("transfer-cli") / "fazhi.db"
    env = {"FAZHI_DATABASE_URL": f"sqlite:///{path}", "COLUMNS": "200"}
    runner = CliRunner()
    assert runner.invoke(app, ["init"], env=env).exit_code == 0
    result = runner.invoke(app, ["load-org", str(ORG_FILE)], env=env)
    assert result.exit_code == 0, result.output
    yield env


def flat(text: str) -> str:
    return "".join(text.split())


@pytest.mark.sqlite_only
def test_cli_transfer_import_twice_prints_the_counts(cli_env: dict[str, str]) -> None:
    args = ["transfer", "import", str(SAMPLE_12315), "--source", "12315"]
    result = CliRunner().invoke(app, args, env=cli_env)
    assert result.exit_code == 0, result.output
    assert "共4行：新建4，更新0，未变0，拒绝0" in flat(result.output)
    again = CliRunner().invoke(app, args, env=cli_env)
    assert again.exit_code == 0, again.output
    assert "共4行：新建0，更新0，未变4，拒绝0" in flat(again.output)


@pytest.mark.sqlite_only
def test_cli_transfer_import_with_bad_rows_exits_2_listing_each(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    rows: list[list[Any]] = [
        ["CLI-W1", None, None, None, "某公司（合成）", None, None, "许多", None, "描述（合成）"],
        ["CLI-W2", None, None, None, "某公司（合成）", None, None, 2, 100, "描述（合成）"],
        ["CLI-W3", None, None, None, "某公司（合成）", None, None, 2, 100, None],
    ]
    path = wage_xlsx(tmp_path / "bad.xlsx", rows)
    args = ["transfer", "import", str(path), "--source", "wage_clue", "--as", "operator1"]
    result = CliRunner().invoke(app, args, env=cli_env)
    assert result.exit_code == 2
    out = flat(result.output)
    assert "第2行（CLI-W1）[workers]涉及人数应为非负整数" in out
    assert "第4行（CLI-W3）[description]缺少线索描述" in out
    assert "2处错误，本批3行均未导入" in out


@pytest.mark.sqlite_only
def test_cli_transfer_refuses_an_unknown_source(cli_env: dict[str, str]) -> None:
    args = ["transfer", "import", str(SAMPLE_12315), "--source", "12306"]
    result = CliRunner().invoke(app, args, env=cli_env)
    assert result.exit_code == 2
    assert "没有转办来源12306" in flat(result.output)


@pytest.mark.sqlite_only
def test_cli_transfer_template_writes_header_and_example(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "wage.csv"
    result = CliRunner().invoke(
        app, ["transfer", "template", "--source", "wage_clue", str(out)], env=cli_env
    )
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8-sig") as handle:
        lines = list(csv.reader(handle))
    assert lines[0] == WAGE_HEADERS
    assert len(lines) == 2 and "合成示例" in "".join(lines[1])
    imported = CliRunner().invoke(
        app, ["transfer", "import", str(out), "--source", "wage_clue"], env=cli_env
    )
    assert imported.exit_code == 0, imported.output
    assert "新建1" in flat(imported.output)
