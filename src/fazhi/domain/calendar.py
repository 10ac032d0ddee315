"""Working-day calendar: statutory holidays, make-up workdays (调休) and deadline counting.

Counting rules (deadlines.md): the day of the triggering event is not counted; working-day
periods count Mon–Fri minus holidays plus make-up days; calendar-day periods roll forward to
the next working day when the last day is not one. A year without a holiday arrangement is
refused, never guessed.
"""

from __future__ import annotations

import calendar as _stdcal
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

import chinese_calendar  # type: ignore[import-untyped]

DayKind = Literal["holiday", "workday"]
_ONE_DAY = timedelta(days=1)


class CalendarYearUnknown(Exception):
    """A deadline would need a year whose holiday notice has not been imported."""

    code = "calendar_year_unknown"

    def __init__(self, year: int) -> None:
        self.year = year
        self.message = (
            f"没有{year}年的节假日安排，无法计算期限；请先导入国务院办公厅{year}年节假日安排通知"
        )
        super().__init__(self.message)

    def __reduce__(self) -> tuple[type[CalendarYearUnknown], tuple[int]]:
        # Exception pickling would pass the message as `year`; keep it round-trippable.
        return (CalendarYearUnknown, (self.year,))


@dataclass(frozen=True)
class DayOverride:
    """One row of the editable override table; a make-up workday (调休上班) is "workday"."""

    day: date
    kind: DayKind
    name: str = ""

    def __post_init__(self) -> None:
        # Rows come from a database and an importer; reject anything but the two kinds.
        if self.kind not in ("holiday", "workday"):
            raise ValueError(f"日期类型无效：{self.kind!r}（应为 holiday 或 workday）")


def _builtin_years() -> frozenset[int]:
    # Same range chinese_calendar validates against; it raises outside it.
    years = {d.year for d in chinese_calendar.holidays}
    return frozenset(range(min(years), max(years) + 1))


@dataclass(frozen=True)
class _Year:
    """Workday flags of one year with prefix counts, so counting is O(1) or a bisect."""

    first: date
    flags: tuple[bool, ...]  # index = day of year - 1
    cum: tuple[int, ...]  # cum[k] = working days among the first k days

    @property
    def total(self) -> int:
        return self.cum[-1]


class WorkCalendar:
    """Working days per chinesecalendar and/or imported notices; overrides win per date."""

    def __init__(
        self,
        overrides: Iterable[DayOverride] = (),
        override_years: Iterable[int] = (),
        use_builtin: bool = True,
    ) -> None:
        self._overrides: dict[date, DayOverride] = {}
        for row in overrides:
            seen = self._overrides.get(row.day)
            if seen is not None and seen.kind != row.kind:
                # Two rows disagreeing about one date is a data error; never pick one silently.
                raise ValueError(
                    f"{row.day.isoformat()} 同时被设置为放假和上班，请检查节假日调整表"
                )
            self._overrides[row.day] = row
        self._builtin = _builtin_years() if use_builtin else frozenset()
        self._known = frozenset(override_years) | self._builtin
        self._years: dict[int, _Year] = {}

    def known_years(self) -> frozenset[int]:
        return self._known

    def _year(self, year: int) -> _Year:
        cached = self._years.get(year)
        if cached is not None:
            return cached
        if year not in self._known:
            raise CalendarYearUnknown(year)
        first = date(year, 1, 1)
        flags: list[bool] = []
        cum = [0]
        for i in range(366 if _stdcal.isleap(year) else 365):
            d = first + timedelta(days=i)
            flag = self._compute(d)
            flags.append(flag)
            cum.append(cum[-1] + flag)
        data = _Year(first, tuple(flags), tuple(cum))
        self._years[year] = data
        return data

    def _compute(self, d: date) -> bool:
        row = self._overrides.get(d)
        if row is not None:
            return row.kind == "workday"
        if d.year in self._builtin:
            return bool(chinese_calendar.is_workday(d))
        return d.weekday() < 5

    def is_workday(self, d: date) -> bool:
        y = self._year(d.year)
        return y.flags[(d - y.first).days]

    def add_workdays(self, start: date, n: int) -> date:
        """The n-th working day after `start` (the start day itself is never counted)."""
        if n < 1:
            raise ValueError(f"工作日数必须为正整数，收到 {n}")
        d = start + _ONE_DAY
        y = self._year(d.year)
        idx = (d - y.first).days
        remaining = n
        while True:
            available = y.total - y.cum[idx]
            if remaining <= available:
                k = bisect_left(y.cum, y.cum[idx] + remaining)
                return y.first + timedelta(days=k - 1)
            remaining -= available
            y = self._year(y.first.year + 1)
            idx = 0

    def add_calendar_days(self, start: date, n: int) -> date:
        if n < 0:
            raise ValueError(f"天数不能为负数，收到 {n}")
        return self.roll_forward(start + timedelta(days=n))

    def add_months(self, start: date, n: int) -> date:
        if n < 0:
            raise ValueError(f"月数不能为负数，收到 {n}")
        months = start.month - 1 + n
        year, month = start.year + months // 12, months % 12 + 1
        day = min(start.day, _stdcal.monthrange(year, month)[1])
        return self.roll_forward(date(year, month, day))

    def workdays_between(self, a: date, b: date) -> int:
        """Working days d with a < d <= b; negative when b < a."""
        if b < a:
            return -self.workdays_between(b, a)
        if a == b:
            return 0
        lo = a + _ONE_DAY  # count the closed range [lo, b]
        total = 0
        for year in range(lo.year, b.year + 1):
            y = self._year(year)
            start = (lo - y.first).days if year == lo.year else 0
            end = (b - y.first).days + 1 if year == b.year else len(y.flags)
            total += y.cum[end] - y.cum[start]
        return total

    def next_workday(self, d: date) -> date:
        return self.add_workdays(d, 1)

    def roll_forward(self, d: date) -> date:
        return d if self.is_workday(d) else self.next_workday(d)
