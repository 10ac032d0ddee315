"""A period of local calendar dates, both ends included, and its UTC bounds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import and_

from fazhi.domain.durations import LOCAL_TZ


@dataclass(frozen=True)
class Period:
    """Local calendar dates, both ends included."""

    start: date
    end: date

    @classmethod
    def ending(cls, today: date, days: int = 30) -> Period:
        return cls(today - timedelta(days=days - 1), today)

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31))

    @property
    def start_utc(self) -> datetime:
        return datetime.combine(self.start, time(0), LOCAL_TZ).astimezone(UTC)

    @property
    def end_utc(self) -> datetime:
        """The first moment after the period (exclusive bound)."""
        return datetime.combine(self.end + timedelta(days=1), time(0), LOCAL_TZ).astimezone(UTC)

    def days(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range((self.end - self.start).days + 1)]

    def contains(self, column: Any) -> Any:
        return and_(column >= self.start_utc, column < self.end_utc)
