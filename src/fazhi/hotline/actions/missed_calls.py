"""Missed calls (未接来电) and call-backs (回拨), per 国办函〔2025〕66号's call-back of missed
calls: the telephony system posts or exports each call it could not put through; operators
call back until the caller is reached, the number proves wrong, or the attempts run out.

Recording is idempotent by the telephony system's call id. A CSV batch is all or nothing:
every bad row is reported and none of a failed batch is written."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fazhi.actions.cases import ActionContext
from fazhi.actions.repeat_calls import contact_key
from fazhi.domain.durations import LOCAL_TZ
from fazhi.domain.errors import DomainError
from fazhi.domain.identity import phone_valid
from fazhi.hotline.actions.imports import ImportReport, RowError, table_rows
from fazhi.hotline.store.missed_calls import CallBackAttempt, MissedCall
from fazhi.store.models import Case

HOTLINE = "hotline"
# Local rule of the demo deployment: call back within 2 hours, at most 3 tries.
CALL_BACK_WITHIN = timedelta(hours=2)
MAX_ATTEMPTS = 3
MAX_BATCH = 5000
CALLER_ROLES = ("operator", "dispatcher")
OUTCOMES = {
    "registered": "已回拨并登记工单",
    "answered": "已回拨，无需登记",
    "no_answer": "无人接听",
    "wrong_number": "号码错误",
}
STATUS_LABELS = {"open": "待回拨", "done": "已完成", "abandoned": "多次未接通"}
COLUMNS: dict[str, str] = {
    "call_id": "呼叫编号",
    "caller_phone": "来电号码",
    "called_at": "来电时间",
    "line": "呼入线路",
    "wait_seconds": "等待秒数",
}
REQUIRED = ("call_id", "caller_phone", "called_at")
ALIASES = {**{k: k for k in COLUMNS}, **{v: k for k, v in COLUMNS.items()}}


@dataclass(frozen=True)
class MissedCallInput:
    call_id: str
    caller_phone: str
    called_at: datetime
    line: str
    wait_seconds: int | None


def _fail(code: str, message: str, where: str) -> DomainError:
    return DomainError(code, message, 422, where)


def check_missed_call(raw: dict[str, Any], now: datetime) -> MissedCallInput:
    """One call as the telephony system describes it (strings or numbers), checked."""
    call_id = str(raw.get("call_id") or "").strip()
    if not call_id:
        raise _fail("required", "缺少呼叫编号", "call_id")
    if len(call_id) > 64:
        raise _fail("too_long", "呼叫编号不能超过64个字符", "call_id")
    phone = "".join(c for c in str(raw.get("caller_phone") or "") if c not in " -")
    if not phone:
        raise _fail("required", "缺少来电号码", "caller_phone")
    if not phone_valid(phone):
        raise _fail("invalid_phone", "来电号码格式不正确", "caller_phone")
    value = raw.get("called_at")
    if isinstance(value, datetime):
        called_at = value
    else:
        try:
            called_at = datetime.fromisoformat(str(value or "").strip().replace("/", "-"))
        except ValueError:
            raise _fail(
                "invalid_value", "来电时间格式应为 2023-06-01 09:30:00", "called_at"
            ) from None
    if called_at.tzinfo is None:
        called_at = called_at.replace(tzinfo=LOCAL_TZ)
    if called_at > now:
        raise _fail("invalid_value", "来电时间不能晚于现在", "called_at")
    line = str(raw.get("line") or "").strip()
    if len(line) > 40:
        raise _fail("too_long", "呼入线路不能超过40个字符", "line")
    wait_text = str(raw.get("wait_seconds") if raw.get("wait_seconds") is not None else "")
    wait: int | None = None
    if wait_text.strip():
        if not wait_text.strip().isascii() or not wait_text.strip().isdigit():
            raise _fail("invalid_value", "等待秒数应为非负整数", "wait_seconds")
        wait = int(wait_text.strip())
        if wait > 86_400:
            raise _fail("invalid_value", "等待秒数不能超过一天", "wait_seconds")
    return MissedCallInput(call_id, phone, called_at, line, wait)


def _existing(session: Session, region: str, call_ids: list[str]) -> dict[str, MissedCall]:
    if not call_ids:
        return {}
    rows = session.scalars(
        select(MissedCall).where(MissedCall.region_code == region, MissedCall.call_id.in_(call_ids))
    )
    return {row.call_id: row for row in rows}


def _may_import(ctx: ActionContext) -> None:
    # Operators, dispatchers and the telephony system's key (a system operator) record calls.
    if not ctx.actor.has_role(*CALLER_ROLES):
        raise DomainError("forbidden", "只有话务员、派单员或话务系统可以登记未接来电", 403)


def do_record_missed_calls(
    session: Session, ctx: ActionContext, calls: list[MissedCallInput], source: str
) -> tuple[int, int, list[MissedCall]]:
    """Store the calls not yet known by call id; (created, already known, the rows in order).

    Preconditions: each call passed `check_missed_call`; the actor may record calls; the
    caller commits (a batch is one transaction)."""
    region = ctx.actor.region_code
    known = _existing(session, region, [c.call_id for c in calls])
    rows: list[MissedCall] = []
    created = 0
    for call in calls:
        row = known.get(call.call_id)
        if row is None:
            row = MissedCall(
                region_code=region,
                call_id=call.call_id,
                caller_phone=call.caller_phone,
                contact_key=contact_key(region, call.caller_phone),
                called_at=call.called_at,
                line=call.line,
                wait_seconds=call.wait_seconds,
                source=source,
                status="open",
                attempts=0,
                imported_by=ctx.actor.user_id,
                created_at=ctx.now,
            )
            session.add(row)
            known[call.call_id] = row
            created += 1
        rows.append(row)
    session.flush()
    return created, len(calls) - created, rows


def check_missed_calls_csv(
    data: bytes, now: datetime
) -> tuple[int, list[MissedCallInput], list[RowError]]:
    """(rows, the good calls, every bad row) of a telephony CSV export (UTF-8, BOM allowed)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _fail("bad_encoding", "文件应为 UTF-8 编码的 CSV", "file") from None
    table: list[list[Any]] = list(csv.reader(io.StringIO(text)))
    required = {key: COLUMNS[key] for key in REQUIRED}
    good: list[MissedCallInput] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    rows = 0
    for line, raw in table_rows(table, ALIASES, required):
        rows += 1
        if rows > MAX_BATCH:
            raise _fail("too_many_rows", f"每次最多导入{MAX_BATCH}条", "file")
        try:
            call = check_missed_call(raw, now)
        except DomainError as exc:
            errors.append(
                RowError(line, str(raw.get("call_id") or "") or None, exc.field, exc.message)
            )
            continue
        if call.call_id in seen:
            errors.append(
                RowError(line, call.call_id, "call_id", f"与第{seen[call.call_id]}行的呼叫编号重复")
            )
            continue
        seen[call.call_id] = line
        good.append(call)
    return rows, good, errors


def do_import_missed_calls(session: Session, ctx: ActionContext, data: bytes) -> ImportReport:
    """Import a telephony CSV: all rows or, when any is bad, none (the report lists each).

    Preconditions: none beyond a session the caller commits only when the report is ok."""
    _may_import(ctx)
    rows, good, errors = check_missed_calls_csv(data, ctx.now)
    report = ImportReport(rows=rows, errors=errors)
    if errors:
        return report
    report.created, report.skipped_existing, _ = do_record_missed_calls(session, ctx, good, "csv")
    return report


@dataclass(frozen=True)
class CallBack:
    call: MissedCall
    outcome: str
    note: str
    case_id: int | None


def check_call_back(
    session: Session,
    ctx: ActionContext,
    call_id: int,
    outcome: str,
    note: str,
    case_number_id: int | None,
) -> CallBack:
    """A call-back the actor may record on an open missed call of the region."""
    if not ctx.actor.has_role(*CALLER_ROLES):
        raise DomainError("forbidden", "只有话务员或派单员可以回拨", 403)
    call = session.get(MissedCall, call_id)
    if call is None or call.region_code != ctx.actor.region_code:
        raise DomainError("not_found", "没有该未接来电", 404)
    if call.status != "open":
        raise DomainError("call_closed", "该未接来电已处理完毕", 409)
    if outcome not in OUTCOMES:
        raise _fail("invalid_value", "回拨结果只能是：" + "、".join(OUTCOMES.values()), "outcome")
    note = note.strip()
    if len(note) > 1000:
        raise _fail("too_long", "回拨记录不能超过1000个字符", "note")
    case_id: int | None = None
    if outcome == "registered":
        if case_number_id is None:
            raise _fail("required", "请填写回拨后登记的工单编号", "case")
        case = session.get(Case, case_number_id)
        if case is None or case.region_code != ctx.actor.region_code or case.type != HOTLINE:
            raise _fail("not_found", "没有该工单", "case")
        case_id = case.id
    return CallBack(call, outcome, note, case_id)


def do_call_back(session: Session, ctx: ActionContext, back: CallBack) -> MissedCall:
    """Record one attempt and move the task on: reached or wrong number closes it; no answer
    keeps it open until the `MAX_ATTEMPTS`-th, which abandons it.

    Preconditions: `back` came from `check_call_back` in this session."""
    call = back.call
    session.add(
        CallBackAttempt(
            missed_call_id=call.id,
            at=ctx.now,
            user_id=ctx.actor.user_id,
            outcome=back.outcome,
            note=back.note,
            case_id=back.case_id,
        )
    )
    call.attempts += 1
    call.outcome = back.outcome
    if back.outcome == "no_answer":
        if call.attempts >= MAX_ATTEMPTS:
            call.status, call.done_at = "abandoned", ctx.now
    else:
        call.status, call.done_at = "done", ctx.now
        call.case_id = back.case_id
    session.flush()
    return call
