"""The report template is data in the seed's structure, parsed strictly: an unknown key, a
sentence that states no indicator, a heading with an unknown placeholder or a format the
renderer cannot write is refused when the template loads, not when a report is drafted."""

from __future__ import annotations

from typing import Any

import pytest

from fazhi.report.template import TemplateError, annual_template, parse_template


def _node(**extra: Any) -> dict[str, Any]:
    return {"key": "a", "heading": "甲", **extra}


def test_the_shipped_template_has_the_seed_report_structure() -> None:
    t = annual_template()
    assert t.title == "{district}{year}年法治政府建设年度报告"
    assert [s.heading for s in t.sections] == [
        "{year}年推进法治政府建设的主要举措和成效",
        "存在的不足",
        "{next_year}年工作打算",
    ]
    measures = t.sections[0]
    # The seed's five areas, in its order, with its numbered items under them.
    assert [c.heading[:8] for c in measures.children] == [
        "学习宣传贯彻落实",
        "依法全面履行政府",
        "聚焦做好行政执法",
        "防治并举，精准打",
        "依法有效化解社会",
    ]
    disputes = measures.children[4]
    assert [c.path.rsplit(".", 1)[1] for c in disputes.children] == [
        "mediation",
        "legal_aid",
        "correction",
        "reconsideration",
        "labour",
        "consumer",
    ]
    assert t.sections[1].findings and set(t.findings) >= {"review_defect", "overdue"}
    mediation = disputes.children[0].sentences[1]
    assert "{mediation.concluded}" in mediation and "{mediation.succeeded}" in mediation
    assert (
        "measures.disputes.mediation",
        "精准排查纠纷矛盾，提升人民调解质效",
    ) in t.narrative_keys()


@pytest.mark.parametrize(
    ("data", "says"),
    [
        ({"title": "t", "sections": [_node()], "colour": "red"}, "colour"),
        ({"title": "t", "sections": [_node(sentences=["全年调解纠纷若干件。"])]}, "at least one"),
        ({"title": "t", "sections": [_node(sentences=["共{x.y:公里}。"])]}, "公里"),
        ({"title": "{month}", "sections": [_node()]}, "month"),
        ({"title": "t", "sections": [_node(heading="{a.b}")]}, "a.b"),
        ({"title": "t", "sections": [_node(key="Bad-Key")]}, "key"),
        ({"title": "t", "sections": [_node(), _node()]}, "unique"),
        (
            {
                "title": "t",
                "sections": [_node(sections=[_node(sections=[_node(sections=[_node()])])])],
            },
            "three deep",
        ),
    ],
)
def test_a_template_that_says_what_the_renderer_cannot_do_is_refused(
    data: dict[str, Any], says: str
) -> None:
    with pytest.raises(TemplateError, match=says):
        parse_template(data)
