"""The engine's view of a case type: frozen specs built from one type file (clocks in
`spec_clocks`, statistics, visibility and roles in `spec_access`, re-exported here).

These dataclasses are what the rest of the platform reads (workflow, inputs, presenters,
forms, rollups). The parser (`parse*.py` beside this module) builds them from the YAML file
and checks every reference, so nothing here re-validates. Defaults mean "not declared".

The engine knows no particular type: everything a type needs is one of these constructs, or
a named hook registered in code (`fazhi.domain.hooks`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from fazhi.domain.case_type.spec_access import (
    MetricDay,
    MetricElapsed,
    MetricSpec,
    RateSpec,
    RepeatCallRule,
    RoleSpec,
    ScheduleSpec,
    Visibility,
)
from fazhi.domain.case_type.spec_clocks import ClockSpec, ExtendRule, Limit, RepeatRule

FIELD_TYPES = frozenset(
    {
        "string",  # one line; `pattern` may constrain it
        "text",  # several lines
        "enum",  # one of `choices`
        "int",
        "number",
        "money",  # yuan with at most two decimals, stored as a string "1234.50"
        "bool",
        "date",  # ISO date, stored "2023-09-28"
        "datetime",  # ISO instant with offset, stored UTC ISO
        "phone",
        "id_number",  # GB 11643 citizen ID number, check digit verified
        "credit_code",  # GB 32100 unified social credit code, check digits verified
        "person_name",
        "unit",  # a unit of the organisation tree, stored by id
        "unit_list",
        "case_link",  # another case, stored by id; `link_types` names the types it may be
        "list",  # records, each with the fields in `items`
    }
)
# Kinds of personal data a field may hold; each is masked unless the viewer's role sees it.
PERSONAL_KINDS = frozenset({"name", "phone", "id_number", "address", "health", "criminal_record"})
PARTIES = frozenset({"anyone", "lead_unit", "involved_unit", "open_to_units"})
GUARD_OPS = frozenset({"eq", "ne", "in", "not_in", "lt", "le", "gt", "ge", "present", "absent"})
# Words a `set:` effect reads as values of the moment rather than as literal strings.
SET_TOKENS = frozenset({"now", "today", "actor", "actor_unit"})
SENSITIVITIES = frozenset({"normal", "restricted"})
# Case flags a metric may require (`case_flag:`): columns set once, at creation, so a rebuild
# of the rollups from the events reads the same value the live count did.
CASE_FLAGS = frozenset({"repeat_call"})
# The longest counter name rollup_daily.metric holds, `by` counters (`name:value`) included.
MAX_METRIC_NAME = 64
ROLE_SCOPES = frozenset({"region", "subtree", "involved"})


class CaseTypeError(Exception):
    """A type file that cannot be used; `problems` lists every fault with its path."""

    def __init__(self, type_name: str, problems: list[str]) -> None:
        self.type_name = type_name
        self.problems = problems
        super().__init__(f"案件类型 {type_name} 定义有误：" + "；".join(problems))


# ---------------------------------------------------------------------------------------------
# Fields


@dataclass(frozen=True)
class FieldSpec:
    """A field of a case, an action's input, a document's data, or a record of a list."""

    name: str
    type: str
    label: str
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()
    max_length: int | None = None
    min: float | None = None
    max: float | None = None
    personal: str | None = None  # one of PERSONAL_KINDS
    internal: bool = False  # set by actions only, never by the create form
    required_if: tuple[tuple[str, tuple[Any, ...]], ...] = ()
    default: Any = None
    help: str = ""
    pattern: str | None = None  # a regular expression the whole text must match
    pattern_message: str = ""  # the Chinese refusal when it does not
    items: tuple[FieldSpec, ...] = ()  # type list: the fields of one record
    min_items: int | None = None
    max_items: int | None = None
    link_types: tuple[str, ...] = ()  # type case_link: the types it may point to
    # type case_link: target field ← this case's field, copied when a linked case is opened
    # from this one (the console's "发起…" button pre-fills the create form with them).
    prefill: tuple[tuple[str, str], ...] = ()
    # type case_link: categories of the source case (the value of its type's
    # `category_field`) for which the console puts "发起…" first, as the case to turn it into
    # (a 12345 WAGES order → a wage-arrears case). Any source may still open one.
    suggested_for: tuple[str, ...] = ()

    def choice_label(self, value: Any) -> str:
        for code, label in self.choices:
            if code == value:
                return label
        return str(value)

    def item(self, name: str) -> FieldSpec | None:
        return next((f for f in self.items if f.name == name), None)

    @property
    def personal_items(self) -> dict[str, str]:
        """Personal kinds of a list's record fields (masking applies inside items)."""
        return {f.name: f.personal for f in self.items if f.personal}

    def describe(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.name,
            "type": self.type,
            "label": self.label,
            "required": self.required,
        }
        if self.choices:
            out["choices"] = [{"value": c, "label": lbl} for c, lbl in self.choices]
        for key in ("max_length", "min", "max", "pattern", "min_items", "max_items"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        if self.items:
            out["items"] = [f.describe() for f in self.items]
        if self.link_types:
            out["link_types"] = list(self.link_types)
        if self.suggested_for:
            out["suggested_for"] = list(self.suggested_for)
        if self.personal:
            out["personal"] = self.personal
        if self.required_if:
            out["required_if"] = {k: list(v) for k, v in self.required_if}
        if self.help:
            out["help"] = self.help
        return out


@dataclass(frozen=True)
class StateSpec:
    name: str
    label: str
    terminal: bool = False


# ---------------------------------------------------------------------------------------------
# Guards


@dataclass(frozen=True)
class Ref:
    """A value a guard reads.

    - `source="field"`: the case's field as the action's inputs would leave it (a create
      action's guards therefore see the inputs);
    - `source="input"`: only the action's input of that name;
    - `source="document"`: `key` of the newest active document of kind `name`.
    With `count`, the number of records of a list field, or of active documents of a kind.
    Written in a type file as `parties`, `input.days`, `document.decision.amount`, and for
    counts `{count: parties}` / `{count: document.evidence}`.
    """

    source: Literal["field", "input", "document"]
    name: str
    key: str | None = None
    count: bool = False


@dataclass(frozen=True)
class Guard:
    """A condition an action needs besides role and state, with the refusal in Chinese.

    kind `field` compares `left` with a literal `value`, or with `right` when given;
    `clock_within` (target: a clock that must be running and not yet due); `mark` /
    `no_mark` (target: a supervision mark kind); `all` / `any` over `children`; `not`
    over its single child. A `document` requirement is a `field` guard on a document count.
    """

    kind: str  # field | clock_within | mark | no_mark | all | any | not
    target: str = ""  # kind field: the left reference as written; else a clock or mark
    op: str = "present"
    value: Any = None
    message: str = ""
    left: Ref | None = None
    right: Ref | None = None
    children: tuple[Guard, ...] = ()


# ---------------------------------------------------------------------------------------------
# Effects


@dataclass(frozen=True)
class ValueExpr:
    """What a `set:` effect stores.

    kind `literal` (value as written), `input` (an input's name), `field` (another field's
    name), `token` (one of SET_TOKENS: now → the action's instant, today → its local date,
    actor → {id, username, name}, actor_unit → the actor's unit id), `compute` (a hook name
    registered in `fazhi.domain.hooks`, whose declared result type matched the field at load).
    A literal string equal to a token is written `{value: now}`.
    """

    kind: Literal["literal", "input", "field", "token", "compute"]
    value: Any = None


@dataclass(frozen=True)
class Effects:
    assign_lead: str | None = None  # an input name, or "actor_unit"
    assign_assisting: str | None = None
    increment: tuple[str, ...] = ()
    set: tuple[tuple[str, ValueExpr], ...] = ()
    clear: tuple[str, ...] = ()
    mark: str | None = None  # an input name ("input.kind") or a literal mark kind
    unmark: str | None = None
    open_to_units: bool | None = None
    # list field → the inputs that make one new record (each named like an item field):
    # `append: {sessions: [held_on, place, result]}` adds a session per action.
    append: tuple[tuple[str, tuple[str, ...]], ...] = ()


@dataclass(frozen=True)
class ActionSpec:
    name: str
    label: str
    from_states: tuple[str, ...]
    to: str | None
    roles: tuple[str, ...]
    party: str = "anyone"
    inputs: tuple[FieldSpec, ...] = ()
    guards: tuple[Guard, ...] = ()
    effects: Effects = Effects()
    documents: tuple[str, ...] = ()  # kinds that must be on file (sugar for document guards)
    create: bool = False
    help: str = ""
    # Taken by the platform itself (a scheduler, an expired repeating window), never offered
    # to a person: only the `system` role may take it.
    system: bool = False

    def input(self, name: str) -> FieldSpec | None:
        for spec in self.inputs:
            if spec.name == name:
                return spec
        return None


# ---------------------------------------------------------------------------------------------
# Documents, notifications, metrics, schedules, visibility


@dataclass(frozen=True)
class DocumentKind:
    """A kind of document in a case file: a file, data, or both.

    `roles` may add, replace or withdraw it (empty: every role that may take an action of
    the type); `states` are the case states in which that is allowed (empty: any
    non-terminal state). `template` names a .docx file beside the type file that
    `generate` renders from the case and the document's data.
    """

    name: str
    label: str
    fields: tuple[FieldSpec, ...] = ()
    roles: tuple[str, ...] = ()
    states: tuple[str, ...] = ()
    file: Literal["required", "optional", "none"] = "optional"
    template: str | None = None
    multiple: bool = True  # False: a second one replaces the first

    def field(self, name: str) -> FieldSpec | None:
        return next((f for f in self.fields if f.name == name), None)


@dataclass(frozen=True)
class NotifySpec:
    """A message to send when an action succeeds (`notify:` in the type file).

    `to` names a field holding the address (a phone for sms, an address for email), or
    `lead_unit` / `supervisors` / `dispatchers` / `operators` for internal messages (the
    recipients' inboxes). `template` may use {number}, {title},
    {state}, {due_at}, {action} and the type's field names (personal fields excepted).
    """

    on: str
    channel: str  # sms | email | internal
    to: str
    template: str
    topic: str
    subject: str = ""


# ---------------------------------------------------------------------------------------------
# The type


@dataclass(frozen=True)
class CaseType:
    name: str
    label: str
    number_prefix: str
    fields: tuple[FieldSpec, ...]
    states: tuple[StateSpec, ...]
    actions: tuple[ActionSpec, ...]
    clocks: tuple[ClockSpec, ...] = ()
    documents: tuple[DocumentKind, ...] = ()
    title_field: str | None = None
    summary_fields: tuple[str, ...] = ()
    category_field: str | None = None
    description: str = ""
    # role → states in which a case waits for that role (its work list)
    queues: tuple[tuple[str, tuple[str, ...]], ...] = ()
    notify: tuple[NotifySpec, ...] = ()
    visibility: Visibility | None = None  # None only for types built in tests
    metrics: tuple[MetricSpec, ...] = ()
    rates: tuple[RateSpec, ...] = ()
    schedules: tuple[ScheduleSpec, ...] = ()
    repeat_calls: RepeatCallRule | None = None
    hooks: tuple[str, ...] = ()  # modules imported at load; they register the type's hooks
    source: str = ""  # the file it was read from; templates are looked up beside it
    _fields: dict[str, FieldSpec] = field(default_factory=dict, compare=False, repr=False)
    _states: dict[str, StateSpec] = field(default_factory=dict, compare=False, repr=False)
    _actions: dict[str, ActionSpec] = field(default_factory=dict, compare=False, repr=False)
    _clocks: dict[str, ClockSpec] = field(default_factory=dict, compare=False, repr=False)
    _notify: dict[str, tuple[NotifySpec, ...]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def __post_init__(self) -> None:
        self._fields.update((f.name, f) for f in self.fields)
        self._states.update((s.name, s) for s in self.states)
        self._actions.update((a.name, a) for a in self.actions)
        self._clocks.update((c.name, c) for c in self.clocks)
        # Rebuilt whole (not appended to): a dataclasses.replace() copy may share the dict.
        by_action: dict[str, tuple[NotifySpec, ...]] = {}
        for spec in self.notify:
            by_action[spec.on] = (*by_action.get(spec.on, ()), spec)
        self._notify.clear()
        self._notify.update(by_action)

    def field(self, name: str) -> FieldSpec | None:
        return self._fields.get(name)

    def state(self, name: str) -> StateSpec | None:
        return self._states.get(name)

    def action(self, name: str) -> ActionSpec | None:
        return self._actions.get(name)

    def clock(self, name: str) -> ClockSpec | None:
        return self._clocks.get(name)

    @property
    def periods(self) -> frozenset[str]:
        """The clocks that are periods, not deadlines (`deadline: false`)."""
        return frozenset(c.name for c in self.clocks if not c.deadline)

    def document(self, name: str) -> DocumentKind | None:
        return next((d for d in self.documents if d.name == name), None)

    def metric(self, name: str) -> MetricSpec | None:
        return next((m for m in self.metrics if m.name == name), None)

    def notifications(self, action: str) -> tuple[NotifySpec, ...]:
        """The messages an action sends: one dict lookup, () for most actions."""
        return self._notify.get(action, ())

    @property
    def primary_clock(self) -> ClockSpec | None:
        return next((c for c in self.clocks if c.primary), None)

    @property
    def create_actions(self) -> tuple[ActionSpec, ...]:
        return tuple(a for a in self.actions if a.create)

    @property
    def personal_fields(self) -> dict[str, str]:
        return {f.name: f.personal for f in self.fields if f.personal}

    @property
    def restricted(self) -> bool:
        return self.visibility is not None and self.visibility.sensitivity == "restricted"

    @property
    def watermarked(self) -> bool:
        """Whether an export holding a case of this type must carry the export watermark."""
        return self.visibility is not None and self.visibility.export_watermark

    def visible_to(self, roles: frozenset[str] | set[str] | tuple[str, ...]) -> bool:
        """Whether a holder of `roles` may see this type's cases at all."""
        if self.visibility is None:
            return True
        return any(r in self.visibility.roles for r in roles)

    def fields_names(self) -> frozenset[str]:
        return frozenset(self._fields)

    def queue_states(self, role: str) -> tuple[str, ...]:
        return next((states for r, states in self.queues if r == role), ())

    def state_label(self, name: str) -> str:
        spec = self.state(name)
        return spec.label if spec else name


__all__ = [
    "CASE_FLAGS",
    "FIELD_TYPES",
    "GUARD_OPS",
    "MAX_METRIC_NAME",
    "PARTIES",
    "PERSONAL_KINDS",
    "ROLE_SCOPES",
    "SENSITIVITIES",
    "SET_TOKENS",
    "ActionSpec",
    "CaseType",
    "CaseTypeError",
    "ClockSpec",
    "DocumentKind",
    "Effects",
    "ExtendRule",
    "FieldSpec",
    "Guard",
    "Limit",
    "MetricDay",
    "MetricElapsed",
    "MetricSpec",
    "NotifySpec",
    "RateSpec",
    "Ref",
    "RepeatCallRule",
    "RepeatRule",
    "RoleSpec",
    "ScheduleSpec",
    "StateSpec",
    "ValueExpr",
    "Visibility",
]
