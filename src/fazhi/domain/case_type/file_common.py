"""What every section of a type file shares: the strict model base, names, durations, fault
paths, and the scope in which references are resolved.

A type file is checked in two passes. First each entry of each section (a field, an action,
a clock, ...) is validated on its own by its Pydantic model, so one malformed entry does not
hide the faults of the others; then each model converts itself into its spec, resolving
references against the `Scope` (names declared anywhere in the file count as declared even
when their own entry was malformed, so one fault is not reported again at every use).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    PlainValidator,
    model_validator,
)
from pydantic import ValidationError as PydanticValidationError
from pydantic_core import ErrorDetails, PydanticCustomError

from fazhi.domain.case_type.spec import ActionSpec, DocumentKind, FieldSpec, StateSpec
from fazhi.domain.durations import Duration

NAME = re.compile(r"^[a-z][a-z0-9_]*$")
# Pydantic union tags start with this mark; they are dropped from the paths shown to people.
TAG = "§"


class FileModel(BaseModel):
    """A mapping of a type file: unknown keys are faults, values are not coerced
    (`required: "yes"` is refused rather than read as true)."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    @model_validator(mode="before")
    @classmethod
    def _bare_on(cls, value: Any) -> Any:
        # YAML 1.1 reads a bare `on:` key as the boolean true.
        if not isinstance(value, Mapping) or "on" not in cls.model_fields or "on" in value:
            return value
        return {("on" if k is True else k): v for k, v in value.items()}


# ---------------------------------------------------------------------------------------------
# Reusable value types


def fault(kind: str, message: str) -> PydanticCustomError:
    return PydanticCustomError(kind, message)


def _name(value: str) -> str:
    if not NAME.match(value):
        raise fault("bad_name", f"bad name {value!r} (lower-case letters, digits and _)")
    return value


def _duration(value: Any) -> Duration:
    if not isinstance(value, str):
        raise fault("bad_duration", f"bad duration {value!r} (write 30min, 24h, 5wd, 20cd or 3mo)")
    try:
        return Duration.parse(value)
    except ValueError:
        raise fault(
            "bad_duration", f"bad duration {value!r} (write 30min, 24h, 5wd, 20cd or 3mo)"
        ) from None


def _listed(value: Any) -> Any:
    """`roles: operator` is sugar for `roles: [operator]`."""
    return [value] if isinstance(value, str) else value


def one_of(what: str, allowed: frozenset[str]) -> AfterValidator:
    def check(value: str) -> str:
        if value not in allowed:
            raise fault(
                "unknown_value",
                f"unknown {what} {value!r} (expected one of {', '.join(sorted(allowed))})",
            )
        return value

    return AfterValidator(check)


Name = Annotated[str, AfterValidator(_name)]
Names = Annotated[list[str], BeforeValidator(_listed)]
DurationText = Annotated[Duration, PlainValidator(_duration)]


# ---------------------------------------------------------------------------------------------
# Faults and their paths


def an(word: str) -> str:
    """`an enum`, `a list`: field types in messages."""
    return f"{'an' if word[:1] in tuple('aeio') else 'a'} {word}"


def join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else str(key)


ROOT = "(root)"

_MESSAGES = {
    "string_type": "expected text",
    "bool_type": "expected true or false",
    "int_type": "expected a whole number",
    "float_type": "expected a number",
    "list_type": "expected a list",
    "dict_type": "expected a mapping",
    "model_type": "expected a mapping",
    "model_attributes_type": "expected a mapping",
}


def _got(value: Any) -> str:
    if isinstance(value, dict | list):
        return f" (got a {'mapping' if isinstance(value, dict) else 'list'})"
    return f" (got {value!r})"


def _describe(error: ErrorDetails) -> tuple[list[str | int], str]:
    loc = [p for p in error["loc"] if not (isinstance(p, str) and p.startswith(TAG))]
    kind = error["type"]
    if kind == "extra_forbidden" and loc:
        return loc[:-1], f"unknown key '{loc[-1]}'"
    if kind == "missing" and loc:
        return loc[:-1], f"missing key '{loc[-1]}'"
    if len(loc) >= 2 and loc[-1] == "[key]":
        # The key itself is the input (loc shows True as 1).
        where = [*loc[:-2], str(error["input"])]
        if kind in _MESSAGES:
            # YAML reads unquoted yes/no/on/off as booleans and digits as numbers.
            return where, "keys must be text (quote it: YAML reads yes, no, on, off as true/false)"
        return where, error["msg"]
    if kind == "invalid_key":
        return loc[:-1], "keys must be text (quote it: YAML reads yes, no, on, off as true/false)"
    if kind == "value_error":
        return loc, str((error.get("ctx") or {}).get("error", error["msg"]))
    if kind in _MESSAGES:
        return loc, _MESSAGES[kind] + _got(error["input"])
    ctx = error.get("ctx") or {}
    if kind == "string_too_short" and ctx.get("min_length") == 1:
        return loc, "should not be empty"
    if kind == "too_short":
        return loc, f"expected at least {ctx.get('min_length')} item(s)"
    message = error["msg"]
    if kind in ("literal_error", "greater_than_equal", "less_than_equal"):
        message = message[0].lower() + message[1:] + _got(error["input"])
    return loc, message


@dataclass
class Problems:
    """Faults found so far, as (path, message); shown as `path: message`."""

    items: list[tuple[str, str]] = field(default_factory=list)

    def add(self, path: str, message: str) -> None:
        self.items.append((path or ROOT, message))

    def add_validation(self, path: str, error: PydanticValidationError) -> None:
        for detail in error.errors():
            loc, message = _describe(detail)
            where = path
            for part in loc:
                where = join(where, part)
            self.add(where, message)

    def texts(self) -> list[str]:
        return [f"{path}: {message}" for path, message in self.items]

    def __bool__(self) -> bool:
        return bool(self.items)


M = TypeVar("M", bound=BaseModel)


def validate(model: type[M], raw: Any, path: str, problems: Problems) -> M | None:
    """`raw` as `model`, or None with its faults recorded under `path`."""
    try:
        return model.model_validate(raw if raw is not None else {})
    except PydanticValidationError as exc:
        problems.add_validation(path, exc)
        return None


def entries(model: type[M], raw: Any, path: str, problems: Problems) -> dict[str, M | None]:
    """A section that maps names to entries, each validated on its own.

    Every declared name is a key of the result (None when its entry was malformed), so
    references to it are not reported as unknown.
    """
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        problems.add(path, "expected a mapping" + _got(raw))
        return {}
    out: dict[str, M | None] = {}
    for key, value in raw.items():
        name = str(key)
        where = join(path, name)
        if not isinstance(key, str) or not NAME.match(key):
            problems.add(where, f"bad name {key!r} (lower-case letters, digits and _)")
            continue
        out[name] = validate(model, value, where, problems)
    return out


# ---------------------------------------------------------------------------------------------
# The scope references resolve in


@dataclass
class Scope:
    """What the file declares and what the platform provides, filled section by section.

    `*_names` hold every declared name; the spec dicts only those whose entry was valid.
    Hook lookups are skipped when the caller gave no hooks (`None`).
    """

    roles: frozenset[str]
    choice_sets: Mapping[str, tuple[tuple[str, str], ...]]
    compute_hooks: Mapping[str, str] | None = None
    rule_hooks: frozenset[str] | None = None
    known_types: frozenset[str] | None = None
    type_name: str = ""
    field_names: frozenset[str] = frozenset()
    fields: dict[str, FieldSpec] = field(default_factory=dict)
    state_names: frozenset[str] = frozenset()
    states: dict[str, StateSpec] = field(default_factory=dict)
    document_names: frozenset[str] = frozenset()
    documents: dict[str, DocumentKind] = field(default_factory=dict)
    action_names: frozenset[str] = frozenset()
    actions: dict[str, ActionSpec] = field(default_factory=dict)
    clock_names: frozenset[str] = frozenset()
    metric_names: frozenset[str] = frozenset()

    def check_role(self, role: str, path: str, problems: Problems) -> None:
        if role not in self.roles:
            problems.add(path, f"unknown role {role!r}")

    def check_state(self, state: str, path: str, problems: Problems) -> None:
        if state not in self.state_names:
            problems.add(path, f"unknown state {state!r}")

    def check_action(self, action: str, path: str, problems: Problems) -> None:
        if action not in self.action_names:
            problems.add(path, f"unknown action {action!r}")

    def check_field(self, name: str, path: str, problems: Problems) -> FieldSpec | None:
        if name not in self.field_names:
            problems.add(path, f"unknown field {name!r}")
        return self.fields.get(name)

    def check_clock(self, name: str, path: str, problems: Problems) -> None:
        if name not in self.clock_names:
            problems.add(path, f"unknown clock {name!r}")
