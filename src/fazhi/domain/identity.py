"""Check digits of Chinese identity numbers (GB 11643-1999) and credit codes (GB 32100-2015)."""

from __future__ import annotations

import re

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_PATTERN = re.compile(r"^\d{17}[\dX]$")
_CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_PHONE_PATTERN = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")


def id_number_valid(value: str) -> bool:
    value = value.upper()
    if not _ID_PATTERN.match(value):
        return False
    total = sum(int(d) * w for d, w in zip(value[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == value[17]


def credit_code_valid(value: str) -> bool:
    value = value.upper()
    if len(value) != 18 or any(c not in _CREDIT_ALPHABET for c in value):
        return False
    total = sum(_CREDIT_ALPHABET.index(c) * (3**i % 31) for i, c in enumerate(value[:17]))
    return _CREDIT_ALPHABET[(31 - total % 31) % 31] == value[17]


def phone_valid(value: str) -> bool:
    """A mainland mobile number, or a landline with area code."""
    return bool(_PHONE_PATTERN.match(value))
