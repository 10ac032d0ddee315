"""Guards over references, as a specification: what each reference reads, how values
compare (money as decimals), how guards combine, and when they are evaluated."""

from __future__ import annotations

from datetime import date, datetime

from fazhi.domain.case_type import DocumentKind, Guard, Ref
from fazhi.domain.records import DocumentRecord
from fazhi.domain.workflow import CaseSnapshot, available_actions, refusals
from tests.domain.typekit import OFFICER, act, at, compare, field, matter, refuse, run

NOW = at(date(2023, 6, 1))
OPEN = CaseSnapshot(state="open", fields={})

SUMMARY_FINE = matter(
    act(
        "apply",
        create=True,
        inputs=(field("fine", "number", "罚款金额", required=True), field("party", "string")),
        guards=(compare("fine", "le", 200, "简易程序罚款不超过200元"),),
    ),
    fields=(field("fine", "number", "罚款金额"), field("party", "string")),
)


def test_a_create_guard_reads_the_inputs_so_a_5000_yuan_summary_fine_is_refused() -> None:
    error = refuse(SUMMARY_FINE, CaseSnapshot(), "apply", NOW, fine="5000", party="某商店")
    assert (error.code, error.status, error.message) == (
        "guard_failed",
        422,
        "简易程序罚款不超过200元",
    )
    plan = run(SUMMARY_FINE, CaseSnapshot(), "apply", NOW, fine="200", party="某商店")
    assert plan.fields["fine"] == 200


def test_inputs_are_validated_before_the_guards_that_read_them() -> None:
    error = refuse(SUMMARY_FINE, CaseSnapshot(), "apply", NOW, fine="很多")
    assert (error.code, error.field) == ("invalid_value", "fine")


def test_a_guard_that_reads_no_input_is_reported_before_invalid_inputs() -> None:
    # What the user cannot fix by typing comes first, as it always did.
    kind = matter(
        act(
            "decide",
            inputs=(field("amount", "number", required=True),),
            guards=(compare("approved", "eq", True, "尚未经负责人审批"),),
        ),
        fields=(field("approved", "bool"),),
    )
    assert refuse(kind, OPEN, "decide", NOW).message == "尚未经负责人审批"


def test_an_input_reference_reads_only_the_input_not_the_field() -> None:
    kind = matter(
        act(
            "extend",
            inputs=(field("days", "int"),),
            guards=(compare(Ref("input", "days"), "le", 10, "延长不超过10日"),),
        ),
        fields=(field("days", "int"),),
    )
    case = CaseSnapshot(state="open", fields={"days": 30})
    assert run(kind, case, "extend", NOW, days=5).fields["days"] == 5
    assert refuse(kind, case, "extend", NOW, days=11).message == "延长不超过10日"


# --- values: money, strings, dates --------------------------------------------------------

LIMITED = matter(
    act(
        "decide",
        inputs=(field("cap", "number"),),
        guards=(
            compare("amount", "le", None, "罚款超过上限", right=Ref("field", "cap_amount")),
            compare("amount", "le", None, "罚款超过本次限额", right=Ref("input", "cap")),
        ),
    ),
    act(
        "sign",
        guards=(
            compare("signed_on", "le", None, "签收不能早于送达", right=Ref("field", "served_on")),
        ),
    ),
    fields=(
        field("amount", "money"),
        field("cap_amount", "money"),
        field("code", "string"),
        field("signed_on", "date"),
        field("served_on", "date"),
    ),
)


def test_money_fields_compare_as_decimals_not_as_text() -> None:
    # As text "9.90" > "10"; as money 9.90 yuan is below 10 yuan.
    case = CaseSnapshot(state="open", fields={"amount": "9.90", "cap_amount": "10"})
    assert run(LIMITED, case, "decide", NOW, cap=10).to_state == "open"
    case.fields["amount"] = "1200.50"
    case.fields["cap_amount"] = "1200.5"  # the same amount written differently
    assert run(LIMITED, case, "decide", NOW, cap="1200.5").to_state == "open"
    case.fields["amount"] = "1200.51"
    error = refuse(LIMITED, case, "decide", NOW, cap="5000")
    assert error.message == "罚款超过上限"


def test_a_field_compared_with_an_input() -> None:
    case = CaseSnapshot(state="open", fields={"amount": "800.00", "cap_amount": "1000"})
    assert refuse(LIMITED, case, "decide", NOW, cap="799.99").message == "罚款超过本次限额"
    assert run(LIMITED, case, "decide", NOW, cap="800").to_state == "open"


def test_a_comparison_with_an_absent_reference_fails() -> None:
    case = CaseSnapshot(state="open", fields={"amount": "100.00"})  # no cap_amount
    assert refuse(LIMITED, case, "decide", NOW, cap=500).message == "罚款超过上限"


def test_iso_dates_order_as_text() -> None:
    served = {"served_on": "2023-05-31"}
    early = CaseSnapshot(state="open", fields={**served, "signed_on": "2023-05-30"})
    assert run(LIMITED, early, "sign", NOW).to_state == "open"
    late = CaseSnapshot(state="open", fields={**served, "signed_on": "2023-06-01"})
    assert refuse(LIMITED, late, "sign", NOW).message == "签收不能早于送达"


def test_strings_of_no_numeric_type_keep_their_leading_zeros() -> None:
    kind = matter(
        act("check", guards=(compare("code", "eq", "0731", "区号不符"),)),
        fields=(field("code", "string"),),
    )
    assert refuse(kind, CaseSnapshot(state="open", fields={"code": "731"}), "check", NOW)
    assert run(kind, CaseSnapshot(state="open", fields={"code": "0731"}), "check", NOW)


# --- documents and counts -----------------------------------------------------------------

DOCS = (
    DocumentKind("decision", "处罚决定书", fields=(field("amount", "money"),)),
    DocumentKind("decision_approval", "审批表", fields=(field("amount", "money"),)),
    DocumentKind("evidence", "证据材料"),
)
SAME_AMOUNT = compare(
    Ref("document", "decision", "amount"),
    "eq",
    None,
    "决定书金额与审批表不一致",
    right=Ref("document", "decision_approval", "amount"),
)
REVIEWED = matter(
    act("review", guards=(SAME_AMOUNT,)),
    act(
        "close_file",
        guards=(
            compare(Ref("field", "parties", count=True), "ge", 2, "当事人不少于2人"),
            compare(Ref("document", "evidence", count=True), "ge", 2, "证据材料不少于2份"),
        ),
    ),
    act(
        "serve",
        guards=(compare(Ref("document", "decision", count=True), "ge", 1, "请先制作决定书"),),
    ),
    fields=(field("parties", "list"),),
    documents=DOCS,
)


def docs(*records: DocumentRecord) -> CaseSnapshot:
    return CaseSnapshot(state="open", documents=records)


def test_document_data_compare_with_another_documents_data() -> None:
    same = docs(
        DocumentRecord("decision", {"amount": "5000.00"}),
        DocumentRecord("decision_approval", {"amount": "5000"}),
    )
    assert run(REVIEWED, same, "review", NOW).to_state == "open"
    different = docs(
        DocumentRecord("decision", {"amount": "5000.00"}),
        DocumentRecord("decision_approval", {"amount": "3000.00"}),
    )
    assert refuse(REVIEWED, different, "review", NOW).message == "决定书金额与审批表不一致"


def test_a_document_comparison_fails_when_a_document_is_missing() -> None:
    only_decision = docs(DocumentRecord("decision", {"amount": "5000.00"}))
    assert refuse(REVIEWED, only_decision, "review", NOW).code == "guard_failed"
    # Nothing on file at all is not "equal" either.
    assert refuse(REVIEWED, docs(), "review", NOW).code == "guard_failed"


def test_the_newest_active_document_of_a_kind_is_read() -> None:
    case = docs(
        DocumentRecord("decision", {"amount": "3000.00"}, added_at=at(date(2023, 5, 1)), id=1),
        DocumentRecord("decision", {"amount": "5000.00"}, added_at=at(date(2023, 5, 9)), id=2),
        DocumentRecord(
            "decision", {"amount": "9.00"}, active=False, added_at=at(date(2023, 5, 20)), id=3
        ),
        DocumentRecord("decision_approval", {"amount": "5000.00"}),
    )
    assert run(REVIEWED, case, "review", NOW).to_state == "open"


def test_counts_of_list_records_and_of_active_documents() -> None:
    evidence = (
        DocumentRecord("evidence"),
        DocumentRecord("evidence"),
        DocumentRecord("evidence", active=False),
    )
    case = CaseSnapshot(state="open", fields={"parties": [{"name": "甲"}]}, documents=evidence)
    error = refuse(REVIEWED, case, "close_file", NOW)
    assert error.message == "当事人不少于2人"  # the withdrawn one is not counted: 2 remain
    case.fields["parties"].append({"name": "乙"})
    assert run(REVIEWED, case, "close_file", NOW).to_state == "open"
    fewer = CaseSnapshot(state="open", fields=case.fields, documents=evidence[1:])
    assert refuse(REVIEWED, fewer, "close_file", NOW).message == "证据材料不少于2份"


def test_a_document_requirement_is_a_count_of_at_least_one() -> None:
    assert refuse(REVIEWED, docs(), "serve", NOW).message == "请先制作决定书"
    assert run(REVIEWED, docs(DocumentRecord("decision")), "serve", NOW)
    # A caller that knows only the kinds on file still satisfies it.
    legacy = CaseSnapshot(state="open", document_kinds=frozenset({"decision"}))
    assert run(REVIEWED, legacy, "serve", NOW)


def test_document_kinds_are_derived_from_active_documents() -> None:
    case = docs(DocumentRecord("decision"), DocumentRecord("evidence", active=False))
    assert case.document_kinds == frozenset({"decision"})


# --- combinations -------------------------------------------------------------------------

A = compare("a", "present", message="请填写甲")
B = compare("b", "present")  # no message: speaks with its parent's
COMBINED = matter(
    act("both", guards=(Guard("all", message="甲乙都要填写", children=(A, B)),)),
    act("either", guards=(Guard("any", message="甲乙至少填写一项", children=(A, B)),)),
    act(
        "unmarked",
        guards=(Guard("not", message="已挂牌督办", children=(Guard("mark", "supervised"),)),),
    ),
    fields=(field("a"), field("b")),
)


def test_all_reports_each_failing_child_with_its_own_or_the_parents_message() -> None:
    nothing = CaseSnapshot(state="open")
    error = refuse(COMBINED, nothing, "both", NOW)
    assert [p.message for p in error.problems] == ["请填写甲", "甲乙都要填写"]
    only_a = CaseSnapshot(state="open", fields={"a": "x"})
    assert refuse(COMBINED, only_a, "both", NOW).message == "甲乙都要填写"
    assert run(COMBINED, CaseSnapshot(state="open", fields={"a": "x", "b": "y"}), "both", NOW)


def test_any_holds_when_one_child_holds() -> None:
    assert refuse(COMBINED, CaseSnapshot(state="open"), "either", NOW).message == (
        "甲乙至少填写一项"
    )
    assert run(COMBINED, CaseSnapshot(state="open", fields={"b": "y"}), "either", NOW)


def test_not_inverts_its_child() -> None:
    marked = CaseSnapshot(state="open", marks=[{"kind": "supervised"}])
    assert refuse(COMBINED, marked, "unmarked", NOW).message == "已挂牌督办"
    assert run(COMBINED, CaseSnapshot(state="open"), "unmarked", NOW)


# --- when guards are evaluated ------------------------------------------------------------

LISTED = matter(
    act(
        "decide",
        inputs=(field("amount", "number", required=True), field("cap", "number")),
        guards=(
            compare("amount", "le", 200, "罚款不超过200元"),  # a field the action has an input of
            compare(Ref("input", "cap"), "le", 1000, "限额不超过1000元"),
            Guard("any", message="须先立案", children=(compare("filed", "eq", True),)),
        ),
    ),
    fields=(field("amount", "number"), field("filed", "bool")),
)


def names(case: CaseSnapshot, now: datetime = NOW) -> set[str]:
    return {a.name for a in available_actions(LISTED, case, OFFICER, now)}


def test_available_actions_are_not_hidden_by_guards_that_read_inputs() -> None:
    # The stored amount is over the limit, but the user may type a new one.
    case = CaseSnapshot(state="open", fields={"amount": 5000, "filed": True})
    assert names(case) == {"decide"}
    action = LISTED.action("decide")
    assert action is not None
    assert refusals(LISTED, action, case, OFFICER, NOW) == []
    problems = refusals(LISTED, action, case, OFFICER, NOW, inputs={"amount": 300, "cap": 5000})
    assert [p.message for p in problems] == ["罚款不超过200元", "限额不超过1000元"]


def test_available_actions_still_hide_an_action_by_a_guard_that_reads_no_input() -> None:
    case = CaseSnapshot(state="open", fields={"filed": False})
    assert names(case) == set()
    assert run(LISTED, CaseSnapshot(state="open", fields={"filed": True}), "decide", NOW, amount=1)
