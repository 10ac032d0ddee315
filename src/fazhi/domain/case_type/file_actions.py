"""`actions:`: who may do what, from which state to which, with which inputs, guards and
effects."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated

from pydantic import Field

from fazhi.domain.case_type.file_common import (
    FileModel,
    Name,
    Names,
    Problems,
    Scope,
    an,
    join,
    one_of,
)
from fazhi.domain.case_type.file_effects import EffectsModel
from fazhi.domain.case_type.file_fields import (
    FieldModel,
    assignable,
    check_required_if,
    parse_fields,
)
from fazhi.domain.case_type.file_guards import GuardModel, GuardScope, to_guard
from fazhi.domain.case_type.spec import PARTIES, ActionSpec, FieldSpec


class ActionModel(FileModel):
    label: str
    create: bool = False
    from_: Names | None = Field(None, alias="from")  # states, or "*": every non-terminal one
    to: str | None = None
    roles: Names = Field(default_factory=list)
    party: Annotated[str, one_of("party", PARTIES)] = "anyone"
    system: bool = False
    inputs: dict[Name, FieldModel] = Field(default_factory=dict)
    documents: Names = Field(default_factory=list)
    guards: list[GuardModel] = Field(default_factory=list)
    effects: EffectsModel | None = None
    help: str = ""

    def inputs_spec(self, path: str, scope: Scope, problems: Problems) -> tuple[FieldSpec, ...]:
        """The action's inputs; a creating action also takes the type's non-internal fields
        (internal ones, such as counters, only when it declares them)."""
        where = join(path, "inputs")
        own = parse_fields(self.inputs, where, scope, problems)
        check_required_if(self.inputs, own, where, scope.fields, problems)
        for spec in own:
            if spec.prefill:
                problems.add(
                    join(join(where, spec.name), "prefill"), "only a type's own fields have prefill"
                )
            field = scope.fields.get(spec.name)
            # An input named like a field of the case is stored in it.
            if field is not None and not assignable(spec.type, field, spec):
                problems.add(
                    join(where, spec.name),
                    f"stored in the field {spec.name!r}, {an(field.type)}; "
                    f"this input is {an(spec.type)}"
                    + (" with other choices" if spec.type == field.type else ""),
                )
        if not self.create:
            return tuple(own)
        names = {s.name for s in own}
        taken = tuple(f for f in scope.fields.values() if not f.internal and f.name not in names)
        return taken + tuple(own)

    def to_spec(
        self, name: str, path: str, scope: Scope, inputs: tuple[FieldSpec, ...], problems: Problems
    ) -> ActionSpec:
        from_states = self._from_states(path, scope, problems)
        if self.to is not None:
            scope.check_state(self.to, join(path, "to"), problems)
        if self.create and self.to is None:
            problems.add(path, "a create action needs to (the state it creates the case in)")
        if not self.roles and not self.system:
            problems.add(path, "missing key 'roles' (or system: true)")
        for i, role in enumerate(self.roles):
            scope.check_role(role, join(join(path, "roles"), i), problems)
        for i, doc in enumerate(self.documents):
            if doc not in scope.document_names:
                problems.add(join(join(path, "documents"), i), f"unknown document kind {doc!r}")
        by_name: Mapping[str, FieldSpec] = {i.name: i for i in inputs}
        gs = GuardScope(scope, by_name, problems)
        guards = []
        for i, guard in enumerate(self.guards):
            where = join(join(path, "guards"), i)
            if not guard.message:
                problems.add(where, "missing key 'message' (the refusal, in Chinese)")
            guards.append(to_guard(guard, where, gs))
        effects = (self.effects or EffectsModel()).to_spec(
            join(path, "effects"), scope, by_name, problems
        )
        return ActionSpec(
            name=name,
            label=self.label,
            from_states=from_states,
            to=self.to,
            roles=tuple(self.roles),
            party=self.party,
            inputs=inputs,
            guards=tuple(guards),
            effects=effects,
            documents=tuple(self.documents),
            create=self.create,
            help=self.help,
            system=self.system,
        )

    def _from_states(self, path: str, scope: Scope, problems: Problems) -> tuple[str, ...]:
        where = join(path, "from")
        if self.create:
            if self.from_ is not None:
                problems.add(where, "a create action has no from")
            return ()
        if not self.from_:
            problems.add(path, "missing key 'from' (the states it may be taken in, or '*')")
            return ()
        if self.from_ == ["*"]:
            return tuple(s.name for s in scope.states.values() if not s.terminal)
        for i, state in enumerate(self.from_):
            if state == "*":
                problems.add(join(where, i), "'*' stands alone (from: '*')")
            else:
                scope.check_state(state, join(where, i), problems)
        return tuple(self.from_)


def parse_actions(
    models: Mapping[str, ActionModel | None], scope: Scope, problems: Problems
) -> dict[str, ActionSpec]:
    """Every valid action's spec; the inputs first, since clocks and guards read them."""
    inputs = {
        name: model.inputs_spec(join("actions", name), scope, problems)
        for name, model in models.items()
        if model is not None
    }
    return {
        name: model.to_spec(name, join("actions", name), scope, inputs[name], problems)
        for name, model in models.items()
        if model is not None
    }
