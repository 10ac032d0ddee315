"""Bounded path and query parameter types, defined once and used by every route.

An id beyond 64 bits reaches the database driver as an overflow (500); a date in year 1 or
9999 overflows the first `± timedelta`. These types refuse both at the door as the usual 422
`invalid_request`, with the bound in the OpenAPI schema so clients (and the fuzzer) see it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import Path, Query
from pydantic import AfterValidator

from fazhi.domain.bounds import FIRST_YEAR, LAST_YEAR, MAX_ID, in_sane_range

__all__ = ["FIRST_YEAR", "LAST_YEAR", "MAX_ID", "in_sane_range"]

MAX_PAGE = 100_000
MAX_PAGE_SIZE = 200


def _sane_date(value: date) -> date:
    if not in_sane_range(value.year):
        raise ValueError(f"日期应在{FIRST_YEAR}年至{LAST_YEAR}年之间")
    return value


def _sane_datetime(value: datetime) -> datetime:
    if not in_sane_range(value.year):
        raise ValueError(f"时间应在{FIRST_YEAR}年至{LAST_YEAR}年之间")
    return value


def sane_date(value: date | None) -> date | None:
    """The date if it lies in the sane range, else None (for lenient filter forms)."""
    return value if value is not None and in_sane_range(value.year) else None


CaseId = Annotated[int, Path(ge=1, le=MAX_ID, description="案件编号")]
DocumentId = Annotated[int, Path(ge=1, le=MAX_ID, description="文书编号")]
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]
SaneDate = Annotated[date, AfterValidator(_sane_date)]
SaneDateTime = Annotated[datetime, AfterValidator(_sane_datetime)]
Page = Annotated[int, Query(ge=1, le=MAX_PAGE, description="页码")]
PageSize = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="每页条数")]
