"""Transfers from other platforms: 全国12315平台 and 全国根治欠薪线索反映平台.

Each source is a profile (its columns, with their Chinese headers, and how a record becomes
a hotline order). Every record goes through the one door: a new external id is registered
(`register`, channel `transfer`, `external_source` = the source's code); a stored record
whose composed content is unchanged is counted as unchanged; one whose content changed at
the source is amended through the `amend_from_source` action; a closed order that changed at
the source is rejected.

A file is all or nothing, like the work-order import: each row is tried in a savepoint so
every bad row is found, and if any row is bad the whole batch is rolled back. The JSON
endpoint keeps the good records and lists the bad ones (`do_transfer_records`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fazhi.actions.cases import ActionContext, case_type_or_error, create_case, perform_action
from fazhi.domain.durations import LOCAL_TZ
from fazhi.domain.errors import DomainError
from fazhi.domain.numbers import case_number
from fazhi.hotline.actions.imports import RowError, read_table
from fazhi.hotline.actions.transfer_sources import SourceProfile, profile_or_error
from fazhi.store.models import Case

HOTLINE = "hotline"
MAX_API_RECORDS = 500


@dataclass
class CaseResult:
    external_id: str
    id: int
    number: str
    result: str  # created | updated | unchanged


@dataclass
class TransferReport:
    source: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[RowError] = field(default_factory=list)
    cases: list[CaseResult] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.rejected


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return str(value).strip()


def _received_at(value: str, label: str, now: datetime) -> datetime:
    if not value:
        return now
    try:
        moment = datetime.fromisoformat(value.replace("/", "-"))
    except ValueError:
        raise DomainError(
            "invalid_value", f"{label}格式应为 2023-06-01 09:30", 422, "received_at"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=LOCAL_TZ)
    if moment > now:
        raise DomainError("invalid_value", f"{label}不能晚于现在", 422, "received_at")
    return moment


def number_of(prefix: str, case: Case) -> str:
    """The number the console and the API show for the case."""
    return case_number(prefix, case.created_at, case.id)


def _stored(session: Session, ctx: ActionContext, source: str, external_id: str) -> Case | None:
    return session.scalar(
        select(Case).where(
            Case.region_code == ctx.actor.region_code,
            Case.external_source == source,
            Case.external_id == external_id,
        )
    )


def check_transfer_one(
    session: Session, ctx: ActionContext, profile: SourceProfile, record: dict[str, Any]
) -> CaseResult:
    """One record of a source: its external id (at most 64 characters) and required columns,
    its fields as the source's profile composes them, a reception time not in the future, and
    a closed order may not change; then `do_transfer_one`. A DomainError names the source's
    column it comes from."""
    values = {k: _text(v) for k, v in record.items()}
    external_id = values.get("external_id", "")
    if not external_id:
        raise DomainError(
            "missing_value", f"缺少{profile.column('external_id').header}", 422, "external_id"
        )
    if len(external_id) > 64:
        raise DomainError("invalid_value", "外部编号不能超过64个字符", 422, "external_id")
    for column in profile.columns:
        if column.required and not values.get(column.key):
            raise DomainError("missing_value", f"缺少{column.header}", 422, column.key)
    try:
        fields = profile.compose(values)
        fields = {k: v for k, v in fields.items() if v not in (None, "")}
        at = _received_at(
            values.get("received_at", ""), profile.column("received_at").header, ctx.now
        )
        stored = _stored(session, ctx, profile.code, external_id)
        case_type = case_type_or_error(ctx.platform, HOTLINE)
        if (
            stored is not None
            and stored.terminal
            and stored.fields.get("content") != fields["content"]
        ):
            raise DomainError(
                "closed_at_source_changed",
                f"工单 {number_of(case_type.number_prefix, stored)} 已办结，"
                f"{profile.label}的内容有变更，不能再补充，请核实后另行登记",
                409,
                "description",
            )
        try:
            with session.begin_nested():
                return do_transfer_one(session, ctx, profile, external_id, fields, at, stored)
        except IntegrityError:
            # A concurrent call registered the same record after the look-up above: answer
            # as a retry would (PostgreSQL: the unique index waited for its commit).
            if stored is not None or _stored(session, ctx, profile.code, external_id) is None:
                raise
            return check_transfer_one(session, ctx, profile, record)
    except DomainError as exc:
        raise _by_column(exc, profile) from None


def do_transfer_one(
    session: Session,
    ctx: ActionContext,
    profile: SourceProfile,
    external_id: str,
    fields: dict[str, Any],
    at: datetime,
    stored: Case | None,
) -> CaseResult:
    """Register a new record (received at `at`), or amend an open order whose content the
    source changed (`amend_from_source`, so the change is in its trail), or leave an
    unchanged one.

    Preconditions: the record passed `check_transfer_one`; `stored` is the order already
    registered for (source, external id), if any, and is open when its content changed."""
    case_type = case_type_or_error(ctx.platform, HOTLINE)
    if stored is None:
        case = create_case(
            session,
            ActionContext(ctx.platform, ctx.actor, at),
            HOTLINE,
            fields,
            "register",
            profile.code,
            external_id,
        )
        result = "created"
    elif stored.fields.get("content") == fields["content"]:
        case, result = stored, "unchanged"
    else:
        note = f"{profile.label}更新了原件（{external_id}）的内容"
        case = perform_action(
            session,
            ctx,
            stored.id,
            "amend_from_source",
            {"content": fields["content"], "note": note},
        )
        result = "updated"
    return CaseResult(external_id, case.id, number_of(case_type.number_prefix, case), result)


def _by_column(exc: DomainError, profile: SourceProfile) -> DomainError:
    """The error with each hotline field named by the source's column it came from."""
    for problem in exc.problems:
        if problem.field:
            problem.field = profile.field_columns.get(problem.field, problem.field)
    if exc.field:
        exc.field = profile.field_columns.get(exc.field, exc.field)
    return exc


def _reject(report: TransferReport, line: int, external_id: str | None, exc: DomainError) -> None:
    problems = exc.problems or []
    if len(problems) > 1:
        for p in problems:
            report.rejected.append(RowError(line, external_id, p.field, p.message))
    else:
        report.rejected.append(RowError(line, external_id, exc.field, exc.message))


def _count(report: TransferReport, result: CaseResult) -> None:
    setattr(report, result.result, getattr(report, result.result) + 1)
    report.cases.append(result)


def read_transfer_file(path: Path, source: str) -> list[tuple[int, dict[str, Any]]]:
    profile = profile_or_error(source)
    return list(read_table(path, profile.aliases(), profile.required()))


def do_import_transfer_file(
    session: Session,
    ctx: ActionContext,
    path: Path,
    source: str,
    progress: Callable[[int], None] | None = None,
) -> TransferReport:
    """Import an exported file, each row through `check_transfer_one`; all or nothing: if
    any row is rejected, nothing is written (its savepoint is rolled back) and the report
    lists every rejected row.

    Preconditions: ctx.actor may register hotline orders (an operator); the caller commits
    the transaction only when `report.ok`."""
    profile = profile_or_error(source)
    rows = read_transfer_file(path, source)
    report = TransferReport(profile.code)
    seen: set[str] = set()
    batch = session.begin_nested()
    for line, row in rows:
        report.rows += 1
        if progress:
            progress(1)
        external_id = _text(row.get("external_id")) or None
        if external_id and external_id in seen:
            report.rejected.append(RowError(line, external_id, "external_id", "文件中编号重复"))
            continue
        if external_id:
            seen.add(external_id)
        try:
            with session.begin_nested():
                _count(report, check_transfer_one(session, ctx, profile, row))
        except DomainError as exc:
            _reject(report, line, external_id, exc)
    if report.rejected:
        batch.rollback()
    else:
        batch.commit()
    return report


def do_transfer_records(
    session: Session, ctx: ActionContext, source: str, records: list[dict[str, Any]]
) -> TransferReport:
    """Records from another system's call, each through `check_transfer_one` in a savepoint
    of its own: good ones are written, bad ones rejected and listed by their index (from 0).
    A retried call finds its records unchanged.

    Preconditions: ctx.actor is the calling system's account (an API key of purpose
    transfer); at most MAX_API_RECORDS records."""
    profile = profile_or_error(source, 404)
    if len(records) > MAX_API_RECORDS:
        raise DomainError(
            "too_many_records", f"每次最多转办 {MAX_API_RECORDS} 条记录", 413, "records"
        )
    known = set(profile.keys)
    report = TransferReport(profile.code)
    seen: set[str] = set()
    for index, record in enumerate(records):
        report.rows += 1
        external_id = _text(record.get("external_id")) or None
        unknown = sorted(k for k in record if k not in known)
        if unknown:
            message = "不认识的字段：" + "、".join(unknown)
            report.rejected.append(RowError(index, external_id, unknown[0], message))
            continue
        if external_id and external_id in seen:
            report.rejected.append(RowError(index, external_id, "external_id", "同一批中编号重复"))
            continue
        if external_id:
            seen.add(external_id)
        try:
            with session.begin_nested():
                _count(report, check_transfer_one(session, ctx, profile, record))
        except DomainError as exc:
            _reject(report, index, external_id, exc)
        except IntegrityError:  # the same record sent by a concurrent call won the race
            message = "该编号正被另一次调用同时转办，请稍后重试"
            report.rejected.append(RowError(index, external_id, "external_id", message))
    return report


def template_rows(source: str) -> tuple[list[str], list[str]]:
    """The Chinese header and one synthetic example row of a source's template."""
    profile = profile_or_error(source)
    return [c.header for c in profile.columns], [profile.example.get(k, "") for k in profile.keys]
