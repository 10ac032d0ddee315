"""Which types a user's roles work on (domain.type_access): a type is in the navigation when
one of the roles may create it or has a work queue in it, and may see it at all; a user
holding several roles gets the union."""

from __future__ import annotations

from fazhi.domain.case_type import ActionSpec, CaseType, StateSpec, Visibility
from fazhi.domain.type_access import creatable_actions, workable_types


def a_type(
    name: str,
    creators: tuple[str, ...] = (),
    queues: tuple[tuple[str, tuple[str, ...]], ...] = (),
    visible: tuple[str, ...] | None = None,
    system_creator: bool = False,
) -> CaseType:
    actions = [
        ActionSpec("apply", "申请", (), "open", creators, create=True),
        ActionSpec("close", "结案", ("open",), "closed", ("mediator",)),
    ]
    if system_creator:
        actions.append(
            ActionSpec("import", "导入", (), "open", ("mediator",), create=True, system=True)
        )
    return CaseType(
        name=name,
        label=name,
        number_prefix="T",
        fields=(),
        states=(StateSpec("open", "办理中"), StateSpec("closed", "已结案", terminal=True)),
        actions=tuple(actions),
        queues=queues,
        visibility=Visibility(visible) if visible is not None else None,
    )


MEDIATION = a_type("mediation", creators=("mediator",), queues=(("mediator", ("open",)),))
HOTLINE = a_type("hotline", creators=("operator",), queues=(("dispatcher", ("open",)),))
REVIEW = a_type("review", queues=(("legal_reviewer", ("open",)),))
TYPES = [MEDIATION, HOTLINE, REVIEW]


def names(types: list[CaseType]) -> list[str]:
    return [t.name for t in types]


def test_a_type_is_workable_by_a_create_action_or_a_queue() -> None:
    assert names(workable_types(TYPES, ("mediator",))) == ["mediation"]
    assert names(workable_types(TYPES, ("operator",))) == ["hotline"]
    assert names(workable_types(TYPES, ("dispatcher",))) == ["hotline"]
    assert names(workable_types(TYPES, ("legal_reviewer",))) == ["review"]
    assert workable_types(TYPES, ("supervisor",)) == []


def test_several_roles_get_every_type_any_of_them_works_on_in_catalogue_order() -> None:
    assert names(workable_types(TYPES, ("legal_reviewer", "mediator"))) == [
        "mediation",
        "review",
    ]


def test_a_type_the_roles_may_not_see_is_not_workable() -> None:
    hidden = a_type("penalty", creators=("operator",), visible=("enforcement_officer",))
    assert workable_types([hidden], ("operator",)) == []
    assert creatable_actions(hidden, ("operator",)) == ()


def test_platform_only_create_actions_are_never_offered() -> None:
    with_import = a_type("mediation", creators=("operator",), system_creator=True)
    assert [a.name for a in creatable_actions(with_import, ("mediator", "operator"))] == ["apply"]
    assert creatable_actions(with_import, ("mediator",)) == ()
