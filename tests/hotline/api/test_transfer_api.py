"""POST /api/v1/transfers/{source}: other systems push records with an X-Api-Key; good ones
are written, bad ones listed, and a retried call changes nothing. All data is synthetic."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from fazhi.actions.api_keys import issue_key
from fazhi.actions.platform import Platform
from fazhi.store.db import transaction
from fazhi.store.models import Case, Event
from tests.support import TLS, ServerThread

URL = "/api/v1/transfers"


def new_key(platform: Platform, purpose: str = "transfer") -> str:
    with transaction(platform.sessions) as session:
        issued = issue_key(session, platform, f"t{uuid.uuid4().hex[:8]}", purpose, platform.now())
    return issued.key


@pytest.fixture
def http(server: ServerThread) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=30, verify=TLS) as client:
        yield client


@pytest.fixture
def key(platform: Platform) -> str:
    return new_key(platform)


def complaint(external_id: str, **overrides: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "external_id": external_id,
        "received_at": "2023-05-31 09:30",
        "complainant_name": "测试甲",
        "phone": "17000000201",
        "respondent": "某某蛋糕店（合成）",
        "respondent_address": "石峰区田心街道某路5号",
        "description": "购买的蛋糕有异味，食用后腹泻（合成示例）",
        "request_kind": "投诉",
        "goods_category": "食品",
    }
    record.update(overrides)
    return record


def count(platform: Platform, source: str, prefix: str) -> int:
    with platform.sessions() as session:
        return int(
            session.scalar(
                select(func.count())
                .select_from(Case)
                .where(Case.external_source == source, Case.external_id.like(prefix + "%"))
            )
            or 0
        )


def test_records_are_created_then_a_retry_is_unchanged(
    http: httpx.Client, key: str, platform: Platform
) -> None:
    p = f"A{uuid.uuid4().hex[:8]}-"
    body = {"records": [complaint(p + "1"), complaint(p + "2", goods_category="家用电器")]}
    first = http.post(f"{URL}/12315", json=body, headers={"X-Api-Key": key})
    assert first.status_code == 200, first.text
    answer = first.json()
    assert (answer["created"], answer["updated"], answer["unchanged"]) == (2, 0, 0)
    assert answer["rejected"] == []
    assert [c["external_id"] for c in answer["cases"]] == [p + "1", p + "2"]
    assert {c["result"] for c in answer["cases"]} == {"created"}
    assert answer["cases"][0]["number"].startswith("RX20230531")

    case = http.get(f"/api/v1/cases/{answer['cases'][0]['id']}")
    assert case.status_code in (401, 403)  # the key is not a session token
    with platform.sessions() as session:
        stored = session.get(Case, answer["cases"][1]["id"])
        assert stored is not None
        assert (stored.external_source, stored.external_id) == ("12315", p + "2")
        assert (stored.category, stored.fields["channel"]) == ("CONSUMER", "transfer")
        event = session.scalar(select(Event).where(Event.case_id == stored.id))
        assert event is not None and event.actor["username"].startswith("sys.transfer.")

    retry = http.post(f"{URL}/12315", json=body, headers={"X-Api-Key": key})
    assert retry.status_code == 200, retry.text
    again = retry.json()
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 2)
    assert [c["id"] for c in again["cases"]] == [c["id"] for c in answer["cases"]]
    assert count(platform, "12315", p) == 2


def test_changed_records_are_updated_and_bad_ones_rejected_while_good_ones_stand(
    http: httpx.Client, key: str, platform: Platform
) -> None:
    p = f"B{uuid.uuid4().hex[:8]}-"
    assert (
        http.post(
            f"{URL}/wage_clue",
            json={
                "records": [
                    {
                        "external_id": p + "1",
                        "employer": "某劳务公司（合成）",
                        "workers": 8,
                        "amount": 64000,
                        "description": "8名工人工资拖欠两个月（合成示例）",
                    }
                ]
            },
            headers={"X-Api-Key": key},
        ).json()["created"]
        == 1
    )
    records = [
        {
            "external_id": p + "1",
            "employer": "某劳务公司（合成）",
            "workers": 9,
            "amount": 72000,
            "description": "8名工人工资拖欠两个月（合成示例）",
        },
        {"external_id": p + "2", "employer": "某公司（合成）", "description": "描述（合成）"},
        {"external_id": p + "3", "employer": "某公司（合成）"},
        {"external_id": p + "4", "employer": "某公司（合成）", "description": "x", "colour": 1},
        {"employer": "某公司（合成）", "description": "无编号（合成）"},
        {"external_id": p + "5", "employer": "某公司", "description": "x", "amount": "很多"},
        {"external_id": p + "2", "employer": "某公司（合成）", "description": "重复（合成）"},
    ]
    response = http.post(f"{URL}/wage_clue", json={"records": records}, headers={"X-Api-Key": key})
    assert response.status_code == 200, response.text
    answer = response.json()
    assert (answer["created"], answer["updated"], answer["unchanged"]) == (1, 1, 0)
    assert [(r["index"], r["field"]) for r in answer["rejected"]] == [
        (2, "description"),
        (3, "colour"),
        (4, "external_id"),
        (5, "amount"),
        (6, "external_id"),
    ]
    assert answer["rejected"][0]["message"] == "缺少线索描述"
    assert answer["rejected"][1]["message"] == "不认识的字段：colour"
    assert answer["rejected"][3]["external_id"] == p + "5"
    results = {c["external_id"]: c["result"] for c in answer["cases"]}
    assert results == {p + "1": "updated", p + "2": "created"}
    assert count(platform, "wage_clue", p) == 2
    with platform.sessions() as session:
        case = session.scalar(select(Case).where(Case.external_id == p + "1"))
        assert case is not None
        assert "涉及人数：9人" in case.fields["content"]
        assert "欠薪金额：72000元" in case.fields["content"]
        actions = list(
            session.scalars(
                select(Event.action).where(Event.case_id == case.id).order_by(Event.seq)
            )
        )
    assert actions == ["register", "amend_from_source"]


def test_key_errors_and_unknown_sources_and_oversized_batches(
    http: httpx.Client, key: str, platform: Platform
) -> None:
    body = {"records": [complaint(f"K{uuid.uuid4().hex[:8]}")]}
    missing = http.post(f"{URL}/12315", json=body)
    assert missing.status_code == 401
    assert missing.json() == {
        "code": "missing_api_key",
        "message": "缺少请求头 X-Api-Key",
        "field": "api_key",
    }
    wrong = http.post(f"{URL}/12315", json=body, headers={"X-Api-Key": "fz_transfer_nope"})
    assert (wrong.status_code, wrong.json()["code"]) == (403, "invalid_api_key")
    assert "api_key 无效" in wrong.json()["message"]
    open311 = new_key(platform, "open311")
    other = http.post(f"{URL}/12315", json=body, headers={"X-Api-Key": open311})
    assert (other.status_code, other.json()["code"]) == (403, "invalid_api_key")

    unknown = http.post(f"{URL}/12306", json=body, headers={"X-Api-Key": key})
    assert unknown.status_code == 404
    assert unknown.json()["code"] == "unknown_source"
    assert "12306" in unknown.json()["message"]

    many = {"records": [complaint(f"M{i}") for i in range(501)]}
    too_many = http.post(f"{URL}/12315", json=many, headers={"X-Api-Key": key})
    assert too_many.status_code == 413
    assert too_many.json()["code"] == "too_many_records"

    not_a_list = http.post(f"{URL}/12315", json={"records": "x"}, headers={"X-Api-Key": key})
    assert not_a_list.status_code == 422
    assert set(not_a_list.json()) >= {"code", "message"}
    # Nothing of the refused calls was written.
    assert count(platform, "12315", "M") == 0
