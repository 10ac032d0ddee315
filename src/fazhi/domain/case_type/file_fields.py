"""`fields:` (and every other place a field is declared: inputs, document data, list items).

Also the checks of a literal value against a field (a default, a `set:` literal, a guard's
comparison value) and of one field's value flowing into another (`set: {x: input.y}`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import Discriminator, Field, Tag

from fazhi.domain.case_type.file_common import (
    TAG,
    FileModel,
    Name,
    Names,
    Problems,
    Scope,
    an,
    join,
    one_of,
)
from fazhi.domain.case_type.spec import FIELD_TYPES, PERSONAL_KINDS, FieldSpec
from fazhi.domain.identity import credit_code_valid, id_number_valid, phone_valid

TEXT_TYPES = frozenset({"string", "text", "person_name", "phone", "id_number", "credit_code"})
NUMBER_TYPES = frozenset({"int", "number", "money"})
ORDERED_TYPES = NUMBER_TYPES | {"date", "datetime"}
_WIDENING = frozenset({("int", "number"), ("int", "money"), ("money", "number")})


def _choices_tag(value: Any) -> str:
    return f"{TAG}set" if isinstance(value, str) else f"{TAG}map"


Choices = Annotated[
    Annotated[str, Tag(f"{TAG}set")] | Annotated[dict[str, str], Tag(f"{TAG}map")],
    Discriminator(_choices_tag),
]


class FieldModel(FileModel):
    """One field: `{type: enum, label: 类别, required: true, choices: {…}}`."""

    type: Annotated[str, one_of("field type", FIELD_TYPES)]
    label: str
    required: bool = False
    choices: Choices | None = None  # code: label, or the name of a choice set (categories)
    max_length: Annotated[int, Field(ge=1)] | None = None
    min: float | None = None
    max: float | None = None
    personal: Annotated[str, one_of("personal kind", PERSONAL_KINDS)] | None = None
    internal: bool = False
    required_if: dict[str, Any] = Field(default_factory=dict)
    default: Any = None
    help: str = ""
    pattern: str | None = None
    pattern_message: str = ""
    items: dict[Name, FieldModel] = Field(default_factory=dict)
    min_items: Annotated[int, Field(ge=0)] | None = None
    max_items: Annotated[int, Field(ge=1)] | None = None
    link_types: Names = Field(default_factory=list)
    prefill: dict[Name, Name] = Field(default_factory=dict)
    suggested_for: list[str] = Field(default_factory=list)

    def to_spec(self, name: str, path: str, scope: Scope, problems: Problems) -> FieldSpec:
        """The spec; faults of keys that do not fit the type are recorded, not fatal.

        `required_if` is checked by `check_required_if` once the siblings are known.
        """
        ftype = self.type
        choices: tuple[tuple[str, str], ...] = ()
        if isinstance(self.choices, str):
            if self.choices not in scope.choice_sets:
                problems.add(join(path, "choices"), f"unknown choice set {self.choices!r}")
            choices = scope.choice_sets.get(self.choices, ())
        elif self.choices is not None:
            choices = tuple(self.choices.items())
        if ftype == "enum" and self.choices is None:
            problems.add(path, "an enum field needs choices")
        elif ftype != "enum" and self.choices is not None:
            problems.add(join(path, "choices"), "only enum fields have choices")
        self._check_keys_fit(path, problems)

        items: list[FieldSpec] = []
        if ftype == "list":
            if not self.items:
                problems.add(path, "a list field needs items (the fields of one record)")
            for item_name, item in self.items.items():
                item_path = join(join(path, "items"), item_name)
                if item.type == "list":
                    problems.add(join(item_path, "type"), "a list's items cannot be lists")
                for key in ("prefill", "suggested_for"):
                    if getattr(item, key):
                        problems.add(join(item_path, key), f"only a type's own fields have {key}")
                items.append(item.to_spec(item_name, item_path, scope, problems))
            check_required_if(self.items, items, join(path, "items"), {}, problems)
        spec = FieldSpec(
            name=name,
            type=ftype,
            label=self.label,
            required=self.required,
            choices=choices,
            max_length=self.max_length,
            min=self.min,
            max=self.max,
            personal=self.personal,
            internal=self.internal,
            help=self.help,
            pattern=self.pattern,
            pattern_message=self.pattern_message,
            items=tuple(items),
            min_items=self.min_items,
            max_items=self.max_items,
            link_types=tuple(self.link_types),
            prefill=tuple(self.prefill.items()),
            suggested_for=tuple(self.suggested_for),
        )
        if scope.known_types is not None:
            for i, linked in enumerate(self.link_types):
                if linked not in scope.known_types and linked != scope.type_name:
                    problems.add(join(join(path, "link_types"), i), f"unknown case type {linked!r}")
        default = None
        if self.default is not None:
            default = literal_value(spec, self.default, join(path, "default"), problems)
        required_if = tuple(
            (key, tuple(value) if isinstance(value, list) else (value,))
            for key, value in self.required_if.items()
        )
        return replace(spec, default=default, required_if=required_if)

    def _check_keys_fit(self, path: str, problems: Problems) -> None:
        ftype = self.type
        only: list[tuple[str, bool, str]] = [
            ("items", ftype == "list", "only list fields have items"),
            ("min_items", ftype == "list", "only list fields have min_items"),
            ("max_items", ftype == "list", "only list fields have max_items"),
            ("link_types", ftype == "case_link", "only case_link fields have link_types"),
            ("prefill", ftype == "case_link", "only case_link fields have prefill"),
            ("suggested_for", ftype == "case_link", "only case_link fields have suggested_for"),
            ("pattern", ftype in ("string", "text"), "only string and text fields have a pattern"),
            ("min", ftype in NUMBER_TYPES, "only int, number and money fields have min"),
            ("max", ftype in NUMBER_TYPES, "only int, number and money fields have max"),
            ("max_length", ftype in TEXT_TYPES, "only text fields have max_length"),
        ]
        for key, fits, message in only:
            if key in self.model_fields_set and not fits:
                problems.add(join(path, key), message)
        if ftype == "case_link" and not self.link_types:
            problems.add(path, "a case_link field needs link_types (the types it may point to)")
        if self.pattern is not None:
            try:
                re.compile(self.pattern)
            except re.error as exc:
                problems.add(join(path, "pattern"), f"bad regular expression ({exc})")
        if self.pattern_message and self.pattern is None:
            problems.add(join(path, "pattern_message"), "pattern_message without a pattern")
        for low, high in (("min", "max"), ("min_items", "max_items")):
            low_value, high_value = getattr(self, low), getattr(self, high)
            if low_value is not None and high_value is not None and low_value > high_value:
                problems.add(join(path, low), f"{low} is greater than {high}")


def parse_fields(
    raw: Mapping[str, FieldModel], path: str, scope: Scope, problems: Problems
) -> list[FieldSpec]:
    """A mapping of fields (a type's fields, an action's inputs, a document's data)."""
    return [model.to_spec(name, join(path, name), scope, problems) for name, model in raw.items()]


def check_required_if(
    models: Mapping[str, FieldModel],
    specs: list[FieldSpec],
    path: str,
    outer: Mapping[str, FieldSpec],
    problems: Problems,
) -> None:
    """`required_if` names a sibling (or, for inputs, a field of the case) and its values."""
    siblings = {s.name: s for s in specs}
    for spec in specs:
        model = models.get(spec.name)
        if model is None:
            continue
        for key, values in spec.required_if:
            where = join(join(join(path, spec.name), "required_if"), key)
            other = siblings.get(key) or outer.get(key)
            if other is None:
                problems.add(where, f"unknown field {key!r}")
                continue
            for value in values:
                literal_value(other, value, where, problems)


# ---------------------------------------------------------------------------------------------
# Literal values and flows between fields


def _literal_fault(spec: FieldSpec, value: Any) -> str | None:
    """Why `value` cannot be the value of `spec`; None when it can."""
    kind = spec.type
    what = f"{spec.name!r} is {an(kind)} field"
    if value is None:
        return "null is not a value (use absent, or clear)"
    if kind == "bool":
        return None if isinstance(value, bool) else f"{what}: expected true or false"
    if isinstance(value, bool):
        return f"{what}: true/false is not {an(kind)}"
    if kind == "enum":
        codes = [c for c, _ in spec.choices]
        if not spec.choices or value in codes:
            return None
        return f"{value!r} is not a choice of {spec.name!r} ({', '.join(codes)})"
    if kind in TEXT_TYPES:
        if not isinstance(value, str):
            return f"{what}: expected text, got {value!r}"
        checks = {"phone": phone_valid, "id_number": id_number_valid}
        checks["credit_code"] = credit_code_valid
        if kind in checks and not checks[kind](value):
            return f"{what}: {value!r} is not a valid {kind}"
        if spec.pattern and not re.fullmatch(spec.pattern, value):
            return f"{what}: {value!r} does not match its pattern"
        if spec.max_length is not None and len(value) > spec.max_length:
            return f"{what}: {value!r} is longer than {spec.max_length}"
        return None
    if kind in NUMBER_TYPES:
        return _number_fault(spec, value, what)
    if kind == "date":
        return _date_fault(value, what)
    if kind == "datetime":
        return _datetime_fault(value, what)
    if kind == "unit":
        return None if isinstance(value, str) else f"{what}: expected a unit id"
    if kind == "unit_list":
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return None
        return f"{what}: expected a list of unit ids"
    if kind == "case_link":
        return None if isinstance(value, int) and value > 0 else f"{what}: expected a case id"
    return f"{what}: it takes no literal value"


def _number_fault(spec: FieldSpec, value: Any, what: str) -> str | None:
    if spec.type == "int" and not isinstance(value, int):
        return f"{what}: expected a whole number, got {value!r}"
    if spec.type == "number" and not isinstance(value, int | float):
        return f"{what}: expected a number, got {value!r}"
    if spec.type == "money":
        try:
            amount = Decimal(str(value)) if isinstance(value, int | float | str) else None
        except InvalidOperation:
            amount = None
        exponent = amount.as_tuple().exponent if amount is not None else 0
        if amount is None or not amount.is_finite() or not isinstance(exponent, int):
            return f"{what}: expected an amount in yuan, got {value!r}"
        if exponent < -2:
            return f"{what}: {value!r} has more than two decimals"
        value = float(amount)
    if spec.min is not None and value < spec.min:
        return f"{what}: {value!r} is below its min {spec.min:g}"
    if spec.max is not None and value > spec.max:
        return f"{what}: {value!r} is above its max {spec.max:g}"
    return None


def _date_fault(value: Any, what: str) -> str | None:
    if isinstance(value, date) and not isinstance(value, datetime):
        return None
    if isinstance(value, str):
        try:
            date.fromisoformat(value)
            return None
        except ValueError:
            pass
    hint = " (the token today is the action's local date)" if value == "now" else ""
    return f"{what}: {value!r} is not a date{hint}"


def _datetime_fault(value: Any, what: str) -> str | None:
    moment: datetime | None = value if isinstance(value, datetime) else None
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            moment = None
    if moment is not None and moment.tzinfo is not None:
        return None
    return f"{what}: {value!r} is not an instant with its UTC offset"


def literal_value(spec: FieldSpec, value: Any, path: str, problems: Problems) -> Any:
    """`value` as `spec` stores it (dates as ISO text, money as "12.50"); faults recorded."""
    problem = _literal_fault(spec, value)
    if problem:
        problems.add(path, problem)
        return value
    if isinstance(value, date):  # YAML reads 2023-09-28 as a date
        return value.isoformat()
    if spec.type == "money":
        return f"{Decimal(str(value)):.2f}"
    return value


def comparable_value(spec: FieldSpec, value: Any, path: str, problems: Problems) -> Any:
    """A guard's literal: checked like a stored value, but numbers stay numbers."""
    problem = _literal_fault(spec, value)
    if not problem and spec.type == "money" and isinstance(value, str):
        problem = f"{spec.name!r} is a money field: compare with a number, got {value!r}"
    if problem:
        problems.add(path, problem)
    return value.isoformat() if isinstance(value, date) else value


def assignable(source_type: str, target: FieldSpec, source: FieldSpec | None = None) -> bool:
    """Whether a value of `source_type` may be stored in `target` (`set`, `prefill`)."""
    if source_type == target.type:
        if source is not None and source.type == "enum" and target.choices:
            codes = {c for c, _ in target.choices}
            return all(c in codes for c, _ in source.choices)
        return True
    if target.type in ("string", "text"):
        return source_type in TEXT_TYPES or source_type == "enum"
    return (source_type, target.type) in _WIDENING


def family(field_type: str) -> str:
    """Which types compare with which (a guard comparing two references)."""
    if field_type in TEXT_TYPES or field_type == "enum":
        return "text"
    if field_type in NUMBER_TYPES:
        return "number"
    return field_type
