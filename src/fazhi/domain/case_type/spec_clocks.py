"""The clock specs of a type: limits, extensions, suspension and repeating windows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fazhi.domain.durations import Duration


@dataclass(frozen=True)
class Limit:
    default: Duration
    by_field: str | None = None
    values: tuple[tuple[str, Duration], ...] = ()

    def for_value(self, value: Any) -> Duration:
        for key, duration in self.values:
            if key == value:
                return duration
        return self.default


@dataclass(frozen=True)
class ExtendRule:
    action: str
    input: str
    max_total: int


@dataclass(frozen=True)
class RepeatRule:
    """A clock that runs as consecutive windows (a daily check-in).

    Each window is `every` long, from the start of its local day to 23:59:59 of its last
    day. An action in `close_on` closes the open window as met and opens the next one (from
    the following period); the scheduler closes a window that ran out as missed, takes
    `expire_action` (a `system` action of the type) and opens the next one. The series ends
    at the clock's `stop` actions. With `expire_input`, the expire action receives the
    missed window's last local day (ISO date) as that input, so what it records names the
    day it stands for, whenever it is taken.
    """

    every: Duration
    close_on: tuple[str, ...] = ()
    expire_action: str | None = None
    expire_input: str | None = None
    # At most this many of the newest missed windows are owed at once (None: all).
    catch_up: int | None = None


@dataclass(frozen=True)
class ClockSpec:
    name: str
    label: str
    basis: str
    limit: Limit
    start: tuple[str, ...]
    stop: tuple[str, ...] = ()
    limit_on: tuple[tuple[str, Duration], ...] = ()
    extend: ExtendRule | None = None
    primary: bool = False
    # 中止 / 恢复: a suspended clock keeps the time already used; on resumption the rest of
    # the limit runs on from the resuming action, in the limit's own unit.
    suspend: tuple[str, ...] = ()
    resume: tuple[str, ...] = ()
    repeat: RepeatRule | None = None
    # False: a period within which a party or the office *may* act (请求复查期限, 补正告知时限),
    # not a deadline anyone can miss — never the case's due date, never overdue; when it
    # runs out it has lapsed (已届满).
    deadline: bool = True

    def limit_for(self, action: str, fields: Mapping[str, Any]) -> Duration:
        for name, duration in self.limit_on:
            if name == action:
                return duration
        value = fields.get(self.limit.by_field) if self.limit.by_field else None
        return self.limit.for_value(value)
