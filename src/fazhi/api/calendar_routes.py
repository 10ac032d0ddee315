"""Working-day arithmetic and the holiday calendar over HTTP."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from fazhi.actions.calendar import list_overrides, remove_override, save_arrangement, set_override
from fazhi.domain.calendar import CalendarYearUnknown
from fazhi.domain.errors import DomainError
from fazhi.domain.holiday_notice import NoticeParseError, parse_notice
from fazhi.http.deps import require_role, work
from fazhi.http.params import SaneDate

router = APIRouter(prefix="/api/v1/calendar", tags=["节假日与期限"])


def _known(exc: CalendarYearUnknown) -> DomainError:
    return DomainError(exc.code, str(exc), 422)


def _out_of_range() -> DomainError:
    return DomainError("invalid_value", "日期超出可计算的范围", 422, "date")


def _due(request: Request, start: date, n: int, unit: str) -> dict[str, Any]:
    with work(request) as w:
        calendar = w.platform.calendar()
        count = calendar.add_workdays if unit == "wd" else calendar.add_calendar_days
        try:
            due = count(start, n)
        except CalendarYearUnknown as exc:
            raise _known(exc) from None
        except OverflowError:
            raise _out_of_range() from None
        return {"start": start.isoformat(), "n": n, "unit": unit, "due_date": due.isoformat()}


@router.get("/add-workdays", summary="N个工作日后的到期日（当日不计）")
def add_workdays(
    request: Request,
    date_: Annotated[SaneDate, Query(alias="date")],
    n: Annotated[int, Query(ge=1, le=1000)],
) -> dict[str, Any]:
    return _due(request, date_, n, "wd")


@router.get("/add-days", summary="N个自然日后的到期日（末日遇节假日顺延）")
def add_days(
    request: Request,
    date_: Annotated[SaneDate, Query(alias="date")],
    n: Annotated[int, Query(ge=0, le=3650)],
) -> dict[str, Any]:
    return _due(request, date_, n, "cd")


@router.get("/days", summary="已知年份与调整日")
def days(request: Request) -> dict[str, Any]:
    with work(request) as w:
        return {
            "known_years": sorted(w.platform.calendar().known_years()),
            "overrides": [
                {"date": d.day.isoformat(), "kind": d.kind, "name": d.name, "source": d.source}
                for d in list_overrides(w.session)
            ],
        }


class DayOverrideBody(BaseModel):
    kind: Literal["holiday", "workday"]
    name: str = Field("", max_length=40)


@router.put("/days/{day}", summary="设置某日为节假日或调休上班日（管理员）")
def put_day(request: Request, day: SaneDate, body: DayOverrideBody) -> dict[str, Any]:
    with work(request, write=True) as w:
        require_role(w.actor, "admin")
        set_override(w.session, day, body.kind, body.name, f"管理员 {w.actor.username}")
    w.platform.forget_calendar()
    return {"date": day.isoformat(), "kind": body.kind, "name": body.name}


@router.delete("/days/{day}", summary="删除调整日（管理员）")
def delete_day(request: Request, day: SaneDate) -> dict[str, Any]:
    with work(request, write=True) as w:
        require_role(w.actor, "admin")
        removed = remove_override(w.session, day)
    w.platform.forget_calendar()
    if not removed:
        raise DomainError("not_found", "该日期没有调整记录", 404)
    return {"date": day.isoformat(), "removed": True}


class NoticeBody(BaseModel):
    text: str = Field(max_length=20_000, description="国务院办公厅节假日安排通知全文")
    save: bool = Field(False, description="false 只解析预览；true 解析并保存")


@router.post("/notices", summary="导入国务院办公厅节假日安排通知（管理员）")
def import_notice(request: Request, body: NoticeBody) -> dict[str, Any]:
    with work(request, write=True) as w:
        require_role(w.actor, "admin")
        try:
            arrangement = parse_notice(body.text)
        except NoticeParseError as exc:
            raise DomainError(exc.code, str(exc), 422, "text") from None
        saved = 0
        if body.save:
            saved = save_arrangement(
                w.session,
                arrangement,
                f"{arrangement.year}年节假日安排通知（{w.actor.username}导入）",
                w.ctx.now,
            )
    if body.save:
        w.platform.forget_calendar()
    return {
        "year": arrangement.year,
        "summary": arrangement.summary_lines(),
        "holidays": [
            {"name": h.name, "first": h.first.isoformat(), "last": h.last.isoformat()}
            for h in arrangement.holidays
        ],
        "workdays": [{"date": d.isoformat(), "name": n} for d, n in arrangement.workdays],
        "saved": body.save,
        "days_saved": saved,
    }
