"""Which rollup counters each event adds to (fazhi.domain.rollup)."""

from __future__ import annotations

from fazhi.domain.rollup import METRICS, RollupFacts, metric_deltas, needs_late_handle


def metrics(**kw: object) -> list[str]:
    base: dict[str, object] = {
        "case_type": "hotline",
        "action": "handle",
        "created": False,
        "from_terminal": False,
        "to_terminal": False,
    }
    base.update(kw)
    deltas = metric_deltas(RollupFacts(**base))  # type: ignore[arg-type]
    assert all(n == 1 for _, n in deltas)
    return [m for m, _ in deltas]


def test_registration_counts_received_only() -> None:
    assert metrics(action="register", created=True) == ["received"]


def test_resolve_at_intake_is_received_and_closed_on_time() -> None:
    assert metrics(action="resolve_at_intake", created=True, to_terminal=True) == [
        "received",
        "closed",
        "closed_on_time",
    ]


def test_dispatch_and_reassign() -> None:
    assert metrics(action="dispatch") == ["dispatched"]
    assert metrics(action="reassign") == ["dispatched"]


def test_acknowledge_on_time_depends_on_the_acknowledge_clock() -> None:
    met = (("acknowledge", True), ("return_window", True))
    late = (("acknowledge", False), ("return_window", True))
    assert metrics(action="acknowledge", stopped=met) == ["acknowledged", "acknowledged_on_time"]
    assert metrics(action="acknowledge", stopped=late) == ["acknowledged"]


def test_reply_counts_on_time_and_resolved() -> None:
    assert metrics(action="reply", stopped=(("handle", True),), result="resolved") == [
        "replied",
        "replied_on_time",
        "resolved",
    ]
    assert metrics(action="reply", stopped=(("handle", False),), result="explained") == ["replied"]


def test_revisit_ratings() -> None:
    assert metrics(action="revisit", rating="satisfied") == ["rated", "satisfied"]
    assert metrics(action="revisit", rating="basically_satisfied") == ["rated", "satisfied"]
    assert metrics(action="revisit", rating="dissatisfied") == ["rated", "dissatisfied"]


def test_return_reopen_supervise() -> None:
    assert metrics(action="return", stopped=(("handle", True),)) == ["returned"]
    assert metrics(action="reopen") == ["reopened"]
    assert metrics(action="supervise") == ["supervised"]
    assert metrics(action="post_challenge") == ["supervised"]
    assert metrics(action="clear_supervision") == []
    assert metrics(action="handle") == []


def test_closing_on_time_depends_on_every_handle_clock() -> None:
    assert metrics(action="close", to_terminal=True) == ["closed", "closed_on_time"]
    assert metrics(action="close", to_terminal=True, late_handle=True) == ["closed"]
    # Only a transition into a terminal state closes.
    assert metrics(action="close", from_terminal=True, to_terminal=True) == []


def test_late_handle_is_looked_up_only_when_a_case_closes() -> None:
    assert needs_late_handle(False, False, True)
    assert not needs_late_handle(True, False, True)
    assert not needs_late_handle(False, False, False)
    assert not needs_late_handle(False, True, True)


def test_every_metric_is_short_enough_for_the_column() -> None:
    assert all(len(m) <= 24 for m in METRICS)
    assert len(set(METRICS)) == len(METRICS)
