"""A small valid type file, and helpers to parse a changed copy of it."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

import pytest
import yaml

from fazhi.catalog.roles import default_roles
from fazhi.domain.case_type import CaseType, CaseTypeError, parse_case_type

ROLE_SET = default_roles().ids
CHOICE_SETS = {"colours": (("red", "红"), ("blue", "蓝"))}

MINIMAL_YAML = """
type: permit
label: 许可
number_prefix: XK
visibility: {roles: [operator, unit_handler]}
fields:
  site: {type: string, label: 地点, required: true}
  amount: {type: money, label: 金额, min: 0}
  count: {type: int, label: 次数, internal: true}
  decided_on: {type: date, label: 决定日期, internal: true}
  decided_at: {type: datetime, label: 决定时间, internal: true}
  phone: {type: phone, label: 电话, personal: phone}
  kind: {type: enum, label: 类别, choices: {road: 道路, building: 房建}}
states:
  open: {label: 办理中}
  closed: {label: 已办结, terminal: true}
actions:
  apply: {label: 申请, create: true, to: open, roles: [operator]}
  close: {label: 办结, from: [open], to: closed, roles: [unit_handler]}
"""


def minimal(**changes: Any) -> dict[str, Any]:
    """A fresh copy of the minimal type; each keyword replaces a top-level key."""
    raw: dict[str, Any] = yaml.safe_load(MINIMAL_YAML)
    raw.update(copy.deepcopy(changes))
    return raw


def with_yaml(text: str, **changes: Any) -> dict[str, Any]:
    """The minimal type with the sections given as YAML merged in (a section's entries are
    added to the minimal ones; other keys replace)."""
    raw = minimal(**changes)
    for key, value in (yaml.safe_load(text) or {}).items():
        if isinstance(value, dict) and isinstance(raw.get(key), dict):
            raw[key].update(value)
        else:
            raw[key] = value
    return raw


def parse(raw: Mapping[str, Any], **options: Any) -> CaseType:
    return parse_case_type(raw, ROLE_SET, CHOICE_SETS, **options)


def faults(raw: Mapping[str, Any], **options: Any) -> list[str]:
    with pytest.raises(CaseTypeError) as info:
        parse(raw, **options)
    return info.value.problems


def assert_fault(raw: Mapping[str, Any], expected: str, **options: Any) -> None:
    """Refused, with a fault that starts with `expected` (its path and message)."""
    problems = faults(raw, **options)
    assert any(p.startswith(expected) for p in problems), problems
