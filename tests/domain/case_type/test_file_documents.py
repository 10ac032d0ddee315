"""`documents:`: a kind of document carries data fields, who may add it, in which states,
whether it has a file, whether a second one replaces the first, and its template."""

from __future__ import annotations

from typing import Any

import pytest

from fazhi.domain.case_type import DocumentKind
from tests.domain.case_type.support import assert_fault, minimal, parse, with_yaml


def test_a_document_kind_with_data() -> None:
    raw = with_yaml("""
documents:
  agreement:
    label: 调解协议书
    roles: [unit_handler]
    states: [open]
    file: optional
    multiple: false
    template: mediation_agreement.docx
    fields:
      number: {type: string, label: 文书编号, required: true}
      signed_on: {type: date, label: 签订日期, required: true}
  photo: {label: 现场照片}
""")
    spec = parse(raw)
    agreement = spec.document("agreement")
    assert agreement is not None
    assert [f.name for f in agreement.fields] == ["number", "signed_on"]
    assert agreement.field("signed_on").type == "date"  # type: ignore[union-attr]
    assert (agreement.roles, agreement.states) == (("unit_handler",), ("open",))
    assert (agreement.file, agreement.multiple) == ("optional", False)
    assert agreement.template == "mediation_agreement.docx"
    # Defaults: a file may come with it, any role of the type, any open state, many of them.
    assert spec.document("photo") == DocumentKind("photo", "现场照片")


def test_a_document_of_data_only() -> None:
    raw = with_yaml("""
documents:
  record: {label: 笔录, file: none, fields: {taken_on: {type: date, label: 日期}}}
""")
    assert parse(raw).document("record").file == "none"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ({"label": "x", "colour": 1}, "documents.x: unknown key 'colour'"),
        ({}, "documents.x: missing key 'label'"),
        ({"label": "x", "roles": ["janitor"]}, "documents.x.roles[0]: unknown role 'janitor'"),
        ({"label": "x", "states": ["nowhere"]}, "documents.x.states[0]: unknown state 'nowhere'"),
        (
            {"label": "x", "file": "maybe"},
            "documents.x.file: input should be 'required', 'optional' or 'none'",
        ),
        ({"label": "x", "file": "none"}, "documents.x: a document with file: none needs fields"),
        (
            {"label": "x", "template": "../agreement.docx"},
            "documents.x.template: a template is a .docx file name",
        ),
        (
            {"label": "x", "template": "agreement.doc"},
            "documents.x.template: a template is a .docx file name",
        ),
        ({"label": "x", "multiple": "no"}, "documents.x.multiple: expected true or false"),
        (
            {"label": "x", "fields": {"n": {"type": "strin", "label": "n"}}},
            "documents.x.fields.n.type: unknown field type 'strin'",
        ),
        (
            {
                "label": "x",
                "fields": {"n": {"type": "string", "label": "n", "required_if": {"m": 1}}},
            },
            "documents.x.fields.n.required_if.m: unknown field 'm'",
        ),
    ],
)
def test_a_malformed_document_kind_is_refused_with_its_path(
    document: dict[str, Any], expected: str
) -> None:
    raw = minimal(documents={"x": document})
    assert_fault(raw, expected)
