"""Case numbers as people read them: the type's prefix, the local registration date and the
id, e.g. RX202306010000123 (a 12345 order registered on 1 June 2023, id 123)."""

from __future__ import annotations

from datetime import datetime

from fazhi.domain.durations import LOCAL_TZ

DEFAULT_PREFIX = "AJ"  # a case whose type is no longer loaded


def case_number(prefix: str | None, created_at: datetime, case_id: int) -> str:
    day = created_at.astimezone(LOCAL_TZ)
    # The date's parts formatted as integers: a list formats one number per row, and the
    # strftime behind `:%Y%m%d` costs about twice as much.
    prefix = prefix or DEFAULT_PREFIX
    return f"{prefix}{day.year:04d}{day.month:02d}{day.day:02d}{case_id:07d}"


def parse_case_number(text: str) -> int | None:
    """The case id inside a number like RX202306010000123."""
    text = text.strip().upper()
    digits = text.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    if digits != text and digits.isdigit() and len(digits) > 8:
        return int(digits[8:])
    return None
