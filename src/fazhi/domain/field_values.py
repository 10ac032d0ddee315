"""One value of one field: check it against its spec and return it as stored.

Each normaliser takes the raw value (as a form or a JSON body sends it) and its FieldSpec
and returns the stored value, or raises `Refused` with a stable code and a Chinese message.
Normalising a stored value again returns it unchanged, so stored data may be re-validated.
Validation of a whole set of inputs (required fields, lists of records) is in `inputs.py`.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from fazhi.domain.case_type.spec import FieldSpec
from fazhi.domain.durations import LOCAL_TZ
from fazhi.domain.identity import compact, credit_code_fault, id_number_fault, phone_valid


class Refused(Exception):
    """A value its field does not accept."""

    def __init__(self, message: str, code: str = "invalid_value") -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def plain_number(value: float | int | Decimal) -> str:
    """A bound as people write it: 1000000 (not 1e+06), 0.5, 200."""
    text = format(Decimal(str(value)).normalize(), "f")
    return "0" if text in {"-0", "0"} else text


# --- text --------------------------------------------------------------------------------

TEXT_TYPES = frozenset({"string", "text", "person_name", "phone", "id_number", "credit_code"})


@lru_cache(maxsize=256)
def compiled(pattern: str) -> re.Pattern[str]:
    """A type file's pattern, compiled once per process (the parser has checked it)."""
    return re.compile(pattern)


def normalise_text(spec: FieldSpec, value: Any) -> str:
    label = spec.label
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise Refused(f"{label}应为文本")
    text = str(value).strip()
    if "\x00" in text:
        # PostgreSQL cannot store NUL in text; no legitimate input contains one.
        raise Refused(f"{label}含有不允许的控制字符")
    limit = spec.max_length or (4000 if spec.type == "text" else 200)
    if len(text) > limit:
        raise Refused(f"{label}不能超过{limit}个字符", "too_long")
    if spec.type == "phone" and not phone_valid(text):
        raise Refused(f"{label}格式不正确（手机号11位，或带区号的固定电话）")
    if spec.type == "id_number":
        return normalise_id_number(label, text)
    if spec.type == "credit_code":
        return normalise_credit_code(label, text)
    if spec.pattern and not compiled(spec.pattern).fullmatch(text):
        raise Refused(spec.pattern_message or f"{label}格式不正确")
    return text


_ID_MESSAGES = {
    "length": "应为18位（17位数字加1位数字或X）",
    "format": "只能由数字组成，最后一位可以是X",
    "birth_date": "中的出生日期不存在，请核对第7至14位",
    "checksum": "不是有效的身份证号码（校验位不符），请核对每一位",
}


def normalise_id_number(label: str, text: str) -> str:
    fault = id_number_fault(text)
    if fault:
        raise Refused(label + _ID_MESSAGES[fault])
    return compact(text)


_CREDIT_MESSAGES = {
    "length": "应为18位",
    "format": "只能由数字和大写字母组成（不含 I、O、S、V、Z）",
    "region": "第3至8位应为行政区划代码（6位数字）",
    "checksum": "校验位（第18位）不符，请核对每一位",
    "organisation_checksum": "中的组织机构代码校验位（第17位）不符，请核对第9至17位",
}


def normalise_credit_code(label: str, text: str) -> str:
    fault = credit_code_fault(text)
    if fault:
        raise Refused(label + _CREDIT_MESSAGES[fault])
    return compact(text)


# --- choices, numbers, yes/no ------------------------------------------------------------

_TRUE = {True, "true", "1", "yes", "on"}
_FALSE = {False, "false", "0", "no", "off", ""}


def normalise_enum(spec: FieldSpec, value: Any) -> Any:
    if value not in [c for c, _ in spec.choices]:
        raise Refused(f"{spec.label}只能是：" + "、".join(lbl for _, lbl in spec.choices))
    return value


def _check_range(spec: FieldSpec, num: float | Decimal, unit: str = "") -> None:
    # Money compares exactly: the bound 0.1 is Decimal("0.1"), not the float nearest it.
    exact = isinstance(num, Decimal)
    if spec.min is not None:
        low = Decimal(str(spec.min)) if exact else spec.min
        if num < low:
            raise Refused(f"{spec.label}不能小于{plain_number(low)}{unit}")
    if spec.max is not None:
        high = Decimal(str(spec.max)) if exact else spec.max
        if num > high:
            raise Refused(f"{spec.label}不能大于{plain_number(high)}{unit}")


def normalise_number(spec: FieldSpec, value: Any) -> int | float:
    is_int = spec.type == "int"
    try:
        if isinstance(value, bool):
            raise ValueError
        num: int | float = int(value) if is_int else float(value)
        if is_int and isinstance(value, float) and value != int(value):
            raise ValueError
        if not is_int and not math.isfinite(num):
            raise ValueError
    except (TypeError, ValueError, OverflowError):  # OverflowError: 1e400 as an int
        raise Refused(f"{spec.label}应为{'整数' if is_int else '数字'}") from None
    _check_range(spec, num)
    return num


def normalise_bool(spec: FieldSpec, value: Any) -> bool:
    if not isinstance(value, list | dict):  # unhashable: `in` a set would raise
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
    raise Refused(f"{spec.label}应为是或否")


# --- money -------------------------------------------------------------------------------

# Plain digits, or thousands grouped exactly by commas (1,234.50 as printed on a decision).
_MONEY = re.compile(r"-?(\d+|\d{1,3}(,\d{3})+)(\.\d+)?")
_CENT = Decimal("0.01")
_MAX_YUAN = Decimal(10) ** 15  # fen then fit a 64-bit integer with room to sum


def _money_decimal(value: Any) -> Decimal | None:
    """The exact amount of a raw value, or None when it is not an amount at all."""
    if isinstance(value, bool):
        return None
    if isinstance(value, Decimal | int):
        amount = Decimal(value)
    elif isinstance(value, float):
        # The float's shortest repr is what the sender typed (1234.5 → "1234.5"), so
        # converting that string is exact; no arithmetic is ever done in float.
        if not math.isfinite(value):
            return None
        amount = Decimal(repr(value))
    elif isinstance(value, str) and _MONEY.fullmatch(value.strip()):
        amount = Decimal(value.strip().replace(",", ""))
    else:
        return None
    return amount if amount.is_finite() else None


def normalise_money(spec: FieldSpec, value: Any) -> str:
    """Yuan with at most two decimals, stored as a canonical string: "1234.50".

    Accepts numbers and strings of digits (with optional exactly-grouped thousands commas);
    refuses three or more decimals rather than rounding someone's fine.
    """
    amount = _money_decimal(value)
    if amount is None:
        raise Refused(f"{spec.label}应为金额（元），如 1234.50")
    if abs(amount) >= _MAX_YUAN:
        raise Refused(f"{spec.label}超出可记录的金额范围")
    if amount != amount.quantize(_CENT, rounding=ROUND_DOWN):
        raise Refused(f"{spec.label}最多保留两位小数（到分）")
    _check_range(spec, amount, "元")
    text = str(amount.quantize(_CENT))
    return "0.00" if text == "-0.00" else text


def money_to_fen(value: str | int | Decimal) -> int:
    """An amount in whole fen (分) for sums, exactly: "1234.50" → 123450.

    Raises ValueError for anything that is not an amount with at most two decimals.
    """
    if isinstance(value, bool | float):
        raise ValueError("money is summed from its stored string, never from a float")
    try:
        amount = Decimal(value.strip().replace(",", "")) if isinstance(value, str) else value
        fen = Decimal(amount) * 100
    except InvalidOperation:
        raise ValueError(f"not an amount: {value!r}") from None
    if not fen.is_finite() or fen != fen.to_integral_value():
        raise ValueError(f"not an amount in fen: {value!r}")
    return int(fen)


def fen_to_money(fen: int) -> str:
    """The stored form of an amount in fen: 123450 → "1234.50"."""
    return str((Decimal(fen) / 100).quantize(_CENT))


# --- dates and instants ------------------------------------------------------------------


def normalise_date(spec: FieldSpec, value: Any) -> str:
    try:
        return date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise Refused(f"{spec.label}应为日期（如 2023-09-28）") from None


def normalise_datetime(spec: FieldSpec, value: Any) -> str:
    """An instant, stored as UTC ISO 8601: "2023-09-28T01:30:00+00:00".

    ISO 8601 with an offset (or Z) is taken as written; without one it is local time in
    Asia/Shanghai (what a datetime-local form field sends). A date alone is refused: the
    field asks for a time of day.
    """
    moment: datetime | None = value if isinstance(value, datetime) else None
    if isinstance(value, str) and len(value.strip()) > 10:
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            moment = None
    if moment is None:
        raise Refused(f"{spec.label}应为日期和时间（如 2023-09-28 09:30）")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=LOCAL_TZ)
    try:
        return moment.astimezone(UTC).isoformat()
    except (OverflowError, ValueError):  # year 1 or 9999 moved across midnight
        raise Refused(f"{spec.label}超出可记录的时间范围") from None


# --- links to cases ----------------------------------------------------------------------

_MAX_ID = 2**63 - 1  # a database integer key


def parse_case_number(text: str) -> int | None:
    """The case id inside a number like RX202306010000123: the digits after the letters'
    prefix and the 8 digits of the creation date (0000123 → 123); None if not a number."""
    text = text.strip().upper()
    digits = text.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    if digits != text and digits.isascii() and digits.isdigit() and len(digits) > 8:
        return int(digits[8:])
    return None


def case_reference(value: Any) -> int | None:
    """The case id a link input names: an id (42, "42") or a case number; None otherwise.

    The number's prefix and date are not compared with the case found: the caller checks
    the target's type against `link_types`, which is what the prefix stands for.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        case_id: int | None = value
    elif isinstance(value, str):
        text = value.strip()
        case_id = int(text) if text.isascii() and text.isdigit() else parse_case_number(text)
    else:
        return None
    return case_id if case_id is not None and 0 < case_id <= _MAX_ID else None
