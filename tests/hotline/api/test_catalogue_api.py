"""/api/v1/dispatch-catalogue: every signed-in user reads the published items; the hotline
centre adds, changes and retires them; errors are JSON with a code and a Chinese message."""

from __future__ import annotations

import re
import uuid

from tests.api.flows import Desk, assert_error

URL = "/api/v1/dispatch-catalogue"


def test_anyone_signed_in_reads_the_catalogue_by_category_and_words(desk: Desk) -> None:
    body = desk.handler.get(URL, params={"category": "CITY_APPEARANCE"}).json()
    # The demo catalogue's items (other tests add and retire items of their own).
    items = [i for i in body["items"] if re.fullmatch(r"[A-Z]{2}\d\d", i["code"])]
    assert [i["code"] for i in items] == ["CA01", "CA02", "CA03", "CA04"]
    assert body["count"] == len(body["items"])
    assert items[0]["level"] == "department" and items[0]["lead_unit"]["code"] == "SF-CGJ"
    assert items[3]["lead_unit"] is None and items[3]["lead_text"] == "属地街道"
    found = desk.operator.get(URL, params={"q": "电梯"}).json()["items"]
    assert [i["code"] for i in found if re.fullmatch(r"[A-Z]{2}\d\d", i["code"])] == ["PM03"]


def test_the_hotline_centre_changes_the_catalogue_and_others_may_not(desk: Desk) -> None:
    code = "A" + uuid.uuid4().hex[:5].upper()
    item = {
        "code": code,
        "name": "测试事项",
        "category": "SAFETY",
        "level": "street",
        "basis": "街道履职事项清单（测试）",
    }
    assert_error(desk.dispatcher.post(URL, json=item), 403, "forbidden_role")
    created = desk.supervisor.post(URL, json=item)
    assert created.status_code == 201, created.text
    item_id = created.json()["id"]
    bad = desk.supervisor.http.put(f"{URL}/{item_id}", json={**item, "level": "department"})
    assert assert_error(bad, 422, "required")["field"] == "unit"
    changed = desk.supervisor.http.put(
        f"{URL}/{item_id}", json={**item, "level": "department", "unit": "SF-YJJ"}
    )
    assert changed.status_code == 200 and changed.json()["lead_unit"]["code"] == "SF-YJJ"
    retired = desk.supervisor.post(f"{URL}/{item_id}/retire")
    assert retired.status_code == 200 and retired.json()["active"] is False
    assert code not in [i["code"] for i in desk.operator.get(URL).json()["items"]]
    assert_error(desk.supervisor.post(f"{URL}/999999/retire"), 404, "not_found")
