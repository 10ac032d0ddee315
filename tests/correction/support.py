"""Synthetic subjects and steps shared by the correction suites (every name and number made up)."""

from __future__ import annotations

import base64
import itertools
from datetime import datetime
from typing import Any

import httpx

from fazhi.actions.platform import Platform
from fazhi.actions.schedule import ScheduleReport, run_schedules
from fazhi.actions.system_account import system_actor
from fazhi.correction.demo.people import STREET_CENTRES, box, id_number
from fazhi.domain.durations import LOCAL_TZ
from tests.support import TLS, ApiClient, FakeClock, ServerThread, at

CASES = "/api/v1/cases"
OFFICER = "tx_sfs"  # 田心街道司法所: judicial and correction officer
BUREAU = "sfj_jz"  # 区司法局's correction officer: every office's subjects
OTHER_OFFICE = "ttw_sfs"  # 铜塘湾街道司法所
CENTRE = STREET_CENTRES["SF-SFJ-TX"]
AREA = box(CENTRE)  # about 4 km across: ±0.02° around the centre
INSIDE = CENTRE
OUTSIDE = (CENTRE[0] + 0.05, CENTRE[1])
_serial = itertools.count(1)


def local(day: str, hour: int, minute: int = 0) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, minute=minute, tzinfo=LOCAL_TZ)


def register(client: ApiClient, **fields: Any) -> dict[str, Any]:
    n = next(_serial)
    body = {
        "subject_name": f"测试社区矫正人员{n}",
        "subject_id_number": id_number(900 + n),
        "subject_phone": "17000013001",
        "office": "SF-SFJ-TX",
        "sentence_kind": "probation",
        "crime": "危险驾驶罪（测试）",
        "court": "石峰区人民法院（测试）",
        "judgment_number": f"（2023）湘0204刑初{n}号（测试）",
        "judgment_effective_on": "2023-06-01",
        "term_start": "2023-06-01",
        "term_end": "2024-05-31",
        "area": AREA,
        "area_name": "田心街道辖区（测试）",
        "check_in_by": "10:00",
        **fields,
    }
    response = client.post(CASES, json={"type": "community_correction", "fields": body})
    assert response.status_code == 201, response.text
    return dict(response.json())


def bind(client: ApiClient, case_id: int) -> tuple[str, str]:
    device = f"T-TEST-{next(_serial):05d}"
    response = client.post(
        f"/api/v1/correction/subjects/{case_id}/devices", json={"device_id": device}
    )
    assert response.status_code == 201, response.text
    return device, str(response.json()["token"])


def supervised(client: ApiClient, clock: FakeClock, day: str) -> tuple[int, str, str]:
    """A subject registered and reported in on `day` with a bound terminal."""
    at(clock, day, 8)
    case_id = int(register(client, judgment_effective_on=day, term_start=day)["id"])
    client.act(case_id, "report_in", reported_on=day)
    device, token = bind(client, case_id)
    return case_id, device, token


def check_in(
    server: ServerThread,
    device: str,
    token: str,
    where: tuple[float, float] = INSIDE,
    accuracy: float = 15,
    photo: bytes | str | None = None,
) -> httpx.Response:
    """The terminal's check-in; `photo` as bytes is sent Base64-encoded, as text verbatim."""
    body: dict[str, Any] = {"lon": where[0], "lat": where[1], "accuracy_m": accuracy}
    if photo is not None:
        body["photo_base64"] = (
            base64.b64encode(photo).decode() if isinstance(photo, bytes) else photo
        )
    return httpx.post(
        f"{server.url}/api/v1/correction/check-ins",
        json=body,
        headers={"X-Device-Id": device, "X-Device-Token": token},
        verify=TLS,
    )


def schedule(platform: Platform, moment: datetime) -> ScheduleReport:
    return run_schedules(platform, system_actor(platform), moment)


def anomalies_of(client: ApiClient, case_id: int) -> list[dict[str, Any]]:
    """The subject's anomaly cases (from its file), oldest first."""
    response = client.get(f"/api/v1/correction/subjects/{case_id}/history")
    assert response.status_code == 200, response.text
    return list(reversed(response.json()["anomalies"]))
