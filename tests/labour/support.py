"""Synthetic parties and steps shared by the labour suites (every name and number made up)."""

from __future__ import annotations

from typing import Any

from fazhi.labour.demo.parties import credit_code, id_number
from tests.support import ApiClient, FakeClock, at, file_paper
from tests.support import clocks_by_name as clocks  # noqa: F401  (the suites import it from here)

CASES = "/api/v1/cases"
ARBITRATOR = "rsj_arbitrator"
INSPECTOR = "rsj_inspector"
EMPLOYER_CODE = credit_code(1999)


def apply(client: ApiClient, **fields: Any) -> dict[str, Any]:
    body = {
        "applicants": [{"name": "测试劳动者甲", "id_number": id_number(7), "phone": "17000007001"}],
        "employer_name": "株洲某建筑劳务有限公司（测试）",
        "employer_credit_code": EMPLOYER_CODE,
        "dispute_kind": "wages",
        "claims": "请求支付拖欠工资12000元（测试）",
        "amount_claimed": "12000",
        **fields,
    }
    response = client.post(CASES, json={"type": "labour_arbitration", "fields": body})
    assert response.status_code == 201, response.text
    return dict(response.json())


def accepted(client: ApiClient, clock: FakeClock, day: str) -> int:
    """An application registered and accepted on `day`."""
    at(clock, day)
    case_id = int(apply(client)["id"])
    file_paper(client, case_id, "acceptance_notice", number="石劳人仲案字〔T〕1号", issued_on=day)
    client.act(case_id, "accept")
    return case_id


def wage_case(client: ApiClient, **fields: Any) -> dict[str, Any]:
    body = {
        "source": "complaint",
        "complainant_name": "测试劳动者乙",
        "complainant_phone": "17000007002",
        "employer_name": "株洲某建设工程有限公司（测试）",
        "employer_credit_code": EMPLOYER_CODE,
        "project_name": "石峰区某安置小区项目（测试）",
        "workers": 12,
        "amount_claimed": "86000",
        "summary": "12名农民工反映被拖欠工资（测试）",
        **fields,
    }
    response = client.post(CASES, json={"type": "wage_arrears", "fields": body})
    assert response.status_code == 201, response.text
    return dict(response.json())
