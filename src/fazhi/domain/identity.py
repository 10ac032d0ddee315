"""Check digits of citizen ID numbers (GB 11643-1999) and unified social credit codes
(GB 32100-2015), on python-stdnum; mainland phone numbers.

Each `*_fault` function names what is wrong (so the form can say whether a character was
mistyped or the whole number is malformed) or returns None for a valid number; the
`*_valid` predicates are kept for callers that only need yes or no.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Literal

from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError

_PHONE_PATTERN = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")
_ID_PATTERN = re.compile(r"^\d{17}[\dX]$")
# GB 32100: digits and upper-case letters except I, O, S, V, Z (they read like 1, 0, 5, U, 2).
CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# GB 11714-1997: the weights of the eight body characters of an organisation code.
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

IdFault = Literal["length", "format", "checksum", "birth_date"]
CreditFault = Literal["length", "format", "region", "checksum", "organisation_checksum"]


def compact(value: str) -> str:
    """The number as stored: full-width characters folded (a Chinese IME types them),
    spaces and hyphens removed, upper case."""
    text = unicodedata.normalize("NFKC", value)
    return "".join(c for c in text if c not in " -").upper()


# --- citizen ID numbers ------------------------------------------------------------------


def id_number_fault(value: str) -> IdFault | None:
    """What is wrong with an 18-character citizen ID number, or None when it is valid.

    Checks the form, the check digit (stdnum.cn.ric) and that the birth date exists. The
    region code is deliberately not checked against stdnum's table of places: it is the
    registration of first issue and outlives renamed counties (a 430204 number of someone
    born in 1980 is genuine, although 石峰区 got that code only in 1997).
    """
    number = compact(value)
    if len(number) != 18:
        return "length"
    if not _ID_PATTERN.match(number):
        return "format"
    if ric.calc_check_digit(number) != number[17]:
        return "checksum"
    try:
        ric.get_birth_date(number)
    except ValidationError:
        return "birth_date"
    return None


def id_number_valid(value: str) -> bool:
    return id_number_fault(value) is None


def id_birth_date(value: str) -> date:
    """The birth date in a valid ID number (raises ValueError for an invalid one)."""
    if not id_number_valid(value):
        raise ValueError("not a valid ID number")
    return ric.get_birth_date(compact(value))


# --- unified social credit codes ---------------------------------------------------------


def organisation_check(body: str) -> str:
    """The check character of an 8-character organisation code body (GB 11714-1997).

    Characters are worth 0-9 and A=10 … Z=35; the check is 11 - (weighted sum mod 11),
    written X for 10 and 0 for 11. python-stdnum has no module for it, hence these lines.
    """
    total = sum(int(c, 36) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return "X" if check == 10 else "0" if check == 11 else str(check)


def credit_code_fault(value: str) -> CreditFault | None:
    """What is wrong with a unified social credit code, or None when it is valid.

    Positions (1-based): 1 registering authority, 2 entity type, 3-8 region code (digits),
    9-17 the organisation code with its own GB 11714 check at 17, 18 the code's check
    character (stdnum.cn.uscc). stdnum's `uscc.validate` is not used whole: it checks only
    the 18th character and wants digits at 1-2, refusing the codes of village collectives
    (registering authority N).
    """
    code = compact(value)
    if len(code) != 18:
        return "length"
    if any(c not in CREDIT_ALPHABET for c in code):
        return "format"
    if not code[2:8].isdigit():
        return "region"
    if uscc.calc_check_digit(code) != code[17]:
        return "checksum"
    if organisation_check(code[8:16]) != code[16]:
        return "organisation_checksum"
    return None


def credit_code_valid(value: str) -> bool:
    return credit_code_fault(value) is None


# --- phone numbers -----------------------------------------------------------------------


def phone_valid(value: str) -> bool:
    """A mainland mobile number, or a landline with area code."""
    return bool(_PHONE_PATTERN.match(value))
