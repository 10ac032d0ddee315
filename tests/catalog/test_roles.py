"""The roles catalog: every role is data (catalog/roles.yaml), read strictly, and a
deployment may add roles with FAZHI_ROLES_FILE."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from fazhi.catalog.roles import (
    NAV_IDS,
    UNDECLARED_VISIBILITY,
    RoleCatalogError,
    default_roles,
    load_roles,
    parse_roles,
)

FIXTURES = Path(__file__).parent.parent / "fixtures" / "roles"
ROLES = default_roles()
CLASSIC = ("operator", "dispatcher", "unit_handler", "unit_leader", "supervisor")
NEW = {
    "legal_reviewer": "法制审核人员",
    "enforcement_officer": "执法人员",
    "case_file_reviewer": "案卷评查员",
    "mediator": "人民调解员",
    "legal_aid_officer": "法律援助工作人员",
    "judicial_officer": "司法所工作人员",
    "reconsideration_officer": "行政复议工作人员",
    "arbitrator": "劳动仲裁员",
    "labour_inspector": "劳动保障监察员",
    "consumer_officer": "消费者权益保护工作人员",
    "petition_officer": "信访工作人员",
    "correction_officer": "社区矫正工作人员",
}


def test_the_seven_roles_of_the_hotline_keep_their_behaviour() -> None:
    assert {r: ROLES[r].scope for r in UNDECLARED_VISIBILITY} == {
        "operator": "region",
        "dispatcher": "region",
        "unit_handler": "subtree",
        "unit_leader": "subtree",
        "supervisor": "region",
        "district_leader": "region",
        "admin": "region",
    }
    whole = {r for r in UNDECLARED_VISIBILITY if ROLES[r].sees}
    assert whole == {"operator", "dispatcher"}
    assert ROLES["operator"].sees == {"name", "phone", "id_number"}
    may_reveal = {r for r in UNDECLARED_VISIBILITY if ROLES[r].reveals}
    assert may_reveal == {"unit_handler", "unit_leader", "supervisor"}
    assert {r for r in UNDECLARED_VISIBILITY if ROLES[r].open_cases} == {
        "unit_handler",
        "unit_leader",
    }
    assert ROLES.label("operator") == "话务员" and ROLES.label("admin") == "系统管理员"


def test_the_roles_of_the_coming_types_are_there_with_their_labels() -> None:
    assert {r: ROLES.label(r) for r in NEW} == NEW
    assert all(ROLES[r].nav for r in NEW)


def test_personal_data_rights_fit_the_work() -> None:
    # A correction officer supervises its subjects: their record and health are its work.
    assert {"criminal_record", "health"} <= ROLES["correction_officer"].sees
    # Nobody at the hotline ever sees a criminal record or health data.
    for role in CLASSIC:
        assert not {"criminal_record", "health"} & (ROLES[role].sees | ROLES[role].reveals)
    # A case-file reviewer reads files, not people: nothing whole, unmasking leaves a trace.
    assert ROLES["case_file_reviewer"].sees == frozenset()
    assert ROLES["case_file_reviewer"].reveals


def test_the_platforms_own_account_is_a_system_role_no_one_is_given() -> None:
    assert ROLES["system"].system and not ROLES["system"].nav
    assert "system" not in {spec.name for spec in ROLES.assignable}
    assert set(NEW) | set(UNDECLARED_VISIBILITY) <= {spec.name for spec in ROLES.assignable}


def test_menu_entries_name_only_console_entries() -> None:
    assert {n for spec in ROLES.values() for n in spec.nav} <= set(NAV_IDS)


def test_a_deployment_adds_and_redefines_roles() -> None:
    roles = load_roles(FIXTURES / "extra_roles.yaml")
    assert roles["notary"].scope == "involved" and roles.label("notary") == "公证员"
    assert roles["district_leader"].reveals == {"name"}
    assert set(ROLES.ids) < set(roles.ids)
    assert list(roles)[: len(ROLES)] == list(ROLES)  # the packaged order stays


def test_fazhi_roles_file_names_the_deployments_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAZHI_ROLES_FILE", str(FIXTURES / "extra_roles.yaml"))
    default_roles.cache_clear()
    try:
        assert "notary" in default_roles()
    finally:
        monkeypatch.delenv("FAZHI_ROLES_FILE")
        default_roles.cache_clear()
    assert "notary" not in default_roles()


def _good(**overrides: Any) -> dict[str, Any]:
    return {"roles": {"clerk": {"label": "书记员", "scope": "involved", **overrides}}}


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ({"roles": {"clerk": {"label": "书记员"}}}, "roles.clerk.scope: missing"),
        (_good(scope="everywhere"), "roles.clerk.scope: 'everywhere' is not one of"),
        (_good(sees=["name", "dna"]), "roles.clerk.sees[1]: unknown personal kind 'dna'"),
        (_good(reveals=["phone", "phone"]), "roles.clerk.reveals: listed twice: phone"),
        (_good(nav=["work", "ledger"]), "roles.clerk.nav[1]: unknown menu entry 'ledger'"),
        (_good(colour="red"), "roles.clerk: unknown key 'colour'"),
        (_good(open_cases="yes"), "roles.clerk.open_cases: Input should be a valid boolean"),
        (_good(sees=["name"], reveals=["name"]), "roles.clerk.reveals: name already in sees"),
        (_good(system=True, nav=["work"]), "roles.clerk.nav: a system role never signs in"),
        ({"roles": {"Clerk": {"label": "书记员", "scope": "region"}}}, "roles.Clerk: a role id"),
        ({"roles": {}, "groups": {}}, "(file): unknown key 'groups'"),
        (["clerk"], "(file): a mapping with the key 'roles' expected"),
    ],
)
def test_a_bad_roles_file_is_refused_with_the_path_of_each_fault(raw: Any, problem: str) -> None:
    with pytest.raises(RoleCatalogError) as caught:
        parse_roles(raw, "extra.yaml")
    assert any(p.startswith(problem) for p in caught.value.problems), caught.value.problems
    assert "extra.yaml" in str(caught.value)


def test_every_fault_of_a_file_is_reported_at_once() -> None:
    raw = {"roles": {"a": {"label": "甲", "scope": "x"}, "b": {"scope": "region", "sees": ["y"]}}}
    with pytest.raises(RoleCatalogError) as caught:
        parse_roles(raw)
    assert len(caught.value.problems) == 3


def test_a_bad_extra_file_names_itself(tmp_path: Path) -> None:
    path = tmp_path / "roles.yaml"
    path.write_text("roles:\n  clerk: {label: 书记员, scope: region, sees: [dna]}\n", "utf-8")
    with pytest.raises(RoleCatalogError, match=str(path)):
        load_roles(path)
