"""An action's `effects:`: what it does to the case's fields, units and marks."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import Discriminator, Field, Tag, model_validator

from fazhi.domain.case_type.file_common import (
    TAG,
    FileModel,
    Name,
    Names,
    Problems,
    Scope,
    an,
    fault,
    join,
)
from fazhi.domain.case_type.file_fields import assignable, literal_value
from fazhi.domain.case_type.spec import SET_TOKENS, Effects, FieldSpec, ValueExpr

# The field types each token may be stored in (actor is {id, username, name}, shown by name).
TOKEN_TYPES: dict[str, tuple[str, ...]] = {
    "now": ("datetime",),
    "today": ("date",),
    "actor": ("person_name", "string"),
    "actor_unit": ("unit",),
}


class ComputeModel(FileModel):
    """`{compute: HOOK}`: the value a compute hook registered in code returns."""

    compute: str


class ValueModel(FileModel):
    """`{value: …}`: a literal, also one that reads like a token (`{value: now}`)."""

    value: Any


class _BadSetValueModel(FileModel):
    @model_validator(mode="before")
    @classmethod
    def _refuse(cls, value: Any) -> Any:
        raise fault(
            "set_value",
            "expected a token, input.NAME, field.NAME, {compute: HOOK}, {value: …} or a literal",
        )


def _set_tag(value: Any) -> str:
    if isinstance(value, Mapping):
        if set(value) == {"compute"}:
            return f"{TAG}compute"
        if set(value) == {"value"}:
            return f"{TAG}value"
        return f"{TAG}bad"
    return f"{TAG}plain"


SetValue = Annotated[
    Annotated[ComputeModel, Tag(f"{TAG}compute")]
    | Annotated[ValueModel, Tag(f"{TAG}value")]
    | Annotated[_BadSetValueModel, Tag(f"{TAG}bad")]
    | Annotated[Any, Tag(f"{TAG}plain")],
    Discriminator(_set_tag),
]


class EffectsModel(FileModel):
    set: dict[Name, SetValue] = Field(default_factory=dict)
    increment: Names = Field(default_factory=list)
    clear: Names = Field(default_factory=list)
    assign_lead: str | None = None  # an input of type unit, or actor_unit
    assign_assisting: str | None = None  # an input of type unit_list
    mark: str | None = None  # input.NAME, or a literal mark kind
    unmark: str | None = None
    open_to_units: bool | None = None
    append: dict[Name, Names] = Field(default_factory=dict)

    def to_spec(
        self, path: str, scope: Scope, inputs: Mapping[str, FieldSpec], problems: Problems
    ) -> Effects:
        values: list[tuple[str, ValueExpr]] = []
        for target, raw in self.set.items():
            where = join(join(path, "set"), target)
            spec = scope.check_field(target, where, problems)
            values.append((target, _value_expr(raw, spec, where, scope, inputs, problems)))
        for i, name in enumerate(self.increment):
            where = join(join(path, "increment"), i)
            spec = scope.check_field(name, where, problems)
            if spec is not None and spec.type not in ("int", "number"):
                problems.add(where, f"increment takes an int field; {name!r} is {an(spec.type)}")
        for i, name in enumerate(self.clear):
            scope.check_field(name, join(join(path, "clear"), i), problems)
        for key, wanted in (("assign_lead", "unit"), ("assign_assisting", "unit_list")):
            ref = getattr(self, key)
            if ref is None or (key == "assign_lead" and ref == "actor_unit"):
                continue
            spec = inputs.get(ref)
            if spec is None:
                problems.add(join(path, key), f"unknown input {ref!r}")
            elif spec.type != wanted:
                problems.add(
                    join(path, key), f"{key} takes {an(wanted)} input; {ref!r} is {an(spec.type)}"
                )
        for key in ("mark", "unmark"):
            ref = getattr(self, key)
            if isinstance(ref, str) and ref.startswith("input.") and ref[6:] not in inputs:
                problems.add(join(path, key), f"unknown input {ref[6:]!r}")
        for target, names in self.append.items():
            self._check_append(
                join(join(path, "append"), target), target, names, scope, inputs, problems
            )
        return Effects(
            append=tuple((target, tuple(names)) for target, names in self.append.items()),
            assign_lead=self.assign_lead,
            assign_assisting=self.assign_assisting,
            increment=tuple(self.increment),
            set=tuple(values),
            clear=tuple(self.clear),
            mark=self.mark,
            unmark=self.unmark,
            open_to_units=self.open_to_units,
        )

    @staticmethod
    def _check_append(
        path: str,
        target: str,
        names: list[str],
        scope: Scope,
        inputs: Mapping[str, FieldSpec],
        problems: Problems,
    ) -> None:
        """Each named input exists, names an item field of the list, and fits its type."""
        spec = scope.check_field(target, path, problems)
        if spec is None:
            return
        if spec.type != "list":
            problems.add(path, f"append takes a list field; {target!r} is {an(spec.type)}")
            return
        for i, name in enumerate(names):
            where = join(path, i)
            given = inputs.get(name)
            item = spec.item(name)
            if given is None:
                problems.add(where, f"unknown input {name!r}")
            elif item is None:
                problems.add(where, f"{target!r} records have no field {name!r}")
            elif given.type != item.type:
                problems.add(
                    where,
                    f"input {name!r} is {an(given.type)}; {target}.{name} is {an(item.type)}",
                )
        for item in spec.items:
            if item.required and item.name not in names and item.default is None:
                problems.add(path, f"a new record needs its required field {item.name!r}")


def _value_expr(
    raw: Any,
    target: FieldSpec | None,
    path: str,
    scope: Scope,
    inputs: Mapping[str, FieldSpec],
    problems: Problems,
) -> ValueExpr:
    """One `set:` value; its type is checked against the target field when that is known."""
    if isinstance(raw, ComputeModel):
        hooks = scope.compute_hooks
        if hooks is not None:
            returns = hooks.get(raw.compute)
            if returns is None:
                problems.add(join(path, "compute"), f"unknown compute hook {raw.compute!r}")
            elif target is not None and not assignable(returns, target):
                problems.add(
                    path,
                    f"compute hook {raw.compute!r} returns {an(returns)}; "
                    f"{target.name!r} is {an(target.type)} field",
                )
        return ValueExpr("compute", raw.compute)
    if isinstance(raw, ValueModel):
        value = literal_value(target, raw.value, path, problems) if target else raw.value
        return ValueExpr("literal", value)
    if isinstance(raw, str) and raw in SET_TOKENS:
        if target is not None and target.type not in TOKEN_TYPES[raw]:
            problems.add(
                path,
                f"the token {raw} goes in a {' or '.join(TOKEN_TYPES[raw])} field; "
                f"{target.name!r} is {an(target.type)} field (write {{value: {raw}}} for the text)",
            )
        return ValueExpr("token", raw)
    for prefix, kind in (("input.", "input"), ("field.", "field")):
        if isinstance(raw, str) and raw.startswith(prefix):
            name = raw[len(prefix) :]
            if kind == "input":
                source = inputs.get(name)
                if source is None:
                    problems.add(path, f"unknown input {name!r}")
            else:
                source = scope.check_field(name, path, problems)
            if (
                source is not None
                and target is not None
                and not assignable(source.type, target, source)
            ):
                problems.add(
                    path,
                    f"{raw} is {an(source.type)}; {target.name!r} is {an(target.type)} field",
                )
            return ValueExpr(kind, name)  # type: ignore[arg-type]
    value = literal_value(target, raw, path, problems) if target else raw
    return ValueExpr("literal", value)
