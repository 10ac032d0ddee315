"""Case types are data: type files are checked at load time, every fault listed at once,
and a type that exists only as a YAML file works end to end through the actions layer."""

from __future__ import annotations

import copy
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import func, select

from fazhi.actions.auth import actor_for
from fazhi.actions.cases import ActionContext, create_case, perform_action
from fazhi.actions.platform import Platform
from fazhi.catalog.registry import load_case_types
from fazhi.catalog.roles import default_roles
from fazhi.domain.case_type import CaseTypeError, parse_case_type
from fazhi.domain.errors import DomainError
from fazhi.store.audit import verify_all
from fazhi.store.db import transaction
from fazhi.store.models import Case, CaseAccess, Clock, Event, User

ROLE_SET = default_roles().ids

# A minimal, valid type; each test breaks a copy of it.
GOOD: dict[str, Any] = {
    "type": "noise_permit",
    "label": "夜间施工许可",
    "number_prefix": "YS",
    "visibility": {"roles": ["operator", "dispatcher", "unit_handler", "unit_leader"]},
    "title_field": "site",
    "fields": {
        "site": {"type": "string", "label": "施工地点", "required": True},
        "kind": {
            "type": "enum",
            "label": "工程类型",
            "choices": {"road": "道路", "building": "房建"},
        },
        "decision": {"type": "text", "label": "决定", "internal": True},
    },
    "states": {
        "received": {"label": "已受理"},
        "reviewing": {"label": "审查中"},
        "decided": {"label": "已决定", "terminal": True},
    },
    "actions": {
        "apply": {"label": "受理", "create": True, "to": "received", "roles": ["operator"]},
        "assign": {
            "label": "分办",
            "from": ["received"],
            "to": "reviewing",
            "roles": ["dispatcher"],
            "inputs": {"unit": {"type": "unit", "label": "审查单位", "required": True}},
            "effects": {"assign_lead": "unit"},
        },
        "decide": {
            "label": "作出决定",
            "from": ["reviewing"],
            "to": "decided",
            "roles": ["unit_handler", "unit_leader"],
            "party": "lead_unit",
            "inputs": {"decision": {"type": "text", "label": "决定", "required": True}},
            "guards": [{"field": "site", "present": True, "message": "缺少施工地点"}],
        },
    },
    "clocks": {
        "review": {
            "label": "审查时限",
            "basis": "测试规则：受理后3个工作日内作出决定",
            "start": ["apply"],
            "stop": ["decide"],
            "limit": "3wd",
            "primary": True,
        },
    },
}


def parse(raw: dict[str, Any]) -> Any:
    return parse_case_type(raw, ROLE_SET)


def problems_of(raw: dict[str, Any]) -> list[str]:
    with pytest.raises(CaseTypeError) as info:
        parse(raw)
    return info.value.problems


def test_the_minimal_type_is_valid() -> None:
    case_type = parse(GOOD)
    assert case_type.name == "noise_permit"
    assert [a.name for a in case_type.create_actions] == ["apply"]
    assert case_type.state("decided").terminal  # type: ignore[union-attr]
    assert case_type.clock("review").limit.default.label == "3个工作日"  # type: ignore[union-attr]


def test_a_broken_type_file_is_refused_with_every_problem_listed() -> None:
    raw = copy.deepcopy(GOOD)
    raw["number_prefix"] = "ys1"
    raw["fields"]["kind"] = {"type": "enum", "label": "工程类型"}  # no choices
    raw["actions"]["assign"]["to"] = "nowhere"  # unknown state
    raw["actions"]["assign"]["roles"] = ["dispatcher", "janitor"]  # unknown role
    del raw["actions"]["decide"]["from"]  # action without from
    raw["actions"]["decide"]["guards"] = [
        {"field": "colour", "eq": "red", "message": "颜色不对"}
    ]  # guard on unknown field
    raw["clocks"]["review"]["stop"] = ["decide", "approve"]  # unknown action
    raw["clocks"]["notice"] = {
        "label": "告知时限",
        "start": ["apply"],
        "limit": "5 days",
    }  # bad duration, missing basis
    assert problems_of(raw) == [
        "number_prefix: should be upper-case letters (got 'ys1')",
        "clocks.notice: missing key 'basis'",
        "clocks.notice.limit: bad duration '5 days' (write 30min, 24h, 5wd, 20cd or 3mo)",
        "fields.kind: an enum field needs choices",
        "actions.assign.to: unknown state 'nowhere'",
        "actions.assign.roles[1]: unknown role 'janitor'",
        "actions.decide: missing key 'from' (the states it may be taken in, or '*')",
        "actions.decide.guards[0].field: unknown field 'colour'",
        "clocks.review.stop[1]: unknown action 'approve'",
    ]


def test_the_error_names_the_type_and_joins_the_problems_in_chinese() -> None:
    raw = copy.deepcopy(GOOD)
    raw["number_prefix"] = ""
    del raw["clocks"]["review"]["basis"]
    raw["colour"] = "red"
    with pytest.raises(CaseTypeError) as info:
        parse(raw)
    assert info.value.type_name == "noise_permit"
    assert str(info.value).startswith("案件类型 noise_permit 定义有误：")
    assert "；" in str(info.value)


def test_from_star_means_every_non_terminal_state() -> None:
    raw = copy.deepcopy(GOOD)
    raw["actions"]["withdraw"] = {
        "label": "撤回",
        "from": "*",
        "to": "decided",
        "roles": ["operator"],
    }
    action = parse(raw).action("withdraw")
    assert action.from_states == ("received", "reviewing")


def test_a_creating_action_takes_the_types_non_internal_fields() -> None:
    action = parse(GOOD).action("apply")
    assert [i.name for i in action.inputs] == ["site", "kind"]


def test_both_shipped_types_load() -> None:
    types = load_case_types()
    assert {"hotline", "disclosure_request"} <= set(types.names())
    hotline = types.get("hotline")
    assert hotline is not None and hotline.number_prefix == "RX"
    assert hotline.field("category").choices  # type: ignore[union-attr]
    assert dict(hotline.field("category").choices)["CITY_APPEARANCE"] == "市容秩序"  # type: ignore[union-attr]
    disclosure = types.get("disclosure_request")
    assert disclosure is not None and disclosure.number_prefix == "GK"
    reply = disclosure.clock("reply")
    assert reply is not None and reply.extend is not None and reply.extend.max_total == 20
    assert all(c.basis for t in types for c in t.clocks)


def test_a_broken_file_in_the_extra_folder_is_named_with_its_problems(tmp_path: Path) -> None:
    raw = copy.deepcopy(GOOD)
    raw["number_prefix"] = "x"
    (tmp_path / "broken.yaml").write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CaseTypeError) as info:
        load_case_types(tmp_path)
    assert "broken.yaml" in info.value.type_name
    assert any("number_prefix" in p for p in info.value.problems)


def test_a_file_that_is_not_a_mapping_is_refused(tmp_path: Path) -> None:
    (tmp_path / "list.yaml").write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(CaseTypeError) as info:
        load_case_types(tmp_path)
    assert info.value.problems == ["(root): the file should be a mapping"]


def _user(session: Any, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    assert user is not None
    return user


def test_a_new_type_defined_only_as_yaml_works_end_to_end(
    platform: Platform, tmp_path: Path
) -> None:
    (tmp_path / "noise_permit.yaml").write_text(
        yaml.safe_dump(GOOD, allow_unicode=True), encoding="utf-8"
    )
    types = load_case_types(tmp_path)
    assert set(types.names()) == {
        "hotline",
        "disclosure_request",
        "mediation",
        "penalty_case",
        "legality_review",
        "major_decision_catalogue",
        "major_decision",
        "rule_of_law_inspection",
        "reconsideration",
        "litigation",
        "legal_aid",
        "labour_arbitration",
        "wage_arrears",
        "labour_inspection",
        "petition",
        "consumer_complaint",
        "consumer_report",
        "consumer_campaign",
        "community_correction",
        "correction_anomaly",
        "resettlement",
        "noise_permit",
    }
    local = replace(platform, types=types)
    now = platform.now()
    with transaction(local.sessions) as session:
        operator = actor_for(local, _user(session, "operator1"))
        dispatcher = actor_for(local, _user(session, "dispatcher1"))
        handler = actor_for(local, _user(session, "cgj_handler"))
        outsider = actor_for(local, _user(session, "tx_handler"))
    with transaction(local.sessions) as session:
        case = create_case(
            session,
            ActionContext(local, operator, now),
            "noise_permit",
            {"site": "建设北路（测试）", "kind": "road"},
        )
        case_id = case.id
    with transaction(local.sessions) as session:
        perform_action(
            session, ActionContext(local, dispatcher, now), case_id, "assign", {"unit": "SF-CGJ"}
        )
    with pytest.raises(DomainError) as info, transaction(local.sessions) as session:
        perform_action(
            session, ActionContext(local, outsider, now), case_id, "decide", {"decision": "x"}
        )
    assert info.value.status in (403, 404)
    with transaction(local.sessions) as session:
        done = perform_action(
            session,
            ActionContext(local, handler, now),
            case_id,
            "decide",
            {"decision": "准予夜间施工（测试）"},
        )
        assert (done.state, done.terminal, done.version) == ("decided", True, 3)
        assert done.title == "建设北路（测试）"
        assert done.fields["decision"] == "准予夜间施工（测试）"
        assert done.closed_at is not None
        events = session.scalars(
            select(Event).where(Event.case_id == case_id).order_by(Event.seq)
        ).all()
        assert [(e.action, e.from_state, e.to_state) for e in events] == [
            ("apply", None, "received"),
            ("assign", "received", "reviewing"),
            ("decide", "reviewing", "decided"),
        ]
        clocks = session.scalars(select(Clock).where(Clock.case_id == case_id)).all()
        assert [(c.name, c.limit, c.stopped_at is not None) for c in clocks] == [
            ("review", "3wd", True)
        ]
        access = session.scalar(
            select(func.count()).select_from(CaseAccess).where(CaseAccess.case_id == case_id)
        )
        assert access and access >= 2
        assert session.get(Case, case_id).type == "noise_permit"  # type: ignore[union-attr]
        result = verify_all(session, platform.secret)
        assert not [b for b in result.breaks if b[0] == case_id]
