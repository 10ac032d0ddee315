"""答复模板 in the console: a unit saves a template (errors next to their fields), the case
page offers it filled from the order — number, category, unit, the address as the reader
sees it — beside the centre's shared ones, never another unit's, and a retired one no more."""

from __future__ import annotations

import re
import uuid

from tests.analytics.scenario import console_client
from tests.api.flows import Desk
from tests.support import FakeClock, ServerThread


def saved(client: object, **form: str) -> None:
    response = client.post("/reply-templates", data=form)  # type: ignore[attr-defined]
    assert response.status_code in (200, 303), response.text


def test_a_units_template_is_offered_filled_on_its_orders(
    server: ServerThread, clock: FakeClock, desk: Desk
) -> None:
    clock.set("2023-10-09T09:00:00+08:00")
    tag = uuid.uuid4().hex[:6]
    cgj = console_client(server, clock, "cgj_handler")
    saved(
        cgj,
        kind="reply",
        category="CITY_APPEARANCE",
        title=f"占道{tag}",
        body="您反映的{number}（{category}）已由{unit}于{today}到{address}现场处理。",
    )
    sfj = console_client(server, clock, "sfj_handler")
    saved(sfj, kind="phrase", title=f"司法{tag}", body="司法局常用语")
    centre = console_client(server, clock, "dispatcher1")
    saved(centre, kind="phrase", title=f"共用{tag}", body="感谢您的来电。", shared="1")

    case_id = desk.handling(address="株洲市石峰区田心街道某小区门口")
    panel = cgj.get(f"/cases/{case_id}/reply-templates")
    assert panel.status_code == 200
    html = panel.text
    seen = desk.case(case_id, as_user="cgj_handler")
    number, address = seen["number"], seen["fields"]["address"]  # as the handler sees it
    assert (
        f"您反映的{number}（市容秩序）已由石峰区城市管理和综合执法局于2023年10月09日到{address}现场处理。"
        in html
    )
    assert f"共用{tag}" in html and f"司法{tag}" not in html
    assert 'src="/static/hotline/reply-templates.js"' in html
    page = cgj.get(f"/cases/{case_id}").text
    assert f'hx-get="/cases/{case_id}/reply-templates"' in page

    # Retired: no longer offered.
    listing = cgj.get("/reply-templates").text
    template_id = re.search(rf'<tr data-template="(\d+)"><td>答复模板</td><td>占道{tag}', listing)[
        1
    ]  # type: ignore[index]
    assert cgj.post(f"/reply-templates/{template_id}/retire").status_code in (200, 303)
    assert f"占道{tag}" not in cgj.get(f"/cases/{case_id}/reply-templates").text
    assert cgj.post(f"/reply-templates/{template_id}/used").status_code == 204


def test_bad_templates_come_back_with_messages_by_their_fields(
    server: ServerThread, clock: FakeClock, desk: Desk
) -> None:
    cgj = console_client(server, clock, "cgj_handler")
    response = cgj.post("/reply-templates", data={"kind": "reply", "title": "", "body": "{phone}"})
    assert response.status_code == 422
    assert 'id="t-title-error">请填写模板名称' in response.text
    assert 'id="t-body-error">不认识的占位符 {phone}' in response.text
    shared = cgj.post("/reply-templates", data={"title": "x", "body": "y", "shared": "1"})
    assert shared.status_code == 403
    assert console_client(server, clock, "leader1").get("/reply-templates").status_code == 403
    # An order the leader may read, but not answer with templates (its own, not case 1,
    # which a worker that runs this file first has not written yet).
    case_id = desk.handling()
    leader = console_client(server, clock, "leader1")
    assert leader.get(f"/cases/{case_id}/reply-templates").status_code == 403
