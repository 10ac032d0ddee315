"""The problems section's findings from the platform's own reads: the case-file review's
defects by class (files imported for review in the year), the units whose on-time closing
rate is below the template's threshold (the hotline's rollups, a week of orders taken
through the real actions), and the indicator values below their targets."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from fazhi.actions.context import ActionContext
from fazhi.actions.platform import Platform
from fazhi.analytics import rollups as ru
from fazhi.analytics.period import Period as AnalyticsPeriod
from fazhi.enforcement.store import CaseFileReview
from fazhi.report.draft import draft_report
from fazhi.report.findings import below_target, overdue_units, review_defects
from fazhi.report.template import OverdueRule, annual_template
from fazhi.report.values import IndicatorValue, Period
from fazhi.store.db import transaction
from tests.analytics.scenario import LEAD, LEAD_NAME, build_week, make_desk
from tests.api.conftest import Login
from tests.report.conftest import OFFICE, import_defective_file
from tests.support import FakeClock, ServerThread

MONDAY = date(2024, 6, 17)  # a week no other scenario uses


def test_review_defects_are_counted_by_class_over_the_years_files(
    platform: Platform, login: Login
) -> None:
    import_defective_file(login)  # at the suite's clock, in 2023
    with transaction(platform.sessions) as session:
        found = review_defects(session, platform.region_code, 2023)
        files = session.scalars(
            select(CaseFileReview).where(CaseFileReview.region_code == platform.region_code)
        ).all()
    in_year = [f for f in files if f.created_at.year == 2023]
    service = next(f for f in found if f.subject == "无决定文书送达材料")
    expected = sum(
        1
        for f in in_year
        for d in f.machine.get("findings", [])
        if d["defect"] == "service_proof_missing"
    )
    assert (service.value, service.unit, service.detail["files"]) == (expected, "处", len(in_year))
    assert [f.value for f in found] == sorted((f.value for f in found), reverse=True)
    with transaction(platform.sessions) as session:
        assert review_defects(session, platform.region_code, 2019) == []


def test_units_below_the_on_time_threshold_are_named_with_their_overdue_rate(
    server: ServerThread,
    clock: FakeClock,
    platform: Platform,
    acting: Callable[[str], ActionContext],
) -> None:
    build_week(make_desk(server, clock), clock, MONDAY, "年度报告超期测试")
    ctx = acting(OFFICE)
    rule = OverdueRule("hotline", "on_time_closure_rate", 1.0, 1)
    directory = platform.directory()
    lead = directory.by_code[LEAD]
    hotline = platform.types.get("hotline")
    assert hotline is not None
    with transaction(platform.sessions) as session:
        found = overdue_units(session, ctx, [rule], 2024)
        counts = ru.totals(
            session,
            ru.Scope(platform.region_code, hotline, (lead.id,)),
            AnalyticsPeriod.year(2024),
        )
    mine = next(f for f in found if f.subject == LEAD_NAME)
    # The week's late closing (scenario B) makes the unit's rate fall below 100%.
    assert counts["closed_on_time"] < counts["closed"]
    assert mine.value == 1 - counts["closed_on_time"] / counts["closed"]
    assert mine.detail["rate_label"] == "按期办结率" and mine.unit == "ratio"
    # Phrased in the problems section by the template.
    template = replace(annual_template(), overdue=(rule,))
    draft = draft_report(template, 2024, "石峰区", {}, {}, found)
    assert "按期办结率低于100%的单位有" in draft.text() and LEAD_NAME in draft.text()
    # A type the deployment lacks, or a rate it does not declare, reports nothing.
    with transaction(platform.sessions) as session:
        assert overdue_units(session, ctx, [OverdueRule("nope", "x", 0.9, 1)], 2024) == []
        assert overdue_units(session, ctx, [OverdueRule("hotline", "x", 0.9, 1)], 2024) == []


def test_values_below_their_targets_become_findings() -> None:
    p = Period.year(2023)
    values = {
        "legal_aid.accepted": IndicatorValue(
            "legal_aid.accepted", "法律援助案件", 240, "件", p, "/l/a", target=260
        ),
        "mediation.cases": IndicatorValue(
            "mediation.cases", "调解案件", 1727, "件", p, "/l/m", target=1500
        ),
        "registration.net_new_completion": IndicatorValue(
            "registration.net_new_completion",
            "企业净增完成率",
            Decimal("0.9975"),
            "ratio",
            p,
            "/l/r",
            target=1,
            owner="区市场监管局",
        ),
    }
    found = below_target(values)
    assert [(f.subject, f.value) for f in found] == [
        ("法律援助案件", 240),
        ("企业净增完成率（区市场监管局）", Decimal("0.9975")),
    ]
    text = draft_report(annual_template(), 2023, "石峰区", {}, {}, found).text()
    assert (
        "一是部分指标尚未完成年度目标。法律援助案件为240件，未达到年度目标260件；"
        "企业净增完成率（区市场监管局）为99.75%，未达到年度目标100%。"
    ) in text


def test_a_target_is_judged_as_the_indicator_judges_it() -> None:
    p = Period.year(2023)
    # A lower-is-better rate above its ceiling misses it; one the indicator calls met does not.
    returns = IndicatorValue(
        "hotline.return_rate",
        "退单率",
        Decimal("0.08"),
        "ratio",
        p,
        "/l/x",
        target=Decimal("0.05"),
        met=False,
    )
    fine = IndicatorValue(
        "hotline.repeat_rate",
        "重复来电率",
        Decimal("0.03"),
        "ratio",
        p,
        "/l/y",
        target=Decimal("0.05"),
        met=True,
    )
    assert [f.subject for f in below_target({"a": returns, "b": fine})] == ["退单率"]
