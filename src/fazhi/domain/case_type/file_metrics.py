"""`metrics:`, `rates:` and `schedules:`: what a type feeds into the rollups, and the rules
the scheduler runs over its open cases."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import Field

from fazhi.domain.case_type.file_common import (
    DurationText,
    FileModel,
    Names,
    Problems,
    Scope,
    an,
    join,
)
from fazhi.domain.case_type.file_fields import NUMBER_TYPES, comparable_value
from fazhi.domain.case_type.spec import (
    CASE_FLAGS,
    MAX_METRIC_NAME,
    MetricDay,
    MetricElapsed,
    MetricSpec,
    RateSpec,
    ScheduleSpec,
)


class MetricModel(FileModel):
    label: str
    on: Names = Field(default_factory=list)
    create: bool = False
    terminal: bool = False
    clock: str | None = None
    met: bool | None = None
    field: str | None = None
    values: list[Any] = Field(default_factory=list)
    case_flag: str | None = None
    sum: str | None = None
    by: str | None = None
    never_late: str | None = None
    day: MetricDay = "event"
    elapsed: MetricElapsed | None = None

    def to_spec(self, name: str, path: str, scope: Scope, problems: Problems) -> MetricSpec:
        if len(name) > MAX_METRIC_NAME:
            problems.add(path, f"a metric name has at most {MAX_METRIC_NAME} characters")
        if not (self.on or self.create or self.terminal):
            problems.add(path, "a metric needs on, create or terminal (the events it counts)")
        for i, action in enumerate(self.on):
            scope.check_action(action, join(join(path, "on"), i), problems)
        if (self.clock is None) != (self.met is None):
            problems.add(path, "clock and met go together (met: true counts the clocks met)")
        for key in ("clock", "never_late"):
            clock = getattr(self, key)
            if clock is not None:
                scope.check_clock(clock, join(path, key), problems)
        if self.case_flag is not None and self.case_flag not in CASE_FLAGS:
            problems.add(
                join(path, "case_flag"),
                f"unknown case flag {self.case_flag!r} (expected {', '.join(sorted(CASE_FLAGS))})",
            )
        self._check_fields(name, path, scope, problems)
        return MetricSpec(
            name=name,
            label=self.label,
            on=tuple(self.on),
            create=self.create,
            terminal=self.terminal,
            clock=self.clock,
            met=self.met,
            field=self.field,
            values=tuple(self.values),
            case_flag=self.case_flag,
            sum=self.sum,
            by=self.by,
            never_late=self.never_late,
            day=self.day,
            elapsed=self.elapsed,
        )

    def _check_fields(self, name: str, path: str, scope: Scope, problems: Problems) -> None:
        if self.field is not None:
            spec = scope.check_field(self.field, join(path, "field"), problems)
            if not self.values:
                problems.add(path, "field needs values (the values it counts)")
            for i, value in enumerate(self.values):
                if spec is not None:
                    comparable_value(spec, value, join(join(path, "values"), i), problems)
        elif self.values:
            problems.add(join(path, "values"), "values need field")
        if self.sum is not None and self.elapsed is not None:
            problems.add(path, "a metric adds either a field (sum) or the time elapsed, not both")
        if self.sum is not None:
            spec = scope.check_field(self.sum, join(path, "sum"), problems)
            if spec is not None and spec.type not in NUMBER_TYPES:
                problems.add(
                    join(path, "sum"),
                    f"sum takes a money or number field; {self.sum!r} is {an(spec.type)}",
                )
        if self.by is not None:
            spec = scope.check_field(self.by, join(path, "by"), problems)
            if spec is not None and spec.type not in ("enum", "bool"):
                problems.add(
                    join(path, "by"),
                    f"by takes an enum or bool field; {self.by!r} is {an(spec.type)}",
                )
            elif spec is not None:
                # Each value gets its own counter `name:value`, stored in rollup_daily.metric.
                codes = [c for c, _ in spec.choices] or ["true", "false"]
                for code in codes:
                    if len(f"{name}:{code}") > MAX_METRIC_NAME:
                        problems.add(
                            join(path, "by"),
                            f"counter {name}:{code} is longer than {MAX_METRIC_NAME} characters",
                        )


class RateModel(FileModel):
    """`numerator / denominator`, two metrics of the type."""

    label: str
    numerator: str
    denominator: str
    formula: str = ""  # the rate in words, shown on the analytics pages
    weight: float = Field(default=0.0, ge=0)  # share of a unit's ranking score
    lower_is_better: bool = False

    def to_spec(self, name: str, path: str, scope: Scope, problems: Problems) -> RateSpec:
        for key in ("numerator", "denominator"):
            metric = getattr(self, key)
            if metric not in scope.metric_names:
                problems.add(join(path, key), f"unknown metric {metric!r}")
        return RateSpec(
            name,
            self.label,
            self.numerator,
            self.denominator,
            self.formula,
            self.weight,
            self.lower_is_better,
        )


class ScheduleModel(FileModel):
    label: str
    every: DurationText
    rule: str

    def to_spec(self, name: str, path: str, scope: Scope, problems: Problems) -> ScheduleSpec:
        if scope.rule_hooks is not None and self.rule not in scope.rule_hooks:
            problems.add(join(path, "rule"), f"unknown rule hook {self.rule!r}")
        return ScheduleSpec(name, self.label, self.every, self.rule)


def parse_section(
    section: str, models: Mapping[str, Any], scope: Scope, problems: Problems
) -> list[Any]:
    """The specs of a section whose models convert with `to_spec(name, path, scope, ...)`."""
    return [
        model.to_spec(name, join(section, name), scope, problems)
        for name, model in models.items()
        if model is not None
    ]
