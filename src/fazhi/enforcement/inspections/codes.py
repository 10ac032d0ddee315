"""The unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters of a
31-letter alphabet (no I, O, Z, S, V), the last a check character over the first 17."""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def check_character(first17: str) -> str:
    """The check character of a code's first 17 characters (ValueError when not codes)."""
    if len(first17) != 17 or any(c not in ALPHABET for c in first17):
        raise ValueError("统一社会信用代码前17位应为数字或大写字母（不含I、O、Z、S、V）")
    total = sum(ALPHABET.index(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def credit_code_fault(code: str) -> str | None:
    """Why `code` is not a unified social credit code, in Chinese; None when it is one."""
    if len(code) != 18:
        return "统一社会信用代码应为18位"
    try:
        expected = check_character(code[:17])
    except ValueError as exc:
        return str(exc)
    if code[17] != expected:
        return f"统一社会信用代码校验位错误（应为 {expected}）"
    return None


def with_check_character(first17: str) -> str:
    """A whole code from its first 17 characters (the demo makes synthetic codes so)."""
    return first17 + check_character(first17)
