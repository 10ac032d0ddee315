"""The documents of a case over HTTP: add (multipart with a file, or JSON data only), list with
and without history, read, download, replace, withdraw and generate; JSON errors with stable
codes and field paths; personal data in document data masked by role. Synthetic data."""

from __future__ import annotations

import asyncio
import io
from typing import Any

import docx
import orjson
import pytest

import fazhi.api.document_routes as document_routes
from fazhi.actions.document_render import RenderJob
from tests.api.conftest import Login
from tests.api.flows import CASES, assert_error
from tests.document_type import AGREEMENT, ID_NUMBER, PDF, TYPE
from tests.document_type import document_type as document_type  # the fixture
from tests.support import ApiClient

pytestmark = pytest.mark.usefixtures("document_type")
MEDIATOR = "tx_handler"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def new_case(login: Login, mediating: bool = True) -> int:
    mediator = login(MEDIATOR)
    fields = {"summary": "租客押金纠纷，申请调解（测试合成数据）", "applicant_name": "测试丙丁"}
    response = mediator.post(CASES, json={"type": TYPE, "fields": fields})
    assert response.status_code == 201, response.text
    case_id = int(response.json()["id"])
    if mediating:
        mediator.act(case_id, "start")
    return case_id


def docs(case_id: int) -> str:
    return f"{CASES}/{case_id}/documents"


def add(
    client: ApiClient,
    case_id: int,
    kind: str,
    data: Any = None,
    file: tuple[str, bytes, str] | None = None,
) -> Any:
    form = {"kind": kind}
    if data is not None:
        form["data"] = data if isinstance(data, str) else orjson.dumps(data).decode()
    return client.post(docs(case_id), data=form, files={"file": file} if file else None)


def created(response: Any) -> dict[str, Any]:
    assert response.status_code == 201, response.text
    return dict(response.json())


def test_a_document_with_a_file_and_data_is_added_read_and_downloaded(login: Login) -> None:
    case_id = new_case(login)
    mediator = login(MEDIATOR)
    version = mediator.case(case_id).json()["version"]
    body = created(
        add(mediator, case_id, "agreement", AGREEMENT, ("协议.pdf", PDF, "application/pdf"))
    )
    assert (body["kind"], body["kind_label"], body["filename"], body["size"]) == (
        "agreement",
        "调解协议书",
        "协议.pdf",
        len(PDF),
    )
    assert (body["active"], body["generated"], body["case_version"]) == (True, False, version + 1)
    assert mediator.case(case_id).json()["version"] == version + 1
    raw = mediator.get(body["file_url"])
    assert (raw.status_code, raw.content, raw.headers["content-type"]) == (
        200,
        PDF,
        "application/pdf",
    )
    one = mediator.get(f"{docs(case_id)}/{body['id']}").json()
    assert one["data"]["number"] == "TJ2023-017"
    assert [v["id"] for v in one["versions"]] == [body["id"]]
    event = login("operator1").get(f"{CASES}/{case_id}/events").json()["items"][-1]
    assert (event["action"], event["action_label"]) == ("document_added", "添加材料")
    assert event["payload"]["document"]["sha256"] == body["sha256"]
    assert event["payload"]["document"]["data_sha256"] == body["data_sha256"]


def test_personal_data_in_document_data_is_masked_by_role(login: Login) -> None:
    case_id = new_case(login)
    body = created(add(login(MEDIATOR), case_id, "agreement", AGREEMENT))
    # A unit handler sees the party masked, in the answer, the document and its event…
    assert (body["data"]["party_name"], body["data"]["party_id_number"]) == (
        "测**乙",
        "110105********002X",
    )
    assert body["data"]["terms"] == AGREEMENT["terms"]
    listed = login(MEDIATOR).get(docs(case_id)).json()["items"][0]
    assert listed["data"]["party_id_number"] == "110105********002X"
    event = login(MEDIATOR).get(f"{CASES}/{case_id}/events").json()["items"][-1]
    assert event["payload"]["document"]["data"]["party_name"] == "测**乙"
    # …while the hotline centre, which sees personal data whole, sees it whole.
    operator = login("operator1")
    whole = operator.get(f"{docs(case_id)}/{body['id']}").json()["data"]
    assert (whole["party_name"], whole["party_id_number"]) == ("测试甲乙", ID_NUMBER)
    event = operator.get(f"{CASES}/{case_id}/events").json()["items"][-1]
    assert event["payload"]["document"]["data"]["party_id_number"] == ID_NUMBER


def test_a_data_only_document_from_a_json_body(login: Login) -> None:
    case_id = new_case(login)
    record = {"held_on": "2023-05-31", "notes": "双方到场陈述（测试）"}
    response = login(MEDIATOR).post(docs(case_id), json={"kind": "record", "data": record})
    body = created(response)
    assert (body["filename"], body["sha256"], body["file_url"]) == (None, None, None)
    assert body["data"] == record
    assert_error(login(MEDIATOR).get(f"{docs(case_id)}/{body['id']}/file"), 404, "not_found")


def test_refusals_are_json_with_stable_codes_and_field_paths(login: Login) -> None:
    case_id = new_case(login)
    mediator = login(MEDIATOR)
    pdf = ("a.pdf", PDF, "application/pdf")
    body = assert_error(add(mediator, case_id, "selfie", None, pdf), 422, "unknown_document_kind")
    assert body["field"] == "kind"
    assert_error(
        add(login("tx_leader"), case_id, "agreement", AGREEMENT), 403, "document_forbidden_role"
    )
    body = assert_error(add(mediator, case_id, "evidence"), 422, "document_file_required")
    assert body["field"] == "file"
    body = assert_error(
        add(mediator, case_id, "record", {"held_on": "2023-06-01", "notes": "x"}, pdf),
        422,
        "document_file_not_allowed",
    )
    body = assert_error(
        add(mediator, case_id, "agreement", {"number": "1", "signed_on": "昨天"}),
        422,
        "invalid_input",
    )
    fields = {p["field"]: p["code"] for p in body["problems"]}
    assert fields == {"data.signed_on": "invalid_value", "data.terms": "required"}
    assert_error(add(mediator, case_id, "agreement", "{not json"), 422, "invalid_json")
    assert_error(add(mediator, case_id, "agreement", "[1, 2]"), 422, "invalid_request")
    body = assert_error(mediator.post(docs(case_id), data={"data": "{}"}), 422, "invalid_request")
    assert body["field"] == "kind"
    created(add(mediator, case_id, "agreement", AGREEMENT))
    assert_error(add(mediator, case_id, "agreement", AGREEMENT), 409, "document_single")
    stale = mediator.post(docs(case_id), json={"kind": "evidence", "version": 1})
    assert_error(stale, 409, "version_conflict")
    applied = new_case(login, mediating=False)
    assert_error(
        add(mediator, applied, "agreement", AGREEMENT), 409, "document_not_allowed_in_state"
    )


def test_a_case_hidden_from_a_user_is_404_on_every_document_endpoint(login: Login) -> None:
    case_id = new_case(login)
    document = created(add(login(MEDIATOR), case_id, "agreement", AGREEMENT))
    other = login("xsl_handler")  # another street: does not see 田心街道's case
    base = f"{docs(case_id)}/{document['id']}"
    for response in (
        other.get(docs(case_id)),
        other.get(base),
        other.get(f"{base}/file"),
        add(other, case_id, "evidence", None, ("a.pdf", PDF, "application/pdf")),
        other.post(f"{base}/replace", json={"data": AGREEMENT}),
        other.post(f"{base}/withdraw", json={"reason": "测试"}),
        other.post(f"{docs(case_id)}/generate", json={"kind": "agreement", "data": AGREEMENT}),
    ):
        assert_error(response, 404, "not_found")


def test_replace_and_withdraw_keep_the_history(login: Login) -> None:
    case_id = new_case(login)
    mediator = login(MEDIATOR)
    first = created(
        add(mediator, case_id, "agreement", AGREEMENT, ("一.pdf", PDF, "application/pdf"))
    )
    changed = {**AGREEMENT, "number": "TJ2023-018"}
    response = mediator.post(
        f"{docs(case_id)}/{first['id']}/replace",
        data={"data": orjson.dumps(changed).decode()},
        files={"file": ("二.pdf", PDF + b"v2", "application/pdf")},
    )
    second = created(response)
    assert (second["replaces_id"], second["filename"]) == (first["id"], "二.pdf")
    listed = mediator.get(docs(case_id)).json()
    assert [d["id"] for d in listed["items"]] == [second["id"]]
    everything = mediator.get(docs(case_id), params={"all": 1}).json()["items"]
    assert [(d["id"], d["active"], d["replaced_by_id"]) for d in everything] == [
        (first["id"], False, second["id"]),
        (second["id"], True, None),
    ]
    versions = mediator.get(f"{docs(case_id)}/{second['id']}").json()["versions"]
    assert [v["data"]["number"] for v in versions] == ["TJ2023-017", "TJ2023-018"]
    assert_error(
        mediator.post(f"{docs(case_id)}/{first['id']}/replace", json={"data": changed}),
        409,
        "document_inactive",
    )
    withdraw = f"{docs(case_id)}/{second['id']}/withdraw"
    body = assert_error(mediator.post(withdraw, json={}), 422, "required")
    assert body["field"] == "reason"
    done = mediator.post(withdraw, json={"reason": "协议作废（测试）"})
    assert done.status_code == 200, done.text
    assert (done.json()["active"], done.json()["withdraw_reason"]) == (False, "协议作废（测试）")
    assert mediator.get(docs(case_id)).json()["items"] == []
    actions = [
        e["action"] for e in login("operator1").get(f"{CASES}/{case_id}/events").json()["items"]
    ]
    assert actions[-3:] == ["document_added", "document_replaced", "document_withdrawn"]
    # The agreement is gone, so the case cannot be concluded.
    refused = mediator.post(f"{CASES}/{case_id}/actions/conclude", json={"inputs": {}})
    assert_error(refused, 422, "document_missing")


def test_the_list_says_which_kinds_this_user_may_add_now(login: Login) -> None:
    case_id = new_case(login, mediating=False)
    addable = login(MEDIATOR).get(docs(case_id)).json()["addable"]
    assert [(k["name"], k["file"]) for k in addable] == [
        ("evidence", "required"),
        ("record", "none"),
    ]
    login(MEDIATOR).act(case_id, "start")
    names = [k["name"] for k in login(MEDIATOR).get(docs(case_id)).json()["addable"]]
    assert names == ["agreement", "evidence", "record"]
    assert [k["name"] for k in login("tx_leader").get(docs(case_id)).json()["addable"]] == [
        "evidence",
        "record",
    ]


def test_generate_renders_a_docx_off_the_event_loop(
    login: Login, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: list[bool] = []
    render = document_routes.render_document

    def watched(job: RenderJob) -> tuple[str, bytes]:
        try:
            asyncio.get_running_loop()
            threads.append(True)  # on the event loop: the bug this guards against
        except RuntimeError:
            threads.append(False)
        return render(job)

    monkeypatch.setattr(document_routes, "render_document", watched)
    case_id = new_case(login)
    mediator = login(MEDIATOR)
    response = mediator.post(
        f"{docs(case_id)}/generate", json={"kind": "agreement", "data": AGREEMENT}
    )
    body = created(response)
    assert threads == [False]
    assert (body["generated"], body["content_type"]) == (True, DOCX)
    number = mediator.case(case_id).json()["number"]
    assert body["filename"] == f"调解协议书-{number}.docx"
    paper = mediator.get(body["file_url"])
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(paper.content)).paragraphs)
    assert "租客押金纠纷，申请调解（测试合成数据）" in text and number in text
    assert "TJ2023-017" in text and AGREEMENT["terms"] in text
    event = login("operator1").get(f"{CASES}/{case_id}/events").json()["items"][-1]
    assert (event["action"], event["payload"]["document"]["sha256"]) == (
        "document_generated",
        body["sha256"],
    )
    # A second one is refused; a new version names the one it replaces.
    again = {"kind": "agreement", "data": AGREEMENT}
    assert_error(mediator.post(f"{docs(case_id)}/generate", json=again), 409, "document_single")
    newer = mediator.post(f"{docs(case_id)}/generate", json={**again, "replaces": body["id"]})
    assert created(newer)["replaces_id"] == body["id"]


def test_generate_refusals(login: Login) -> None:
    case_id = new_case(login)
    generate = f"{docs(case_id)}/generate"
    assert_error(
        login("tx_leader").post(generate, json={"kind": "agreement", "data": AGREEMENT}),
        403,
        "document_forbidden_role",
    )
    body = assert_error(
        login(MEDIATOR).post(generate, json={"kind": "evidence"}), 422, "document_no_template"
    )
    assert body["field"] == "kind"
    body = assert_error(login(MEDIATOR).post(generate, json={"kind": "agreement", "data": {}}), 422)
    assert {p["field"] for p in body["problems"]} == {"data.number", "data.signed_on", "data.terms"}
