"""The annual report's suites: the indicator values they draft from are computed here from
the test database's own records (the indicator package is wired in later through the same
interface), never written in as answers. Console and API fixtures come from the shared
suites."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fazhi.actions.auth import actor_for, roles_of
from fazhi.actions.context import ActionContext
from fazhi.actions.platform import Platform
from fazhi.domain.durations import LOCAL_TZ
from fazhi.report import values as report_values
from fazhi.report.values import IndicatorValue, Period
from fazhi.store.db import transaction
from fazhi.store.models import Case, Unit, User
from tests.api.conftest import Login, _api_clients, login  # noqa: F401  (fixtures)
from tests.web.conftest import Console, console  # noqa: F401  (fixtures)

OFFICE = "yfzq_office"  # 依法治区办 (demo)
LEADER = "leader1"
YEAR = 2023


def hotline_by_month(session: Session, region_code: str, year: int) -> Counter[int]:
    """Work orders registered in each local month of the year, counted from the cases."""
    period = Period.year(year)
    start = datetime(year, 1, 1, tzinfo=LOCAL_TZ)
    end = datetime(period.end.year + 1, 1, 1, tzinfo=LOCAL_TZ)
    created = session.scalars(
        select(Case.created_at).where(
            Case.region_code == region_code,
            Case.type == "hotline",
            Case.created_at >= start,
            Case.created_at < end,
        )
    )
    return Counter(moment.astimezone(LOCAL_TZ).month for moment in created)


def departments(session: Session, region_code: str) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(Unit)
            .where(Unit.region_code == region_code, Unit.kind == "department", Unit.active)
        )
        or 0
    )


def computed_values(session: Session, region_code: str, year: int) -> dict[str, IndicatorValue]:
    """Two figures of the template computed from the records: the orders received (with
    their months, for the chart) and the departments the district mobilised."""
    period = Period.year(year)
    months = hotline_by_month(session, region_code, year)
    return {
        "hotline.received": IndicatorValue(
            "hotline.received",
            "12345热线诉求受理量",
            sum(months.values()),
            "件",
            period,
            f"/cases?type=hotline&from={year}-01-01&to={year}-12-31",
            series=tuple((f"{m}月", months.get(m, 0)) for m in range(1, 13)),
        ),
        "publicity.meeting_units": IndicatorValue(
            "publicity.meeting_units",
            "参加示范市创建部署会的单位",
            departments(session, region_code),
            "个",
            period,
            "/admin/units",
        ),
    }


@pytest.fixture
def source(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The test's computed values as the one registered source, for this test only."""

    def compute(session: Session, ctx: ActionContext, year: int) -> dict[str, IndicatorValue]:
        return computed_values(session, ctx.actor.region_code, year)

    monkeypatch.setattr(report_values, "_SOURCES", [compute])
    yield


@pytest.fixture
def no_sources(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No registered source at all (not even the indicator catalogue): narrative alone."""
    monkeypatch.setattr(report_values, "_SOURCES", [])
    yield


@pytest.fixture
def acting(platform: Platform) -> Callable[[str], ActionContext]:
    """acting("yfzq_office") → that demo user's action context now."""

    def make(username: str) -> ActionContext:
        with transaction(platform.sessions) as session:
            user = session.scalar(select(User).where(User.username == username))
            assert user is not None
            actor = actor_for(platform, user, roles_of(session, user.id))
        return ActionContext(platform, actor, platform.now())

    return make


def register_orders(login: Login, n: int) -> list[dict[str, Any]]:  # noqa: F811
    """n work orders registered by the 12345 operator (synthetic), so the year has some."""
    operator = login("operator1")
    return [
        operator.register(content=f"小区门口流动摊贩占道经营（年度报告测试合成 {i}）")
        for i in range(n)
    ]


def import_defective_file(login: Login) -> None:  # noqa: F811
    """A case file from another system without its proof of service, imported for review
    now (the review's machine finds the defect the problems section reports)."""
    from tests.enforcement.review.files import clean_general, without

    manifest = {**without(clean_general(), "service_proof"), "agency": {"name": "某局（测试合成）"}}
    response = login("case_reviewer").post(
        "/api/v1/case-file-reviews", json={"file": "年度报告测试", "manifest": manifest}
    )
    assert response.status_code == 201, response.text
