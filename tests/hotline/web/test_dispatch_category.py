"""派单 and 改派 correct a wrong 诉求分类: the category is an optional input of both, preselected
with the order's own, and a change is recorded in the event (shown on the timeline in
Chinese). All data is synthetic."""

from __future__ import annotations

import re

from sqlalchemy import select

from fazhi.actions.platform import Platform
from fazhi.store.db import transaction
from fazhi.store.models import Case, Event
from tests.hotline.web.test_intake_pages import Console, created_id, order


def registered(console: Console, category: str = "SANITATION") -> int:
    return created_id(console("operator1").post("/intake", data=order(category=category)))


def category_select(html: str, prefix: str) -> str:
    block = re.search(rf'<select id="{prefix}-category".*?</select>', html, re.S)
    assert block, f"no category select in the {prefix} form"
    return block.group(0)


def selected(block: str) -> str:
    found = re.search(r'<option value="([^"]+)"[^>]* selected>', block)
    return found.group(1) if found else ""


def stored(platform: Platform, case_id: int) -> tuple[str | None, list[Event]]:
    with transaction(platform.sessions) as session:
        case = session.get(Case, case_id)
        assert case is not None
        events = list(
            session.scalars(select(Event).where(Event.case_id == case_id).order_by(Event.seq))
        )
        session.expunge_all()
        return case.category, events


def test_the_dispatch_form_offers_the_category_preselected(console: Console) -> None:
    case_id = registered(console)
    html = console("dispatcher1").get(f"/cases/{case_id}").text
    block = category_select(html, "dispatch")
    assert selected(block) == "SANITATION"
    assert ">市容秩序</option>" in block and "CITY_APPEARANCE</option>" not in block


def test_dispatch_corrects_the_category_and_records_it(
    console: Console, platform: Platform
) -> None:
    case_id = registered(console)
    http = console("dispatcher1")
    response = http.post(
        f"/cases/{case_id}/do/dispatch",
        data={"lead_unit": "SF-CGJ", "category": "CITY_APPEARANCE", "note": "分类更正（测试）"},
    )
    assert response.status_code == 303, response.text
    category, events = stored(platform, case_id)
    assert category == "CITY_APPEARANCE"
    assert events[-1].action == "dispatch"
    assert events[-1].payload["changes"]["category"] == ["SANITATION", "CITY_APPEARANCE"]
    page = http.get(f"/cases/{case_id}").text
    assert "诉求分类：环境卫生 → 市容秩序" in page
    assert "<dt>诉求分类</dt><dd>市容秩序</dd>" in page


def test_dispatch_without_a_category_keeps_the_orders_own(
    console: Console, platform: Platform
) -> None:
    case_id = registered(console)
    response = console("dispatcher1").post(
        f"/cases/{case_id}/do/dispatch", data={"lead_unit": "SF-CGJ", "category": ""}
    )
    assert response.status_code == 303, response.text
    category, events = stored(platform, case_id)
    assert category == "SANITATION"
    assert "category" not in events[-1].payload.get("changes", {})


def test_reassign_corrects_the_category_too(console: Console, platform: Platform) -> None:
    case_id = registered(console)
    http = console("dispatcher1")
    assert (
        http.post(f"/cases/{case_id}/do/dispatch", data={"lead_unit": "SF-CGJ"}).status_code == 303
    )
    html = http.get(f"/cases/{case_id}").text
    assert selected(category_select(html, "reassign")) == "SANITATION"
    response = http.post(
        f"/cases/{case_id}/do/reassign",
        data={"lead_unit": "SF-ZJJ", "category": "PROPERTY_MGMT"},
    )
    assert response.status_code == 303, response.text
    category, events = stored(platform, case_id)
    assert category == "PROPERTY_MGMT"
    assert events[-1].payload["changes"]["category"] == ["SANITATION", "PROPERTY_MGMT"]


def test_an_unknown_category_is_refused_beside_the_field(
    console: Console, platform: Platform
) -> None:
    case_id = registered(console)
    response = console("dispatcher1").post(
        f"/cases/{case_id}/do/dispatch", data={"lead_unit": "SF-CGJ", "category": "NO_SUCH"}
    )
    assert response.status_code == 422
    assert 'id="dispatch-category-error"' in response.text
    assert stored(platform, case_id)[0] == "SANITATION"
