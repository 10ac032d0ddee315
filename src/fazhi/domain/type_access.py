"""Which case types a user's roles may create and work on (the console's navigation).

Functions take the role ids as a tuple, so a user holding several roles is one call.
"""

from __future__ import annotations

from collections.abc import Iterable

from fazhi.domain.case_type.spec import ActionSpec, CaseType


def creatable_actions(case_type: CaseType, roles: tuple[str, ...]) -> tuple[ActionSpec, ...]:
    """The create actions of `case_type` one of `roles` may take (platform-only ones never)."""
    if not case_type.visible_to(roles):
        return ()
    return tuple(
        a for a in case_type.create_actions if not a.system and any(r in a.roles for r in roles)
    )


def workable_types(types: Iterable[CaseType], roles: tuple[str, ...]) -> list[CaseType]:
    """Types with a create action or a work queue for one of `roles`, in catalogue order."""
    return [
        t
        for t in types
        if t.visible_to(roles)
        and (creatable_actions(t, roles) or any(t.queue_states(r) for r in roles))
    ]
