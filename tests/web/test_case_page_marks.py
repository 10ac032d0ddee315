"""解除督办 on the case page: offered only once the order carries a supervision mark, listing
only the marks it carries; clearing a mark it does not carry is refused in Chinese. All data
is synthetic."""

from __future__ import annotations

import re

from tests.hotline.web.test_intake_pages import Console, created_id, order


def clear_form(html: str) -> str:
    found = re.search(r'<details[^>]*data-action="clear_supervision">.*?</details>', html, re.S)
    return found.group(0) if found else ""


def test_clearing_is_offered_only_for_the_marks_set(console: Console) -> None:
    case_id = created_id(console("operator1").post("/intake", data=order()))
    supervisor = console("supervisor1")
    page = supervisor.get(f"/cases/{case_id}").text
    assert 'data-action="supervise"' in page
    assert clear_form(page) == ""  # nothing supervised yet

    marked = supervisor.post(
        f"/cases/{case_id}/do/supervise", data={"kind": "key_supervision", "reason": "测试督办"}
    )
    assert marked.status_code == 303, marked.text
    form = clear_form(supervisor.get(f"/cases/{case_id}").text)
    assert '<option value="key_supervision"' in form
    assert "leader_assignment" not in form and "open_challenge" not in form

    refused = supervisor.post(
        f"/cases/{case_id}/do/clear_supervision",
        data={"kind": "open_challenge", "reason": "测试"},
    )
    assert refused.status_code == 422
    assert "该工单没有「揭榜挂帅」标记" in refused.text

    cleared = supervisor.post(
        f"/cases/{case_id}/do/clear_supervision",
        data={"kind": "key_supervision", "reason": "已落实（测试）"},
    )
    assert cleared.status_code == 303, cleared.text
    assert clear_form(supervisor.get(f"/cases/{case_id}").text) == ""
