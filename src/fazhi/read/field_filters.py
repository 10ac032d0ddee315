"""Filtering case lists by a type's own summary fields (`summary_fields` of its type file).

The filter runs on top of the indexed type (and usually state) columns, so the JSON
comparison only reads the rows of one type; the type's `category_field` uses the indexed
category column instead. Personal fields are filterable only by viewers who see them whole:
otherwise a filter would confirm a masked value.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from fazhi.domain.case_links import case_id_from_reference
from fazhi.domain.case_type import CaseType, FieldSpec
from fazhi.domain.errors import Problem
from fazhi.domain.units import Actor
from fazhi.org.directory import UnitDirectory
from fazhi.read.presenters import shown_personal_kinds
from fazhi.store.models import Case

# Free text is matched as a substring; everything else exactly.
TEXT_TYPES = frozenset({"string", "text", "person_name", "phone", "id_number", "credit_code"})
FILTERABLE = TEXT_TYPES | {"enum", "int", "number", "money", "bool", "date", "unit", "case_link"}
API_PREFIX = "f."


def filterable_fields(case_type: CaseType, actor: Actor) -> list[FieldSpec]:
    """The summary fields `actor` may filter `case_type`'s lists by, in file order."""
    out = []
    for name in case_type.summary_fields:
        spec = case_type.field(name)
        if (
            spec
            and spec.type in FILTERABLE
            and (not spec.personal or spec.personal in shown_personal_kinds(case_type, actor))
        ):
            out.append(spec)
    return out


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _clause(
    case_type: CaseType, spec: FieldSpec, text: str, directory: UnitDirectory
) -> Any | None:
    """The WHERE clause for one filter, or None when `text` is not a value of the field."""
    if spec.name == case_type.category_field:
        codes = [c for c in text.split(",") if c]
        return Case.category.in_(codes)
    column = Case.fields[spec.name]
    if spec.type == "enum":
        codes = [c for c in text.split(",") if c]
        known = {c for c, _ in spec.choices}
        if not codes or any(c not in known for c in codes):
            return None
        return column.as_string().in_(codes)
    if spec.type in TEXT_TYPES:
        return column.as_string().like(_like(text), escape="\\")
    try:
        if spec.type == "int":
            return column.as_integer() == int(text)
        if spec.type == "number":
            return column.as_float() == float(text)
        if spec.type == "money":
            return column.as_string() == f"{float(text):.2f}"
        if spec.type == "date":
            return column.as_string() == date.fromisoformat(text).isoformat()
    except ValueError:
        return None
    if spec.type == "bool":
        return column.as_boolean().is_(text.lower() in ("1", "true", "yes", "on"))
    if spec.type == "unit":
        unit = directory.resolve(text)
        return column.as_integer() == unit.id if unit else None
    if spec.type == "case_link":
        case_id = case_id_from_reference(text)
        return column.as_integer() == case_id if case_id else None
    return None


def field_filter_clauses(
    case_type: CaseType | None,
    values: Mapping[str, str],
    actor: Actor,
    directory: UnitDirectory,
) -> tuple[list[Any], list[Problem]]:
    """Clauses for `values` (field name → text; blanks ignored) and what was refused."""
    clauses: list[Any] = []
    problems: list[Problem] = []
    given = {k: v.strip() for k, v in values.items() if v.strip()}
    if not given:
        return clauses, problems
    if case_type is None:
        return clauses, [Problem("type_required", "按字段筛选时须指定案件类型 type", "type")]
    allowed = {s.name: s for s in filterable_fields(case_type, actor)}
    for name, text in given.items():
        spec = allowed.get(name)
        if spec is None:
            problems.append(
                Problem(
                    "unknown_filter",
                    f"不能按 {name} 筛选；可用：" + ("、".join(allowed) or "无"),
                    API_PREFIX + name,
                )
            )
            continue
        clause = _clause(case_type, spec, text, directory)
        if clause is None:
            problems.append(
                Problem("invalid_value", f"{spec.label}的筛选值无效：{text}", API_PREFIX + name)
            )
        else:
            clauses.append(clause)
    return clauses, problems


def api_field_values(query: Mapping[str, str]) -> dict[str, str]:
    """`f.<field>=value` query parameters of the API list, by field name."""
    return {k[len(API_PREFIX) :]: v for k, v in query.items() if k.startswith(API_PREFIX)}
