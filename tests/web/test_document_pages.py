"""The documents card of the case page: a form per kind the user may add in this state (its
fields, a file input when the kind takes a file, 生成文书 when it has a template), the
documents in force with their data and versions, replace and withdraw — Chinese messages next
to each field. All data is synthetic."""

from __future__ import annotations

import html
import re

import httpx
import pytest
from sqlalchemy import select

from fazhi.actions.auth import actor_for
from fazhi.actions.cases import ActionContext, create_case, perform_action
from fazhi.actions.platform import Platform
from fazhi.store.db import transaction
from fazhi.store.models import Document, User
from tests.document_type import AGREEMENT, PDF, TYPE
from tests.document_type import document_type as document_type  # the fixture
from tests.support import FakeClock
from tests.web.conftest import Console

pytestmark = pytest.mark.usefixtures("document_type")
MEDIATOR = "tx_handler"


def new_case(platform: Platform, clock: FakeClock, mediating: bool = True) -> int:
    with transaction(platform.sessions) as session:
        user = session.scalar(select(User).where(User.username == MEDIATOR))
        assert user is not None
        ctx = ActionContext(platform, actor_for(platform, user), clock())
        fields = {"summary": "楼上漏水纠纷（页面测试合成数据）", "applicant_name": "测试丙丁"}
        case_id = create_case(session, ctx, TYPE, fields).id
        if mediating:
            perform_action(session, ctx, case_id, "start", {})
    return case_id


def page(http: httpx.Client, case_id: int) -> str:
    response = http.get(f"/cases/{case_id}")
    assert response.status_code == 200, response.text
    return html.unescape(response.text)


def version(text: str) -> str:
    found = re.search(r'name="version" value="(\d+)"', text)
    assert found
    return found.group(1)


def documents_of(platform: Platform, case_id: int) -> list[Document]:
    with platform.sessions() as session:
        return list(
            session.scalars(
                select(Document).where(Document.case_id == case_id).order_by(Document.id)
            )
        )


def test_each_kind_the_user_may_add_has_its_own_form(
    console: Console, platform: Platform, clock: FakeClock
) -> None:
    case_id = new_case(platform, clock)
    text = page(console(MEDIATOR), case_id)
    assert 'data-form="doc:agreement"' in text
    assert 'id="d-agreement-signed_on" name="signed_on" type="date"' in text
    assert 'id="d-agreement-file"' in text  # file: optional
    assert 'id="d-evidence-file"' in text  # file: required
    assert 'id="d-record-held_on"' in text and 'id="d-record-file"' not in text  # file: none
    assert text.count("生成文书") == 1  # only the agreement has a template
    # The street's leader may add evidence and records, not sign the agreement.
    leader = page(console("tx_leader"), case_id)
    assert 'data-form="doc:evidence"' in leader and 'data-form="doc:agreement"' not in leader
    # Before mediation starts, the agreement is not offered at all.
    assert 'data-form="doc:agreement"' not in page(
        console(MEDIATOR), new_case(platform, clock, False)
    )


def test_refused_data_comes_back_with_each_message_next_to_its_field(
    console: Console, platform: Platform, clock: FakeClock
) -> None:
    case_id = new_case(platform, clock)
    http = console(MEDIATOR)
    form = {
        "kind": "agreement",
        "version": version(page(http, case_id)),
        "number": "TJ-1",
        "signed_on": "昨天",
    }
    response = http.post(f"/cases/{case_id}/documents", data=form)
    assert response.status_code == 422
    text = html.unescape(response.text)
    assert 'id="d-agreement-signed_on-error">签订日期应为日期（如 2023-09-28）<' in text
    assert 'id="d-agreement-terms-error">请填写协议内容<' in text
    assert 'id="d-agreement-number" name="number" value="TJ-1"' in text  # what was typed stays
    assert documents_of(platform, case_id) == []


def test_an_added_document_shows_its_data_masked_and_can_be_replaced_and_withdrawn(
    console: Console, platform: Platform, clock: FakeClock
) -> None:
    case_id = new_case(platform, clock)
    http = console(MEDIATOR)
    form = {"kind": "agreement", "version": version(page(http, case_id)), **AGREEMENT}
    response = http.post(
        f"/cases/{case_id}/documents",
        data=form,
        files={"file": ("协议.pdf", PDF, "application/pdf")},
    )
    assert (response.status_code, response.headers["location"]) == (
        303,
        f"/cases/{case_id}?done=document_added",
    )
    text = page(http, case_id)
    assert "<dt>协议内容</dt><dd>" + AGREEMENT["terms"] in text
    assert "<dd>测**乙</dd>" in text and "测试甲乙" not in text  # masked for a unit handler
    [first] = documents_of(platform, case_id)
    assert f'href="/api/v1/cases/{case_id}/documents/{first.id}/file"' in text
    assert 'data-form="doc:agreement"' not in text  # a single kind: replace, not add

    # Replace with a new number only: blanks keep their values (the masked ones too).
    replace = {"version": version(text), "number": "TJ2023-099"}
    response = http.post(f"/cases/{case_id}/documents/{first.id}/replace", data=replace)
    assert response.status_code == 303, response.text
    old, new = documents_of(platform, case_id)
    assert (old.active, new.active, new.replaces_id) == (False, True, old.id)
    assert new.data == {**AGREEMENT, "number": "TJ2023-099"}
    assert new.sha256 == old.sha256
    text = page(http, case_id)
    assert "历史版本（1）" in text and "TJ2023-017" in text and "TJ2023-099" in text

    withdraw = f"/cases/{case_id}/documents/{new.id}/withdraw"
    response = http.post(withdraw, data={"version": version(text), "reason": ""})
    assert response.status_code == 422
    assert f'id="w{new.id}-reason-error">请填写撤回原因<' in html.unescape(response.text)
    response = http.post(withdraw, data={"version": version(text), "reason": "签错（测试）"})
    assert response.status_code == 303
    text = page(http, case_id)
    assert "已撤回（1）" in text and "撤回：签错（测试）" in text
    assert 'data-form="doc:agreement"' in text  # none in force: it may be added again
    assert "材料：协议.pdf（调解协议书），原因：签错（测试）" in text  # the timeline


def test_a_stale_form_is_refused_with_the_version_message(
    console: Console, platform: Platform, clock: FakeClock
) -> None:
    case_id = new_case(platform, clock)
    http = console(MEDIATOR)
    stale = version(page(http, case_id))
    record = {"kind": "record", "held_on": "2023-05-31", "notes": "笔录（测试）"}
    assert (
        http.post(f"/cases/{case_id}/documents", data={**record, "version": stale}).status_code
        == 303
    )
    response = http.post(f"/cases/{case_id}/documents", data={**record, "version": stale})
    assert response.status_code == 409
    assert "案件已被他人更新" in html.unescape(response.text)


def test_generate_from_the_console_stores_a_docx(
    console: Console, platform: Platform, clock: FakeClock
) -> None:
    case_id = new_case(platform, clock)
    http = console(MEDIATOR)
    form = {"kind": "agreement", "version": version(page(http, case_id)), **AGREEMENT}
    response = http.post(f"/cases/{case_id}/documents/generate", data=form)
    assert (response.status_code, response.headers["location"]) == (
        303,
        f"/cases/{case_id}?done=document_generated",
    )
    [document] = documents_of(platform, case_id)
    assert document.generated and document.filename and document.filename.endswith(".docx")
    text = html.unescape(http.get(f"/cases/{case_id}?done=document_generated").text)
    assert "文书已生成" in text and "系统生成" in text and document.filename in text


def test_a_hotline_order_still_takes_a_photo_from_the_console(
    console: Console, platform: Platform, clock: FakeClock
) -> None:
    with transaction(platform.sessions) as session:
        user = session.scalar(select(User).where(User.username == "operator1"))
        assert user is not None
        ctx = ActionContext(platform, actor_for(platform, user), clock())
        body = {
            "request_kind": "complaint",
            "category": "CITY_APPEARANCE",
            "content": "路灯不亮（页面测试合成数据）",
            "caller_phone": "17000002222",
        }
        case_id = create_case(session, ctx, "hotline", body).id
    http = console("operator1")
    text = page(http, case_id)
    assert 'data-form="doc:photo"' in text
    png = b"\x89PNG\r\n\x1a\n" + b"0" * 16
    form = {"kind": "photo", "version": version(text)}
    response = http.post(
        f"/cases/{case_id}/documents", data=form, files={"file": ("现场.png", png, "image/png")}
    )
    assert response.status_code == 303, response.text
    assert "现场.png" in page(http, case_id)
    response = http.post(f"/cases/{case_id}/documents", data={"kind": "photo"})
    assert response.status_code == 422
    assert 'id="d-photo-file-error">「现场照片」需要上传文件<' in html.unescape(response.text)
