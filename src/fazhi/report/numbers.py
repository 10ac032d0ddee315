"""How the report writes a figure, as the seed does: whole counts without separators
(1727件, 73707件), money in 万元 to one decimal (205.4万元), rates in per cent to two decimals
(99.98%, 4.05%); trailing zeros dropped (100%, 252万元). A placeholder may ask for other
decimals (`.1`: 94.4%), convert 元 to 万元, or write a count as the seed writes a round
figure (`余`: 507 as 500余个, 1727 as 1700余件; a figure already round stays as it is).
Pure; Decimal with half-up rounding, so 4.045 is 4.05 as a reader rounds it, not 4.04 as
binary floating point would."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

PERCENT_UNITS = frozenset({"%", "ratio"})
# Default decimals by the unit shown; any other unit (件, 人, 次, 户 …) shows whole numbers
# as they are and fractions to two decimals.
DECIMALS = {"%": 2, "万元": 1, "元": 2}
CONVERSIONS = {("元", "万元"): Decimal(1) / Decimal(10000), ("万元", "元"): Decimal(10000)}
CHINESE_DIGITS = "零一二三四五六七八九"


ABOUT = "余"


@dataclass(frozen=True)
class Spec:
    """What a placeholder asks: the unit to show (None: the value's own), decimals, and
    whether to write the figure as about so many (`about`: 500余个)."""

    unit: str | None = None
    decimals: int | None = None
    about: bool = False


def parse_spec(text: str) -> Spec:
    """`万元`, `.1`, `万元.2`, `余` or empty. ValueError on anything else."""
    if not text:
        return Spec()
    if text == ABOUT:
        return Spec(about=True)
    unit, _, digits = text.partition(".")
    if digits and not digits.isdigit():
        raise ValueError(f"小数位数应为数字：{text}")
    if unit and unit not in {"万元", "元", "%"}:
        raise ValueError(f"不能换算为 {unit}")
    return Spec(unit or None, int(digits) if digits else None)


def _plain(number: Decimal, decimals: int) -> str:
    quantum = Decimal(1).scaleb(-decimals)
    text = f"{number.quantize(quantum, rounding=ROUND_HALF_UP):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def round_down(number: Decimal) -> Decimal:
    """The figure cut to its two leading digits (507 → 500, 1727 → 1700, 73707 → 73000):
    what "500余" states. Below 100 a figure is written as it is."""
    whole = int(number)
    if whole < 100:
        return number
    step = 10 ** (len(str(whole)) - 2)
    return Decimal(whole - whole % step)


def shown_unit(unit: str, spec: Spec) -> str:
    return "%" if unit in PERCENT_UNITS else (spec.unit or unit)


def format_figure(value: int | float | Decimal, unit: str, spec: Spec = Spec()) -> str:
    """The figure as the report writes it, unit included ("1727件", "99.98%", "205.4万元")."""
    number = Decimal(value) if isinstance(value, int) else Decimal(str(value))
    if unit == "ratio":
        number *= 100
    target = shown_unit(unit, spec)
    if unit not in PERCENT_UNITS and spec.unit and spec.unit != unit:
        factor = CONVERSIONS.get((unit, spec.unit))
        if factor is None:
            raise ValueError(f"不能将 {unit} 换算为 {spec.unit}")
        number *= factor
    decimals = spec.decimals if spec.decimals is not None else DECIMALS.get(target, 2)
    if spec.about and unit not in PERCENT_UNITS:
        floor = round_down(number)
        if floor != number:
            return _plain(floor, 0) + ABOUT + target
    return _plain(number, decimals) + target


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 23 → 二十三 (section numbers up to 99)."""
    if not 0 < n < 100:
        raise ValueError(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else CHINESE_DIGITS[tens] + "十")
    return head + (CHINESE_DIGITS[ones] if ones else "")
