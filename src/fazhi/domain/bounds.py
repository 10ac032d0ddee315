"""The bounds of what input can sensibly mean, shared by every door (API, console, Open311,
analytics): outside them a date or an id is refused (or ignored) rather than overflowing."""

from __future__ import annotations

MAX_ID = 2**63 - 1  # the largest BIGINT on both databases
FIRST_YEAR = 1900
LAST_YEAR = 2199


def in_sane_range(year: int) -> bool:
    return FIRST_YEAR <= year <= LAST_YEAR
