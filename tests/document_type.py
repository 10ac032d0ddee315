"""The document tests' case type (tests/fixtures/case_types/mediation_docs.yaml), installed
on the shared platform for one test, and small helpers to build its cases."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from fazhi.actions.platform import Platform
from fazhi.catalog.registry import CaseTypes
from fazhi.catalog.roles import default_roles
from fazhi.domain.case_type import CaseType, parse_case_type

FIXTURE = Path(__file__).parent / "fixtures" / "case_types" / "mediation_docs.yaml"
TYPE = "mediation_docs"
# Synthetic: a valid check digit, no real person.
ID_NUMBER = "11010519491231002X"
AGREEMENT = {
    "number": "TJ2023-017",
    "signed_on": "2023-06-01",
    "terms": "乙方于六月底前退还押金三千元（测试合成数据）",
    "party_name": "测试甲乙",
    "party_id_number": ID_NUMBER,
}
PDF = b"%PDF-1.4\n% synthetic test document\n%%EOF\n"


def load_fixture_type(path: Path = FIXTURE) -> CaseType:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return dataclasses.replace(parse_case_type(raw, default_roles().ids), source=str(path))


def install(platform: Platform, case_type: CaseType, monkeypatch: pytest.MonkeyPatch) -> None:
    types = {t.name: t for t in platform.types}
    types[case_type.name] = case_type
    monkeypatch.setattr(platform, "types", CaseTypes(types))


@pytest.fixture
def document_type(platform: Platform, monkeypatch: pytest.MonkeyPatch) -> Iterator[CaseType]:
    """The fixture type on the platform (and the test server) for this test only."""
    case_type = load_fixture_type()
    install(platform, case_type, monkeypatch)
    yield case_type
