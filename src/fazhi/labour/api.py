"""The labour types' figures over the API, beside the engine's generic case API (which takes
every action of the three types): `GET /api/v1/labour/statistics?year=2023` — for each labour
type the reader may see, the metrics and rates its file declares. Refused (403) to every role
that sees none of them (the hotline's operators, a street's handlers …)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from fazhi.domain.errors import DomainError
from fazhi.http.deps import Work, work
from fazhi.labour.read import labour_figures, visible_types

Year = Annotated[int, Query(ge=2000, le=2100, description="年度")]

router = APIRouter(prefix="/api/v1/labour", tags=["劳动仲裁与根治欠薪"])


def require_reader(w: Work) -> None:
    if not visible_types(w):
        raise DomainError(
            "forbidden_role",
            "只有劳动仲裁、劳动保障监察人员及督办人员、区领导和管理员可以查看",
            403,
        )


@router.get(
    "/statistics",
    summary="年度统计：仲裁受理、结案、结案率、调解结案率；欠薪投诉、金额、线索、追回",
)
def statistics(request: Request, year: Year) -> dict[str, Any]:
    with work(request) as w:
        require_reader(w)
        return labour_figures(w, year)
