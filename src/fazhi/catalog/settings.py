"""A deployment's clock settings: overrides of the case types' limits (stored in the
database, read by `fazhi.store.clock_settings`).

The type files hold each clock's default limits and their basis; local rules differ from place
to place (deadlines.md), so an admin may change them per deployment (系统管理 → 办理时限).
`apply_clock_settings` returns copies of the types with the limits replaced and leaves the
loaded types untouched; the platform keeps the result as `platform.types`. Clocks started
after a change use the new limits; a running clock keeps the limit and due time written when
it started.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from fazhi.catalog.registry import CaseTypes
from fazhi.domain.case_type import CaseType, ClockSpec, Limit
from fazhi.domain.durations import Duration

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ClockOverride:
    """One clock's overridden limits. Anything left out keeps the type file's value.

    `values` maps a value of the clock's `by` field to a limit, or to None to drop the file's
    limit for that value (it then gets the default); `action_limits` replaces `limit_on`
    entries (the limit when the clock is started by that action, e.g. 重办 5wd); a non-empty
    `basis` replaces the stated basis.
    """

    type: str
    clock: str
    default: str | None = None
    values: tuple[tuple[str, str | None], ...] = ()
    action_limits: tuple[tuple[str, str], ...] = ()
    basis: str = ""

    @classmethod
    def from_stored(
        cls,
        type_name: str,
        clock: str,
        default: str | None,
        values: Any,
        action_limits: Any,
        basis: str | None,
    ) -> ClockOverride:
        """An override from its stored form (the clock_settings row's columns; the JSON
        columns may hold anything an older version wrote)."""
        return cls(
            type=type_name,
            clock=clock,
            default=default or None,
            values=tuple((str(k), None if v is None else str(v)) for k, v in _items(values)),
            action_limits=tuple((str(k), str(v)) for k, v in _items(action_limits) if v),
            basis=basis or "",
        )


def _items(value: Any) -> list[tuple[Any, Any]]:
    return list(value.items()) if isinstance(value, Mapping) else []


def parse_limit(text: str) -> Duration:
    """A limit as an admin types it ("5个工作日", "24小时" …, or "5wd", "24h", "30min",
    "20cd", "3mo"); ValueError in Chinese when it is not one, or is zero."""
    duration = Duration.from_text(text)
    if duration.amount <= 0:
        raise ValueError(f"时限必须大于0：{text.strip()!r}")
    return duration


def _parse_stored(text: str, where: str) -> Duration | None:
    try:
        return parse_limit(text)
    except ValueError:
        log.warning("clock setting %s: unreadable limit %r ignored", where, text)
        return None


def override_clock(spec: ClockSpec, override: ClockOverride) -> ClockSpec:
    """A copy of the clock with the override's limits (entries that do not fit are ignored)."""
    where = f"{override.type}.{override.clock}"
    default = spec.limit.default
    if override.default:
        default = _parse_stored(override.default, where) or default
    values = dict(spec.limit.values)
    if spec.limit.by_field:
        for key, text in override.values:
            if text is None:
                values.pop(key, None)
            elif (duration := _parse_stored(text, f"{where}.{key}")) is not None:
                values[key] = duration
    elif override.values:
        log.warning("clock setting %s: per-value limits on a clock without `by` ignored", where)
    limit_on = dict(spec.limit_on)
    for action, text in override.action_limits:
        if action not in spec.start:
            log.warning("clock setting %s: %s does not start this clock; ignored", where, action)
        elif (duration := _parse_stored(text, f"{where}.{action}")) is not None:
            limit_on[action] = duration
    return replace(
        spec,
        limit=Limit(default, spec.limit.by_field, tuple(values.items())),
        limit_on=tuple(limit_on.items()),
        basis=override.basis.strip() or spec.basis,
    )


def override_case_type(case_type: CaseType, overrides: Iterable[ClockOverride]) -> CaseType:
    """A copy of the type with its clocks' limits replaced; the given type is not changed."""
    mine = {o.clock: o for o in overrides if o.type == case_type.name}
    if not mine:
        return case_type
    for name in mine.keys() - {c.name for c in case_type.clocks}:
        log.warning(
            "clock setting %s.%s: the type has no such clock; ignored", case_type.name, name
        )
    clocks = tuple(
        override_clock(c, mine[c.name]) if c.name in mine else c for c in case_type.clocks
    )
    # The lookup dicts are filled by __post_init__: fresh ones, or the copy would share (and
    # refill) the original's.
    return replace(case_type, clocks=clocks, _fields={}, _states={}, _actions={}, _clocks={})


def apply_clock_settings(types: CaseTypes, overrides: Iterable[ClockOverride]) -> CaseTypes:
    """The types with every override applied (types without overrides are shared as they are)."""
    overrides = list(overrides)
    return CaseTypes({t.name: override_case_type(t, overrides) for t in types})
