"""Synthetic parties and steps shared by the consumer suites (every name and number made up)."""

from __future__ import annotations

from typing import Any

from fazhi.consumer.demo.parties import credit_code
from tests.support import ApiClient, at, file_paper  # noqa: F401  (the suites import them here)
from tests.support import clocks_by_name as clocks  # noqa: F401
from tests.support import generated_text as generate  # noqa: F401

CASES = "/api/v1/cases"
STATISTICS = "/api/v1/consumer/statistics"
OFFICER = "scjg_consumer"  # 区市场监管局
STATION = "scjg_tx_consumer"  # its 田心 station
BUSINESS_CODE = credit_code(8888)


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
