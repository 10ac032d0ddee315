"""联合检查 in the console: the plan shows the visits saved; the registers' forms show an
error beside the credit code; a visit's result form records results; roles that may not
edit see no forms, and a 12345 operator may not enter."""

from __future__ import annotations

import re

from fazhi.enforcement.inspections.codes import with_check_character
from tests.api.conftest import Login
from tests.enforcement.conftest import Console

API = "/api/v1/inspections"


def test_the_plan_page_shows_the_visits_saved(console: Console, login: Login) -> None:
    # Two departments plan one target in one window (whatever other tests accepted already).
    admin = login("admin")
    code = with_check_character("91430204MA4L07777")
    admin.post(
        f"{API}/targets",
        json={
            "name": "页面测试厂（合成）",
            "credit_code": code,
            "kind": "企业",
            "address": "某路",
            "street": "SF-TX",
        },
    )
    target = next(
        t["id"] for t in admin.get(f"{API}/targets").json()["items"] if t["credit_code"] == code
    )
    items = {i["code"]: i["id"] for i in admin.get(f"{API}/items").json()["items"]}
    for item in ("YJJ-001", "XFJY-001"):
        body = {
            "target_id": target,
            "supervision_item_id": items[item],
            "window_from": "2023-07-03",
            "window_to": "2023-07-14",
        }
        assert admin.post(f"{API}/plan-items", json=body).status_code == 201
    http = console("tx_leader")
    page = http.get("/inspections")
    assert page.status_code == 200
    saved = re.search(r'id="visits-saved">减少检查 (\d+) 次', page.text)
    assert saved and int(saved.group(1)) >= 1
    assert "田心街道综合行政执法大队" in page.text or "田心执法大队" in page.text
    assert "确认计划，生成走访" in page.text
    reader = console("supervisor1").get("/inspections").text
    assert "确认计划，生成走访" not in reader
    assert console("operator1").get("/inspections").status_code == 403
    assert console("operator1").get("/inspections/visits").status_code == 403


def test_the_register_form_shows_a_bad_credit_code_beside_its_field(console: Console) -> None:
    http = console("scjg_handler")
    bad = http.post(
        "/inspections/registers/targets",
        data={
            "targets-name": "表单测试店",
            "targets-credit_code": "91350100M000100Y44",
            "targets-kind": "企业",
            "targets-address": "某路",
            "targets-street": "",
            "targets-industry": "",
        },
    )
    assert bad.status_code == 422
    error = re.search(r'id="targets-credit_code-error">([^<]+)<', bad.text)
    assert error and "校验位错误" in error.group(1)
    good = http.post(
        "/inspections/registers/targets",
        data={
            "targets-name": "表单测试店",
            "targets-credit_code": "91350100M000100Y43",
            "targets-kind": "企业",
            "targets-address": "某路",
            "targets-street": "田心街道",
            "targets-industry": "",
        },
    )
    assert good.status_code == 303
    assert "91350100M000100Y43" in http.get("/inspections/registers").text
    reader = console("supervisor1").get("/inspections/registers").text
    assert "登记或修改" not in reader


def test_a_drawn_visit_records_its_results_in_the_console(console: Console) -> None:
    http = console("scjg_handler")
    listing = http.get("/inspections/visits").text
    visit = re.findall(r'<tr data-visit="(\d+)">.*?双随机抽查.*?待检查</td></tr>', listing, re.S)
    assert visit
    page = http.get(f"/inspections/visits/{visit[-1]}").text
    row = re.search(r'name="result_(\d+)"', page)
    assert row
    rid = row.group(1)
    bad = http.post(
        f"/inspections/visits/{visit[-1]}/results",
        data={f"result_{rid}": "refer", f"note_{rid}": ""},
    )
    assert bad.status_code == 422 and f'id="note_{rid}-error"' in bad.text
    done = http.post(
        f"/inspections/visits/{visit[-1]}/results",
        data={f"result_{rid}": "passed", f"note_{rid}": ""},
    )
    assert done.status_code == 303
    assert "已完成" in http.get(f"/inspections/visits/{visit[-1]}").text
    reader = console("supervisor1").get(f"/inspections/visits/{visit[-1]}").text
    assert "保存检查结果" not in reader


def test_a_department_plans_its_own_items_on_the_plan_page(console: Console) -> None:
    http = console("scjg_handler")
    page = http.get("/inspections").text
    form = page[page.index('id="plan-item-form"') :]
    offered = re.findall(r'<option value="\d+"[^>]*>([A-Z]+-\d{3}) ', form)
    # 市场监管局 plans only its own supervision items.
    assert offered and all(code.startswith("SCJG-") for code in offered)
    target = re.search(r'<select id="target_id".*?<option value="(\d+)"', form, re.S)
    item = re.search(r'<select id="supervision_item_id".*?<option value="(\d+)"', form, re.S)
    assert target and item
    body = {
        "target_id": target.group(1),
        "supervision_item_id": item.group(1),
        "window_from": "2023-08-14",
        "window_to": "2023-08-01",
        "note": "表单测试（合成）",
    }
    refused = http.post("/inspections/plan-items", data=body)
    assert refused.status_code == 422
    assert re.search(r'id="window_to-error">计划结束日期早于开始日期', refused.text)
    assert 'value="2023-08-01"' in refused.text and "表单测试（合成）" in refused.text
    saved = http.post("/inspections/plan-items", data={**body, "window_to": "2023-08-25"})
    assert saved.status_code == 303 and saved.headers["location"].endswith("/inspections?added=1")
    assert "已登记计划检查事项" in http.get("/inspections?added=1").text
    # A reader sees the plan but no form.
    assert 'id="plan-item-form"' not in console("supervisor1").get("/inspections").text
