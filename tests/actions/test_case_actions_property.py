"""Random sequences of hotline actions through the actions layer keep the case consistent.

A hypothesis state machine registers a few orders and then lets six demo users try random
actions with plausible (sometimes deliberately wrong) inputs, moving the clock on between
steps. After every step: a successful action appended exactly one event and bumped the
version by one; a refused one changed nothing; states, terminal flags and clocks agree with
the type; and at the end every hash chain verifies.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import func, select

from fazhi.actions.auth import actor_for
from fazhi.actions.cases import ActionContext, create_case, perform_action, snapshot
from fazhi.actions.platform import Platform
from fazhi.domain.case_type import CaseType
from fazhi.domain.durations import LOCAL_TZ
from fazhi.domain.errors import DomainError
from fazhi.domain.units import Actor
from fazhi.domain.workflow import available_actions
from fazhi.store.audit import verify_all
from fazhi.store.db import transaction
from fazhi.store.models import Case, Clock, Event, User
from tests.support import FakeClock

# 30 steps of at most 72 hours from here stay inside 2023, whose calendar is built in.
START = datetime(2023, 6, 1, 9, 0, tzinfo=LOCAL_TZ)
USERS = ("operator1", "dispatcher1", "cgj_handler", "cgj_leader", "tx_leader", "supervisor1")
REGISTRARS = ("operator1", "dispatcher1", "cgj_handler")
UNITS = st.sampled_from(["SF-CGJ", "SF-TX", "SF-CGJ-ZFDD", "SF-ZJJ"])
TEXT = st.sampled_from(
    [
        "已到现场核实（测试）",
        "不属于本单位职责（测试）",
        "需要协调多个部门（测试）",
        "群众多次反映（测试）",
    ]
)
URGENCY = st.sampled_from(["normal", "urgent", "complex"])
DAYS = st.integers(1, 12)  # 11 and 12 are over the limit of 10: refused
REASON = st.fixed_dictionaries({"reason": TEXT})
NOTE = st.fixed_dictionaries({"note": TEXT})
NOTHING: st.SearchStrategy[dict[str, Any]] = st.just({})

INPUTS: dict[str, st.SearchStrategy[dict[str, Any]]] = {
    "dispatch": st.fixed_dictionaries(
        {"lead_unit": UNITS},
        optional={"assisting_units": st.lists(UNITS, max_size=2), "urgency": URGENCY, "note": TEXT},
    ),
    "acknowledge": NOTHING,
    "return": REASON,
    "handle": NOTE,
    "request_extension": st.fixed_dictionaries({"days": DAYS, "reason": TEXT}),
    "approve_extension": st.fixed_dictionaries({"days": DAYS}, optional={"note": TEXT}),
    "reject_extension": REASON,
    "reply": st.fixed_dictionaries(
        {"reply": TEXT, "result": st.sampled_from(["resolved", "explained", "unresolvable"])}
    ),
    "revisit": st.fixed_dictionaries(
        {"rating": st.sampled_from(["satisfied", "basically_satisfied", "dissatisfied"])},
        optional={"note": TEXT},
    ),
    "reopen": REASON,
    "close": NOTHING,
    "close_after_review": REASON,
    "supervise": st.fixed_dictionaries(
        {"kind": st.sampled_from(["leader_assignment", "key_supervision"]), "reason": TEXT}
    ),
    "post_challenge": REASON,
    "claim_challenge": NOTE,
    "clear_supervision": st.fixed_dictionaries(
        {
            "kind": st.sampled_from(["leader_assignment", "key_supervision", "open_challenge"]),
            "reason": TEXT,
        }
    ),
    # A dispatcher's ruling on a return (派单异议), and 诉求不合理认定.
    "uphold_return": st.fixed_dictionaries({"lead_unit": UNITS, "ruling": TEXT}),
    "reject_return": st.fixed_dictionaries({"ruling": TEXT}),
    "mark_unreasonable": REASON,
    "amend_from_source": st.fixed_dictionaries({"content": TEXT}, optional={"note": TEXT}),
    # The plain action path checks only that the lead is a number (the hotline's merge action
    # checks the lead itself).
    "merge": st.fixed_dictionaries({"lead_case": st.integers(1, 10**6), "reason": TEXT}),
    # Creating actions taken on an existing case: always refused.
    "register": NOTHING,
    "resolve_at_intake": NOTHING,
}
INPUTS["reassign"] = INPUTS["dispatch"]
ACTIONS = sorted(INPUTS)
# The actions that carry an order forward through the loop.
FORWARD = {
    "dispatch",
    "acknowledge",
    "reply",
    "revisit",
    "reopen",
    "close",
    "close_after_review",
    "return",
    "claim_challenge",
    "request_extension",
    "approve_extension",
}

REGISTER_FIELDS = st.fixed_dictionaries(
    {
        "request_kind": st.sampled_from(["complaint", "consultation", "report", "help"]),
        "category": st.sampled_from(["CITY_APPEARANCE", "SANITATION", "ILLEGAL_BUILDING"]),
        "content": TEXT,
    },
    optional={
        "urgency": URGENCY,
        "caller_phone": st.sampled_from(["17000001234", "0731-22881234"]),
        "caller_name": st.just("测试甲"),
    },
)


@dataclass(frozen=True)
class Observed:
    version: int
    events: int
    state: str
    terminal: bool
    closed: bool
    fields: dict[str, Any]
    marks: list[Any]
    lead_unit_id: int | None
    open_to_units: bool
    due_at: datetime | None
    running: tuple[tuple[str, datetime], ...]
    last_action: str | None


class HotlineMachine(RuleBasedStateMachine):
    platform: ClassVar[Platform]
    clock: ClassVar[FakeClock]
    actors: ClassVar[dict[str, Actor]]
    case_type: ClassVar[CaseType]
    created: ClassVar[list[int]]

    def __init__(self) -> None:
        super().__init__()
        self.clock.set(START)
        self.case_ids: list[int] = []

    # -- helpers -------------------------------------------------------------------------------

    def ctx(self, username: str) -> ActionContext:
        return ActionContext(self.platform, self.actors[username], self.clock())

    def observe(self, case_id: int) -> Observed:
        with self.platform.sessions() as session:
            case = session.get(Case, case_id)
            assert case is not None
            events = session.scalar(select(func.count()).where(Event.case_id == case_id))
            last = session.scalar(
                select(Event.action)
                .where(Event.case_id == case_id)
                .order_by(Event.seq.desc())
                .limit(1)
            )
            running = session.execute(
                select(Clock.name, Clock.due_at)
                .where(Clock.case_id == case_id, Clock.stopped_at.is_(None))
                .order_by(Clock.name, Clock.id)
            ).all()
            return Observed(
                case.version,
                int(events or 0),
                case.state,
                case.terminal,
                case.closed_at is not None,
                dict(case.fields),
                list(case.marks or []),
                case.lead_unit_id,
                case.open_to_units,
                case.due_at,
                tuple((n, d) for n, d in running),
                last,
            )

    def offered(self, case_id: int, username: str) -> list[str]:
        """What the workflow says `username` may do now (ignoring inputs)."""
        actor = self.actors[username]
        with self.platform.sessions() as session:
            case = session.get(Case, case_id)
            assert case is not None
            snap = snapshot(session, case, self.platform.directory())
        return [a.name for a in available_actions(self.case_type, snap, actor, self.clock())]

    # -- rules ---------------------------------------------------------------------------------

    @precondition(lambda self: len(self.case_ids) < 2)
    @rule(who=st.sampled_from(REGISTRARS), fields=REGISTER_FIELDS, at_intake=st.integers(0, 5))
    def register(self, who: str, fields: dict[str, Any], at_intake: int) -> None:
        action = "resolve_at_intake" if at_intake == 0 else "register"
        if action == "resolve_at_intake":
            fields = {**fields, "answer": "已在电话中答复（测试）"}
        try:
            with transaction(self.platform.sessions) as session:
                case = create_case(session, self.ctx(who), "hotline", fields, action)
                case_id = case.id
        except DomainError as exc:
            # Only the operator may resolve at intake; nothing else here is refused.
            assert action == "resolve_at_intake" and who != "operator1", exc.message
            assert exc.code == "forbidden_role"
            return
        self.case_ids.append(case_id)
        self.created.append(case_id)
        seen = self.observe(case_id)
        assert (seen.version, seen.events, seen.last_action) == (1, 1, action)
        assert seen.state == ("closed" if action == "resolve_at_intake" else "registered")
        assert seen.terminal == seen.closed == (action == "resolve_at_intake")

    @precondition(lambda self: bool(self.case_ids))
    @rule(data=st.data())
    def act_to_move_on(self, data: st.DataObject) -> None:
        """An offered action that changes the state: drives orders deep into the loop."""
        self.guided(data, moving=True)

    @precondition(lambda self: bool(self.case_ids))
    @rule(data=st.data())
    def act_as_offered(self, data: st.DataObject) -> None:
        """Any action the workflow offers someone now (supervision, extensions, notes...)."""
        self.guided(data, moving=False)

    @precondition(lambda self: bool(self.case_ids))
    @rule(data=st.data())
    def act_at_random(self, data: st.DataObject) -> None:
        """Anyone trying anything: mostly refusals, which must change nothing."""
        self.act(
            data,
            data.draw(st.sampled_from(self.case_ids), label="case"),
            data.draw(st.sampled_from(USERS), label="user"),
            data.draw(st.sampled_from(ACTIONS), label="action"),
        )

    def guided(self, data: st.DataObject, moving: bool) -> None:
        case_id = data.draw(st.sampled_from(self.case_ids), label="case")
        pairs = [(u, a) for u in USERS for a in self.offered(case_id, u)]
        if moving:
            pairs = [(u, a) for u, a in pairs if a in FORWARD]
        if not pairs:
            return
        username, action = data.draw(st.sampled_from(pairs), label="user, action")
        self.act(data, case_id, username, action)

    def act(self, data: st.DataObject, case_id: int, username: str, action: str) -> None:
        # Time passes between steps: often not at all, up to three days.
        if data.draw(st.booleans(), label="time passes"):
            self.clock.advance(hours=data.draw(st.integers(1, 72), label="hours"))
        offered = self.offered(case_id, username)
        inputs = dict(data.draw(INPUTS[action], label="inputs"))
        spoil = data.draw(st.integers(0, 9), label="spoil")
        if spoil == 0 and inputs:
            inputs.pop(sorted(inputs)[0])  # a required input may go missing
        elif spoil == 1:
            inputs["bogus"] = "x"  # an input the action does not know

        before = self.observe(case_id)
        try:
            with transaction(self.platform.sessions) as session:
                perform_action(session, self.ctx(username), case_id, action, inputs)
            error = None
        except DomainError as exc:
            error = exc
        after = self.observe(case_id)

        if spoil == 1:
            assert error is not None, "an unknown input was accepted"
        if error is None:
            assert after.version == before.version + 1
            assert after.events == before.events + 1
            assert after.last_action == action
            assert action in offered, f"{action} succeeded but was not offered to {username}"
            spec = self.case_type.action(action)
            assert spec is not None
            assert after.state == (spec.to or before.state)
            assert not before.terminal
            if after.terminal:
                target = self.case_type.state(spec.to or "")
                assert target is not None and target.terminal
        else:
            assert after == before, f"refused {action} ({error.code}) changed the case"
            assert error.code and error.message
            assert 400 <= error.status < 500
            if spoil == 1:
                assert error.code in {
                    "unknown_field",
                    "invalid_input",
                    "forbidden_role",
                    "invalid_state",
                    "not_your_case",
                    "not_found",
                    "guard_failed",
                    "document_missing",
                }

    # -- invariants ----------------------------------------------------------------------------

    @invariant()
    def cases_agree_with_their_type(self) -> None:
        terminal_states = {s.name for s in self.case_type.states if s.terminal}
        for case_id in self.case_ids:
            seen = self.observe(case_id)
            state = self.case_type.state(seen.state)
            assert state is not None, seen.state
            assert seen.terminal == state.terminal == seen.closed
            names = [n for n, _ in seen.running]
            assert len(names) == len(set(names)), f"two running clocks of one name: {names}"
            if seen.terminal:
                assert not seen.running, "a closed case still has clocks running"
            expected_due = min((d for _, d in seen.running), default=None)
            assert seen.due_at == expected_due
            with self.platform.sessions() as session:
                events = session.execute(
                    select(Event.seq, Event.action, Event.from_state, Event.to_state)
                    .where(Event.case_id == case_id)
                    .order_by(Event.seq)
                ).all()
            assert [e.seq for e in events] == list(range(1, len(events) + 1))
            assert events[-1].to_state == seen.state
            previous: str | None = None
            for event in events:
                spec = self.case_type.action(event.action)
                assert spec is not None
                assert event.from_state == previous
                assert previous not in terminal_states  # nothing happens after closing
                if event.to_state in terminal_states:
                    assert spec.to == event.to_state  # only a terminal transition closes
                previous = event.to_state


def test_random_action_sequences_keep_every_case_consistent(
    platform: Platform, clock: FakeClock
) -> None:
    with platform.sessions() as session:
        users = {
            u.username: u for u in session.scalars(select(User).where(User.username.in_(USERS)))
        }
    HotlineMachine.platform = platform
    HotlineMachine.clock = clock
    HotlineMachine.actors = {name: actor_for(platform, users[name]) for name in USERS}
    HotlineMachine.case_type = platform.types.get("hotline")  # type: ignore[assignment]
    HotlineMachine.created = []
    run_state_machine_as_test(
        HotlineMachine,
        settings=settings(
            # Each step is a real transaction: PostgreSQL's round trips make its examples
            # about three times dearer, so it runs fewer of them (SQLite runs the full 25).
            max_examples=25 if platform.engine.dialect.name == "sqlite" else 12,
            stateful_step_count=30,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
    assert HotlineMachine.created, "the machine never registered an order"
    with platform.sessions() as session:
        result = verify_all(session, platform.secret)
        states = set(session.scalars(select(Case.state).where(Case.id.in_(HotlineMachine.created))))
    assert result.ok, result.breaks
    assert result.events >= len(HotlineMachine.created)
    # The sequences went past registration, not only refusals.
    assert states - {"registered"}, states
