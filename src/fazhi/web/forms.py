"""Turning posted forms into action inputs, and action errors into per-field messages."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from starlette.datastructures import FormData

from fazhi.domain.case_type import FieldSpec
from fazhi.domain.errors import DomainError
from fazhi.org.directory import UnitDirectory
from fazhi.web.console import local_time

UNIT_GROUPS = (
    ("department", "部门"),
    ("street", "街道（镇）"),
    ("community", "社区（村）"),
    ("company", "公用事业与运营商"),
    ("centre", "中心"),
)


def inputs_from_form(specs: tuple[FieldSpec, ...], form: FormData) -> dict[str, Any]:
    """Only the declared fields; blanks left out so that defaults and 'required' apply."""
    inputs: dict[str, Any] = {}
    for spec in specs:
        if spec.type == "unit_list":
            values = [v for v in form.getlist(spec.name) if isinstance(v, str) and v]
            if values:
                inputs[spec.name] = values
            continue
        value = form.get(spec.name)
        if isinstance(value, str) and value.strip() != "":
            inputs[spec.name] = value.strip() if spec.type != "text" else value
    return inputs


def field_errors(
    exc: DomainError, shown: Collection[str] | None = None
) -> tuple[dict[str, str], str]:
    """(messages by field, message for the form as a whole).

    With `shown`, messages about fields the form does not show join the general message.
    """
    problems = exc.problems or []
    by_field: dict[str, str] = {}
    general = []
    if not problems and exc.field:
        by_field[exc.field] = exc.message
    for problem in problems:
        if problem.field and problem.field not in by_field:
            by_field[problem.field] = problem.message
        elif not problem.field:
            general.append(problem.message)
    if not problems and not exc.field:
        general.append(exc.message)
    if shown is not None:
        general = [m for name, m in by_field.items() if name not in shown] + general
        by_field = {name: m for name, m in by_field.items() if name in shown}
    return by_field, "；".join(general)


def error_status(exc: DomainError) -> int:
    return exc.status if exc.status >= 400 else 422


def unit_groups(directory: UnitDirectory) -> list[tuple[str, list[Any]]]:
    """Units that can be assigned work, grouped for a select box."""
    groups = []
    for kind, label in UNIT_GROUPS:
        members = sorted(
            (u for u in directory.by_id.values() if u.kind == kind), key=lambda u: u.path
        )
        if members:
            groups.append((label, members))
    return groups


def display_value(spec: FieldSpec | None, value: Any, directory: UnitDirectory) -> str:
    if value is None or value == "":
        return ""
    if spec is None:
        return str(value)
    if spec.type in ("unit", "unit_list"):
        values = value if isinstance(value, list) else [value]
        names = []
        for item in values:
            unit = directory.resolve(item)
            names.append(unit.name if unit else str(item))
        return "、".join(names)
    if spec.choices:
        return spec.choice_label(value)
    if spec.type == "bool":
        return "是" if value else "否"
    if spec.type == "money":
        try:
            return f"{float(value):,.2f} 元"
        except (TypeError, ValueError):
            return str(value)
    if spec.type == "datetime":
        try:
            return local_time(str(value))
        except ValueError:
            return str(value)
    if spec.type == "list":
        return f"{len(value)}条记录" if isinstance(value, list) else str(value)
    return str(value)
