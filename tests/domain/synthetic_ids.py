"""Synthetic identity numbers and credit codes for tests: never a real person's or company's.

Citizen ID numbers use region 430204 (石峰区) and their check digit from python-stdnum;
credit codes get their organisation-code check (GB 11714, computed here independently of
the module under test) and their 18th character from python-stdnum.
"""

from __future__ import annotations

from stdnum.cn import ric, uscc


def synthetic_id(birth: str = "19800101", seq: str = "001", region: str = "430204") -> str:
    body = region + birth + seq
    return body + ric.calc_check_digit(body + "0")  # stdnum ignores the last character


def gb11714_check(body: str) -> str:
    """GB 11714-1997: values 0-9, A=10 … Z=35; weights 3 7 9 10 5 8 4 2; 11 - sum mod 11."""
    values = [int(c) if c.isdigit() else ord(c) - ord("A") + 10 for c in body]
    check = 11 - sum(v * w for v, w in zip(values, (3, 7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def synthetic_credit_code(org_body: str = "MA4L0000", head: str = "91430204") -> str:
    body = head + org_body + gb11714_check(org_body)
    return body + uscc.calc_check_digit(body)
