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
    del raw["clocks"]["review"]["basis"]  # missing basis
    raw["clocks"]["notice"] = {
        "label": "告知时限",
        "basis": "测试",
        "start": ["apply"],
        "limit": "5 days",
    }  # bad duration
    problems = problems_of(raw)
    expected = [
        "number_prefix 应为大写字母",
        "fields.kind: 枚举字段缺少 choices",
        "actions.assign: 未知状态 nowhere",
        "actions.assign: 未知角色 janitor",
        "actions.decide: 缺少 from 状态",
        "actions.decide: 条件引用未知字段 colour",
        "clocks.review: 引用未知动作 approve",
        "clocks.review: 缺少法律或规则依据 basis",
        "clocks.notice.limit: 时限格式无法识别：'5 days'",
    ]
    for text in expected:
        assert any(text in p for p in problems), f"{text!r} not in {problems}"
    assert len(problems) == len(expected), problems


def test_the_error_names_the_type_and_joins_the_problems_in_chinese() -> None:
    raw = copy.deepcopy(GOOD)
    raw["number_prefix"] = ""
    del raw["clocks"]["review"]["basis"]
    with pytest.raises(CaseTypeError) as info:
        parse(raw)
    assert info.value.type_name == "noise_permit"
    assert str(info.value).startswith("案件类型 noise_permit 定义有误：")
    assert "；" in str(info.value)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda r: r["actions"]["apply"].update(create=False), "没有创建动作"),
        (lambda r: r.update(states={}), "没有定义状态 states"),
        (lambda r: r["actions"]["apply"].update({"from": ["received"]}), "创建动作不能有 from"),
        (lambda r: r["actions"]["decide"].update(party="whoever"), "未知 party whoever"),
        (lambda r: r["actions"]["decide"].update(roles=[]), "缺少 roles"),
        (lambda r: r["actions"]["decide"].update(documents=["photo"]), "未知文书类别 photo"),
        (
            lambda r: r["actions"]["decide"].update(effects={"set": {"colour": "red"}}),
            "effects.set 引用未知字段 colour",
        ),
        (
            lambda r: r["actions"]["decide"].update(effects={"set": {"decision": "input.nope"}}),
            "effects.set 引用未知输入 input.nope",
        ),
        (
            lambda r: r["actions"]["decide"].update(effects={"increment": ["counter"]}),
            "effects 引用未知字段 counter",
        ),
        (
            lambda r: r["actions"]["assign"].update(effects={"assign_lead": "who"}),
            "指派引用未知输入 who",
        ),
        (
            lambda r: r["actions"]["decide"].update(guards=[{"field": "site"}]),
            "条件缺少中文 message",
        ),
        (
            lambda r: r["actions"]["decide"].update(
                guards=[{"field": "site", "eq": 1, "ne": 2, "message": "x"}]
            ),
            "字段条件需要且只能有一个比较",
        ),
        (
            lambda r: r["fields"].update(colour={"type": "colour", "label": "颜色"}),
            "未知字段类型 colour",
        ),
        (
            lambda r: r["fields"].update(who={"type": "string", "personal": "blood_type"}),
            "未知个人信息类别 blood_type",
        ),
        (
            lambda r: r["fields"].update(cat={"type": "enum", "choices": "no_such_set"}),
            "未知选项集 no_such_set",
        ),
        (
            lambda r: r["clocks"]["review"].update(limit_on={"decide": "1wd"}),
            "limit_on.decide 不是起算动作",
        ),
        (
            lambda r: r["clocks"]["review"].update(limit={"by": "colour", "default": "3wd"}),
            "limit.by 引用未知字段 colour",
        ),
        (
            lambda r: r["clocks"]["review"].update(extend={"action": "prolong", "input": "days"}),
            "extend 引用未知动作 prolong",
        ),
        (
            lambda r: r["clocks"]["review"].update(extend={"action": "decide", "input": "days"}),
            "extend 引用动作 decide 没有的输入 days",
        ),
        (lambda r: r.update(title_field="nope"), "title_field 引用未知字段 nope"),
        (lambda r: r.update(summary_fields=["nope"]), "summary_fields 引用未知字段 nope"),
    ],
)
def test_each_kind_of_fault_is_named(change: Any, expected: str) -> None:
    raw = copy.deepcopy(GOOD)
    change(raw)
    problems = problems_of(raw)
    assert any(expected in p for p in problems), problems


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
    assert info.value.problems == ["文件内容应为映射"]


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
    assert set(types.names()) == {"hotline", "disclosure_request", "noise_permit"}
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
        result = verify_all(session)
        assert not [b for b in result.breaks if b[0] == case_id]
