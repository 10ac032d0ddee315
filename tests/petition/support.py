"""Synthetic petitions, disclosure requests and steps shared by the petition suites (every
name and number made up)."""

from __future__ import annotations

from typing import Any

from tests.support import ApiClient, FakeClock, at, file_paper
from tests.support import clocks_by_name as clocks  # noqa: F401  (the suites import it from here)

CASES = "/api/v1/cases"
OFFICER = "xfj_officer"
DISCLOSURE_HANDLER = "zfb_gk"


def register(client: ApiClient, **fields: Any) -> dict[str, Any]:
    body = {
        "channel": "letter",
        "petitioner_name": "测试信访人甲",
        "petitioner_phone": "17000008001",
        "matter": "housing",
        "subject": "反映房屋征收补偿问题（测试）",
        "content": "要求提高征收补偿标准（测试合成数据）",
        **fields,
    }
    response = client.post(CASES, json={"type": "petition", "fields": body})
    assert response.status_code == 201, response.text
    return dict(response.json())


def accepted(client: ApiClient, clock: FakeClock, day: str) -> int:
    """A petition registered and accepted on `day`."""
    at(clock, day)
    case_id = int(register(client)["id"])
    file_paper(client, case_id, "acceptance_notice", number="石信〔T〕受1号", issued_on=day)
    client.act(case_id, "accept")
    return case_id


def answered(client: ApiClient, clock: FakeClock, accepted_on: str, answered_on: str) -> int:
    """A petition accepted on `accepted_on` and answered with its opinion on `answered_on`."""
    case_id = accepted(client, clock, accepted_on)
    at(clock, answered_on)
    file_paper(
        client,
        case_id,
        "handling_opinion",
        number="石信〔T〕处1号",
        issued_on=answered_on,
        opinion="经调查，答复如下（测试）。",
    )
    client.act(case_id, "answer", opinion_result="explained")
    return case_id


def disclosure(client: ApiClient, **fields: Any) -> dict[str, Any]:
    body = {
        "applicant_kind": "citizen",
        "applicant_name": "测试申请人乙",
        "applicant_phone": "17000008002",
        "request_content": "申请公开某项目的审批文件（测试）",
        "channel": "online",
        **fields,
    }
    response = client.post(CASES, json={"type": "disclosure_request", "fields": body})
    assert response.status_code == 201, response.text
    return dict(response.json())
