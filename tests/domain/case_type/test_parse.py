"""The parser as a whole: the shipped types and the example types of issue 8 (a penalty
case, a mediation) are data only and parse; the error lists every fault of a file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from fazhi.catalog.registry import choice_sets, shipped_type_files
from fazhi.domain.case_type import CaseType, Ref
from fazhi.domain.durations import Duration
from tests.domain.case_type.support import ROLE_SET, faults, parse

FIXTURES = Path(__file__).parents[2] / "fixtures" / "case_types"


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_the_shipped_types_parse_and_declare_who_sees_them() -> None:
    from fazhi.domain.case_type import parse_case_type

    parsed: dict[str, CaseType] = {}
    for file in shipped_type_files():
        spec = parse_case_type(yaml.safe_load(file.text), ROLE_SET, choice_sets())
        parsed[spec.name] = spec
    hotline, disclosure = parsed["hotline"], parsed["disclosure_request"]
    assert hotline.visibility is not None and "operator" in hotline.visibility.roles
    assert disclosure.visibility is not None
    assert set(disclosure.visibility.roles) == {
        "unit_handler",
        "unit_leader",
        "supervisor",
        "district_leader",
        "admin",
    }
    uploaders = ("operator", "dispatcher", "unit_handler", "unit_leader")
    assert all(d.roles == uploaders for d in hotline.documents)
    # A disclosure request's papers are the handling office's; the 12345 centre cannot see it.
    assert all(d.roles == ("unit_handler", "unit_leader") for d in disclosure.documents)
    (lt, within) = hotline.action("return").guards  # type: ignore[union-attr]
    assert (lt.target, lt.left, lt.op, lt.value) == (
        "dispatch_count",
        Ref("field", "dispatch_count"),
        "lt",
        3,
    )
    assert within.kind == "clock_within"


def test_a_penalty_case_is_data_only() -> None:
    penalty = parse(
        load(FIXTURES / "good" / "penalty_case.yaml"), compute_hooks={}, rule_hooks=frozenset()
    )
    parties, officers = penalty.field("parties"), penalty.field("officers")
    assert parties is not None and officers is not None
    assert [f.name for f in parties.items] == [
        "kind",
        "name",
        "id_number",
        "credit_code",
        "address",
    ]
    assert officers.min_items == 2 and officers.item("certificate").pattern == r"^\d{11}$"  # type: ignore[union-attr]
    decision = penalty.document("decision")
    assert decision is not None and [f.name for f in decision.fields] == [
        "number",
        "decided_on",
        "amount",
    ]
    decide = penalty.action("decide")
    assert decide is not None
    compare = decide.guards[2]
    assert compare.left == Ref("document", "decision", "amount")
    assert compare.right == Ref("document", "decision_approval", "amount")
    spot = penalty.action("decide_on_the_spot")
    assert spot is not None and spot.create
    assert [(g.target, g.op, g.value) for g in spot.guards][1] == ("amount", "le", 200)
    handle = penalty.clock("handle")
    assert handle is not None and handle.limit.default == Duration(90, "cd")
    assert (handle.suspend, handle.resume) == (("suspend",), ("resume",))
    assert penalty.clock("lawsuit_window").limit.default == Duration(6, "mo")  # type: ignore[union-attr]
    assert penalty.restricted
    assert [r.name for r in penalty.rates] == ["decided_on_time_rate", "concluded_on_time_rate"]


def test_a_mediation_sketch_is_data_only() -> None:
    mediation = parse(
        load(FIXTURES / "good" / "mediation_sketch.yaml"), compute_hooks={}, rule_hooks=frozenset()
    )
    assert [f.name for f in mediation.field("sessions").items] == [
        "held_on",
        "place",
        "attendees",
        "result",
    ]  # type: ignore[union-attr]
    assert mediation.field("source_case").prefill == (  # type: ignore[union-attr]
        ("summary", "content"),
        ("applicant_phone", "caller_phone"),
    )
    window = mediation.clock("confirmation_window")
    assert window is not None and window.start == ("conclude",)
    assert mediation.document("agreement").multiple is False  # type: ignore[union-attr]


def test_every_fault_of_a_file_is_listed_not_only_the_first() -> None:
    path = FIXTURES / "bad" / "many_faults.yaml"
    expected = [
        line.removeprefix("# expect: ")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.startswith("# expect: ")
    ]
    problems = faults(load(path))
    assert len(problems) == len(expected), problems
    assert all(p.startswith(e) for p, e in zip(problems, expected, strict=True)), problems


def test_the_example_of_the_format_reference_parses() -> None:
    doc = (Path(__file__).parents[3] / "docs" / "case-type-format.md").read_text(encoding="utf-8")
    example = doc.split("## A complete example", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    spec = parse(yaml.safe_load(example))
    assert spec.name == "noise_permit"
    assert [a.name for a in spec.create_actions] == ["apply"]


def test_a_metrics_day_is_the_events_or_the_cases_creation() -> None:
    doc = (Path(__file__).parents[3] / "docs" / "case-type-format.md").read_text(encoding="utf-8")
    example = doc.split("## A complete example", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    data = yaml.safe_load(example)
    data["metrics"]["decided_of_received"] = {"label": "收到并办结", "terminal": True}
    assert parse(data).metric("decided_of_received").day == "event"  # type: ignore[union-attr]
    data["metrics"]["decided_of_received"]["day"] = "created"
    assert parse(data).metric("decided_of_received").day == "created"  # type: ignore[union-attr]
    # Any other day is refused, never taken as the event's.
    data["metrics"]["decided_of_received"]["day"] = "closed"
    assert [p for p in faults(data) if p.startswith("metrics.decided_of_received.day")], faults(
        data
    )
