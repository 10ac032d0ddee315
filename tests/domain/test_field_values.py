"""One value of each field type as a form or a JSON body sends it: what is accepted, how
it is stored, and the exact Chinese refusal with its code."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import uscc

from fazhi.domain.case_type.spec import FieldSpec
from fazhi.domain.durations import LOCAL_TZ
from fazhi.domain.errors import Problem
from fazhi.domain.field_values import (
    case_reference,
    compiled,
    fen_to_money,
    money_to_fen,
    normalise_credit_code,
    normalise_datetime,
    normalise_id_number,
    normalise_money,
    parse_case_number,
)
from fazhi.domain.inputs import normalise
from fazhi.domain.units import UnitRef
from tests.domain.synthetic_ids import synthetic_credit_code, synthetic_id

ID = synthetic_id("19800101", "001")
CODE = synthetic_credit_code("MA4L0000")


def no_units(value: Any) -> UnitRef | None:
    return None


def spec(type_: str, label: str = "字段", **extra: Any) -> FieldSpec:
    return FieldSpec(name="f", type=type_, label=label, **extra)


def accepted(field: FieldSpec, value: Any) -> Any:
    clean, problem = normalise(field, value, no_units)
    assert problem is None, problem
    return clean


def refusal(field: FieldSpec, value: Any) -> tuple[str, str]:
    clean, problem = normalise(field, value, no_units)
    assert clean is None and isinstance(problem, Problem)
    assert problem.field == "f"
    return problem.code, problem.message


# --- money --------------------------------------------------------------------------------

MONEY = spec("money", "罚款金额", min=0, max=1000000)


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("1234.5", "1234.50"),
        (1234.5, "1234.50"),
        ("1234.50", "1234.50"),
        (200, "200.00"),
        ("200", "200.00"),
        (" 0.01 ", "0.01"),
        ("1,234.50", "1234.50"),  # thousands grouped as printed on a decision
        ("1,000,000", "1000000.00"),
        (Decimal("99.9"), "99.90"),
        (0, "0.00"),
        (0.1, "0.10"),  # the float's shortest form, not 0.1000000000000000055…
    ],
)
def test_money_is_stored_as_yuan_with_two_decimals(raw: Any, stored: str) -> None:
    assert accepted(MONEY, raw) == stored


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("12.345", "罚款金额最多保留两位小数（到分）"),
        (0.1 + 0.2, "罚款金额最多保留两位小数（到分）"),  # 0.30000000000000004
        ("-1", "罚款金额不能小于0元"),
        ("1000000.01", "罚款金额不能大于1000000元"),
        ("1,23", "罚款金额应为金额（元），如 1234.50"),  # commas only in groups of three
        ("1,2345.00", "罚款金额应为金额（元），如 1234.50"),
        ("12元", "罚款金额应为金额（元），如 1234.50"),
        ("¥12", "罚款金额应为金额（元），如 1234.50"),
        ("1e3", "罚款金额应为金额（元），如 1234.50"),
        ("NaN", "罚款金额应为金额（元），如 1234.50"),
        (float("nan"), "罚款金额应为金额（元），如 1234.50"),
        (float("inf"), "罚款金额应为金额（元），如 1234.50"),
        (True, "罚款金额应为金额（元），如 1234.50"),
        ([12], "罚款金额应为金额（元），如 1234.50"),
        (".5", "罚款金额应为金额（元），如 1234.50"),
    ],
)
def test_money_refusals(raw: Any, message: str) -> None:
    assert refusal(MONEY, raw) == ("invalid_value", message)


def test_negative_amounts_pass_when_no_minimum_forbids_them() -> None:
    refund = spec("money", "退款")
    assert accepted(refund, "-12.5") == "-12.50"
    assert accepted(refund, "-0") == "0.00"
    assert refusal(refund, 10**15) == ("invalid_value", "退款超出可记录的金额范围")


def test_money_bounds_compare_exactly() -> None:
    cap = spec("money", "金额", max=0.1)
    assert accepted(cap, "0.10") == "0.10"
    assert refusal(cap, "0.11") == ("invalid_value", "金额不能大于0.1元")


def test_money_sums_are_in_whole_fen() -> None:
    assert money_to_fen("1234.50") == 123450
    assert money_to_fen("0.01") == 1
    assert money_to_fen("-12.30") == -1230
    assert money_to_fen(200) == 20000
    assert money_to_fen(Decimal("0.10")) == 10
    assert sum(money_to_fen(v) for v in ("0.10", "0.20")) == 30  # never 0.30000000000000004
    assert fen_to_money(123450) == "1234.50"
    assert fen_to_money(-5) == "-0.05"
    for bad in ("0.001", "abc", "NaN", 0.1, True):
        with pytest.raises(ValueError):
            money_to_fen(bad)  # type: ignore[arg-type]


@given(st.decimals(min_value=-(10**12), max_value=10**12, places=2))
def test_normalising_money_twice_changes_nothing_and_fen_round_trip(amount: Decimal) -> None:
    field = spec("money", "金额")
    once = normalise_money(field, str(amount))
    assert normalise_money(field, once) == once
    assert money_to_fen(once) == int(amount * 100)
    assert fen_to_money(money_to_fen(once)) == once


# --- date and datetime --------------------------------------------------------------------

DECIDED = spec("datetime", "决定时间")


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("2023-09-28T09:30:00+08:00", "2023-09-28T01:30:00+00:00"),
        ("2023-09-28T09:30", "2023-09-28T01:30:00+00:00"),  # naive: Asia/Shanghai
        ("2023-09-28 09:30:00", "2023-09-28T01:30:00+00:00"),
        ("2023-09-28T01:30:00Z", "2023-09-28T01:30:00+00:00"),
        ("2023-09-28T01:30:00+00:00", "2023-09-28T01:30:00+00:00"),
        ("2023-09-28T00:30:00-01:00", "2023-09-28T01:30:00+00:00"),
        ("2023-10-01T00:00:00.250+08:00", "2023-09-30T16:00:00.250000+00:00"),
        (datetime(2023, 9, 28, 9, 30), "2023-09-28T01:30:00+00:00"),
        (datetime(2023, 9, 28, 1, 30, tzinfo=UTC), "2023-09-28T01:30:00+00:00"),
    ],
)
def test_instants_are_stored_in_utc(raw: Any, stored: str) -> None:
    assert accepted(DECIDED, raw) == stored


@pytest.mark.parametrize(
    "raw", ["2023-09-28", "2023-09-28T25:00", "昨天下午", 1695864600, True, date(2023, 9, 28)]
)
def test_instants_need_a_date_and_a_time(raw: Any) -> None:
    assert refusal(DECIDED, raw) == (
        "invalid_value",
        "决定时间应为日期和时间（如 2023-09-28 09:30）",
    )


def test_an_instant_beyond_the_calendar_is_refused() -> None:
    assert refusal(DECIDED, "9999-12-31T23:30:00-01:00") == (
        "invalid_value",
        "决定时间超出可记录的时间范围",
    )


offsets = st.integers(-14 * 60, 14 * 60).map(lambda m: timezone(timedelta(minutes=m)))


@given(
    st.datetimes(min_value=datetime(1900, 1, 2), max_value=datetime(2200, 1, 1)),
    st.none() | offsets,
)
def test_normalising_an_instant_twice_changes_nothing(moment: datetime, tz: Any) -> None:
    text = moment.replace(tzinfo=tz).isoformat()
    once = normalise_datetime(DECIDED, text)
    assert once.endswith("+00:00")
    assert normalise_datetime(DECIDED, once) == once
    assert datetime.fromisoformat(once) == moment.replace(tzinfo=tz or LOCAL_TZ)


def test_dates_are_unchanged() -> None:
    signed = spec("date", "签订日期")
    assert accepted(signed, "2023-09-28") == "2023-09-28"
    assert refusal(signed, "2023-02-30") == ("invalid_value", "签订日期应为日期（如 2023-09-28）")


# --- id numbers and credit codes ----------------------------------------------------------

ID_FIELD = spec("id_number", "身份证号")
CODE_FIELD = spec("credit_code", "统一社会信用代码")


def test_an_id_number_is_stored_compact_in_upper_case() -> None:
    x_number = synthetic_id("19800101", "001")
    assert x_number.endswith("X")  # this body's check digit is X: lower case must be read
    assert accepted(ID_FIELD, x_number.lower()) == x_number
    assert accepted(ID_FIELD, f" {ID[:6]} {ID[6:]} ") == ID


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (ID[:17], "身份证号应为18位（17位数字加1位数字或X）"),
        (ID[:16] + "X" + ID[17], "身份证号只能由数字组成，最后一位可以是X"),
        (
            ID[:17] + ("1" if ID[17] != "1" else "2"),
            "身份证号不是有效的身份证号码（校验位不符），请核对每一位",
        ),
        (synthetic_id("19800230"), "身份证号中的出生日期不存在，请核对第7至14位"),
    ],
)
def test_id_number_refusals_say_what_is_wrong(raw: str, message: str) -> None:
    assert refusal(ID_FIELD, raw) == ("invalid_value", message)


def test_a_credit_code_is_stored_compact_in_upper_case() -> None:
    assert accepted(CODE_FIELD, CODE.lower()) == CODE
    assert accepted(CODE_FIELD, f"{CODE[:8]}-{CODE[8:]}") == CODE


def _wrong_org_check() -> str:
    body = CODE[:16] + ("1" if CODE[16] != "1" else "2")
    return body + uscc.calc_check_digit(body)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (CODE[:17], "统一社会信用代码应为18位"),
        (
            CODE[:9] + "I" + CODE[10:],
            "统一社会信用代码只能由数字和大写字母组成（不含 I、O、S、V、Z）",
        ),
        ("91A30204" + CODE[8:], "统一社会信用代码第3至8位应为行政区划代码（6位数字）"),
        (
            CODE[:17] + ("0" if CODE[17] != "0" else "1"),
            "统一社会信用代码校验位（第18位）不符，请核对每一位",
        ),
        (
            _wrong_org_check(),
            "统一社会信用代码中的组织机构代码校验位（第17位）不符，请核对第9至17位",
        ),
    ],
)
def test_credit_code_refusals_tell_a_malformed_code_from_a_wrong_check(
    raw: str, message: str
) -> None:
    assert refusal(CODE_FIELD, raw) == ("invalid_value", message)


births = st.dates(min_value=date(1900, 1, 1), max_value=date(2023, 12, 31))


@given(births, st.integers(0, 999), st.booleans())
def test_normalising_an_id_number_twice_changes_nothing(birth: date, seq: int, lower: bool) -> None:
    number = synthetic_id(birth.strftime("%Y%m%d"), f"{seq:03d}")
    once = normalise_id_number("身份证号", number.lower() if lower else number)
    assert once == number
    assert normalise_id_number("身份证号", once) == once


org_bodies = st.text("0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=8, max_size=8)


@given(org_bodies, st.sampled_from(["91430204", "92430204", "12430200", "N2430204"]))
def test_normalising_a_credit_code_twice_changes_nothing(org: str, head: str) -> None:
    code = synthetic_credit_code(org, head)
    once = normalise_credit_code("代码", code.lower())
    assert once == code
    assert normalise_credit_code("代码", once) == once


# --- pattern ------------------------------------------------------------------------------

CODE_PATTERN = r"^[A-Z]{2}\d{4}$"


def test_a_pattern_must_match_the_whole_text() -> None:
    numbered = spec(
        "string", "编号", pattern=r"[A-Z]{2}\d{4}", pattern_message="编号应为两位大写字母加四位数字"
    )
    assert accepted(numbered, " TJ0001 ") == "TJ0001"
    for bad in ("TJ00012", "xTJ0001", "tj0001", "TJ001"):
        assert refusal(numbered, bad) == ("invalid_value", "编号应为两位大写字母加四位数字")


def test_a_pattern_without_a_message_gets_a_default_one() -> None:
    numbered = spec("string", "编号", pattern=CODE_PATTERN)
    assert accepted(numbered, "TJ0001") == "TJ0001"
    assert refusal(numbered, "TJ-0001") == ("invalid_value", "编号格式不正确")


def test_patterns_are_compiled_once() -> None:
    assert compiled(CODE_PATTERN) is compiled(CODE_PATTERN)


def test_the_length_limit_is_checked_before_the_pattern() -> None:
    numbered = spec("string", "编号", pattern=r"\d+", max_length=5)
    assert refusal(numbered, "123456") == ("too_long", "编号不能超过5个字符")


# --- case numbers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "case_id"),
    [
        ("RX202306010000123", 123),
        ("rx202306010000123", 123),
        (" TJ202401150012345 ", 12345),
        ("RX2023060112345678", 12345678),  # ids beyond seven digits
        ("RX20230601", None),  # a date alone
        ("123", None),  # an id is not a number
        ("RX2023x6010000123", None),
        ("", None),
    ],
)
def test_the_case_id_inside_a_case_number(text: str, case_id: int | None) -> None:
    assert parse_case_number(text) == case_id


@pytest.mark.parametrize(
    ("value", "case_id"),
    [
        (42, 42),
        ("42", 42),
        (" 42 ", 42),
        ("RX202306010000123", 123),
        (0, None),
        (-3, None),
        (True, None),
        (4.0, None),
        ("４２", None),  # full-width digits are not read as an id
        (2**63, None),
        ({"id": 42}, None),
    ],
)
def test_a_link_names_a_case_by_id_or_number(value: Any, case_id: int | None) -> None:
    assert case_reference(value) == case_id


# --- the types as before ----------------------------------------------------------------------


def test_number_bounds_are_written_as_people_write_them() -> None:
    big = spec("int", "人数", min=1, max=1000000)
    assert refusal(big, 1000001) == ("invalid_value", "人数不能大于1000000")
    assert refusal(big, 0) == ("invalid_value", "人数不能小于1")
    ratio = spec("number", "比例", max=0.5)
    assert refusal(ratio, "0.75") == ("invalid_value", "比例不能大于0.5")


@pytest.mark.parametrize("raw", ["nan", "inf", "-inf", float("nan")])
def test_a_number_that_is_not_finite_is_refused(raw: Any) -> None:
    assert refusal(spec("number", "比例"), raw) == ("invalid_value", "比例应为数字")
