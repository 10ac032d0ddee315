"""An action's `guards:`: conditions besides role and state, each with its refusal.

A guard is a mapping with exactly one kind key (`field`, `count`, `document`, `all`, `any`,
`not`, `clock_within`, `mark`, `no_mark`), a comparison where the kind takes one, and a
`message` (required at the top level; the refusal shown in Chinese).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import Discriminator, Field, Tag, model_validator

from fazhi.domain.case_type.file_common import TAG, FileModel, Problems, Scope, an, fault, join
from fazhi.domain.case_type.file_fields import ORDERED_TYPES, comparable_value, family
from fazhi.domain.case_type.spec import GUARD_OPS, FieldSpec, Guard, Ref

KIND_KEYS = ("field", "count", "document", "all", "any", "not", "clock_within", "mark", "no_mark")
# GUARD_OPS in the order a fault message lists them.
_OPS = ("eq", "ne", "in", "not_in", "lt", "le", "gt", "ge", "present", "absent")
_ORDER_OPS = frozenset({"lt", "le", "gt", "ge"})
_COUNT_OPS = ("eq", "ne", "lt", "le", "gt", "ge")


class _GuardModel(FileModel):
    message: str | None = None

    def given_ops(self, ops: tuple[str, ...]) -> list[str]:
        # `in` and `not` are Python keywords: their attributes end with _.
        return [op for op in ops if (op if op != "in" else "in_") in self.model_fields_set]

    def op_value(self, op: str) -> Any:
        return getattr(self, op if op != "in" else "in_")

    def _one_op(self, ops: tuple[str, ...]) -> None:
        given = self.given_ops(ops)
        if len(given) != 1:
            found = f" (found {', '.join(given)})" if given else ""
            raise fault("guard_op", f"a comparison needs exactly one of {', '.join(ops)}{found}")


class FieldGuardModel(_GuardModel):
    """`{field: REF, OP: VALUE}`: REF is `name`, `input.name` or `document.KIND.FIELD`."""

    field: str
    eq: Any = None
    ne: Any = None
    in_: list[Any] | None = Field(None, alias="in")
    not_in: list[Any] | None = None
    lt: Any = None
    le: Any = None
    gt: Any = None
    ge: Any = None
    present: Any = None
    absent: Any = None

    @model_validator(mode="after")
    def _exactly_one_op(self) -> FieldGuardModel:
        self._one_op(_OPS)
        return self


class CountGuardModel(_GuardModel):
    """`{count: LISTFIELD | document.KIND, OP: N}`."""

    count: str
    eq: Any = None
    ne: Any = None
    lt: Any = None
    le: Any = None
    gt: Any = None
    ge: Any = None

    @model_validator(mode="after")
    def _exactly_one_op(self) -> CountGuardModel:
        self._one_op(_COUNT_OPS)
        return self


class DocumentGuardModel(_GuardModel):
    """`{document: KIND}`: at least one active document of that kind."""

    document: str


class AllGuardModel(_GuardModel):
    all: Annotated[list[GuardModel], Field(min_length=1)]


class AnyGuardModel(_GuardModel):
    any: Annotated[list[GuardModel], Field(min_length=1)]


class NotGuardModel(_GuardModel):
    not_: GuardModel = Field(alias="not")


class ClockWithinGuardModel(_GuardModel):
    clock_within: str


class MarkGuardModel(_GuardModel):
    mark: str


class NoMarkGuardModel(_GuardModel):
    no_mark: str


class _NoKindGuardModel(_GuardModel):
    """A mapping without a kind key: refused, naming the keys that are not known."""

    @model_validator(mode="before")
    @classmethod
    def _refuse(cls, value: Any) -> Any:
        known = {"message", *GUARD_OPS}
        unknown = [str(k) for k in value if k not in known]
        kinds = ", ".join(KIND_KEYS)
        if unknown:
            listed = ", ".join(f"'{k}'" for k in unknown)
            word = "key" if len(unknown) == 1 else "keys"
            raise fault("guard_kind", f"unknown {word} {listed} (a guard needs one of {kinds})")
        raise fault("guard_kind", f"a guard needs one of {kinds}")


class _ManyKindsGuardModel(_GuardModel):
    @model_validator(mode="before")
    @classmethod
    def _refuse(cls, value: Any) -> Any:
        found = ", ".join(k for k in KIND_KEYS if k in value)
        raise fault("guard_kind", f"a guard has one kind key; found {found} (combine with all/any)")


def _guard_tag(value: Any) -> str | None:
    if not isinstance(value, Mapping):
        return None
    kinds = [k for k in KIND_KEYS if k in value]
    if len(kinds) == 1:
        return TAG + kinds[0]
    return f"{TAG}none" if not kinds else f"{TAG}many"


GuardModel = Annotated[
    Annotated[FieldGuardModel, Tag(f"{TAG}field")]
    | Annotated[CountGuardModel, Tag(f"{TAG}count")]
    | Annotated[DocumentGuardModel, Tag(f"{TAG}document")]
    | Annotated[AllGuardModel, Tag(f"{TAG}all")]
    | Annotated[AnyGuardModel, Tag(f"{TAG}any")]
    | Annotated[NotGuardModel, Tag(f"{TAG}not")]
    | Annotated[ClockWithinGuardModel, Tag(f"{TAG}clock_within")]
    | Annotated[MarkGuardModel, Tag(f"{TAG}mark")]
    | Annotated[NoMarkGuardModel, Tag(f"{TAG}no_mark")]
    | Annotated[_NoKindGuardModel, Tag(f"{TAG}none")]
    | Annotated[_ManyKindsGuardModel, Tag(f"{TAG}many")],
    Discriminator(
        _guard_tag, custom_error_type="guard_shape", custom_error_message="a guard is a mapping"
    ),
]

for _model in (AllGuardModel, AnyGuardModel, NotGuardModel):
    _model.model_rebuild()


# ---------------------------------------------------------------------------------------------
# Conversion


@dataclass(frozen=True)
class GuardScope:
    """Where an action's guards resolve: the file's scope and the action's inputs."""

    scope: Scope
    inputs: Mapping[str, FieldSpec]
    problems: Problems


def parse_ref(text: str, path: str, gs: GuardScope) -> tuple[Ref, FieldSpec | None] | None:
    """`name` / `input.name` / `document.KIND.FIELD` → the Ref and the field it reads."""
    parts = text.split(".")
    problems = gs.problems
    if len(parts) == 1:
        return Ref("field", text), gs.scope.check_field(text, path, problems)
    if parts[0] == "input" and len(parts) == 2:
        if parts[1] not in gs.inputs:
            problems.add(path, f"unknown input {parts[1]!r}")
        return Ref("input", parts[1]), gs.inputs.get(parts[1])
    if parts[0] == "document" and len(parts) == 3:
        kind, key = parts[1], parts[2]
        if kind not in gs.scope.document_names:
            problems.add(path, f"unknown document kind {kind!r}")
            return Ref("document", kind, key), None
        doc = gs.scope.documents.get(kind)
        spec = doc.field(key) if doc else None
        if doc is not None and spec is None:
            problems.add(path, f"document kind {kind!r} has no field {key!r}")
        return Ref("document", kind, key), spec
    if parts[0] == "document" and len(parts) == 2:
        problems.add(
            path, f"{text!r} names no field: write {text}.FIELD, or use document: / count:"
        )
        return None
    problems.add(
        path, f"unknown reference {text!r} (write NAME, input.NAME or document.KIND.FIELD)"
    )
    return None


def _count_ref(text: str, path: str, gs: GuardScope) -> Ref | None:
    parts = text.split(".")
    if parts[0] == "document" and len(parts) == 2:
        if parts[1] not in gs.scope.document_names:
            gs.problems.add(path, f"unknown document kind {parts[1]!r}")
        return Ref("document", parts[1], count=True)
    found = parse_ref(text, path, gs)
    if found is None:
        return None
    ref, spec = found
    if ref.source == "document":
        gs.problems.add(path, "count takes a list field or document.KIND")
        return None
    if spec is not None and spec.type != "list":
        gs.problems.add(path, f"count takes a list field; {text!r} is {an(spec.type)} field")
    return Ref(ref.source, ref.name, count=True)


def _operand(
    op: str, raw: Any, left: FieldSpec | None, path: str, gs: GuardScope
) -> tuple[Any, Ref | None]:
    """A comparison's value: a literal checked against the left side, or `{field: REF}`."""
    problems = gs.problems
    if op in ("present", "absent"):
        if raw is not True:
            problems.add(path, f"{op} takes true")
        return None, None
    if left is not None and op in _ORDER_OPS and left.type not in ORDERED_TYPES:
        problems.add(
            path, f"{op} compares numbers, amounts or dates; {left.name!r} is {an(left.type)}"
        )
        left = None
    if isinstance(raw, Mapping):
        if set(raw) != {"field"} or not isinstance(raw["field"], str):
            problems.add(path, "expected a value or {field: REF}")
            return None, None
        found = parse_ref(raw["field"], join(path, "field"), gs)
        if found is None:
            return None, None
        right, spec = found
        if left is not None and spec is not None and family(left.type) != family(spec.type):
            problems.add(path, f"cannot compare {an(left.type)} field with {an(spec.type)} field")
        return None, right
    if left is None:
        return raw, None
    if op in ("in", "not_in"):
        return [
            comparable_value(left, v, join(path, i), gs.problems) for i, v in enumerate(raw)
        ], None
    return comparable_value(left, raw, path, gs.problems), None


def to_guard(model: Any, path: str, gs: GuardScope) -> Guard:
    """The Guard spec of a validated guard model, its references resolved."""
    message = model.message or ""
    if isinstance(model, FieldGuardModel):
        (op,) = model.given_ops(_OPS)
        found = parse_ref(model.field, join(path, "field"), gs)
        left, spec = found if found else (None, None)
        value, right = _operand(op, model.op_value(op), spec, join(path, op), gs)
        return Guard("field", model.field, op, value, message, left=left, right=right)
    if isinstance(model, CountGuardModel):
        (op,) = model.given_ops(_COUNT_OPS)
        left = _count_ref(model.count, join(path, "count"), gs)
        raw = model.op_value(op)
        value, right = None, None
        if isinstance(raw, Mapping):
            counted = FieldSpec(model.count, "int", model.count)
            value, right = _operand(op, raw, counted, join(path, op), gs)
        elif not isinstance(raw, int) or isinstance(raw, bool) or raw < 0:
            gs.problems.add(join(path, op), f"a count compares with a whole number, got {raw!r}")
        else:
            value = raw
        return Guard("field", model.count, op, value, message, left=left, right=right)
    if isinstance(model, DocumentGuardModel):
        if model.document not in gs.scope.document_names:
            gs.problems.add(join(path, "document"), f"unknown document kind {model.document!r}")
        left = Ref("document", model.document, count=True)
        return Guard("field", f"document.{model.document}", "ge", 1, message, left=left)
    if isinstance(model, AllGuardModel | AnyGuardModel):
        kind = "all" if isinstance(model, AllGuardModel) else "any"
        items = model.all if isinstance(model, AllGuardModel) else model.any
        children = tuple(
            to_guard(child, join(join(path, kind), i), gs) for i, child in enumerate(items)
        )
        return Guard(kind, message=message, children=children)
    if isinstance(model, NotGuardModel):
        child = to_guard(model.not_, join(path, "not"), gs)
        return Guard("not", message=message, children=(child,))
    if isinstance(model, ClockWithinGuardModel):
        gs.scope.check_clock(model.clock_within, join(path, "clock_within"), gs.problems)
        return Guard("clock_within", model.clock_within, message=message)
    if isinstance(model, MarkGuardModel):
        return Guard("mark", model.mark, message=message)
    assert isinstance(model, NoMarkGuardModel)
    return Guard("no_mark", model.no_mark, message=message)
