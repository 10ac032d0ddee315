"""What a holder of several roles sees of a type: only the roles the type's visibility names
count; the scope is the broadest of theirs, the kinds shown whole the union of theirs."""

from __future__ import annotations

from datetime import UTC, datetime

from fazhi.domain.case_type import ActionSpec, CaseType, RoleSpec, StateSpec, Visibility
from fazhi.domain.roles import (
    broadest,
    opens_cases,
    revealable_kinds,
    scope_for,
    shown_kinds,
    sight_of,
    viewing_roles,
    widest_scope,
)
from fazhi.domain.units import Actor, UnitRef
from fazhi.domain.workflow import CaseSnapshot, refusals

SPECS = {
    spec.name: spec
    for spec in (
        RoleSpec("operator", "话务员", "region", sees=frozenset({"name", "phone", "id_number"})),
        RoleSpec(
            "unit_handler", "承办人员", "subtree", reveals=frozenset({"phone"}), open_cases=True
        ),
        RoleSpec("mediator", "人民调解员", "involved", sees=frozenset({"name", "address"})),
        RoleSpec(
            "judicial_officer",
            "司法所工作人员",
            "subtree",
            sees=frozenset({"name", "id_number"}),
            reveals=frozenset({"health", "name"}),
        ),
        RoleSpec(
            "correction_officer",
            "社区矫正工作人员",
            "subtree",
            sees=frozenset({"criminal_record", "health"}),
        ),
    )
}


def a_type(name: str, roles: tuple[str, ...] | None, restricted: bool = False) -> CaseType:
    visibility = (
        Visibility(roles, "restricted" if restricted else "normal") if roles is not None else None
    )
    return CaseType(
        name=name,
        label=name,
        number_prefix="T",
        fields=(),
        states=(StateSpec("open", "办理中"),),
        actions=(),
        visibility=visibility,
    )


MEDIATION = a_type("mediation", ("mediator", "judicial_officer"))
CORRECTION = a_type("correction", ("correction_officer", "judicial_officer"), restricted=True)
HOTLINE = a_type("hotline", None)  # declares no visibility
CLASSIC = ("operator", "unit_handler")


def test_only_the_roles_the_type_names_count() -> None:
    roles = ("operator", "mediator", "correction_officer")
    assert viewing_roles(MEDIATION, roles) == ("mediator",)
    assert viewing_roles(CORRECTION, roles) == ("correction_officer",)
    # A region-wide role the type does not name does not widen the scope.
    assert scope_for(MEDIATION, roles, SPECS) == "involved"


def test_a_type_is_invisible_when_none_of_the_roles_is_named() -> None:
    assert scope_for(CORRECTION, ("operator", "mediator"), SPECS) is None
    assert shown_kinds(CORRECTION, ("operator", "mediator"), SPECS) == frozenset()


def test_the_broadest_named_scope_wins() -> None:
    assert scope_for(MEDIATION, ("mediator",), SPECS) == "involved"
    assert scope_for(MEDIATION, ("mediator", "judicial_officer"), SPECS) == "subtree"
    assert broadest(["involved", "region", "subtree"]) == "region"
    assert broadest([]) is None


def test_kinds_shown_whole_are_the_union_over_the_named_roles() -> None:
    both = ("mediator", "judicial_officer")
    assert shown_kinds(MEDIATION, both, SPECS) == {"name", "address", "id_number"}
    # The correction officer's criminal record and health count only where it is named.
    with_correction = (*both, "correction_officer")
    assert shown_kinds(MEDIATION, with_correction, SPECS) == {"name", "address", "id_number"}
    assert shown_kinds(CORRECTION, with_correction, SPECS) == {
        "name",
        "id_number",
        "criminal_record",
        "health",
    }


def test_revealable_kinds_leave_out_those_already_shown() -> None:
    assert revealable_kinds(MEDIATION, ("judicial_officer",), SPECS) == {"health"}
    assert revealable_kinds(CORRECTION, ("judicial_officer", "correction_officer"), SPECS) == (
        frozenset()
    )


def test_a_type_without_visibility_is_seen_by_the_undeclared_roles() -> None:
    assert scope_for(HOTLINE, ("operator",), SPECS, CLASSIC) == "region"
    assert scope_for(HOTLINE, ("mediator",), SPECS, CLASSIC) is None
    assert opens_cases(HOTLINE, ("unit_handler",), SPECS, CLASSIC)


def test_unknown_roles_are_ignored() -> None:
    assert scope_for(MEDIATION, ("mediator", "retired_role"), SPECS) == "involved"
    assert widest_scope(("retired_role",), SPECS) is None


def test_a_sight_groups_the_visible_types_by_scope_broadest_first() -> None:
    types = (HOTLINE, MEDIATION, CORRECTION)
    sight = sight_of(types, ("operator", "mediator", "judicial_officer"), SPECS, CLASSIC)
    assert sight.groups == (
        ("region", False, ("hotline",)),
        ("subtree", False, ("correction", "mediation")),
    )
    view = sight.view("correction")
    assert view is not None and view.restricted and view.shown == {"name", "id_number"}
    assert sight.view("hotline") is not None and sight.region_wide
    assert sight_of(types, ("mediator",), SPECS, CLASSIC).groups == (
        ("involved", False, ("mediation",)),
    )
    # A region scope needs no open challenges; a unit scope keeps them.
    unit = sight_of(types, ("unit_handler",), SPECS, CLASSIC)
    assert unit.groups == (("subtree", True, ("hotline",)),) and not unit.region_wide


def test_an_actor_lists_its_primary_role_first_and_passes_a_check_if_any_role_may() -> None:
    unit = UnitRef(1, "SF", "石峰区", "district", "/1/")
    held = ("judicial_officer", "mediator")
    actor = Actor(1, "u", "某人", "mediator", unit, "430204", roles=held)
    assert actor.roles == ("mediator", "judicial_officer")
    assert actor.has_role("operator", "judicial_officer")
    assert not actor.has_role("operator", "admin")
    assert Actor(2, "v", "某人", "operator", unit, "430204").roles == ("operator",)


def test_an_action_is_allowed_when_any_of_the_users_roles_may_take_it() -> None:
    visit = ActionSpec("visit", "走访", ("open",), "open", roles=("judicial_officer",))
    enrol = ActionSpec("enrol", "接收", ("open",), "open", roles=("correction_officer",))
    kind = CaseType("c", "c", "C", (), (StateSpec("open", "在矫"),), (visit, enrol))
    unit = UnitRef(1, "SF", "石峰区", "district", "/1/")
    both = Actor(1, "u", "某人", "judicial_officer", unit, "430204", roles=("correction_officer",))
    one = Actor(2, "v", "某人", "judicial_officer", unit, "430204")
    case = CaseSnapshot(state="open")
    now = datetime(2023, 6, 1, tzinfo=UTC)
    assert refusals(kind, visit, case, both, now) == []
    assert refusals(kind, enrol, case, both, now) == []
    assert [p.code for p in refusals(kind, enrol, case, one, now)] == ["forbidden_role"]
