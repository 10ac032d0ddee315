"""The top level of a type file: its identity, visibility, states, lists and queues; and the
checks of links between types, which need every type loaded."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field

from fazhi.domain.case_type.file_common import (
    DurationText,
    FileModel,
    Names,
    Problems,
    Scope,
    an,
    fault,
    join,
)
from fazhi.domain.case_type.file_fields import assignable
from fazhi.domain.case_type.spec import CaseType, FieldSpec, RepeatCallRule, StateSpec, Visibility

_MODULE = re.compile(r"^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)*$")


def _pattern(regex: str, message: str) -> AfterValidator:
    compiled = re.compile(regex)

    def check(value: str) -> str:
        if not compiled.match(value):
            raise fault("bad_value", f"{message} (got {value!r})")
        return value

    return AfterValidator(check)


HookModule = Annotated[str, _pattern(_MODULE.pattern, "a hook module is a dotted module name")]


class StateModel(FileModel):
    label: str
    terminal: bool = False

    def to_spec(self, name: str) -> StateSpec:
        return StateSpec(name, self.label, self.terminal)


class VisibilityModel(FileModel):
    """Which roles may see the type's cases at all; restricted: every read is an event;
    export_watermark: every file holding one of its cases names who took it and when."""

    roles: Annotated[Names, Field(min_length=1)]
    sensitivity: Literal["normal", "restricted"] = "normal"
    export_watermark: bool = False


class RepeatCallsModel(FileModel):
    """A case whose `field` (a phone) was seen on a case of this type within `window`."""

    field: str
    window: DurationText


class TypeFileModel(FileModel):
    """The top level. The sections (fields … notify) are validated entry by entry by their
    own modules, so one malformed entry does not hide the faults of the others; they are
    named here so that an unknown top-level key is refused."""

    type: Annotated[str, _pattern(r"^[a-z_]+$", "a type name is lower-case letters and _")]
    label: str
    number_prefix: Annotated[str, _pattern(r"^[A-Z]+$", "should be upper-case letters")]
    description: str = ""
    hooks: list[
        Annotated[str, _pattern(_MODULE.pattern, "a hook module is a dotted module name")]
    ] = Field(default_factory=list)
    visibility: VisibilityModel
    title_field: str | None = None
    summary_fields: Names = Field(default_factory=list)
    category_field: str | None = None
    queues: dict[str, Names] = Field(default_factory=dict)
    repeat_calls: RepeatCallsModel | None = None
    fields: Any = None
    states: Any = None
    documents: Any = None
    actions: Any = None
    clocks: Any = None
    metrics: Any = None
    rates: Any = None
    schedules: Any = None
    notify: Any = None

    def check_references(self, scope: Scope, problems: Problems) -> None:
        for key in ("title_field", "category_field"):
            name = getattr(self, key)
            if name is not None:
                spec = scope.check_field(name, key, problems)
                if key == "category_field" and spec is not None and spec.type != "enum":
                    problems.add(
                        key, f"the category field should be an enum; {name!r} is {an(spec.type)}"
                    )
        for i, name in enumerate(self.summary_fields):
            scope.check_field(name, join("summary_fields", i), problems)
        for role, states in self.queues.items():
            where = join("queues", role)
            scope.check_role(role, where, problems)
            for i, state in enumerate(states):
                scope.check_state(state, join(where, i), problems)
        for i, role in enumerate(self.visibility.roles):
            scope.check_role(role, join(join("visibility", "roles"), i), problems)
        if self.repeat_calls is not None:
            where = join("repeat_calls", "field")
            spec = scope.check_field(self.repeat_calls.field, where, problems)
            if spec is not None and spec.type != "phone":
                problems.add(
                    where,
                    f"repeat calls are found by a phone field; {spec.name!r} is {an(spec.type)}",
                )
        for spec in scope.fields.values():
            for target, _ in spec.prefill:
                where = join(join(join("fields", spec.name), "prefill"), target)
                field = scope.check_field(target, where, problems)
                if field is not None and field.internal:
                    problems.add(where, f"{target!r} is internal: a create form does not fill it")

    def visibility_spec(self) -> Visibility:
        v = self.visibility
        return Visibility(tuple(v.roles), v.sensitivity, v.export_watermark)

    def repeat_calls_spec(self) -> RepeatCallRule | None:
        rule = self.repeat_calls
        return RepeatCallRule(rule.field, rule.window) if rule else None


# ---------------------------------------------------------------------------------------------
# Links between types


def _case_links(case_type: CaseType) -> Iterator[tuple[str, FieldSpec]]:
    """Every case_link field of a type, with its path in the file."""

    def walk(path: str, specs: tuple[FieldSpec, ...]) -> Iterator[tuple[str, FieldSpec]]:
        for spec in specs:
            where = join(path, spec.name)
            if spec.type == "case_link":
                yield where, spec
            yield from walk(join(where, "items"), spec.items)

    yield from walk("fields", case_type.fields)
    for action in case_type.actions:
        own = tuple(i for i in action.inputs if case_type.field(i.name) is not i)
        yield from walk(join(join("actions", action.name), "inputs"), own)
    for doc in case_type.documents:
        yield from walk(join(join("documents", doc.name), "fields"), doc.fields)


def link_faults(types: Mapping[str, CaseType]) -> dict[str, list[str]]:
    """Faults of `link_types`, `prefill` and `suggested_for` across types, by type name
    (none: no entry).

    `prefill` maps this type's field to a field of the linked type, copied when a case of
    this type is opened from one of that type. `suggested_for` names categories of the
    linked types: each must be a choice of some linked type's `category_field`.
    """
    out: dict[str, list[str]] = {}
    for case_type in types.values():
        problems = Problems()
        for path, spec in _case_links(case_type):
            categories = {
                code for linked in spec.link_types for code in _category_codes(types.get(linked))
            }
            for i, code in enumerate(spec.suggested_for):
                if code not in categories:
                    problems.add(
                        join(join(path, "suggested_for"), i),
                        f"{code!r} is not a category of {', '.join(spec.link_types)}",
                    )
            for i, linked in enumerate(spec.link_types):
                other = types.get(linked)
                if other is None:
                    problems.add(join(join(path, "link_types"), i), f"unknown case type {linked!r}")
                    continue
                for target, source in spec.prefill:
                    where = join(join(path, "prefill"), target)
                    source_spec = other.field(source)
                    target_spec = case_type.field(target)
                    if source_spec is None:
                        problems.add(where, f"case type {linked!r} has no field {source!r}")
                    elif target_spec is not None and not assignable(
                        source_spec.type, target_spec, source_spec
                    ):
                        problems.add(
                            where,
                            f"{linked}.{source} is {an(source_spec.type)}; "
                            f"{target!r} is {an(target_spec.type)} field",
                        )
        if problems:
            out[case_type.name] = problems.texts()
    return out


def _category_codes(case_type: CaseType | None) -> tuple[str, ...]:
    """The choices of a type's category field (none when it has no such field)."""
    name = case_type.category_field if case_type is not None else None
    spec = case_type.field(name) if case_type is not None and name else None
    return tuple(code for code, _ in spec.choices) if spec is not None else ()
