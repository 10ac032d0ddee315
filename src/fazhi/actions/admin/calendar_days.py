"""The holiday calendar admins keep: a year's arrangement from the State Council's notice,
and single days made holidays or working days. The calendar is reloaded once the change
commits."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from fazhi.actions.admin.common import (
    after_commit,
    check_text,
    fail_on,
    record,
    require_admin,
    text,
)
from fazhi.actions.calendar import remove_override, save_arrangement, set_override
from fazhi.actions.context import ActionContext
from fazhi.actions.platform import Platform
from fazhi.domain.errors import DomainError, Problem, not_found
from fazhi.domain.holiday_notice import NoticeArrangement, NoticeParseError, parse_notice
from fazhi.store.models import CalendarDay

DAY_KINDS = {"holiday": "放假", "workday": "上班"}
MAX_NOTICE = 20_000


def _forget_calendar(session: Session, platform: Platform) -> None:
    after_commit(session, platform.forget_calendar)


def read_notice(notice: str) -> NoticeArrangement:
    """The notice as parsed, or a DomainError on `text` with the parser's Chinese message."""
    if not notice.strip():
        raise DomainError("required", "请粘贴通知全文", 422, "text")
    if len(notice) > MAX_NOTICE:
        raise DomainError("too_long", f"通知全文不能超过{MAX_NOTICE}字", 422, "text")
    try:
        return parse_notice(notice)
    except NoticeParseError as exc:
        raise DomainError(exc.code, exc.message, 422, "text") from None


def check_import_notice(
    session: Session, ctx: ActionContext, notice: str
) -> tuple[NoticeArrangement, int]:
    """The notice's text parses into a year's arrangement; then `do_import_notice`."""
    require_admin(ctx)
    return do_import_notice(session, ctx, read_notice(notice))


def do_import_notice(
    session: Session, ctx: ActionContext, arrangement: NoticeArrangement
) -> tuple[NoticeArrangement, int]:
    """Save the year's arrangement (replacing that year's overrides; the year becomes
    known), log it, reload the calendar after commit. Answers the days saved.

    Preconditions: ctx.actor is an admin; `arrangement` came from `read_notice`."""
    saved = save_arrangement(
        session,
        arrangement,
        f"{arrangement.year}年节假日安排通知（{ctx.actor.username}导入）",
        ctx.now,
    )
    record(
        session,
        ctx,
        "calendar_import",
        f"calendar:{arrangement.year}",
        {"year": arrangement.year, "days": saved, "summary": arrangement.summary_lines()},
    )
    _forget_calendar(session, ctx.platform)
    return arrangement, saved


def check_set_calendar_day(
    session: Session, ctx: ActionContext, day: date | None, kind: str, name: str
) -> None:
    """A date, 放假 or 上班, and an optional name; then `do_set_calendar_day`."""
    require_admin(ctx)
    name = text(name)
    problems: list[Problem] = []
    if day is None:
        problems.append(Problem("required", "请填写日期", "day"))
    if kind not in DAY_KINDS:
        problems.append(Problem("required", "请选择放假或上班", "kind"))
    check_text(problems, "name", name, "名称", 40, required=False)
    fail_on(problems)
    assert day is not None
    do_set_calendar_day(session, ctx, day, kind, name)


def do_set_calendar_day(
    session: Session, ctx: ActionContext, day: date, kind: str, name: str
) -> None:
    """Store the day's override (replacing one), log it, reload the calendar after commit.

    Preconditions: ctx.actor is an admin; the values passed `check_set_calendar_day`."""
    existing = session.get(CalendarDay, day)
    before = {"kind": existing.kind, "name": existing.name} if existing else None
    set_override(session, day, kind, name, f"管理员 {ctx.actor.username}")
    record(
        session,
        ctx,
        "calendar_day_set",
        f"calendar:{day.isoformat()}",
        {"before": before, "after": {"kind": kind, "name": name}},
    )
    _forget_calendar(session, ctx.platform)


def check_remove_calendar_day(session: Session, ctx: ActionContext, day: date) -> None:
    """The day has an override; then `do_remove_calendar_day`."""
    require_admin(ctx)
    existing = session.get(CalendarDay, day)
    if existing is None:
        raise not_found("调整日")
    do_remove_calendar_day(session, ctx, existing)


def do_remove_calendar_day(session: Session, ctx: ActionContext, existing: CalendarDay) -> None:
    """Delete the override, log it, reload the calendar after commit.

    Preconditions: ctx.actor is an admin; `existing` is a stored override."""
    before = {"kind": existing.kind, "name": existing.name, "source": existing.source}
    remove_override(session, existing.day)
    record(
        session,
        ctx,
        "calendar_day_remove",
        f"calendar:{existing.day.isoformat()}",
        {"before": before},
    )
    _forget_calendar(session, ctx.platform)
