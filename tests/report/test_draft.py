"""Drafting: every sentence is filled from the values given; a sentence any of whose
indicators has no value is left out whole (never printed with a blank), and so is one whose
figures are all 0 (nothing happened to report), a section left
with nothing is left out and the numbering closes up; every figure keeps its indicator id,
period and ledger; narrative blocks stand in their sections; the problems section phrases
the findings, numbered after the ones the narrative already numbers."""

from __future__ import annotations

from decimal import Decimal

from fazhi.report.draft import Chart, Figure, Heading, Paragraph, draft_report
from fazhi.report.template import annual_template, parse_template
from fazhi.report.values import Finding, IndicatorValue, Period

P = Period.year(2023)


def v(ident: str, value: object, unit: str = "件", **extra: object) -> IndicatorValue:
    return IndicatorValue(ident, f"指标{ident}", value, unit, P, f"/ledger/{ident}", **extra)  # type: ignore[arg-type]


def test_a_sentence_without_all_its_values_is_left_out_and_the_numbering_closes_up() -> None:
    values = {
        "mediation.concluded": v("mediation.concluded", 1727),
        "mediation.succeeded": v("mediation.succeeded", 1724),
        "mediation.success_rate": v("mediation.success_rate", 1724 / 1727, "ratio"),
        # Only one of the labour sentence's five indicators: that sentence is left out.
        "labour.arbitration_accepted": v("labour.arbitration_accepted", 135),
        "labour.arbitration_closed": v("labour.arbitration_closed", 130),
        "labour.arbitration_closure_rate": v("labour.arbitration_closure_rate", 130 / 135, "ratio"),
        "labour.arbitration_mediation_rate": v("labour.arbitration_mediation_rate", 1, "ratio"),
        "wages.complaints": v("wages.complaints", 232),
    }
    draft = draft_report(annual_template(), 2023, "石峰区", values, {})
    text = draft.text()
    assert draft.title == "石峰区2023年法治政府建设年度报告"
    assert "2023年，全区共调解矛盾纠纷1727件，调解成功1724件，调解成功率高达99.83%。" in text
    assert "劳动仲裁共受理案件135件，已办结130件，结案率96.3%，调解结案率100%。" in text
    assert "232件" not in text and "{" not in text and "None" not in text
    assert "labour.special_notices" in draft.missing
    # Areas with no value and no narrative are left out; those left are numbered 一、（一）1.
    headings = [b.full for b in draft.blocks if isinstance(b, Heading)]
    assert headings == [
        "一、2023年推进法治政府建设的主要举措和成效",
        "（一）依法有效化解社会矛盾纠纷，切实维护人民群众合法权益",
    ]
    leads = [b.lead for b in draft.blocks if isinstance(b, Paragraph) and b.lead]
    assert leads == [
        "1.精准排查纠纷矛盾，提升人民调解质效。",
        "2.劳动仲裁高质高效，清欠维稳工作处置迅速有力。",
    ]
    assert "measures.functions" in draft.empty and "plans" in draft.empty


def test_a_sentence_whose_figures_are_all_zero_is_not_written() -> None:
    """A district without the mediation module's records that year: "共调解矛盾纠纷0件" says
    nothing, so the sentence goes; one with a single zero among real figures stays."""
    values = {
        "mediation.concluded": v("mediation.concluded", 0),
        "mediation.succeeded": v("mediation.succeeded", 0),
        "mediation.success_rate": v("mediation.success_rate", 0, "ratio"),
        "labour.arbitration_accepted": v("labour.arbitration_accepted", 135),
        "labour.arbitration_closed": v("labour.arbitration_closed", 0),
        "labour.arbitration_closure_rate": v("labour.arbitration_closure_rate", 0, "ratio"),
        "labour.arbitration_mediation_rate": v("labour.arbitration_mediation_rate", 0, "ratio"),
    }
    draft = draft_report(annual_template(), 2023, "石峰区", values, {})
    text = draft.text()
    assert "调解矛盾纠纷" not in text
    assert "劳动仲裁共受理案件135件，已办结0件" in text
    assert "mediation.concluded" not in draft.missing  # not missing: nothing to say


def test_a_round_figure_is_written_as_about_so_many() -> None:
    values = {
        "hotline.handling_days_reduced": v("hotline.handling_days_reduced", 2, "个工作日"),
        "hotline.livelihood_safety_resolved": v("hotline.livelihood_safety_resolved", 507, "个"),
        "hotline.enterprise_problems_solved": v("hotline.enterprise_problems_solved", 283, "个"),
    }
    text = draft_report(annual_template(), 2023, "石峰区", values, {}).text()
    assert "热线办理时限平均减少2个工作日，500余个民生安全问题得到有效解决" in text


def test_every_figure_keeps_its_indicator_period_and_ledger() -> None:
    values = {
        "investment.projects_reviewed": v("investment.projects_reviewed", 12, "个"),
        "investment.amount_reduced": v("investment.amount_reduced", "205.4", "万元"),
        "investment.reduction_rate": v("investment.reduction_rate", "4.05", "%"),
    }
    draft = draft_report(annual_template(), 2023, "石峰区", values, {})
    assert "今年送审12个项目累计核减205.4万元，核减比率4.05%，有效降低项目成本。" in draft.text()
    figures = [
        r for b in draft.blocks if isinstance(b, Paragraph) for r in b.runs if isinstance(r, Figure)
    ]
    assert [(f.key, f.text, f.ref, f.ledger, f.period) for f in figures] == [
        (
            "investment.projects_reviewed",
            "12个",
            1,
            "/ledger/investment.projects_reviewed",
            "2023年",
        ),
        (
            "investment.amount_reduced",
            "205.4万元",
            2,
            "/ledger/investment.amount_reduced",
            "2023年",
        ),
        ("investment.reduction_rate", "4.05%", 3, "/ledger/investment.reduction_rate", "2023年"),
    ]
    assert [f.key for f in draft.figures] == [f.key for f in figures]  # the appendix


def test_narrative_blocks_stand_in_their_sections_one_paragraph_a_line() -> None:
    narratives = {
        "preface": "近年来，本区认真学习宣传贯彻落实习近平法治思想（测试）。",
        "measures.thought.consensus": (
            "召开全面依法治区委员会会议（测试）。\n\n听取各单位述法（测试）。"
        ),
        "plans": "（一）笃学践行习近平法治思想（测试）。\n（二）全面推进综合行政执法改革（测试）。",
    }
    draft = draft_report(annual_template(), 2023, "石峰区", {}, narratives)
    lines = draft.text().splitlines()
    assert lines == [
        "石峰区2023年法治政府建设年度报告",
        "近年来，本区认真学习宣传贯彻落实习近平法治思想（测试）。",
        "一、2023年推进法治政府建设的主要举措和成效",
        "（一）学习宣传贯彻落实习近平法治思想和中央全面依法治国工作会议精神情况",
        "1.凝聚了法治共识。召开全面依法治区委员会会议（测试）。",
        "听取各单位述法（测试）。",
        "二、2024年工作打算",
        "（一）笃学践行习近平法治思想（测试）。",
        "（二）全面推进综合行政执法改革（测试）。",
    ]


def test_findings_are_phrased_and_numbered_after_the_narratives_own() -> None:
    findings = [
        Finding("review_defect", "文书记载错误", 3, "处", {"files": 16}, "/case-file-reviews"),
        Finding("review_defect", "无案卷封面目录", 1, "处", {"files": 16}, "/case-file-reviews"),
        Finding(
            "overdue",
            "区城管局",
            0.125,
            "ratio",
            {"rate_label": "按期办结率", "threshold": (0.9, "ratio")},
            "/analytics/units",
        ),
        Finding("not_in_template", "某事", 1, "件"),
    ]
    narratives = {
        "problems": "我区法治政府建设仍有不足（测试）。\n一是法治意识有待进一步强化（测试）。"
    }
    draft = draft_report(annual_template(), 2023, "石峰区", {}, narratives, findings)
    text = draft.text()
    assert (
        "二是执法规范化水平有待进一步提升。2023年案卷评查共评查行政执法案卷16本，"
        "机器评查发现文书记载错误3处、无案卷封面目录1处等问题。"
    ) in text
    assert (
        "三是部分单位办理时效有待提高。按期办结率低于90%的单位有1个：区城管局超期率12.5%。" in text
    )
    assert "某事" not in text  # a kind the template does not phrase is not reported
    keys = [f.key for f in draft.figures]
    assert keys == [
        "review_defect:文书记载错误",
        "review_defect:无案卷封面目录",
        "overdue:区城管局",
    ]


def test_a_chart_is_drawn_from_the_series_of_its_indicator() -> None:
    months = tuple((f"{m}月", m * 10) for m in range(1, 13))
    values = {"hotline.received": v("hotline.received", 780, series=months)}
    draft = draft_report(annual_template(), 2023, "石峰区", values, {})
    chart = next(b for b in draft.blocks if isinstance(b, Chart))
    assert chart.title == "12345热线诉求月度受理量" and chart.points == months
    assert chart.figure.key == "hotline.received" and chart.figure.text == "780件"


def test_context_placeholders_fill_headings_and_sentences() -> None:
    t = parse_template(
        {
            "title": "{district}{year}年报告",
            "sections": [
                {"key": "a", "heading": "{next_year}年", "sentences": ["{year}年共{x.n}。"]}
            ],
        }
    )
    draft = draft_report(t, 2030, "某区", {"x.n": v("x.n", 3, "人")}, {})
    assert draft.text().splitlines() == ["某区2030年报告", "一、2031年", "2030年共3人。"]


def test_a_figure_is_written_to_its_indicators_own_precision() -> None:
    # 高达99%: the indicator rounds 99.83% down to whole per cent and says so (decimals 0).
    values = {
        "mediation.concluded": v("mediation.concluded", 1727),
        "mediation.succeeded": v("mediation.succeeded", 1724),
        "mediation.success_rate": v("mediation.success_rate", Decimal("0.99"), "ratio", decimals=0),
    }
    text = draft_report(annual_template(), 2023, "石峰区", values, {}).text()
    assert "调解成功率高达99%。" in text
