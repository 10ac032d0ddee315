"""`clocks:`: the time limits a case runs against, each with the rule it comes from."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import Discriminator, Field, Tag

from fazhi.domain.case_type.file_common import (
    TAG,
    DurationText,
    FileModel,
    Names,
    Problems,
    Scope,
    join,
)
from fazhi.domain.case_type.spec import ClockSpec, ExtendRule, Limit, RepeatRule


class LimitByModel(FileModel):
    """`{by: FIELD, default: 5wd, values: {urgent: 24h}}`: the limit by a field's value."""

    by: str | None = None
    default: DurationText
    values: dict[str, DurationText] = Field(default_factory=dict)


def _limit_tag(value: Any) -> str:
    return f"{TAG}by" if isinstance(value, Mapping) else f"{TAG}duration"


LimitValue = Annotated[
    Annotated[DurationText, Tag(f"{TAG}duration")] | Annotated[LimitByModel, Tag(f"{TAG}by")],
    Discriminator(_limit_tag),
]


class ExtendModel(FileModel):
    """`{action, input, max_total}`: an action that extends the clock by its input's days."""

    action: str
    input: str
    max_total: Annotated[int, Field(ge=1)]


class RepeatModel(FileModel):
    every: DurationText
    close_on: Names = Field(default_factory=list)
    expire_action: str | None = None
    expire_input: str | None = None
    catch_up: Annotated[int, Field(ge=1)] | None = None


class ClockModel(FileModel):
    label: str
    basis: Annotated[str, Field(min_length=1)]  # the law or local rule the limit comes from
    primary: bool = False
    start: Annotated[Names, Field(min_length=1)]
    stop: Names = Field(default_factory=list)
    limit: LimitValue
    limit_on: dict[str, DurationText] = Field(default_factory=dict)
    extend: ExtendModel | None = None
    suspend: Names = Field(default_factory=list)
    resume: Names = Field(default_factory=list)
    repeat: RepeatModel | None = None
    deadline: bool = True

    def to_spec(self, name: str, path: str, scope: Scope, problems: Problems) -> ClockSpec:
        for key in ("start", "stop", "suspend", "resume"):
            for i, action in enumerate(getattr(self, key)):
                scope.check_action(action, join(join(path, key), i), problems)
        if self.primary and not self.deadline:
            problems.add(join(path, "deadline"), "the primary clock is the case's deadline")
        if bool(self.suspend) != bool(self.resume):
            problems.add(path, "suspend and resume go together")
        for action in self.limit_on:
            if action not in self.start:
                problems.add(
                    join(join(path, "limit_on"), action),
                    f"{action!r} is not one of the clock's start actions",
                )
        return ClockSpec(
            name=name,
            label=self.label,
            basis=self.basis,
            limit=self._limit(join(path, "limit"), scope, problems),
            start=tuple(self.start),
            stop=tuple(self.stop),
            limit_on=tuple(self.limit_on.items()),
            extend=self._extend(join(path, "extend"), scope, problems),
            primary=self.primary,
            suspend=tuple(self.suspend),
            resume=tuple(self.resume),
            repeat=self._repeat(join(path, "repeat"), scope, problems),
            deadline=self.deadline,
        )

    def _limit(self, path: str, scope: Scope, problems: Problems) -> Limit:
        if not isinstance(self.limit, LimitByModel):
            return Limit(self.limit)
        by = self.limit.by
        if by is None:
            if self.limit.values:
                problems.add(join(path, "values"), "values need by (the field they are keyed on)")
            return Limit(self.limit.default)
        field = scope.check_field(by, join(path, "by"), problems)
        if field is not None and field.choices:
            codes = {c for c, _ in field.choices}
            for key in self.limit.values:
                if key not in codes:
                    problems.add(
                        join(join(path, "values"), key), f"{key!r} is not a choice of {by!r}"
                    )
        return Limit(self.limit.default, by, tuple(self.limit.values.items()))

    def _extend(self, path: str, scope: Scope, problems: Problems) -> ExtendRule | None:
        if self.extend is None:
            return None
        rule = ExtendRule(self.extend.action, self.extend.input, self.extend.max_total)
        scope.check_action(rule.action, join(path, "action"), problems)
        action = scope.actions.get(rule.action)
        if action is not None:
            days = action.input(rule.input)
            if days is None:
                problems.add(
                    join(path, "input"), f"action {rule.action!r} has no input {rule.input!r}"
                )
            elif days.type != "int":
                problems.add(join(path, "input"), f"{rule.input!r} should be an int input")
        return rule

    def _repeat(self, path: str, scope: Scope, problems: Problems) -> RepeatRule | None:
        if self.repeat is None:
            return None
        for i, action in enumerate(self.repeat.close_on):
            scope.check_action(action, join(join(path, "close_on"), i), problems)
        expire = self.repeat.expire_action
        if expire is not None:
            scope.check_action(expire, join(path, "expire_action"), problems)
            spec = scope.actions.get(expire)
            if spec is not None and not spec.system:
                problems.add(
                    join(path, "expire_action"),
                    f"{expire!r} should be a system action (system: true)",
                )
        day_input = self.repeat.expire_input
        if day_input is not None:
            where = join(path, "expire_input")
            spec = scope.actions.get(expire) if expire else None
            field = spec.input(day_input) if spec is not None else None
            if expire is None:
                problems.add(where, "expire_input needs expire_action")
            elif spec is not None and field is None:
                problems.add(where, f"action {expire!r} has no input {day_input!r}")
            elif field is not None and field.type != "date":
                problems.add(where, f"{day_input!r} should be a date input")
        return RepeatRule(
            self.repeat.every, tuple(self.repeat.close_on), expire, day_input, self.repeat.catch_up
        )


def parse_clocks(
    models: Mapping[str, ClockModel | None], scope: Scope, problems: Problems
) -> list[ClockSpec]:
    clocks = [
        model.to_spec(name, join("clocks", name), scope, problems)
        for name, model in models.items()
        if model is not None
    ]
    primary = [c.name for c in clocks if c.primary]
    if len(primary) > 1:
        problems.add("clocks", f"only one clock is primary; found {', '.join(primary)}")
    return clocks
