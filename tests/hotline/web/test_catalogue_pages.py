"""派单目录 in the console: every hotline role reads the published catalogue (search, filter);
the hotline centre keeps it on the same page, errors beside their fields; the dispatch form
offers its items and refuses a departmental item sent to a street without a reason, the
message beside 派至街道理由; a returned order shows its category's items to the dispatcher
who rules on the objection. All data is synthetic."""

from __future__ import annotations

import re
import uuid

from tests.hotline.web.test_dispatch_category import registered
from tests.hotline.web.test_intake_pages import Console


def rows(html: str) -> list[str]:
    return re.findall(r'<tr data-item="([^"]+)"', html)


def demo_rows(html: str) -> list[str]:
    """The demo catalogue's items only (other tests add items of their own to the database)."""
    return [code for code in rows(html) if re.fullmatch(r"[A-Z]{2}\d\d", code)]


def test_every_hotline_role_reads_the_published_catalogue(console: Console) -> None:
    html = console("operator1").get("/catalogue").text
    assert "CA01" in rows(html) and "DI01" in rows(html)
    assert "属地街道" in html and "《中华人民共和国人民调解法》" in html
    assert 'id="item-form"' not in html  # reading only
    assert demo_rows(console("operator1").get("/catalogue?q=油烟").text) == ["CA03"]
    by_category = demo_rows(console("cgj_handler").get("/catalogue?category=TRAFFIC").text)
    assert by_category == ["TR01"]
    assert 'href="/catalogue"' in console("dispatcher1").get("/work").text  # in the menu


def test_the_hotline_centre_keeps_the_catalogue_with_errors_beside_fields(
    console: Console,
) -> None:
    http = console("supervisor1")
    assert 'id="item-form"' in http.get("/catalogue").text
    bad = http.post("/catalogue", data={"code": "CA01", "level": "department", "category": ""})
    assert bad.status_code == 422
    for field in ("code", "name", "category", "unit", "basis"):
        assert f'id="i-{field}-error"' in bad.text, field
    assert "已被「占道经营、流动摊贩查处」使用" in bad.text
    code = "P" + uuid.uuid4().hex[:5].upper()
    saved = http.post(
        "/catalogue",
        data={
            "code": code,
            "name": f"共享单车停放秩序{code}（测试）",
            "category": "CITY_APPEARANCE",
            "level": "department",
            "unit": "SF-CGJ",
            "basis": "区城管局“三定”规定（测试）",
            "covers": "共享单车 乱停放",
        },
    )
    assert saved.status_code == 303
    listed = http.get(f"/catalogue?q={code}").text
    assert rows(listed) == [code]
    item_id = re.search(r"/catalogue\?edit=(\d+)#item-form", listed)
    assert item_id
    retired = http.post(f"/catalogue/{item_id.group(1)}/retire")
    assert retired.status_code == 303
    assert code not in rows(console("operator1").get(f"/catalogue?q={code}").text)
    assert console("operator1").post("/catalogue", data={"code": "X1"}).status_code == 403


def test_the_dispatch_form_offers_the_items_and_refuses_a_push_down_beside_the_reason(
    console: Console,
) -> None:
    case_id = registered(console, "CITY_APPEARANCE")
    http = console("dispatcher1")
    page = http.get(f"/cases/{case_id}").text
    select = re.search(r'<select id="dispatch-catalogue_item".*?</select>', page, re.S)
    assert select and 'value="CA01"' in select.group(0)
    # The order's own category is the first group.
    assert select.group(0).index("市容秩序") < select.group(0).index("交通出行")
    assert 'name="street_reason"' in page
    refused = http.post(
        f"/cases/{case_id}/do/dispatch", data={"lead_unit": "SF-TX", "catalogue_item": "CA01"}
    )
    assert refused.status_code == 422
    error = re.search(r'id="dispatch-street_reason-error"[^>]*>([^<]+)<', refused.text)
    assert error and "属部门职责" in error.group(1)
    done = http.post(
        f"/cases/{case_id}/do/dispatch",
        data={"lead_unit": "SF-TX", "catalogue_item": "CA01", "street_reason": "街道牵头（测试）"},
    )
    assert done.status_code == 303


def test_a_returned_order_shows_its_categorys_items_to_the_ruling_dispatcher(
    console: Console,
) -> None:
    case_id = registered(console, "TRAFFIC")
    assert (
        console("dispatcher1")
        .post(f"/cases/{case_id}/do/dispatch", data={"lead_unit": "SF-CGJ"})
        .status_code
        == 303
    )
    returned = console("cgj_handler").post(
        f"/cases/{case_id}/do/return", data={"reason": "违章停车属交警（测试）"}
    )
    assert returned.status_code == 303
    panel = console("dispatcher1").get(f"/cases/{case_id}/catalogue")
    assert panel.status_code == 200
    assert "派单异议" in panel.text and demo_rows(panel.text) == ["TR01"]
    assert "株洲市公安局交通警察支队石峰大队" in panel.text  # the lead unit the item names
    page = console("dispatcher1").get(f"/cases/{case_id}").text
    assert 'hx-get="/cases/' + str(case_id) + '/catalogue"' in page
    assert 'id="uphold_return-catalogue_item"' in page
    assert console("operator1").get(f"/cases/{case_id}/catalogue").status_code == 403
