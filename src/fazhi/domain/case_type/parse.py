"""A case type is data: this turns one type file's content into checked, frozen specs.

Each section has its module (`file_*.py`): Pydantic models that refuse unknown keys and
wrong shapes, and convert themselves into the specs of `spec.py`. Shapes are checked first,
entry by entry; then every reference is resolved (states, actions, fields, inputs, clocks,
roles, documents, metrics, hooks). A broken file fails at load time with every fault listed
with its path (`actions.decide.guards[1]: unknown key 'any_of'`), not at the first request
that meets it. The format is described in docs/case-type-format.md.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from fazhi.domain.case_type.file_actions import ActionModel, parse_actions
from fazhi.domain.case_type.file_clocks import ClockModel, parse_clocks
from fazhi.domain.case_type.file_common import ROOT, Problems, Scope, entries, validate
from fazhi.domain.case_type.file_documents import DocumentModel, parse_documents
from fazhi.domain.case_type.file_fields import FieldModel, check_required_if, parse_fields
from fazhi.domain.case_type.file_metrics import (
    MetricModel,
    RateModel,
    ScheduleModel,
    parse_section,
)
from fazhi.domain.case_type.file_notify import parse_notify
from fazhi.domain.case_type.file_root import StateModel, TypeFileModel, link_faults
from fazhi.domain.case_type.spec import CaseType, CaseTypeError

__all__ = ["link_faults", "parse_case_type"]


def parse_case_type(
    raw: Mapping[str, Any],
    roles: frozenset[str],
    choice_sets: Mapping[str, tuple[tuple[str, str], ...]] | None = None,
    *,
    compute_hooks: Mapping[str, str] | None = None,
    rule_hooks: frozenset[str] | None = None,
    known_types: Collection[str] | None = None,
    source: str = "",
) -> CaseType:
    """Check a type file's content and build its spec; raise CaseTypeError listing every fault.

    `compute_hooks` (hook name → the field type it returns) and `rule_hooks` are the hooks
    registered in code; `known_types` the names of the other types, for `link_types`. Each
    is checked only when given (links are otherwise checked by `link_faults` once every
    type is loaded).
    """
    if not isinstance(raw, Mapping):
        raise CaseTypeError("?", [f"{ROOT}: expected a mapping"])
    name = str(raw.get("type", "?"))
    problems = Problems()
    head = validate(TypeFileModel, raw, "", problems)
    scope = Scope(
        roles=roles,
        choice_sets=choice_sets or {},
        compute_hooks=compute_hooks,
        rule_hooks=rule_hooks,
        known_types=frozenset(known_types) if known_types is not None else None,
        type_name=name,
    )
    fields = entries(FieldModel, raw.get("fields"), "fields", problems)
    states = entries(StateModel, raw.get("states"), "states", problems)
    documents = entries(DocumentModel, raw.get("documents"), "documents", problems)
    actions = entries(ActionModel, raw.get("actions"), "actions", problems)
    clocks = entries(ClockModel, raw.get("clocks"), "clocks", problems)
    metrics = entries(MetricModel, raw.get("metrics"), "metrics", problems)
    rates = entries(RateModel, raw.get("rates"), "rates", problems)
    schedules = entries(ScheduleModel, raw.get("schedules"), "schedules", problems)
    scope.field_names = frozenset(fields)
    scope.state_names = frozenset(states)
    scope.document_names = frozenset(documents)
    scope.action_names = frozenset(actions)
    scope.clock_names = frozenset(clocks)
    scope.metric_names = frozenset(metrics)

    valid_fields = {k: m for k, m in fields.items() if m is not None}
    field_specs = parse_fields(valid_fields, "fields", scope, problems)
    check_required_if(valid_fields, field_specs, "fields", {}, problems)
    scope.fields = {f.name: f for f in field_specs}
    scope.states = {k: m.to_spec(k) for k, m in states.items() if m is not None}
    if isinstance(raw.get("states"), Mapping) and not raw["states"]:
        problems.add("states", "declare at least one state")
    scope.documents = parse_documents(documents, scope, problems)
    scope.actions = parse_actions(actions, scope, problems)
    # Read from the file itself: a malformed create action is not also "missing".
    declared = raw.get("actions")
    if (
        isinstance(declared, Mapping)
        and declared
        and not any(isinstance(a, Mapping) and a.get("create") is True for a in declared.values())
    ):
        problems.add("actions", "no create action (create: true)")
    clock_specs = parse_clocks(clocks, scope, problems)
    metric_specs = parse_section("metrics", metrics, scope, problems)
    rate_specs = parse_section("rates", rates, scope, problems)
    schedule_specs = parse_section("schedules", schedules, scope, problems)
    notify = parse_notify(raw.get("notify"), scope, problems)
    for key in ("states", "actions"):
        if key not in raw:
            problems.add(ROOT, f"missing key '{key}'")
    if head is not None:
        head.check_references(scope, problems)

    if problems or head is None:
        raise CaseTypeError(name, problems.texts())
    return CaseType(
        name=head.type,
        label=head.label,
        number_prefix=head.number_prefix,
        fields=tuple(field_specs),
        states=tuple(scope.states.values()),
        actions=tuple(scope.actions.values()),
        clocks=tuple(clock_specs),
        documents=tuple(scope.documents.values()),
        title_field=head.title_field,
        summary_fields=tuple(head.summary_fields),
        category_field=head.category_field,
        description=head.description,
        queues=tuple((role, tuple(states)) for role, states in head.queues.items()),
        notify=tuple(notify),
        visibility=head.visibility_spec(),
        metrics=tuple(metric_specs),
        rates=tuple(rate_specs),
        schedules=tuple(schedule_specs),
        repeat_calls=head.repeat_calls_spec(),
        hooks=tuple(head.hooks),
        source=source,
    )
