"""The year's figures over the API, beside the engine's generic case API (which takes every
action of both types):

- `GET /api/v1/petitions/statistics?year=2023` — the petitions' declared metrics and rates;
  refused (403) to every role that does not see petitions;
- `GET /api/v1/disclosure/report?year=2023` — the disclosure report's figures
  (政府信息公开工作年度报告); refused (403) to every role that does not see disclosure requests.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from fazhi.domain.errors import DomainError
from fazhi.http.deps import Work, work
from fazhi.petition.read import DISCLOSURE, PETITION, disclosure_report, petition_figures, sees

Year = Annotated[int, Query(ge=2000, le=2100, description="年度")]

router = APIRouter(tags=["信访与政府信息公开"])


def require(w: Work, type_name: str, message: str) -> None:
    if not sees(w, type_name):
        raise DomainError("forbidden_role", message, 403)


@router.get(
    "/api/v1/petitions/statistics",
    summary="信访年度统计：登记、受理、转送、按期告知、按期办结、复查复核",
)
def petition_statistics(request: Request, year: Year) -> dict[str, Any]:
    with work(request) as w:
        require(w, PETITION, "只有信访工作人员、督办人员、区领导和管理员可以查看信访统计")
        return petition_figures(w, year)


@router.get(
    "/api/v1/disclosure/report",
    summary="政府信息公开工作年度报告数据：收到和处理申请情况、行政复议和行政诉讼情况",
)
def disclosure_statistics(request: Request, year: Year) -> dict[str, Any]:
    with work(request) as w:
        require(w, DISCLOSURE, "只有办理政府信息公开申请的单位、督办人员、区领导和管理员可以查看")
        return disclosure_report(w, year)
