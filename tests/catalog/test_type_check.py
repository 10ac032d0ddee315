"""`check_type_files`: every fault of every type file with its file and path — YAML syntax
errors with their line, the format's faults, missing templates, clashing and broken links."""

from __future__ import annotations

from pathlib import Path

import pytest

from fazhi.catalog.type_check import TypeFault, check_type_files

FIXTURES = Path(__file__).parents[1] / "fixtures" / "case_types"
BAD = sorted((FIXTURES / "bad").glob("*.yaml"))
PERMIT = """\
type: permit
label: 许可
number_prefix: XK
visibility: {roles: [operator]}
fields:
  site: {type: string, label: 地点}
states:
  open: {label: 办理中}
  closed: {label: 已办结, terminal: true}
actions:
  apply: {label: 申请, create: true, to: open, roles: [operator]}
  close: {label: 办结, from: [open], to: closed, roles: [operator]}
"""


def expectations(path: Path) -> list[str]:
    return [
        line.removeprefix("# expect: ")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.startswith("# expect: ")
    ]


def test_there_is_a_bad_fixture_for_each_kind_of_fault() -> None:
    assert len(BAD) >= 25
    assert all(expectations(p) for p in BAD), [p.name for p in BAD if not expectations(p)]


@pytest.mark.parametrize("path", BAD, ids=[p.stem for p in BAD])
def test_each_malformed_file_is_refused_with_the_path_of_its_fault(path: Path) -> None:
    faults = check_type_files([path])
    shown = [f"{f.path}: {f.message}" for f in faults]
    assert all(f.file == str(path) for f in faults)
    for expected in expectations(path):
        assert any(s.startswith(expected) for s in shown), shown


def test_the_shipped_types_and_the_good_examples_have_no_fault() -> None:
    assert check_type_files() == []
    assert check_type_files([FIXTURES / "good"]) == []


def test_every_file_is_read_to_the_end(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(PERMIT.replace("XK", "xk"), encoding="utf-8")
    (tmp_path / "b.yaml").write_text("type: [unclosed\n", encoding="utf-8")
    (tmp_path / "c.yaml").write_text(
        PERMIT.replace("type: permit", "type: other"), encoding="utf-8"
    )
    faults = check_type_files([tmp_path])
    assert [(Path(f.file).name, f.path) for f in faults] == [
        ("a.yaml", "number_prefix"),
        ("b.yaml", "line 2"),
    ]
    assert faults[1].message.startswith("not valid YAML:")


def test_a_type_defined_twice_and_a_missing_template(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(PERMIT, encoding="utf-8")
    with_template = PERMIT + "documents:\n  letter: {label: 告知书, template: letter.docx}\n"
    (tmp_path / "b.yaml").write_text(with_template, encoding="utf-8")
    faults = check_type_files([tmp_path])
    assert faults == [
        TypeFault(
            str(tmp_path / "b.yaml"),
            "type",
            f"type 'permit' is also defined in {tmp_path / 'a.yaml'}",
        ),
        TypeFault(
            str(tmp_path / "b.yaml"),
            "documents.letter.template",
            "no file letter.docx beside the type file",
        ),
    ]
    (tmp_path / "letter.docx").write_bytes(b"PK")
    (tmp_path / "a.yaml").unlink()
    assert check_type_files([tmp_path]) == []


def test_links_resolve_across_the_checked_files_and_the_shipped_types(tmp_path: Path) -> None:
    link = (
        "  source: {type: case_link, label: 来源, link_types: [hotline, review],"
        " prefill: {site: address}}\n"
    )
    (tmp_path / "permit.yaml").write_text(
        PERMIT.replace("states:\n", link + "states:\n"), encoding="utf-8"
    )
    faults = check_type_files([tmp_path / "permit.yaml"])
    assert [str(f) for f in faults] == [
        f"{tmp_path / 'permit.yaml'}: fields.source.link_types[1]: unknown case type 'review'"
    ]
    review = PERMIT.replace("type: permit", "type: review").replace("XK", "FY")
    (tmp_path / "review.yaml").write_text(review, encoding="utf-8")
    faults = check_type_files([tmp_path])
    assert [str(f) for f in faults] == [
        f"{tmp_path / 'permit.yaml'}: fields.source.prefill.site: "
        "case type 'review' has no field 'address'"
    ]


def test_by_default_the_deployments_folder_is_checked_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "permit.yaml").write_text(
        PERMIT.replace("label: 地点", "label: 地点, size: 3"), encoding="utf-8"
    )
    monkeypatch.setenv("FAZHI_CASE_TYPES_DIR", str(tmp_path))
    assert [str(f) for f in check_type_files()] == [
        f"{tmp_path / 'permit.yaml'}: fields.site: unknown key 'size'"
    ]


def test_a_path_that_does_not_exist() -> None:
    assert check_type_files([Path("/nonexistent/types.yaml")]) == [
        TypeFault("/nonexistent/types.yaml", "(root)", "no such file or folder")
    ]
