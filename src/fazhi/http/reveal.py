"""Unmasking on purpose (显示完整信息): which of a case's masked fields a user may reveal;
the API and the console record the reveal as an event through the same rule."""

from __future__ import annotations

from fazhi.domain.case_type import CaseType
from fazhi.domain.errors import DomainError
from fazhi.http.deps import Work
from fazhi.read.presenters import hidden_personal
from fazhi.store.models import Case


def revealable_fields(w: Work, case_type: CaseType, case: Case) -> list[str]:
    """The case's masked fields (with a value) that a reveal by this user would unmask."""
    masked = hidden_personal(case_type, w.actor)
    still = hidden_personal(case_type, w.actor, reveal=True)
    return sorted(k for k in masked if k not in still and case.fields.get(k))


def reveal_fields(w: Work, case_type: CaseType, case: Case) -> list[str] | None:
    """The fields a reveal would unmask (sorted names with a value); None when the actor
    sees them all already; DomainError 403 when it may unmask none of those it does not."""
    if not any(case.fields.get(k) for k in hidden_personal(case_type, w.actor)):
        return None
    shown = revealable_fields(w, case_type, case)
    if not shown:
        raise DomainError("forbidden_role", "当前角色无权查看完整个人信息", 403)
    return shown
