"""The legal-aid suites reuse the API suite's long-lived logins and the console client; the
lawyer register they assign from is loaded once per session (synthetic lawyers)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import select

from fazhi.actions.auth import actor_for, roles_of
from fazhi.actions.context import ActionContext
from fazhi.actions.platform import Platform
from fazhi.domain.durations import LOCAL_TZ
from fazhi.legal_aid import lawyers as register
from fazhi.store.db import transaction
from fazhi.store.models import User
from tests.api.conftest import Login, _api_clients, login  # noqa: F401  (fixtures)
from tests.support import ApiClient
from tests.web.conftest import Console, console  # noqa: F401  (fixtures)

OFFICER = "sfj_aid"  # 区司法局 (法律援助中心)
STREET_OFFICE = "tx_sfs"  # 田心街道司法所
CASES = "/api/v1/cases"
LAWYERS = [
    {
        "licence_number": "T14302000001",
        "name": "测试律师甲",
        "law_firm": "测试律师事务所一（合成）",
    },
    {
        "licence_number": "T14302000002",
        "name": "测试律师乙",
        "law_firm": "测试律师事务所二（合成）",
    },
    {
        "licence_number": "T14302000003",
        "name": "测试律师丙",
        "law_firm": "测试律师事务所一（合成）",
        "active": "否",
    },
]


def ctx_of(platform: Platform, session: Any, username: str, when: datetime) -> ActionContext:
    user = session.scalars(select(User).where(User.username == username)).one()
    return ActionContext(platform, actor_for(platform, user, roles_of(session, user.id)), when)


@pytest.fixture(scope="session")
def lawyer_register(platform: Platform) -> list[dict[str, str]]:
    """Three synthetic lawyers in the register, the third no longer practising."""
    with transaction(platform.sessions) as session:
        ctx = ctx_of(platform, session, OFFICER, datetime(2023, 1, 3, 9, tzinfo=LOCAL_TZ))
        register.do_import(session, ctx, register.check_rows(ctx, [dict(r) for r in LAWYERS]))
    return LAWYERS


def application(**fields: Any) -> dict[str, Any]:
    return {
        "channel": "walk_in",
        "applicant_name": "测试申请人",
        "applicant_phone": "13900002222",
        "applicant_id_number": "430204199001011236",
        "matter_kind": "civil",
        "matter": "追索劳动报酬（测试合成）",
        "eligibility_basis": "financial_hardship",
        "hardship_evidence": "低保证明（测试）",
        **fields,
    }


def apply(client: ApiClient, **fields: Any) -> dict[str, Any]:
    response = client.post(CASES, json={"type": "legal_aid", "fields": application(**fields)})
    assert response.status_code == 201, response.text
    return dict(response.json())


def clock_of(body: dict[str, Any], name: str) -> dict[str, Any]:
    return next(c for c in body["clocks"] if c["name"] == name)
