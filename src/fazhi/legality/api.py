"""The legality types' reads over the API, beside the engine's generic case API (which
takes every action of the three types): the opinions one by one, the year's figures, the
major-decision catalogues (and, without sign-in, the published ones), the inspections'
findings. Only the readers of the legality work; each sees the cases it may see."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from fazhi.domain.errors import DomainError
from fazhi.http.deps import Work, platform_of, work
from fazhi.legality.read import (
    SUBJECTS,
    catalogues,
    finding_rows,
    opinion_rows,
    published_catalogues,
    review_statistics,
)
from fazhi.store.db import transaction

# The legal-affairs body, and those who supervise and lead: the figures of the whole district.
READER_ROLES = frozenset({"legality_reviewer", "supervisor", "district_leader", "admin"})
Year = Annotated[int, Query(ge=2000, le=2100, description="年度")]
OptionalYear = Annotated[int | None, Query(ge=2000, le=2100, description="年度")]

router = APIRouter(prefix="/api/v1/legality", tags=["合法性审查与法治督查"])
public_router = APIRouter(prefix="/api/v1/public", tags=["公开信息"])


def require_reader(w: Work) -> None:
    if not w.actor.has_role(*READER_ROLES):
        raise DomainError(
            "forbidden_role", "只有合法性审查人员、督办人员、区领导和管理员可以查看", 403
        )


def _subject(subject: str) -> str:
    if subject and subject not in SUBJECTS:
        raise DomainError("bad_subject", "审查对象应为规范性文件或合同", 422, "subject")
    return subject


@router.get("/opinions", summary="法律意见逐条列表（year 年度出具意见书的审查，subject 审查对象）")
def opinions(request: Request, year: OptionalYear = None, subject: str = "") -> dict[str, Any]:
    with work(request) as w:
        require_reader(w)
        rows = opinion_rows(w.session, w.ctx, year, _subject(subject))
        return {"items": rows, "count": len(rows)}


@router.get("/statistics", summary="年度统计：审查件数、意见书份数、法律意见条数、采纳率")
def statistics(request: Request, year: Year) -> dict[str, Any]:
    with work(request) as w:
        require_reader(w)
        return review_statistics(w.session, w.ctx, year)


@router.get("/catalogues", summary="重大行政决策目录（含编制中的）")
def catalogue_list(request: Request, year: OptionalYear = None) -> dict[str, Any]:
    with work(request) as w:
        require_reader(w)
        rows = catalogues(w.session, w.ctx, year)
        return {"items": rows, "count": len(rows)}


@router.get("/findings", summary="法治督查问题及整改情况（open=true 仅未销号）")
def findings(request: Request, year: OptionalYear = None, open: bool = False) -> dict[str, Any]:
    with work(request) as w:
        require_reader(w)
        rows = finding_rows(w.session, w.ctx, year, open)
        return {"items": rows, "count": len(rows)}


@public_router.get("/major-decision-catalogues", summary="已公布的重大行政决策目录（无需登录）")
def public_catalogues(request: Request, year: OptionalYear = None) -> dict[str, Any]:
    platform = platform_of(request)
    with transaction(platform.sessions) as session:
        rows = published_catalogues(session, platform.settings.region_code, year)
    return {"items": rows, "count": len(rows)}
