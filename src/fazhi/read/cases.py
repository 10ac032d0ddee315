"""One case as the API and the console show it: its fields (masked unless permitted), its
clocks and its assisting units."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, select

from fazhi.actions.cases import Created, case_type_or_error
from fazhi.actions.context import Work
from fazhi.read.presenters import present_case
from fazhi.store.models import Case, CaseUnit, Clock

_CLOCKS_OF_CASE = (
    select(Clock.__table__)
    .where(Clock.region_code == bindparam("region"), Clock.case_id == bindparam("case_id"))
    .order_by(Clock.started_at, Clock.id)
)
_ASSISTING = select(CaseUnit.unit_id).where(
    CaseUnit.region_code == bindparam("region"),
    CaseUnit.case_id == bindparam("case_id"),
    CaseUnit.role == "assisting",
)


def full_case(
    w: Work, case: Case, reveal: bool = False, written: Created | None = None
) -> dict[str, Any]:
    """The case with its clocks and assisting units; `written` (what a create just wrote)
    saves reading them back."""
    case_type = case_type_or_error(w.platform, case.type)
    if written is not None:
        clocks: list[Any] = list(written.clocks)
        assisting = written.assisting
    else:
        conn = w.session.connection()
        key = {"region": case.region_code, "case_id": case.id}
        clocks = list(conn.execute(_CLOCKS_OF_CASE, key))
        assisting = list(conn.execute(_ASSISTING, key).scalars())
    return present_case(
        case,
        case_type,
        w.actor,
        w.ctx.directory,
        w.platform.calendar(),
        w.ctx.now,
        clocks,
        assisting,
        reveal,
    )
