"""The penalty decision form in the console: the penalty item and its circumstance are
chosen from the register (执法清单) — the case's own unit's items first, each circumstance
with its fine range — and a fine outside the chosen circumstance's range is answered beside
the fine, with the choices kept. Synthetic data."""

from __future__ import annotations

import re

from tests.api.conftest import Login
from tests.api.test_penalty_case import act, add, register
from tests.web.conftest import Console


def notified_case(login: Login) -> int:
    officer = login("cgj_enforcer")
    case_id = register(officer)
    act(officer, case_id, "file")
    add(officer, case_id, "investigation_report")
    act(officer, case_id, "end_investigation")
    act(officer, case_id, "notify_rights", notice_number="石城管告〔2023〕301号")
    add(officer, case_id, "decision_approval")
    return case_id


def decide_form(html: str) -> str:
    start = html.index('data-action="decide"')
    return html[start : html.index("</details>", start)]


def test_the_items_and_circumstances_come_from_the_register(login: Login, console: Console) -> None:
    case_id = notified_case(login)
    form = decide_form(console("cgj_enforcer").get(f"/cases/{case_id}").text)
    items = re.findall(r'<option value="([A-Z]{2}-\d{4})"', form)
    # 城管执法大队's items first, then the other units' (marked as such).
    assert items[:3] == ["CG-0101", "CG-0102", "CG-0103"] and "TX-0301" in items[3:]
    assert "TX-0301 占道经营（街道综合执法）（其他单位）" in form
    assert '<optgroup label="CG-0101 擅自占用城市道路经营" data-item="CG-0101">' in form
    assert "一般情节（500–5,000 元）" in form and "严重情节（5,000–20,000 元）" in form
    assert '<input id="decide-penalty_item"' not in form  # no longer typed


def test_a_fine_outside_the_range_is_answered_beside_the_fine(
    login: Login, console: Console
) -> None:
    case_id = notified_case(login)
    web = console("cgj_enforcer")
    page = web.get(f"/cases/{case_id}")
    version = re.search(r'name="version" value="(\d+)"', page.text)
    assert version
    answer = web.post(
        f"/cases/{case_id}/do/decide",
        data={
            "version": version.group(1),
            "penalty_kind": "fine",
            "fine_amount": "8000",
            "legal_basis": "《城市道路管理条例》第四十二条",
            "decision_number": "石城管罚决〔2023〕301号",
            "penalty_item": "CG-0101",
            "circumstance": "一般情节",
        },
    )
    assert answer.status_code == 422
    form = decide_form(answer.text)
    assert re.search(r'id="decide-fine_amount-error">[^<]*500至5000元', form)
    # The officer's choices stay chosen for the second try.
    assert '<option value="CG-0101" title="' in form
    assert re.search(r'<option value="CG-0101"[^>]*selected>', form)
    assert re.search(r'<option value="一般情节" selected>一般情节（500–5,000 元）', form)
