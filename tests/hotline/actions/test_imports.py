"""Importing work orders from CSV and XLSX: all or nothing, every bad row reported with its
line and field, and re-importing a file creates no duplicates."""

from __future__ import annotations

import csv
import uuid
from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select
from typer.testing import CliRunner

from fazhi.actions.auth import actor_for
from fazhi.actions.cases import ActionContext
from fazhi.actions.platform import Platform
from fazhi.cli import app
from fazhi.domain.durations import LOCAL_TZ
from fazhi.domain.errors import DomainError
from fazhi.hotline.actions.imports import COLUMNS, ImportReport, do_import_work_orders, read_rows
from fazhi.store.db import transaction
from fazhi.store.models import Case, Event, User
from tests.support import FakeClock

ORG_FILE = Path(__file__).resolve().parents[3] / "src" / "fazhi" / "demo" / "org.yaml"
KEYS = list(COLUMNS)
CHINESE = list(COLUMNS.values())


def source() -> str:
    """A source of its own per test, so tests never see each other's orders."""
    return f"t-{uuid.uuid4().hex[:12]}"


def row(external_id: Any, **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "external_id": external_id,
        "received_at": "2023-05-31 10:30",
        "channel": "电话",
        "request_kind": "投诉",
        "category": "市容秩序",
        "urgency": "一般",
        "content": "小区门口有流动摊贩占道经营（测试合成数据）",
        "caller_name": "测试甲",
        "caller_phone": "17000001234",
        "address": "田心街道某社区",
        "longitude": "113.13",
        "latitude": "27.93",
    }
    values.update(overrides)
    return values


def write_csv(
    path: Path, rows: Sequence[dict[str, Any]], chinese: bool = False, columns: Sequence[str] = KEYS
) -> Path:
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow([COLUMNS.get(c, c) if chinese else c for c in columns])
        for r in rows:
            writer.writerow(["" if r.get(c) is None else r.get(c) for c in columns])
    return path


def write_xlsx(
    path: Path, rows: Sequence[dict[str, Any]], chinese: bool = True, columns: Sequence[str] = KEYS
) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append([COLUMNS.get(c, c) if chinese else c for c in columns])
    for r in rows:
        sheet.append([r.get(c) for c in columns])
    workbook.save(path)
    return path


def count(platform: Platform, src: str) -> int:
    with platform.sessions() as session:
        return int(
            session.scalar(
                select(func.count()).select_from(Case).where(Case.external_source == src)
            )
            or 0
        )


def run_import(platform: Platform, clock: FakeClock, path: Path, src: str) -> ImportReport:
    """Import inside a transaction that commits when the function returns normally."""
    with platform.sessions() as session:
        user = session.scalar(select(User).where(User.username == "operator1"))
        assert user is not None
        actor = actor_for(platform, user)
    with transaction(platform.sessions) as session:
        return do_import_work_orders(session, ActionContext(platform, actor, clock()), path, src)


# --- good batches -------------------------------------------------------------------------


def test_a_good_csv_batch_creates_one_order_per_row_with_its_external_id(
    platform: Platform, clock: FakeClock, tmp_path: Path
) -> None:
    src = source()
    rows = [row(f"EXT-{i}") for i in range(1, 6)]
    rows[1].update(
        channel="web", request_kind="consultation", category="SANITATION", urgency="urgent"
    )  # codes are accepted as well as labels
    rows[2].update(
        received_at="", caller_name="", caller_phone="", longitude="", latitude=""
    )  # optional columns may be blank
    report = run_import(platform, clock, write_csv(tmp_path / "orders.csv", rows), src)
    assert report.ok, report.errors
    assert (report.rows, report.created, report.skipped_existing) == (5, 5, 0)
    assert count(platform, src) == 5
    with platform.sessions() as session:
        cases = {
            c.external_id: c
            for c in session.scalars(select(Case).where(Case.external_source == src))
        }
        assert set(cases) == {f"EXT-{i}" for i in range(1, 6)}
        first = cases["EXT-1"]
        assert (first.type, first.state, first.category) == (
            "hotline",
            "registered",
            "CITY_APPEARANCE",
        )
        assert first.fields["channel"] == "phone"
        assert first.fields["request_kind"] == "complaint"
        assert first.fields["urgency"] == "normal"
        assert first.fields["caller_phone"] == "17000001234"
        assert first.created_at == datetime(2023, 5, 31, 10, 30, tzinfo=LOCAL_TZ)
        assert first.grid_id is not None  # placed on its grid from the coordinates
        second = cases["EXT-2"]
        assert (second.fields["channel"], second.fields["urgency"], second.category) == (
            "web",
            "urgent",
            "SANITATION",
        )
        assert cases["EXT-3"].created_at == clock()  # no received_at: now
        event = session.scalar(select(Event).where(Event.case_id == first.id))
        assert event is not None and event.action == "register"
        assert event.payload["external"] == {"source": src, "id": "EXT-1"}


def test_an_xlsx_batch_with_chinese_headers_and_typed_cells_is_accepted(
    platform: Platform, clock: FakeClock, tmp_path: Path
) -> None:
    src = source()
    rows = [
        row("X-1", received_at=datetime(2023, 5, 30, 8, 15), longitude=113.13, latitude=27.93),
        row(1002, received_at="2023/05/29 16:00", channel="网站", request_kind="咨询"),
    ]
    path = write_xlsx(tmp_path / "orders.xlsx", rows)
    assert [line for line, _ in read_rows(path)] == [2, 3]
    report = run_import(platform, clock, path, src)
    assert report.ok, report.errors
    assert report.created == 2
    with platform.sessions() as session:
        cases = {
            c.external_id: c
            for c in session.scalars(select(Case).where(Case.external_source == src))
        }
    assert set(cases) == {"X-1", "1002"}
    assert cases["X-1"].created_at == datetime(2023, 5, 30, 8, 15, tzinfo=LOCAL_TZ)
    assert cases["1002"].fields["request_kind"] == "consultation"
    assert cases["1002"].created_at == datetime(2023, 5, 29, 16, 0, tzinfo=LOCAL_TZ)


def test_chinese_headers_work_in_csv_too_and_blank_lines_are_skipped(
    platform: Platform, clock: FakeClock, tmp_path: Path
) -> None:
    src = source()
    path = write_csv(tmp_path / "cn.csv", [row("C-1"), {}, row("C-2")], chinese=True)
    assert [line for line, _ in read_rows(path)] == [2, 4]
    report = run_import(platform, clock, path, src)
    assert (report.ok, report.created) == (True, 2)


def test_reimporting_the_same_file_creates_no_duplicates(
    platform: Platform, clock: FakeClock, tmp_path: Path
) -> None:
    src = source()
    path = write_csv(tmp_path / "orders.csv", [row(f"R-{i}") for i in range(4)])
    assert run_import(platform, clock, path, src).created == 4
    again = run_import(platform, clock, path, src)
    assert again.ok
    assert (again.rows, again.created, again.skipped_existing) == (4, 0, 4)
    assert count(platform, src) == 4
    # The same ids from another source are other orders.
    other = source()
    assert run_import(platform, clock, path, other).created == 4
    assert count(platform, src) == 4


def test_a_file_with_old_and_new_rows_imports_only_the_new(
    platform: Platform, clock: FakeClock, tmp_path: Path
) -> None:
    src = source()
    run_import(platform, clock, write_csv(tmp_path / "a.csv", [row("N-1"), row("N-2")]), src)
    report = run_import(
        platform, clock, write_csv(tmp_path / "b.csv", [row("N-2"), row("N-3")]), src
    )
    assert (report.created, report.skipped_existing) == (1, 1)
    assert count(platform, src) == 3


# --- bad batches --------------------------------------------------------------------------


def bad_rows() -> list[dict[str, Any]]:
    return [
        row("B-1"),  # line 2: good
        row("B-2", caller_phone="1234"),  # line 3: bad phone
        row("B-3", category="宇宙探索"),  # line 4: unknown category
        row("B-4", content=""),  # line 5: missing content
        row("B-1"),  # line 6: duplicate in the file
        row("B-6", received_at="2099-01-01 09:00"),  # line 7: in the future
        row("B-7", received_at="昨天下午"),  # line 8: unreadable time
        row("", content="没有编号"),  # line 9: no external id
        row("B-9"),  # line 10: good
    ]


EXPECTED_ERRORS = [
    (3, "caller_phone"),
    (4, "category"),
    (5, "content"),
    (6, "external_id"),
    (7, "received_at"),
    (8, "received_at"),
    (9, "external_id"),
]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_batch_with_bad_rows_reports_every_one_and_writes_nothing(
    platform: Platform, clock: FakeClock, tmp_path: Path, kind: str
) -> None:
    src = source()
    writer = write_csv if kind == "csv" else write_xlsx
    path = writer(tmp_path / f"bad.{kind}", bad_rows())
    before = count(platform, src)
    report = run_import(platform, clock, path, src)
    assert not report.ok
    assert [(e.line, e.field) for e in report.errors] == EXPECTED_ERRORS
    assert all(e.message for e in report.errors)
    by_line = {e.line: e for e in report.errors}
    assert by_line[3].external_id == "B-2"
    assert "联系电话" in by_line[3].message
    assert "诉求分类" in by_line[4].message
    assert "诉求内容" in by_line[5].message
    assert "重复" in by_line[6].message
    assert "晚于现在" in by_line[7].message
    assert by_line[9].external_id is None
    assert report.rows == 9
    # The good rows B-1 and B-9 were tried but are not kept: all or nothing.
    assert count(platform, src) == before == 0


def test_a_row_with_several_bad_fields_reports_each_field(
    platform: Platform, clock: FakeClock, tmp_path: Path
) -> None:
    src = source()
    path = write_csv(
        tmp_path / "multi.csv", [row("M-1", caller_phone="1234", category="宇宙探索", content="")]
    )
    report = run_import(platform, clock, path, src)
    assert sorted((e.line, e.field) for e in report.errors) == [
        (2, "caller_phone"),
        (2, "category"),
        (2, "content"),
    ]
    assert count(platform, src) == 0


def test_an_unknown_column_is_refused_naming_it(
    platform: Platform, clock: FakeClock, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "extra.csv", [row("U-1")], columns=[*KEYS, "priority"])
    with pytest.raises(DomainError) as info:
        run_import(platform, clock, path, source())
    assert info.value.code == "unknown_columns"
    assert "priority" in info.value.message


@pytest.mark.parametrize("missing", ["external_id", "request_kind", "category", "content"])
def test_a_missing_required_column_is_refused_naming_it(
    platform: Platform, clock: FakeClock, tmp_path: Path, missing: str
) -> None:
    columns = [c for c in KEYS if c != missing]
    path = write_csv(tmp_path / "short.csv", [row("S-1")], columns=columns)
    with pytest.raises(DomainError) as info:
        run_import(platform, clock, path, source())
    assert info.value.code == "missing_columns"
    assert COLUMNS[missing] in info.value.message


def test_optional_columns_may_be_left_out(
    platform: Platform, clock: FakeClock, tmp_path: Path
) -> None:
    src = source()
    path = write_csv(
        tmp_path / "min.csv",
        [row("O-1")],
        columns=["external_id", "request_kind", "category", "content"],
    )
    assert run_import(platform, clock, path, src).created == 1


def test_other_file_kinds_and_empty_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(DomainError) as info:
        list(read_rows(tmp_path / "orders.txt"))
    assert info.value.code == "unsupported_file"
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(DomainError) as info:
        list(read_rows(empty))
    assert info.value.code == "empty_file"


# --- the CLI ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cli_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    path = tmp_path_factory.mktemp("import-cli") / "fazhi.db"
    env = {"FAZHI_DATABASE_URL": f"sqlite:///{path}", "COLUMNS": "200"}
    runner = CliRunner()
    assert runner.invoke(app, ["init"], env=env).exit_code == 0
    result = runner.invoke(app, ["load-org", str(ORG_FILE)], env=env)
    assert result.exit_code == 0, result.output
    yield env


def flat(text: str) -> str:
    return "".join(text.split())


@pytest.mark.sqlite_only
def test_cli_import_prints_the_counts(cli_env: dict[str, str], tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "orders.xlsx", [row(f"CLI-{i}") for i in range(3)])
    result = CliRunner().invoke(app, ["import", str(path), "--source", "cli-good"], env=cli_env)
    assert result.exit_code == 0, result.output
    assert "共3行：新建3，已存在跳过0" in flat(result.output)
    again = CliRunner().invoke(app, ["import", str(path), "--source", "cli-good"], env=cli_env)
    assert again.exit_code == 0, again.output
    assert "共3行：新建0，已存在跳过3" in flat(again.output)


@pytest.mark.sqlite_only
def test_cli_import_with_bad_rows_exits_2_listing_each_line(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "bad.csv", bad_rows())
    result = CliRunner().invoke(app, ["import", str(path), "--source", "cli-bad"], env=cli_env)
    assert result.exit_code == 2, result.output
    output = flat(result.output)
    for line, field in EXPECTED_ERRORS:
        assert f"第{line}行" in output
        assert f"[{field}]" in output
    assert "第2行" not in output and "第10行" not in output
    assert "7处错误，本批9行均未导入" in output
    # Nothing was written: importing the good rows alone now creates them.
    good = write_csv(tmp_path / "good.csv", [row("B-1"), row("B-9")])
    ok = CliRunner().invoke(app, ["import", str(good), "--source", "cli-bad"], env=cli_env)
    assert ok.exit_code == 0, ok.output
    assert "新建2" in flat(ok.output)


@pytest.mark.sqlite_only
def test_cli_import_of_a_file_with_an_unknown_column_exits_2(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "extra.csv", [row("U-1")], columns=[*KEYS, "priority"])
    result = CliRunner().invoke(app, ["import", str(path), "--source", "cli-x"], env=cli_env)
    assert result.exit_code == 2
    assert "不认识的列：priority" in flat(result.output)


@pytest.mark.sqlite_only
def test_cli_import_prints_the_files_own_text_literally(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    # Square brackets in an external id are not console markup (nor a crash).
    path = write_csv(tmp_path / "brackets.csv", [row("[/red][b]Q-1", caller_phone="1")])
    result = CliRunner().invoke(app, ["import", str(path), "--source", "cli-q"], env=cli_env)
    assert result.exit_code == 2, result.output
    assert "第2行（[/red][b]Q-1）[caller_phone]联系电话格式不正确" in flat(result.output)
