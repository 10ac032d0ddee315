"""Turning posted forms into action inputs, and action errors into per-field messages.

The create form and the case page's action forms share these: plain inputs, `unit_list`
selections and the records of `list` inputs (`mediators[0][name]`, see list_inputs.py)."""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any

from starlette.datastructures import FormData

from fazhi.domain.case_type import FieldSpec
from fazhi.domain.errors import DomainError
from fazhi.org.directory import UnitDirectory
from fazhi.web.console import local_time
from fazhi.web.list_inputs import records_from_form

UNIT_GROUPS = (
    ("department", "部门"),
    ("street", "街道（镇）"),
    ("community", "社区（村）"),
    ("company", "公用事业与运营商"),
    ("centre", "中心"),
)


def inputs_from_form(specs: tuple[FieldSpec, ...], form: FormData) -> dict[str, Any]:
    """Only the declared fields; blanks left out so that defaults and 'required' apply.
    A `list` input comes as its records (a record left wholly blank is no record)."""
    inputs: dict[str, Any] = {}
    for spec in specs:
        if spec.type == "list":
            continue
        if spec.type == "unit_list":
            values = [v for v in form.getlist(spec.name) if isinstance(v, str) and v]
            if values:
                inputs[spec.name] = values
            continue
        value = form.get(spec.name)
        if isinstance(value, str) and value.strip() != "":
            inputs[spec.name] = value.strip() if spec.type != "text" else value
    inputs.update(records_from_form(specs, form.multi_items()))
    return inputs


def form_values(specs: tuple[FieldSpec, ...], form: FormData) -> dict[str, Any]:
    """What the user typed, to show the form again: plain fields as posted, list fields as
    their parsed records."""
    values: dict[str, Any] = {k: v for k, v in form.items() if isinstance(v, str)}
    for spec in specs:
        if spec.type == "unit_list":
            values[spec.name] = [v for v in form.getlist(spec.name) if isinstance(v, str)]
    values.update(records_from_form(specs, form.multi_items()))
    return values


# A problem inside a list record: `parties[1].id_number`.
_RECORD_PATH = re.compile(r"^([a-z_][a-z0-9_]*)\[\d+\]\.([a-z_][a-z0-9_]*)$")


def split_errors(exc: DomainError, specs: tuple[FieldSpec, ...]) -> tuple[dict[str, str], str]:
    """Messages by the form's fields or record paths, and the rest for the form as a whole
    (a message about a field the form does not show is not lost)."""
    by_field, general = field_errors(exc)
    names = {s.name for s in specs}
    items = {(s.name, i.name) for s in specs if s.type == "list" for i in s.items}

    def shown(key: str) -> bool:
        found = _RECORD_PATH.match(key)
        return key in names or (found is not None and found.group(1, 2) in items)

    extra = [message for key, message in by_field.items() if not shown(key)]
    kept = {key: message for key, message in by_field.items() if shown(key)}
    return kept, "；".join([*extra, general] if general else extra)


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
