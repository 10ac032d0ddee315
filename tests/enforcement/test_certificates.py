"""执法证件库: imported as CSV all or nothing (every bad row reported), renewed by number; a
penalty case is filed, or decided on the spot, only with officers validly certified on that
day under their own names."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from fazhi.actions.auth import actor_for
from fazhi.actions.context import ActionContext
from fazhi.actions.platform import Platform
from fazhi.domain.errors import DomainError
from fazhi.enforcement.certificates import check_rows, do_import, parse_csv
from fazhi.enforcement.store import Certificate
from fazhi.store.db import transaction
from fazhi.store.models import User
from tests.api.conftest import Login
from tests.api.flows import assert_error
from tests.api.test_penalty_case import CASES, PERSON, register
from tests.support import FakeClock


def ctx(platform: Platform, clock: FakeClock, username: str) -> ActionContext:
    with platform.sessions() as session:
        user = session.scalar(select(User).where(User.username == username))
        assert user is not None
        return ActionContext(platform, actor_for(platform, user), clock())


def test_a_bad_file_names_every_bad_row_and_writes_none(
    platform: Platform, clock: FakeClock
) -> None:
    admin = ctx(platform, clock, "admin")
    text = (
        "执法证号,姓名,单位,有效期起,有效期止\n"
        "T0001,甲某,SF-CGJ-ZFDD,2023-01-01,2025-12-31\n"
        "T0002,,SF-CGJ-ZFDD,2023-01-01,2025-12-31\n"
        "T0001,丙某,NO-SUCH,2023-13-01,2022-12-31\n"
    )
    with pytest.raises(DomainError) as refused, platform.sessions() as session:
        check_rows(session, admin, parse_csv(text))
    fields = [p.field for p in refused.value.problems]
    assert fields == [
        "rows[2].holder_name",
        "rows[3].number",
        "rows[3].unit",
        "rows[3].valid_from",
    ]
    assert "2行有误，未导入任何记录" in refused.value.message
    with platform.sessions() as session:
        assert session.scalar(select(Certificate).where(Certificate.number == "T0001")) is None
    with pytest.raises(DomainError) as columns:
        parse_csv("证号,姓名\n1,甲\n")
    assert columns.value.code == "unknown_columns"
    with pytest.raises(DomainError) as forbidden, platform.sessions() as session:
        check_rows(session, ctx(platform, clock, "cgj_enforcer"), parse_csv(text))
    assert forbidden.value.status == 403


def test_a_certificate_is_renewed_by_its_number(platform: Platform, clock: FakeClock) -> None:
    admin = ctx(platform, clock, "admin")
    row = {
        "number": "R0001",
        "holder_name": "乙某",
        "unit": "",
        "valid_from": "2020-01-01",
        "valid_to": "2022-12-31",
    }
    with transaction(platform.sessions) as session:
        assert do_import(session, admin, check_rows(session, admin, [row])) == (1, 0)
    with transaction(platform.sessions) as session:
        renewed = {**row, "valid_to": "2027-12-31"}
        assert do_import(session, admin, check_rows(session, admin, [renewed])) == (0, 1)
    with platform.sessions() as session:
        cert = session.scalar(select(Certificate).where(Certificate.number == "R0001"))
        assert cert is not None and cert.valid_to.isoformat() == "2027-12-31"


def officers(*pairs: tuple[str, str]) -> list[dict[str, Any]]:
    return [{"name": n, "certificate_number": c} for n, c in pairs]


@pytest.mark.parametrize(
    ("team", "message"),
    [
        (officers(("刘建军", "43020400101"), ("杨帆", "43020400103")), "不在有效期内"),
        (officers(("刘建军", "43020400101"), ("无名", "99999999")), "不在执法证件库中"),
        (officers(("刘建军", "43020400101"), ("李四", "43020400102")), "持证人为陈晓东"),
    ],
)
def test_a_case_is_filed_only_with_validly_certified_officers(
    login: Login,
    team: list[dict[str, Any]],
    message: str,
) -> None:
    officer = login("cgj_enforcer")
    case_id = register(officer, officers=team)
    response = officer.post(f"{CASES}/{case_id}/actions/file", json={"inputs": {}})
    error = assert_error(response, 422)
    assert message in error["message"] and error["field"] == "officers[1].certificate_number"
    summary = register(officer, procedure="summary", officers=team, parties=[PERSON])
    response = officer.post(
        f"{CASES}/{summary}/actions/summary_decide",
        json={"inputs": {"penalty_kind": "warning", "legal_basis": "x", "decision_number": "1"}},
    )
    assert message in assert_error(response, 422)["message"]
