"""What the indicator API and pages both read from a request: the period (`year`, or
`from` and `to`) and the unit, refused with a Chinese message when malformed."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from fazhi.actions.context import Work
from fazhi.analytics import indicators as ix
from fazhi.domain.bounds import in_sane_range
from fazhi.domain.durations import local_date
from fazhi.domain.errors import DomainError

MAX_DAYS = 3 * 366


def _day(text: str, name: str) -> date:
    try:
        day = date.fromisoformat(text.strip()[:10])
    except ValueError:
        raise DomainError("bad_date", f"{name}应为日期（如 2023-01-01）", 422, name) from None
    if not in_sane_range(day.year):
        raise DomainError("bad_date", f"{name}超出可统计的年份", 422, name)
    return day


def scope_from(w: Work, params: Mapping[str, str]) -> ix.Scope:
    """`year` (default this year) or `from` + `to`; `unit` a unit code or id (empty: the
    district)."""
    raw_year = params.get("year", "").strip()
    if params.get("from") or params.get("to"):
        start = _day(params.get("from", ""), "from")
        end = _day(params.get("to", ""), "to")
        if end < start:
            raise DomainError("bad_period", "结束日期早于开始日期", 422, "to")
        if (end - start).days > MAX_DAYS:
            raise DomainError("bad_period", "统计区间最长约3年", 422, "from")
    else:
        if raw_year and not (raw_year.isdigit() and 2000 <= int(raw_year) <= 2100):
            raise DomainError("bad_year", "年度应为2000至2100之间的四位数字", 422, "year")
        year = int(raw_year) if raw_year else local_date(w.ctx.now).year
        start, end = date(year, 1, 1), date(year, 12, 31)
    return ix.scope_for(w, start, end, params.get("unit", "").strip()[:64] or None)
