"""Check digits of citizen ID numbers (GB 11643-1999), unified social credit codes
(GB 32100-2015, with the organisation code of GB 11714 inside) and phone numbers.

Every number here is synthetic (tests/domain/synthetic_ids.py), except the GB 11643
standard's own example 11010519491231002X and GB 11714's example D2143569-X.
"""

from __future__ import annotations

from datetime import date

import pytest
from stdnum.cn import uscc

from fazhi.domain.identity import (
    compact,
    credit_code_fault,
    credit_code_valid,
    id_birth_date,
    id_number_fault,
    id_number_valid,
    organisation_check,
    phone_valid,
)
from tests.domain.synthetic_ids import gb11714_check, synthetic_credit_code, synthetic_id

# --- identity numbers (GB 11643-1999) -----------------------------------------------------


def test_the_standards_example_with_x_check_digit_is_valid() -> None:
    assert id_number_valid("11010519491231002X")
    assert id_number_valid("11010519491231002x")  # lower-case x accepted


@pytest.mark.parametrize("check", "0123456789")
def test_a_changed_check_digit_is_invalid(check: str) -> None:
    assert not id_number_valid("110105194912310021"[:17] + check)
    assert id_number_fault("110105194912310021"[:17] + check) == "checksum"


def test_a_changed_body_digit_is_a_check_digit_fault() -> None:
    assert id_number_fault("11010519491231003X") == "checksum"


@pytest.mark.parametrize(
    ("bad", "fault"),
    [
        ("", "length"),
        ("11010519491231002", "length"),
        ("1101051949123100200", "length"),
        ("11010519491231002Y", "format"),
        ("A1010519491231002X", "format"),
        ("1101051949123100X2", "format"),  # X only as the check digit
    ],
)
def test_malformed_identity_numbers_name_their_fault(bad: str, fault: str) -> None:
    assert id_number_fault(bad) == fault
    assert not id_number_valid(bad)


def gb11643_check(body: str) -> str:
    weights = [2 ** (17 - i) % 11 for i in range(17)]
    return "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]


@pytest.mark.parametrize(
    "body", ["43020419800101001", "43020420230601123", "43020419491231002", "43020419991231999"]
)
def test_identity_check_digit_follows_the_standards_weights(body: str) -> None:
    check = gb11643_check(body)
    assert synthetic_id(body[6:14], body[14:]) == body + check  # stdnum agrees with GB 11643
    assert id_number_valid(body + check)
    others = [c for c in "0123456789X" if c != check]
    assert not any(id_number_valid(body + c) for c in others)


@pytest.mark.parametrize("birth", ["19800230", "19801301", "19800000", "20230229"])
def test_a_birth_date_that_does_not_exist_is_refused_even_with_a_right_check_digit(
    birth: str,
) -> None:
    number = synthetic_id(birth)
    assert gb11643_check(number[:17]) == number[17]
    assert id_number_fault(number) == "birth_date"


def test_the_region_code_is_not_checked_against_when_the_county_got_it() -> None:
    # 430204 became 石峰区's code in 1997; numbers of people born before keep it.
    assert id_number_valid(synthetic_id("19800101"))
    assert id_number_valid(synthetic_id("19800101", region="999999"))


def test_the_birth_date_is_read_from_a_valid_number() -> None:
    assert id_birth_date(synthetic_id("20000229")) == date(2000, 2, 29)
    with pytest.raises(ValueError):
        id_birth_date("110105194912310021")


def test_full_width_characters_spaces_and_hyphens_are_folded_away() -> None:
    number = synthetic_id("19800101", "003")
    typed = "".join(chr(ord(c) + 0xFEE0) for c in number)  # ４３０２… as an IME types it
    assert compact(typed) == number
    assert id_number_valid(typed)
    assert compact(f"{number[:6]} {number[6:14]}-{number[14:].lower()}") == number


# --- organisation codes (GB 11714-1997) ---------------------------------------------------


def test_the_organisation_code_check_of_the_standards_example() -> None:
    assert organisation_check("D2143569") == "X"
    assert gb11714_check("D2143569") == "X"


@pytest.mark.parametrize("body", ["MA4L0000", "MA4L0001", "00000000", "12345678", "MAC1B2D3"])
def test_the_organisation_check_agrees_with_an_independent_computation(body: str) -> None:
    assert organisation_check(body) == gb11714_check(body)


# --- unified social credit codes (GB 32100-2015) ------------------------------------------


@pytest.mark.parametrize(
    ("org", "head"),
    [
        ("MA4L0000", "91430204"),  # a company
        ("MA4L0007", "92430204"),  # 个体工商户
        ("00601234", "12430200"),  # a public institution
        ("55000123", "51430204"),  # a social organisation
        ("MA4L3K0U", "N2430204"),  # a village collective: authority N (stdnum wants a digit)
    ],
)
def test_synthetic_codes_are_valid_and_every_other_check_character_is_not(
    org: str, head: str
) -> None:
    code = synthetic_credit_code(org, head)
    assert credit_code_fault(code) is None
    assert credit_code_valid(code.lower())
    wrong = [c for c in "0123456789ABCDEFGHJKLMNPQRTUWXY" if c != code[17]]
    assert {credit_code_fault(code[:17] + c) for c in wrong} == {"checksum"}


def test_a_wrong_organisation_check_is_told_apart_from_a_wrong_last_character() -> None:
    good = synthetic_credit_code("MA4L0000")
    body = good[:16] + ("1" if good[16] != "1" else "2")
    forged = body + uscc.calc_check_digit(body)  # the 18th character made right again
    assert uscc.is_valid(forged)  # stdnum's validate alone would take it
    assert credit_code_fault(forged) == "organisation_checksum"
    assert not credit_code_valid(forged)


@pytest.mark.parametrize(
    ("bad", "fault"),
    [
        ("", "length"),
        ("91430204MA4L00000", "length"),
        ("91430204MA4L0000000", "length"),
        ("91430204MA4L0I00X1", "format"),  # I is not in the alphabet
        ("91430204MA4L0O00X1", "format"),  # nor O
        ("914302Z4MA4L0000X1", "format"),
        ("9143A204MA4L0000X1", "region"),
    ],
)
def test_malformed_credit_codes_name_their_fault(bad: str, fault: str) -> None:
    assert credit_code_fault(bad) == fault
    assert not credit_code_valid(bad)


def test_credit_codes_are_read_in_upper_case_without_separators() -> None:
    code = synthetic_credit_code()
    assert compact(f" {code[:8].lower()}-{code[8:].lower()} ") == code


# --- phone numbers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phone", "ok"),
    [
        ("13812345678", True),
        ("19912345678", True),
        ("17000001234", True),
        ("12812345678", False),
        ("1381234567", False),
        ("138123456789", False),
        ("0731-22881234", True),
        ("073122881234", True),
        ("010-1234567", True),
        ("731-22881234", False),
        ("电话13812345678", False),
    ],
)
def test_phone_numbers_are_mobiles_or_landlines_with_area_code(phone: str, ok: bool) -> None:
    assert phone_valid(phone) is ok
