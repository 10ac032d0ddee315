"""Loading the types: hook modules are imported before their file is parsed, links between
types are checked once all are loaded, and a key given twice in a file is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from fazhi.catalog.registry import load_case_types, read_yaml
from fazhi.domain.case_type import CaseTypeError, ValueExpr
from tests.catalog.test_type_check import PERMIT

HOOKED = """\
type: permit
label: 许可
number_prefix: XK
hooks: [permit_hooks_for_test]
visibility: {roles: [operator]}
fields:
  due: {type: date, label: 期限, internal: true}
states:
  open: {label: 办理中}
  closed: {label: 已办结, terminal: true}
actions:
  apply: {label: 申请, create: true, to: open, roles: [operator]}
  close:
    label: 办结
    from: [open]
    to: closed
    roles: [operator]
    effects: {set: {due: {compute: permit_due_for_test}}}
schedules:
  sweep: {label: 巡检, every: 1cd, rule: permit_sweep_for_test}
"""
HOOK_MODULE = """\
from fazhi.domain.hooks import register_compute, register_rule


@register_compute("permit_due_for_test", returns="date")
def due(case):
    return "2023-10-09"


@register_rule("permit_sweep_for_test")
def sweep(cases):
    return []
"""


def test_hook_modules_are_imported_before_their_file_is_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    modules = tmp_path / "modules"
    modules.mkdir()
    (modules / "permit_hooks_for_test.py").write_text(HOOK_MODULE, encoding="utf-8")
    monkeypatch.syspath_prepend(str(modules))
    types = tmp_path / "types"
    types.mkdir()
    (types / "permit.yaml").write_text(HOOKED, encoding="utf-8")
    permit = load_case_types(types).get("permit")
    assert permit is not None
    assert permit.hooks == ("permit_hooks_for_test",)
    assert permit.action("close").effects.set == (  # type: ignore[union-attr]
        ("due", ValueExpr("compute", "permit_due_for_test")),
    )
    assert permit.schedules[0].rule == "permit_sweep_for_test"
    assert permit.source == str(types / "permit.yaml")


def test_a_hook_module_that_cannot_be_imported_is_a_fault(tmp_path: Path) -> None:
    (tmp_path / "permit.yaml").write_text(
        PERMIT + "hooks: [no_such_module_for_test]\n", encoding="utf-8"
    )
    with pytest.raises(CaseTypeError) as info:
        load_case_types(tmp_path)
    assert info.value.problems == [
        "hooks[0]: cannot import 'no_such_module_for_test' "
        "(ModuleNotFoundError: No module named 'no_such_module_for_test')"
    ]


def test_links_are_checked_once_every_type_is_loaded(tmp_path: Path) -> None:
    link = (
        "  source: {type: case_link, label: 来源, link_types: [hotline],"
        " prefill: {site: address}}\n"
    )
    (tmp_path / "permit.yaml").write_text(
        PERMIT.replace("states:\n", link + "states:\n"), encoding="utf-8"
    )
    assert load_case_types(tmp_path).get("permit") is not None
    broken = link.replace("hotline", "hotlines")
    (tmp_path / "permit.yaml").write_text(
        PERMIT.replace("states:\n", broken + "states:\n"), encoding="utf-8"
    )
    with pytest.raises(CaseTypeError) as info:
        load_case_types(tmp_path)
    assert info.value.problems == ["fields.source.link_types[0]: unknown case type 'hotlines'"]


def test_suggested_categories_must_be_categories_of_the_linked_type(tmp_path: Path) -> None:
    link = (
        "  source: {type: case_link, label: 来源, link_types: [hotline], suggested_for: [WAGES]}\n"
    )
    (tmp_path / "permit.yaml").write_text(
        PERMIT.replace("states:\n", link + "states:\n"), encoding="utf-8"
    )
    permit = load_case_types(tmp_path).get("permit")
    assert permit is not None and permit.field("source").suggested_for == ("WAGES",)  # type: ignore[union-attr]
    (tmp_path / "permit.yaml").write_text(
        PERMIT.replace("states:\n", link.replace("WAGES", "WAGE") + "states:\n"),
        encoding="utf-8",
    )
    with pytest.raises(CaseTypeError) as info:
        load_case_types(tmp_path)
    assert info.value.problems == [
        "fields.source.suggested_for[0]: 'WAGE' is not a category of hotline"
    ]


def test_a_key_given_twice_is_refused_with_its_line() -> None:
    with pytest.raises(Exception, match="duplicate key 'label'") as info:
        read_yaml("type: permit\nlabel: a\nlabel: b\n")
    assert "line 3" in str(info.value)
    assert read_yaml("a: &x [1]\nb: *x\n") == {"a": [1], "b": [1]}
