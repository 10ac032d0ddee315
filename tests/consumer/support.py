"""Synthetic parties and steps shared by the consumer suites (every name and number made up)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fazhi.consumer.demo.parties import credit_code
from fazhi.domain.durations import LOCAL_TZ
from tests.support import ApiClient, FakeClock

CASES = "/api/v1/cases"
STATISTICS = "/api/v1/consumer/statistics"
OFFICER = "scjg_consumer"  # 区市场监管局
STATION = "scjg_tx_consumer"  # its 田心 station
BUSINESS_CODE = credit_code(8888)


def at(clock: FakeClock, day: str, hour: int = 9) -> None:
    clock.set(datetime.fromisoformat(day).replace(hour=hour, tzinfo=LOCAL_TZ))


def clocks(client: ApiClient, case_id: int) -> dict[str, dict[str, Any]]:
    """The case's clocks by name (the newest of each name)."""
    out: dict[str, dict[str, Any]] = {}
    for c in client.case(case_id).json()["clocks"]:
        out[c["name"]] = c
    return out


def complaint(client: ApiClient, **fields: Any) -> dict[str, Any]:
    body = {
        "channel": "walk_in",
        "complainant_name": "测试消费者甲",
        "complainant_phone": "17100008001",
        "business_name": "株洲某网络科技有限公司（测试）",
        "business_credit_code": BUSINESS_CODE,
        "topic": "online_training",
        "amount_in_dispute": "6800",
        "summary": "报名网络课程后要求退费被拒（测试合成数据）",
        **fields,
    }
    response = client.post(CASES, json={"type": "consumer_complaint", "fields": body})
    assert response.status_code == 201, response.text
    return dict(response.json())


def report(client: ApiClient, **fields: Any) -> dict[str, Any]:
    body = {
        "channel": "platform_12315",
        "business_name": "株洲某超市（测试）",
        "topic": "price",
        "matter": "举报价格欺诈（测试合成数据）",
        **fields,
    }
    response = client.post(CASES, json={"type": "consumer_report", "fields": body})
    assert response.status_code == 201, response.text
    return dict(response.json())


def campaign(client: ApiClient, **fields: Any) -> dict[str, Any]:
    body = {
        "theme": "网络培训退费专项整治（测试）",
        "topic": "online_training",
        "starts_on": "2025-01-01",
        "ends_on": "2025-12-31",
        "plan": "归集投诉，督促退费（测试）",
        **fields,
    }
    response = client.post(CASES, json={"type": "consumer_campaign", "fields": body})
    assert response.status_code == 201, response.text
    return dict(response.json())


def file_paper(client: ApiClient, case_id: int, kind: str, **data: Any) -> dict[str, Any]:
    response = client.post(f"{CASES}/{case_id}/documents", json={"kind": kind, "data": data})
    assert response.status_code == 201, response.text
    return dict(response.json())


def generate(client: ApiClient, case_id: int, kind: str, **data: Any) -> str:
    """Generate the kind's .docx from its template; the text of its paragraphs."""
    import io

    import docx

    paper = client.post(f"{CASES}/{case_id}/documents/generate", json={"kind": kind, "data": data})
    assert paper.status_code == 201, paper.text
    document = docx.Document(io.BytesIO(client.get(paper.json()["file_url"]).content))
    return "\n".join(p.text for p in document.paragraphs)
