"""联合检查 over the API: the demo's plans of five departments on shared targets in 田心街道
merge into joint visits led by 田心街道综合行政执法大队 and save visits; accepting the plan
makes the visits; results are recorded per item until the visit is done; registers refuse a
bad credit code and import all or nothing; a 12345 operator may not plan."""

from __future__ import annotations

from sqlalchemy import select

from fazhi.actions.platform import Platform
from fazhi.enforcement.inspections.codes import with_check_character
from fazhi.store.models import Unit
from tests.api.conftest import Login
from tests.api.flows import assert_error

API = "/api/v1/inspections"


def unit_id(platform: Platform, code: str) -> int:
    with platform.sessions() as session:
        found = session.scalar(select(Unit.id).where(Unit.code == code))
        assert found is not None
        return found


def test_the_plan_merges_departments_items_and_reports_visits_saved(
    login: Login, platform: Platform
) -> None:
    leader = login("admin")
    plan = leader.get(f"{API}/plan").json()
    report = plan["report"]
    assert report["items"] >= 17 and report["visits_saved"] >= 8
    assert report["separate_visits"] - report["visits"] == report["visits_saved"]
    team = unit_id(platform, "SF-TX-ZFDD")
    joint = [v for v in plan["visits"] if v["joint"]]
    assert joint and all(v["lead_unit"]["id"] == team for v in joint)
    assert all(
        v["day"] is None or v["window"][0] <= v["day"] <= v["window"][1] for v in plan["visits"]
    )
    assert_error(leader.get(f"{API}/plan?capacity=0"), 422)
    assert login("operator1").get(f"{API}/plan").status_code == 403


def test_a_department_plans_an_item_and_the_accepted_visit_records_results(
    login: Login, platform: Platform
) -> None:
    staff = login("scjg_handler")
    items = {i["code"]: i["id"] for i in staff.get(f"{API}/items").json()["items"]}
    code = with_check_character("91430204MA4L09999")
    saved = staff.post(
        f"{API}/targets",
        json={
            "name": "接口测试商店（合成）",
            "credit_code": code,
            "kind": "企业",
            "address": "田心街道测试路1号",
            "street": "SF-TX",
            "industry": "零售",
        },
    )
    assert saved.status_code == 200, saved.text
    bad = staff.post(
        f"{API}/targets",
        json={"name": "x", "credit_code": code[:-1] + "0", "kind": "企业", "address": "y"},
    )
    assert assert_error(bad, 422)["field"] == "credit_code"
    target = next(
        t["id"] for t in staff.get(f"{API}/targets").json()["items"] if t["credit_code"] == code
    )
    body = {
        "target_id": target,
        "supervision_item_id": items["SCJG-002"],
        "window_from": "2023-06-05",
        "window_to": "2023-06-09",
        "note": "季度检查",
    }
    assert staff.post(f"{API}/plan-items", json=body).status_code == 201
    wrong = staff.post(f"{API}/plan-items", json={**body, "window_to": "2023-06-01"})
    assert assert_error(wrong, 422)["field"] == "window_to"
    foreign = staff.post(
        f"{API}/plan-items", json={**body, "supervision_item_id": items["YJJ-001"]}
    )
    assert assert_error(foreign, 403)["code"] == "forbidden_unit"
    assert assert_error(staff.post(f"{API}/plan/accept", json={}), 403)["code"] == "forbidden_role"

    made = login("admin").post(f"{API}/plan/accept", json={"capacity": 3})
    assert made.status_code == 200, made.text
    assert login("admin").get(f"{API}/plan").json()["report"]["items"] == 0
    ours = [
        v
        for v in staff.get(f"{API}/visits?unit_id={unit_id(platform, 'SF-SCJG')}").json()["items"]
        if v["target"]["id"] == target
    ]
    (visit,) = ours
    assert visit["day"] == "2023-06-05" and visit["status"] == "open"
    (row,) = visit["items"]
    missing_note = staff.post(
        f"{API}/visits/{visit['id']}/results",
        json={"results": {str(row["id"]): {"result": "rectify"}}},
    )
    assert assert_error(missing_note, 422)["field"] == f"note_{row['id']}"
    done = staff.post(
        f"{API}/visits/{visit['id']}/results",
        json={"results": {str(row["id"]): {"result": "rectify", "note": "价签不全"}}},
    )
    assert done.status_code == 200 and done.json()["status"] == "done"
    assert done.json()["items"][0]["result_label"] == "责令整改"
    assert login("operator1").get(f"{API}/visits/{visit['id']}").status_code == 403


def test_a_bad_register_file_names_every_bad_row_and_writes_none(login: Login) -> None:
    admin = login("admin")
    good = with_check_character("91430204MA4L08888")
    text = (
        "名称,统一社会信用代码,类型,地址,所属街道,行业\n"
        f"甲（合成）,{good},企业,某路1号,SF-TX,零售\n"
        "乙（合成）,91430204MA4L0888X,企业,某路2号,SF-TX,零售\n"
        f"丙（合成）,{good},工厂,,NO-SUCH,零售\n"
    )
    refused = assert_error(admin.post(f"{API}/targets/import", json={"file": text}), 422)
    assert refused["code"] == "invalid_rows" and "2行有误，未导入任何记录" in refused["message"]
    codes = {t["credit_code"] for t in admin.get(f"{API}/targets").json()["items"]}
    assert good not in codes
    assert (
        assert_error(admin.post(f"{API}/items/import", json={"file": "编码\n1\n"}), 422)["code"]
        == "unknown_columns"
    )
