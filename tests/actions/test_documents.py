"""Documents with data (fazhi.actions.documents): a document kind says who may add it, in which
states, with which fields and whether it takes a file; every change is one event that seals
the file's and the data's SHA-256 and bumps the case's version; a refusal writes nothing.
All data is synthetic."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import shutil
from pathlib import Path
from typing import Any

import docx
import pytest
from sqlalchemy import func, select

from fazhi.actions.auth import actor_for
from fazhi.actions.cases import ActionContext, create_case, perform_action
from fazhi.actions.document_files import FileUpload, case_documents
from fazhi.actions.document_generation import generate_document
from fazhi.actions.documents import (
    add_document,
    document_records,
    replace_document,
    withdraw_document,
)
from fazhi.actions.platform import Platform
from fazhi.domain.case_type import DocumentKind, FieldSpec
from fazhi.domain.documents import data_digest
from fazhi.domain.durations import LOCAL_TZ
from fazhi.domain.errors import DomainError
from fazhi.domain.seal import SEAL_KEYED, sealed_content
from fazhi.domain.trail import GENESIS, event_hash
from fazhi.store.db import transaction
from fazhi.store.models import Case, Document, DocumentBlob, Event, User
from tests.document_type import (
    AGREEMENT,
    FIXTURE,
    PDF,
    TYPE,
    install,
    load_fixture_type,
)
from tests.document_type import document_type as document_type  # the fixture
from tests.support import FakeClock

MEDIATOR = "tx_handler"  # unit_handler of 田心街道: the agreement's only role
LEADER = "tx_leader"  # unit_leader of the same street: may apply, not sign agreements
# The fixture type is on the platform for every test here (a test may install its own).
pytestmark = pytest.mark.usefixtures("document_type")


def ctx(platform: Platform, clock: FakeClock, username: str = MEDIATOR) -> ActionContext:
    with platform.sessions() as session:
        user = session.scalar(select(User).where(User.username == username))
        assert user is not None
        return ActionContext(platform, actor_for(platform, user), clock())


def new_case(platform: Platform, clock: FakeClock, mediating: bool = True) -> int:
    context = ctx(platform, clock)
    with transaction(platform.sessions) as session:
        case_id = create_case(
            session,
            context,
            TYPE,
            {"summary": "邻里漏水纠纷，申请调解（测试合成数据）", "applicant_name": "测试丙丁"},
        ).id
        if mediating:
            perform_action(session, context, case_id, "start", {})
    return case_id


def pdf(name: str = "协议.pdf", content: bytes = PDF) -> FileUpload:
    return FileUpload.of(name, "application/pdf", content)


def run(platform: Platform, clock: FakeClock, fn: Any, *args: Any, who: str = MEDIATOR) -> Any:
    with transaction(platform.sessions) as session:
        return fn(session, ctx(platform, clock, who), *args)


def case_row(platform: Platform, case_id: int) -> tuple[int, int]:
    """(version, number of events)"""
    with platform.sessions() as session:
        case = session.get(Case, case_id)
        assert case is not None
        count = session.scalar(select(func.count()).where(Event.case_id == case_id))
        return case.version, int(count or 0)


def keyed_digest(platform: Platform, data: dict[str, Any]) -> str:
    """The data's digest as the trail seals it: personal values through the keyed digest."""
    case_type = platform.types.get(TYPE)
    kind = case_type.document("agreement") if case_type else None
    assert kind is not None
    return data_digest(data, kind.fields, platform.secret)


def events(platform: Platform, case_id: int) -> list[Event]:
    with platform.sessions() as session:
        return list(
            session.scalars(select(Event).where(Event.case_id == case_id).order_by(Event.seq))
        )


def refused(
    platform: Platform, clock: FakeClock, case_id: int, fn: Any, *args: Any, who: str = MEDIATOR
) -> DomainError:
    before = case_row(platform, case_id)
    with pytest.raises(DomainError) as caught:
        run(platform, clock, fn, *args, who=who)
    assert case_row(platform, case_id) == before, "a refusal writes nothing"
    return caught.value


def add(case_id: int, kind: str, data: Any = None, file: FileUpload | None = None) -> Any:
    def fn(session: Any, context: ActionContext) -> Any:
        return add_document(session, context, case_id, kind, data, file)

    return fn


# ---------------------------------------------------------------------------------------------
# Adding


def test_a_document_with_data_and_a_file_is_one_sealed_event_and_a_new_version(
    platform: Platform, clock: FakeClock
) -> None:
    case_id = new_case(platform, clock)
    version, count = case_row(platform, case_id)
    written = run(platform, clock, add(case_id, "agreement", AGREEMENT, pdf()))
    assert written.case.version == version + 1
    assert case_row(platform, case_id) == (version + 1, count + 1)
    with platform.sessions() as session:
        document = session.get(Document, written.document.id)
        assert document is not None
        assert (document.kind, document.active, document.generated) == ("agreement", True, False)
        assert document.data == AGREEMENT
        assert (document.filename, document.size) == ("协议.pdf", len(PDF))
        blob = session.get(DocumentBlob, document.sha256)
        assert blob is not None and blob.data == PDF
    last = events(platform, case_id)[-1]
    assert (last.action, last.from_state, last.to_state) == (
        "document_added",
        "mediating",
        "mediating",
    )
    sealed = last.payload["document"]
    assert sealed["sha256"] == hashlib.sha256(blob.data).hexdigest()
    assert sealed["data_sha256"] == keyed_digest(platform, document.data)
    assert (sealed["id"], sealed["kind"], sealed["filename"], sealed["size"]) == (
        document.id,
        "agreement",
        "协议.pdf",
        len(PDF),
    )
    chain = events(platform, case_id)
    assert chain[-1].prev_hash == chain[-2].hash != GENESIS


def test_the_event_seal_covers_the_document_payload(platform: Platform, clock: FakeClock) -> None:
    """Changing the sealed sha256 in the payload breaks the event's hash."""
    case_id = new_case(platform, clock)
    run(platform, clock, add(case_id, "evidence", None, pdf("证据.pdf", b"%PDF evidence")))
    last = events(platform, case_id)[-1]
    plain = {
        "case_id": case_id,
        "seq": last.seq,
        "action": last.action,
        "at": last.at.isoformat(),
        "actor": last.actor,
        "from_state": last.from_state,
        "to_state": last.to_state,
        "payload": last.payload,
    }
    content = sealed_content(plain, [tuple(p) for p in last.sealed or []], platform.secret)
    assert event_hash(last.prev_hash, content) == last.hash
    forged = {**last.payload, "document": {**last.payload["document"], "sha256": "0" * 64}}
    assert event_hash(last.prev_hash, {**content, "payload": forged}) != last.hash
    assert last.seal == SEAL_KEYED


def test_a_data_only_kind_takes_no_file(platform: Platform, clock: FakeClock) -> None:
    case_id = new_case(platform, clock)
    record = {"held_on": "2023-05-31", "notes": "双方到场陈述（测试）"}
    written = run(platform, clock, add(case_id, "record", record))
    document = written.document
    assert (document.filename, document.sha256, document.size, document.content_type) == (
        None,
        None,
        None,
        None,
    )
    assert events(platform, case_id)[-1].payload["document"]["sha256"] is None
    error = refused(platform, clock, case_id, add(case_id, "record", record, pdf()))
    assert (error.code, error.field, error.status) == ("document_file_not_allowed", "file", 422)


def test_a_file_only_kind_requires_its_file_and_is_open_to_every_role_of_the_type(
    platform: Platform, clock: FakeClock
) -> None:
    case_id = new_case(platform, clock, mediating=False)
    error = refused(platform, clock, case_id, add(case_id, "evidence"))
    assert (error.code, error.field) == ("document_file_required", "file")
    # No roles and no states declared: any role of the type's actions, any open state.
    run(platform, clock, add(case_id, "evidence", None, pdf()), who=LEADER)
    run(platform, clock, add(case_id, "evidence", None, pdf("二.pdf", b"%PDF two")))
    assert [d.kind for d in document_records_of(platform, case_id)] == ["evidence", "evidence"]


def document_records_of(platform: Platform, case_id: int) -> tuple[Any, ...]:
    with platform.sessions() as session:
        case = session.get(Case, case_id)
        assert case is not None
        return document_records(session, case)


def test_data_is_checked_against_the_kind_fields_with_paths(
    platform: Platform, clock: FakeClock
) -> None:
    case_id = new_case(platform, clock)
    bad = {"number": "TJ1", "signed_on": "六月一日", "party_id_number": "110105194912310021"}
    error = refused(platform, clock, case_id, add(case_id, "agreement", bad))
    problems = {p.field: (p.code, p.message) for p in error.problems}
    assert problems["data.signed_on"] == ("invalid_value", "签订日期应为日期（如 2023-09-28）")
    assert problems["data.terms"] == ("required", "请填写协议内容")
    assert problems["data.party_id_number"][0] == "invalid_value"
    assert "校验位" in problems["data.party_id_number"][1]
    error = refused(platform, clock, case_id, add(case_id, "agreement", {**AGREEMENT, "x": 1}))
    assert (error.code, error.field) == ("unknown_field", "data.x")


def test_role_state_and_kind_limits(platform: Platform, clock: FakeClock) -> None:
    applied = new_case(platform, clock, mediating=False)
    error = refused(platform, clock, applied, add(applied, "agreement", AGREEMENT))
    assert (error.code, error.status) == ("document_not_allowed_in_state", 409)
    case_id = new_case(platform, clock)
    error = refused(platform, clock, case_id, add(case_id, "agreement", AGREEMENT), who=LEADER)
    assert (error.code, error.status) == ("document_forbidden_role", 403)
    # A region-wide operator sees the case but takes no action of the type.
    error = refused(
        platform, clock, case_id, add(case_id, "evidence", None, pdf()), who="operator1"
    )
    assert error.code == "document_forbidden_role"
    error = refused(platform, clock, case_id, add(case_id, "selfie", None, pdf()))
    assert (error.code, error.field) == ("unknown_document_kind", "kind")
    assert "调解协议书" in error.message


def test_a_closed_case_takes_no_documents_of_a_kind_without_states(
    platform: Platform, clock: FakeClock
) -> None:
    case_id = new_case(platform, clock)
    run(platform, clock, add(case_id, "agreement", AGREEMENT))
    with transaction(platform.sessions) as session:
        perform_action(session, ctx(platform, clock), case_id, "conclude", {})
    error = refused(platform, clock, case_id, add(case_id, "evidence", None, pdf()))
    assert error.code == "document_not_allowed_in_state"
    assert "已结案" in error.message


def test_a_single_kind_refuses_a_second_copy_until_the_first_is_withdrawn(
    platform: Platform, clock: FakeClock
) -> None:
    case_id = new_case(platform, clock)
    first = run(platform, clock, add(case_id, "agreement", AGREEMENT)).document
    error = refused(platform, clock, case_id, add(case_id, "agreement", AGREEMENT))
    assert (error.code, error.status) == ("document_single", 409)
    run(platform, clock, lambda s, c: withdraw_document(s, c, case_id, first.id, "签错（测试）"))
    run(platform, clock, add(case_id, "agreement", AGREEMENT))


def test_upload_limits_as_for_every_upload(platform: Platform, clock: FakeClock) -> None:
    case_id = new_case(platform, clock)
    exe = FileUpload.of("a.exe", "application/x-msdownload", b"MZ\x90\x00")
    assert refused(platform, clock, case_id, add(case_id, "evidence", None, exe)).code == (
        "unsupported_media_type"
    )
    empty = FileUpload.of("a.pdf", "application/pdf", b"")
    assert refused(platform, clock, case_id, add(case_id, "evidence", None, empty)).code == (
        "empty_file"
    )


def test_a_kind_with_only_optional_fields_needs_a_file_or_some_data(
    platform: Platform, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = load_fixture_type()
    note = DocumentKind(
        "note", "备注材料", fields=(FieldSpec("text", "text", "备注"),), file="optional"
    )
    install(platform, dataclasses.replace(base, documents=(*base.documents, note)), monkeypatch)
    case_id = new_case(platform, clock)
    error = refused(platform, clock, case_id, add(case_id, "note", {}))
    assert (error.code, error.field) == ("document_empty", "file")
    run(platform, clock, add(case_id, "note", {"text": "仅有内容（测试）"}))
    run(platform, clock, add(case_id, "note", None, pdf()))


def test_an_expected_version_that_moved_on_is_a_409(platform: Platform, clock: FakeClock) -> None:
    case_id = new_case(platform, clock)
    version, _ = case_row(platform, case_id)
    run(platform, clock, add(case_id, "evidence", None, pdf()))

    def stale(session: Any, context: ActionContext) -> Any:
        return add_document(session, context, case_id, "evidence", None, pdf(), version)

    assert refused(platform, clock, case_id, stale).code == "version_conflict"
    # …and an action planned on the old version is stale too.
    with transaction(platform.sessions) as session, pytest.raises(DomainError) as caught:
        perform_action(session, ctx(platform, clock), case_id, "conclude", {}, version)
    assert caught.value.status == 409


# ---------------------------------------------------------------------------------------------
# Replacing and withdrawing


def test_replacing_makes_a_new_version_and_keeps_the_old_as_history(
    platform: Platform, clock: FakeClock
) -> None:
    case_id = new_case(platform, clock)
    first = run(platform, clock, add(case_id, "agreement", AGREEMENT, pdf())).document
    clock.advance(hours=1)
    changed = {**AGREEMENT, "terms": "乙方于七月底前退还押金三千元（测试合成数据）"}

    def replace(session: Any, context: ActionContext) -> Any:
        return replace_document(session, context, case_id, first.id, changed)

    second = run(platform, clock, replace).document
    assert second.replaces_id == first.id
    with platform.sessions() as session:
        case = session.get(Case, case_id)
        assert case is not None
        rows = case_documents(session, case, include_inactive=True)
        assert [(d.id, d.active) for d in rows] == [(first.id, False), (second.id, True)]
        # The file was not given again: the new version keeps it.
        assert rows[1].sha256 == rows[0].sha256 == hashlib.sha256(PDF).hexdigest()
        assert rows[1].data["terms"].startswith("乙方于七月底前")
        assert [d.id for d in case_documents(session, case)] == [second.id]
    last = events(platform, case_id)[-1]
    assert last.action == "document_replaced"
    assert last.payload["document"]["id"] == second.id
    assert last.payload["replaces"] == {
        "id": first.id,
        "sha256": hashlib.sha256(PDF).hexdigest(),
        "data_sha256": keyed_digest(platform, AGREEMENT),
    }
    # Replacing the old version again, or with nothing new, is refused.
    assert refused(platform, clock, case_id, replace).code == "document_inactive"

    def same(session: Any, context: ActionContext) -> Any:
        return replace_document(session, context, case_id, second.id, changed)

    assert refused(platform, clock, case_id, same).code == "document_unchanged"


def test_replacing_is_limited_like_adding(platform: Platform, clock: FakeClock) -> None:
    case_id = new_case(platform, clock)
    first = run(platform, clock, add(case_id, "agreement", AGREEMENT)).document

    def replace(session: Any, context: ActionContext) -> Any:
        return replace_document(session, context, case_id, first.id, {**AGREEMENT, "number": "X"})

    assert refused(platform, clock, case_id, replace, who=LEADER).code == "document_forbidden_role"

    def bad(session: Any, context: ActionContext) -> Any:
        return replace_document(session, context, case_id, first.id, {"number": "X"})

    error = refused(platform, clock, case_id, bad)
    assert {p.field for p in error.problems} == {"data.signed_on", "data.terms"}


def test_withdrawing_needs_a_reason_and_takes_the_document_out_of_force(
    platform: Platform, clock: FakeClock
) -> None:
    case_id = new_case(platform, clock)
    document = run(platform, clock, add(case_id, "agreement", AGREEMENT)).document

    def withdraw(reason: str | None) -> Any:
        return lambda s, c: withdraw_document(s, c, case_id, document.id, reason)

    error = refused(platform, clock, case_id, withdraw("  "))
    assert (error.code, error.field) == ("required", "reason")
    assert refused(platform, clock, case_id, withdraw("x" * 501)).code == "too_long"
    assert refused(platform, clock, case_id, withdraw("错了"), who=LEADER).code == (
        "document_forbidden_role"
    )
    run(platform, clock, withdraw("协议内容有误，重新制作（测试）"))
    with platform.sessions() as session:
        row = session.get(Document, document.id)
        assert row is not None
        assert (row.active, row.withdraw_reason) == (False, "协议内容有误，重新制作（测试）")
        assert row.withdrawn_at is not None and row.withdrawn_by is not None
    last = events(platform, case_id)[-1]
    assert last.action == "document_withdrawn"
    assert last.payload["reason"] == "协议内容有误，重新制作（测试）"
    assert last.payload["document"]["data_sha256"] == keyed_digest(platform, AGREEMENT)
    assert refused(platform, clock, case_id, withdraw("再撤一次")).code == "document_inactive"
    # `documents: [agreement]` on conclude no longer finds one in force.
    with transaction(platform.sessions) as session, pytest.raises(DomainError) as caught:
        perform_action(session, ctx(platform, clock), case_id, "conclude", {})
    assert caught.value.code == "document_missing"
    records = document_records_of(platform, case_id)
    assert [(r.id, r.kind, r.active) for r in records] == [(document.id, "agreement", False)]
    assert records[0].data == AGREEMENT


def test_a_document_of_another_case_is_not_found(platform: Platform, clock: FakeClock) -> None:
    one, other = new_case(platform, clock), new_case(platform, clock)
    document = run(platform, clock, add(one, "evidence", None, pdf())).document
    error = refused(
        platform, clock, other, lambda s, c: withdraw_document(s, c, other, document.id, "测试")
    )
    assert (error.code, error.status) == ("not_found", 404)


# ---------------------------------------------------------------------------------------------
# Generating


def docx_text(content: bytes) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(content)).paragraphs)


def test_generate_renders_the_template_from_the_case_and_the_data(
    platform: Platform, clock: FakeClock
) -> None:
    case_id = new_case(platform, clock)

    def generate(session: Any, context: ActionContext) -> Any:
        return generate_document(session, context, case_id, "agreement", AGREEMENT)

    written = run(platform, clock, generate)
    document = written.document
    with platform.sessions() as session:
        row = session.get(Document, document.id)
        assert row is not None and row.generated
        blob = session.get(DocumentBlob, row.sha256)
        assert blob is not None
        case = session.get(Case, case_id)
        assert case is not None
    assert row.content_type == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    text = docx_text(blob.data)
    number = f"TJ{case.created_at.astimezone(LOCAL_TZ):%Y%m%d}{case_id:07d}"
    assert "邻里漏水纠纷，申请调解（测试合成数据）" in text  # the case's field
    assert "TJ2023-017" in text and "乙方于六月底前退还押金三千元" in text  # the data
    assert "2023-06-01" in text and "2023年6月1日" in text
    assert number in text  # the case's number
    assert "{{" not in text
    assert row.filename == f"调解协议书-{number}.docx"
    last = events(platform, case_id)[-1]
    assert last.action == "document_generated"
    assert last.payload["document"]["sha256"] == hashlib.sha256(blob.data).hexdigest()
    assert last.payload["document"]["generated"] is True


def test_generate_is_refused_like_adding_and_without_a_template(
    platform: Platform, clock: FakeClock
) -> None:
    case_id = new_case(platform, clock)

    def generate(kind: str, data: Any = AGREEMENT) -> Any:
        return lambda s, c: generate_document(s, c, case_id, kind, data)

    assert refused(platform, clock, case_id, generate("agreement"), who=LEADER).code == (
        "document_forbidden_role"
    )
    record = {"held_on": "2023-06-01", "notes": "笔录（测试）"}
    error = refused(platform, clock, case_id, generate("record", record))
    assert (error.code, error.field) == ("document_no_template", "kind")
    assert refused(platform, clock, case_id, generate("evidence", None)).code == (
        "document_no_template"
    )
    assert refused(platform, clock, case_id, generate("agreement", {})).code == "invalid_input"


def test_a_template_beside_the_type_file_is_used_before_the_catalog_one(
    platform: Platform, clock: FakeClock, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from docx import Document as Docx

    paper = Docx()
    paper.add_paragraph("本地模板 {{ doc.number }} {{ case.applicant_name }}")
    paper.save(tmp_path / "mediation_agreement.docx")
    shutil.copy(FIXTURE, tmp_path / FIXTURE.name)
    install(platform, load_fixture_type(tmp_path / FIXTURE.name), monkeypatch)
    case_id = new_case(platform, clock)
    written = run(
        platform, clock, lambda s, c: generate_document(s, c, case_id, "agreement", AGREEMENT)
    )
    with platform.sessions() as session:
        blob = session.get(DocumentBlob, written.document.sha256)
        assert blob is not None
    # Documents are official papers: personal data is rendered whole.
    assert docx_text(blob.data) == "本地模板 TJ2023-017 测试丙丁"


def test_generating_a_new_version_of_a_single_kind_replaces_the_old_one(
    platform: Platform, clock: FakeClock
) -> None:
    case_id = new_case(platform, clock)
    first = run(platform, clock, add(case_id, "agreement", AGREEMENT)).document

    def generate(replaces: int | None) -> Any:
        return lambda s, c: generate_document(s, c, case_id, "agreement", AGREEMENT, replaces)

    assert refused(platform, clock, case_id, generate(None)).code == "document_single"
    second = run(platform, clock, generate(first.id)).document
    assert (second.replaces_id, second.generated) == (first.id, True)
    assert events(platform, case_id)[-1].payload["replaces"]["id"] == first.id
