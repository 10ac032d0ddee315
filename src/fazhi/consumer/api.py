"""The consumer types' year over the API, beside the engine's generic case API (which takes
every action of the three types): `GET /api/v1/consumer/statistics?year=2023` — for each
consumer type the reader may see, the metrics and rates its file declares, the themed
campaigns with what they group, and the businesses listed in the abnormal-operation register.
Refused (403) to every role that sees none of the types (operators, other units' handlers …)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from fazhi.consumer.read import visible_types, year_overview
from fazhi.domain.errors import DomainError
from fazhi.http.deps import Work, work

Year = Annotated[int, Query(ge=2000, le=2100, description="年度")]

router = APIRouter(prefix="/api/v1/consumer", tags=["消费维权"])


def require_reader(w: Work) -> None:
    if not visible_types(w):
        raise DomainError(
            "forbidden_role",
            "只有消费者权益保护工作人员及督办人员、区领导和管理员可以查看",
            403,
        )


@router.get(
    "/statistics",
    summary="年度统计：投诉举报受理、渠道、网络培训、争议与挽回金额、办结率；专项整治；经营异常名录",
)
def statistics(request: Request, year: Year) -> dict[str, Any]:
    with work(request) as w:
        require_reader(w)
        return year_overview(w, year)
