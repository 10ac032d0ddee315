"""Synthetic steps shared by the indicator suites (every party made up)."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook, load_workbook

from tests.support import ApiClient

CASES = "/api/v1/cases"
OFFICE = "yfzq_office"  # 区委依法治区办 (demo)
PARTIES = [
    {"side": "applicant", "name": "测试甲（指标合成）", "phone": "13900003111"},
    {"side": "respondent", "name": "测试乙（指标合成）", "phone": "13900003222"},
]


def mediation(mediator: ApiClient, day: str, succeed: bool) -> int:
    """A mediation of the 田心 committee opened and concluded on `day`."""
    body = {
        "dispute_kind": "neighbourhood",
        "summary": "邻里纠纷（指标测试合成）",
        "parties": PARTIES,
    }
    created = mediator.post(CASES, json={"type": "mediation", "fields": body})
    assert created.status_code == 201, created.text
    case_id = int(created.json()["id"])
    mediator.act(case_id, "start", mediators=[{"name": "曹淑芬", "certificate_no": "TJ-0001"}])
    if not succeed:
        mediator.act(case_id, "record_failure", failure_reason="双方分歧过大（测试）")
        return case_id
    mediator.act(
        case_id, "record_session", held_on=day, place="调解室", attendees="双方", result="达成一致"
    )
    generated = mediator.post(
        f"{CASES}/{case_id}/documents/generate",
        json={
            "kind": "agreement",
            "data": {
                "number": f"测协{case_id}号",
                "signed_on": day,
                "terms": "赔偿500元（测试）",
                "performance": "当场履行",
            },
        },
    )
    assert generated.status_code == 201, generated.text
    mediator.act(case_id, "reach_agreement")
    return case_id


def value(client: ApiClient, indicator: str, **params: str) -> dict[str, Any]:
    response = client.get(f"/api/v1/indicators/{indicator}", params=params)
    assert response.status_code == 200, response.text
    return dict(response.json())


def workbook(rows: list[list[Any]], header: list[str] | None = None) -> bytes:
    from fazhi.actions.figure_imports import COLUMNS, DATA_SHEET

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = DATA_SHEET
    sheet.append(header or list(COLUMNS))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(client: ApiClient, source: str, data: bytes, name: str = "导入.xlsx") -> Any:
    return client.http.post(
        f"/api/v1/indicators/sources/{source}/imports", files={"file": (name, data, XLSX)}
    )


def sheets(data: bytes) -> dict[str, list[tuple[Any, ...]]]:
    book = load_workbook(io.BytesIO(data), read_only=True)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.worksheets}
