"""/admin/duty's area rules (职责清单) over HTTP: added per category, shown with their
history, retired; errors next to the field; every change in admin_log.

The database is shared by the whole session: rules made here are stopped in `finally`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator

import httpx
import pytest
from sqlalchemy import select, update

from fazhi.actions.platform import Platform
from fazhi.store.db import transaction
from fazhi.store.models import AdminLog, DutyRule

PASSWORD = "fazhi2023"
CATEGORY = "SANITATION"
Console = Callable[[str], httpx.Client]


@pytest.fixture
def stop_rules(platform: Platform) -> Iterator[None]:
    try:
        yield
    finally:
        with transaction(platform.sessions) as session:
            session.execute(update(DutyRule).where(DutyRule.active.is_(True)).values(active=False))
        platform.forget_units()


def rules_cell(page: str, category: str) -> str:
    found = re.search(rf'<td class="duty-rules" id="rules-{category}">(.*?)</td>', page, re.S)
    assert found, f"no rules cell for {category}"
    return found.group(1)


def rule_logs(platform: Platform) -> list[AdminLog]:
    with platform.sessions() as session:
        return list(
            session.scalars(
                select(AdminLog)
                .where(AdminLog.action.like("duty_rule_%"))
                .order_by(AdminLog.id.desc())
            )
        )


def test_each_category_has_a_labelled_form_for_an_area_rule(console: Console) -> None:
    page = console("admin").get("/admin/duty").text
    assert page.count('<form method="post" action="/admin/duty-rules/') == 24
    labels = set(re.findall(r'<label[^>]* for="([^"]+)"', page))
    for field in ("area", "unit"):
        assert f"rule-{CATEGORY}-{field}" in labels
    assert '<option value="SF-XSL-C06">' in page  # communities …
    assert '<option value="SF-XSL">' in page  # … and streets are areas


def test_only_admins_change_rules(console: Console, stop_rules: None) -> None:
    http = console("dispatcher1")
    refused = http.post(f"/admin/duty-rules/{CATEGORY}", data={"area": "SF-XSL", "unit": "SF-ZJJ"})
    assert refused.status_code == 403
    assert http.post("/admin/duty-rules/1/retire").status_code == 403


def test_a_rule_is_added_changed_with_history_and_retired(
    console: Console, platform: Platform, stop_rules: None
) -> None:
    admin = console("admin")
    url = f"/admin/duty-rules/{CATEGORY}"
    saved = admin.post(url, data={"area": "SF-XSL-C06", "unit": "SF-ZJJ"})
    assert saved.status_code == 303
    assert saved.headers["location"].endswith(f"#duty-{CATEGORY}")
    page = admin.get(saved.headers["location"]).text
    assert "区域职责规则已保存" in page
    cell = rules_cell(page, CATEGORY)
    assert "樱花社区 → <b>石峰区住房和城乡建设局</b>" in cell
    assert "rule-history" not in cell
    assert rule_logs(platform)[0].action == "duty_rule_add"

    assert admin.post(url, data={"area": "SF-XSL-C06", "unit": "SF-XSL"}).status_code == 303
    cell = rules_cell(admin.get("/admin/duty").text, CATEGORY)
    assert "樱花社区 → <b>响石岭街道</b>" in cell
    assert "历史（1）" in cell and "樱花社区 → 石峰区住房和城乡建设局" in cell
    change = rule_logs(platform)[0]
    assert change.action == "duty_rule_change"
    assert (change.details["before"], change.details["after"]) == ("SF-ZJJ", "SF-XSL")
    directory = platform.directory()
    unit = directory.duty_unit(CATEGORY, directory.by_code["SF-XSL-C06-G01"])
    assert unit is not None and unit.code == "SF-XSL"

    rule_id = int(re.findall(r'data-rule="(\d+)"', cell)[0])
    retired = admin.post(f"/admin/duty-rules/{rule_id}/retire")
    assert retired.status_code == 303
    cell = rules_cell(admin.get("/admin/duty").text, CATEGORY)
    assert "未按区域另定" in cell and "历史（2）" in cell
    assert rule_logs(platform)[0].action == "duty_rule_retire"
    assert admin.post(f"/admin/duty-rules/{rule_id}/retire").status_code == 409
    assert admin.post("/admin/duty-rules/999999999/retire").status_code == 404


def test_a_bad_rule_is_refused_next_to_the_field(console: Console, platform: Platform) -> None:
    admin = console("admin")
    before = len(rule_logs(platform))
    response = admin.post(
        f"/admin/duty-rules/{CATEGORY}", data={"area": "SF-XSL-C06-G01", "unit": ""}
    )
    assert response.status_code == 422
    area = re.search(rf'id="rule-{CATEGORY}-area-error">([^<]*)<', response.text)
    unit = re.search(rf'id="rule-{CATEGORY}-unit-error">([^<]*)<', response.text)
    assert area and html.unescape(area.group(1)) == "区域应为在用的街道（镇）或社区（村）"
    assert unit and unit.group(1) == "请选择承办单位"
    assert len(rule_logs(platform)) == before
    missing = admin.post("/admin/duty-rules/NO_SUCH", data={"area": "SF-XSL", "unit": "SF-ZJJ"})
    assert missing.status_code == 404
