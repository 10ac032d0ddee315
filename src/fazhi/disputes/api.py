"""The disputes' reads over the API, beside the engine's generic case API (which takes every
action of both types): the year's figures of reconsideration and litigation for the office
that handles them and for those who supervise and lead."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from fazhi.actions.context import Work
from fazhi.disputes.read import dispute_figures
from fazhi.domain.errors import DomainError
from fazhi.http.deps import work

# The reconsideration and litigation office, and those who supervise and lead: the figures of
# the whole district.
READER_ROLES = frozenset({"reconsideration_officer", "supervisor", "district_leader", "admin"})
Year = Annotated[int, Query(ge=2000, le=2100, description="年度")]

router = APIRouter(prefix="/api/v1/disputes", tags=["行政复议与行政应诉"])


def require_reader(w: Work) -> None:
    if not w.actor.has_role(*READER_ROLES):
        raise DomainError(
            "forbidden_role", "只有行政复议工作人员、督办人员、区领导和管理员可以查看", 403
        )


@router.get(
    "/statistics",
    summary="年度统计：复议收案、受理、审结（按结果）、纠错率；应诉收案、审结、胜诉率、负责人出庭应诉率",
)
def statistics(request: Request, year: Year) -> dict[str, Any]:
    with work(request) as w:
        require_reader(w)
        return dispute_figures(w, year)
