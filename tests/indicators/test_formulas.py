"""The pure formulas and the catalogue parser: each formula kind over its readings, targets
and completion, the written value (99.83% as 99% when the report rounds down), and a
catalogue with faults refused with every fault named."""

from __future__ import annotations

from decimal import Decimal

import pytest

from fazhi.catalog.indicator_catalog import load_indicator_catalog
from fazhi.catalog.registry import default_case_types
from fazhi.domain.indicators.formulas import evaluate, evaluate_all
from fazhi.domain.indicators.parse import IndicatorCatalogError, parse_catalog
from fazhi.domain.indicators.spec import Formula, Indicator, Target, parse_ref

D = Decimal


def indicator(kind: str, inputs: list[str], den: list[str] = (), **kw: object) -> Indicator:  # type: ignore[assignment]
    return Indicator(
        id=kw.pop("id", "t.x"),  # type: ignore[arg-type]
        name="测试",
        definition="测试",
        formula=Formula(kind, tuple(map(parse_ref, inputs)), tuple(map(parse_ref, den))),
        unit=str(kw.pop("unit", "件")),
        period="year",
        owner="SF",
        area="测试",
        **kw,  # type: ignore[arg-type]
    )


def test_a_ratio_is_its_numerator_over_its_denominator_and_is_written_as_the_report_rounds() -> (
    None
):
    rate = indicator(
        "ratio",
        ["metric:mediation.succeeded"],
        ["metric:mediation.concluded"],
        unit="%",
        precision=0,
        rounding="down",
        target=Target(D("0.95")),
    )
    value = evaluate(
        rate,
        {"metric:mediation.succeeded": D(1724), "metric:mediation.concluded": D(1727)},
        target=D("0.95"),
    )
    assert value.value == D(1724) / D(1727)
    assert value.display == "99%"  # 99.83%, written 高达99%
    assert value.met is True and value.numerator == 1724 and value.denominator == 1727
    assert (
        evaluate(
            rate, {"metric:mediation.succeeded": D(0), "metric:mediation.concluded": D(0)}
        ).reason
        == "分母为0"
    )


def test_completion_is_the_value_over_the_target_and_change_compares_with_the_year_before() -> None:
    done = indicator("completion", ["metric:legal_aid.accepted"], unit="%", precision=0)
    value = evaluate(done, {"metric:legal_aid.accepted": D(456)}, target=D(260))
    assert value.display == "175%" and value.met is True
    assert evaluate(done, {"metric:legal_aid.accepted": D(456)}).reason == "未设定目标"
    change = indicator("change", ["figure:public_security.fraud_arrests"], unit="%", precision=1)
    value = evaluate(
        change,
        {"figure:public_security.fraud_arrests": D(266)},
        {"figure:public_security.fraud_arrests": D(207)},
    )
    assert value.display == "28.5%"
    assert (
        evaluate(change, {"figure:public_security.fraud_arrests": D(266)}, {}).reason
        == "缺少上年同期数据"
    )


def test_an_average_is_a_ratio_in_its_own_unit_and_decrease_subtracts_this_year_from_the_last() -> (
    None
):
    """热线办理时限平均减少2个工作日: the average handling time (working days ÷ orders closed)
    of the year before minus this year's, in working days."""
    mean = indicator(
        "ratio",
        ["metric:hotline.handling_days"],
        ["metric:hotline.closed"],
        id="hotline.mean_handling_days",
        unit="个工作日",
        precision=1,
    )
    reduced = indicator(
        "decrease",
        ["indicator:hotline.mean_handling_days"],
        id="hotline.handling_days_reduced",
        unit="个工作日",
    )
    catalog_of = load_indicator_catalog(default_case_types())
    assert catalog_of.indicator("hotline.handling_days_reduced") is not None
    this_year = {"metric:hotline.handling_days": D(3420), "metric:hotline.closed": D(900)}
    last_year = {"metric:hotline.handling_days": D(4500), "metric:hotline.closed": D(800)}
    assert evaluate(mean, this_year).display == "3.8个工作日"
    before = evaluate(mean, last_year).value
    now = evaluate(mean, this_year).value
    assert before is not None and now is not None
    value = evaluate(
        reduced,
        {"indicator:hotline.mean_handling_days": now},
        {"indicator:hotline.mean_handling_days": before},
    )
    assert value.value == D("5.625") - D("3.8") and value.display == "2个工作日"
    assert value.numerator == now and value.denominator == before
    assert evaluate(reduced, {"indicator:hotline.mean_handling_days": now}, {}).reason == (
        "缺少上年同期数据"
    )


def test_a_missing_imported_figure_leaves_the_value_unknown_and_names_the_input() -> None:
    total = indicator("sum", ["figure:service_hall.free_seals", "metric:hotline.received"])
    value = evaluate(
        total, {"figure:service_hall.free_seals": None, "metric:hotline.received": D(3)}
    )
    assert value.value is None and value.missing == ("figure:service_hall.free_seals",)
    assert value.display == "—"


def test_money_in_yuan_is_scaled_to_wan_and_an_indicator_reads_another() -> None:
    amount = indicator(
        "sum",
        ["metric:wage_arrears.complaint_amount"],
        id="w.amount",
        unit="万元",
        scale=D("0.0001"),
        rounding="down",
    )
    assert (
        evaluate(amount, {"metric:wage_arrears.complaint_amount": D("13183460")}).display
        == "1318万元"
    )
    catalog = load_indicator_catalog(default_case_types())
    found = evaluate_all(
        catalog,
        {"metric:legal_aid.accepted": D(456)},
        targets={"legal_aid.completion": D(260)},
        only={"legal_aid.completion"},
    )
    assert found["legal_aid.completion"].display == "175%"
    assert set(found) == {"legal_aid.completion", "legal_aid.accepted"}


def test_the_shipped_catalogue_loads_against_the_types_with_both_schemes() -> None:
    catalog = load_indicator_catalog(default_case_types())
    demonstration = catalog.scheme("demonstration_2021")
    pufa = catalog.scheme("pufa_85_midterm")
    assert demonstration is not None and pufa is not None
    assert demonstration.areas[0].name == "政府职能依法全面履行"
    assert demonstration.areas[-1].name == "法治政府建设组织领导落实到位"
    assert len(demonstration.areas) == 8
    assert (len(pufa.areas), len(pufa.items())) == (15, 22)
    assert sum(i.score for i in pufa.items()) == 100 == sum(i.score for i in demonstration.items())


def test_a_catalogue_with_faults_is_refused_naming_each_fault() -> None:
    bad = {
        "area": "测试",
        "indicators": {
            "x.loop_a": {
                "name": "甲",
                "definition": "甲",
                "formula": {"count": "indicator:x.loop_b"},
                "unit": "件",
                "owner": "SF",
            },
            "x.loop_b": {
                "name": "乙",
                "definition": "乙",
                "formula": {"count": "indicator:x.loop_a"},
                "unit": "件",
                "owner": "SF",
            },
            "x.rate": {
                "name": "丙",
                "definition": "丙",
                "formula": {
                    "ratio": {
                        "numerator": "metric:mediation.nothing",
                        "denominator": "metric:nowhere.received",
                    }
                },
                "unit": "件",
                "owner": "SF",
                "colour": "red",
            },
            "x.growth": {
                "name": "庚",
                "definition": "庚",
                "formula": {"change": "metric:mediation.concluded"},
                "unit": "件",
                "owner": "SF",
            },
            "x.by": {
                "name": "丁",
                "definition": "丁",
                "formula": {"count": "metric:mediation.by_kind"},
                "unit": "件",
                "owner": "SF",
            },
            "x.fig": {
                "name": "戊",
                "definition": "戊",
                "formula": {"value": "figure:nobody.nothing"},
                "unit": "件",
                "owner": "SF",
            },
            "X bad": {"name": "己"},
        },
    }
    with pytest.raises(IndicatorCatalogError) as caught:
        parse_catalog(
            [("areas/bad.yaml", bad)],
            None,
            [],
            {t.name: {m.name: m.by is not None for m in t.metrics} for t in default_case_types()},
        )
    text = "\n".join(caught.value.problems)
    assert "reads itself" in text
    assert "unknown key 'colour'" in text
    assert "mediation declares no metric 'nothing'" in text
    assert "unknown case type 'nowhere'" in text
    assert "a change is a percentage" in text
    assert "a by metric is read per value" in text
    assert "unknown figure 'nobody.nothing'" in text
    assert "bad indicator id 'X bad'" in text
    assert all(p.startswith("areas/bad.yaml: ") for p in caught.value.problems)
