"""双随机、一公开: a draw picks targets and two validly certified officers of the department
per target with `random.Random(seed)`; the seed and pools it records redo the same draw;
its targets, items and results are on a public page without login or personal names."""

from __future__ import annotations

import re

import httpx

from fazhi.enforcement.inspections.draw import draw
from tests.api.conftest import Login
from tests.api.flows import assert_error
from tests.enforcement.conftest import Console

API = "/api/v1/inspections"


def test_a_draw_is_redone_from_its_recorded_seed_and_published(
    login: Login, anonymous: httpx.Client
) -> None:
    staff = login("scjg_handler")
    items = {i["code"]: i["id"] for i in staff.get(f"{API}/items").json()["items"]}
    body = {
        "title": "测试抽查",
        "item_ids": [items["SCJG-002"]],
        "count": 2,
        "window_from": "2023-06-05",
        "window_to": "2023-06-30",
    }
    made = staff.post(f"{API}/draws", json=body)
    assert made.status_code == 201, made.text
    record = made.json()
    picks = draw(record["seed"], record["pool_targets"], record["count"], record["pool_inspectors"])
    assert [t["name"] for t in record["targets"]] and len(picks) == 2
    # The same seed and pools give the same targets, and the recorded ones.
    again = staff.post(f"{API}/draws", json={**body, "seed": record["seed"]}).json()
    assert [t["name"] for t in again["targets"]] == [t["name"] for t in record["targets"]]
    assert all(
        len(t["inspectors"]) == 2 and "（合成）" in t["inspectors"][0] for t in record["targets"]
    )
    assert (
        assert_error(staff.post(f"{API}/draws", json={**body, "seed": "abc"}), 422)["field"]
        == "seed"
    )
    assert (
        assert_error(staff.post(f"{API}/draws", json={**body, "item_ids": []}), 422)["field"]
        == "item_ids"
    )
    # 区城管局's officers: one expired, two valid; 区司法局 has none to draw.
    none = login("sfj_handler").post(f"{API}/draws", json=body)
    assert assert_error(none, 422)["code"] == "too_few_inspectors"

    page = anonymous.get(f"/public/inspections/draws/{record['id']}")
    assert page.status_code == 200
    assert f'<code id="seed">{record["seed"]}</code>' in page.text
    assert record["targets"][0]["name"] in page.text and "产品质量监督检查" in page.text
    assert "市场监管甲" not in page.text and "市场监管乙" not in page.text
    assert anonymous.get("/public/inspections/draws/999999").status_code == 404


def test_the_demo_draw_is_reproducible_from_its_seed(login: Login) -> None:
    demo = next(
        d for d in login("admin").get(f"{API}/draws").json()["items"] if "演示" in d["title"]
    )
    assert demo["seed"] == 20230601
    picks = draw(demo["seed"], demo["pool_targets"], demo["count"], demo["pool_inspectors"])
    assert len(picks) == len(demo["targets"]) == 3


def test_the_draw_form_shows_errors_beside_fields(console: Console) -> None:
    http = console("scjg_handler")
    page = http.get("/inspections/draws")
    assert page.status_code == 200 and "新建抽查" in page.text
    bad = http.post("/inspections/draws", data={"title": "", "count": "2"})
    assert bad.status_code == 422
    assert re.search(r'id="d-title-error">[^<]*抽查任务名称', bad.text)
    assert console("operator1").get("/inspections/draws").status_code == 403
