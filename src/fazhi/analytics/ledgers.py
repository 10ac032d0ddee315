"""Evidence ledgers (台账): the records behind an indicator's number, for the same period and
unit (never writes).

A ledger has one sheet per input the indicator declares (`ledger:`, by default its formula's
inputs): for a metric, every event that added to that counter — found by replaying the
chains of the type's cases with events in the period through the same mapping the actions
count with (`domain.rollup.dated_deltas`), so the sheet has exactly as many rows as the
counter (a `sum` metric: rows whose amounts add up to it; a `day: created` metric: the
counted events of the cases created in the period, whenever they happened); for an imported
figure, the rows of the import with their batch, file and importer; for `records:`, the
records the type package's source lists (the same list the value counts); for `units:`, the
units; for another indicator, its own sheets. A ledger is read for a scope's period like the
value; it costs a replay of the cases touched (or, cohort, created) in the period, not of
history.

Sheets of a type the reader may not see case by case list no titles (the number, the event,
the unit and the amount stay: they carry no personal data); a restricted type's sheet is
refused to a reader who cannot see it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fazhi.actions.context import Work
from fazhi.actions.rollups import CaseReplay, case_flags
from fazhi.analytics import indicators as ix
from fazhi.analytics.record_sources import record_source, records
from fazhi.domain.case_type import CASE_FLAGS, CaseType
from fazhi.domain.durations import LOCAL_TZ, local_date
from fazhi.domain.errors import DomainError
from fazhi.domain.indicators.spec import YEAR_ON_YEAR, Catalog, Indicator, Ref
from fazhi.domain.numbers import case_number
from fazhi.domain.rollup import Workdays, dated_deltas, elapsed_workdays
from fazhi.store.models import Case, Event, User

CHUNK = 400  # cases replayed per query


@dataclass
class Sheet:
    """One table of a ledger: `total` is what its rows add up to (their count, or the sum
    of the amount column) and equals the input's reading."""

    title: str
    ref: str
    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    total: Decimal = Decimal(0)
    note: str = ""


@dataclass
class Ledger:
    indicator: Indicator
    scope: ix.Scope
    value: dict[str, Any]
    sheets: list[Sheet]


def _local(moment: datetime) -> str:
    return moment.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M")


def _counted_events(
    session: Session, case_type: CaseType, scope: ix.Scope, ref: Ref, workdays: Workdays
) -> Iterator[tuple[Any, int, int, str]]:
    """(event row, amount, lead unit id, category) of every event in the scope that added
    to the ref's counter, oldest case first."""
    period = scope.period
    metric = case_type.metric(ref.metric)
    # A `day: created` counter of the period is every counted event of the cases created in
    # it, whenever the event happened; any other, the counted events that happened in it.
    cohort = metric is not None and metric.day == "created"
    touched = (
        select(Event.case_id)
        .distinct()
        .join(Case, (Case.region_code == Event.region_code) & (Case.id == Event.case_id))
        .where(
            Case.region_code == scope.region_code,
            Case.type == case_type.name,
            period.contains(Case.created_at if cohort else Event.at),
        )
    )
    if metric is not None and metric.on and not (metric.create or metric.terminal):
        touched = touched.where(Event.action.in_(metric.on))
    ids = sorted(int(i) for i in session.scalars(touched))
    flags = sorted(CASE_FLAGS)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        rows = session.execute(
            select(
                Event.case_id,
                Event.seq,
                Event.action,
                Event.at,
                Event.to_state,
                Event.payload,
                Event.actor_id,
                Case.grid_id,
                Case.created_at,
                Case.title,
                *(getattr(Case, name) for name in flags),
            )
            .join(Case, (Case.region_code == Event.region_code) & (Case.id == Event.case_id))
            .where(Event.case_id.in_(chunk))
            .order_by(Event.case_id, Event.seq)
        ).all()
        replay: CaseReplay | None = None
        current = -1
        for event in rows:
            if event.case_id != current:
                current = event.case_id
                replay = CaseReplay(
                    case_type,
                    scope.region_code,
                    event.grid_id or 0,
                    case_flags(event),
                    local_date(event.created_at),
                )
            assert replay is not None
            facts, (_, lead, category, _) = replay.facts(event)
            if scope.unit_ids is not None and lead not in scope.unit_ids:
                continue
            if ref.categories and category not in ref.categories:
                continue
            deltas = dated_deltas(
                case_type.metrics,
                facts,
                case_type,
                local_date(event.at),
                replay.created,
                workdays,
            )
            for day, counter, amount in deltas:
                if counter == ref.counter and period.start <= day <= period.end:
                    yield event, amount, lead, category


def metric_sheet(w: Work, scope: ix.Scope, ref: Ref) -> Sheet:
    case_type = w.platform.types.get(ref.case_type)
    if case_type is None:
        raise DomainError("unknown_case_type", f"未加载案件类型 {ref.case_type}", 422)
    view = w.actor.sight.view(case_type.name)
    if view is None and case_type.restricted:
        raise DomainError(
            "ledger_restricted", f"{case_type.label}为敏感案件类型，无权查看其台账明细", 403
        )
    spec = case_type.metric(ref.metric)
    label = spec.label if spec else ref.metric
    money = bool(spec and spec.sum and (f := case_type.field(spec.sum)) and f.type == "money")
    summed = bool(spec and spec.sum)
    category_field = case_type.field(case_type.category_field) if case_type.category_field else None
    columns = ["序号", "案件编号", "标题", "事件", "时间", "承办单位", "分类"]
    if summed:
        columns.append(f"{label}")
    sheet = Sheet(f"{case_type.label}·{label}", ref.text, columns)
    if view is None:
        sheet.note = "当前角色不查看该类型案件，标题不列示。"
    directory = w.ctx.directory
    for event, amount, lead, category in _counted_events(
        w.session, case_type, scope, ref, elapsed_workdays(w.platform.calendar())
    ):
        action = case_type.action(event.action)
        unit = directory.by_id.get(lead)
        row: list[Any] = [
            len(sheet.rows) + 1,
            case_number(case_type.number_prefix, event.created_at, event.case_id),
            event.title if view is not None else "",
            action.label if action else event.action,
            _local(event.at),
            unit.name if unit else "",
            category_field.choice_label(category) if category_field and category else category,
        ]
        value = Decimal(amount) / 100 if money else Decimal(amount)
        if summed:
            row.append(float(value))
        sheet.rows.append(row)
        sheet.total += value
    return sheet


def figure_sheet(w: Work, catalog: Catalog, scope: ix.Scope, ref: Ref) -> Sheet:
    spec = catalog.figure(ref.name)
    title = spec.name if spec else ref.name
    unit_label = spec.unit if spec else ""
    sheet = Sheet(
        f"导入·{title}",
        ref.text,
        [
            "序号",
            "数据来源",
            "项目代码",
            "期间起",
            "期间止",
            f"数值（{unit_label}）",
            "备注",
            "导入批次",
            "文件",
            "模板行",
            "导入人",
            "导入时间",
        ],
    )
    rows = ix.figure_rows(w.session, w.ctx.directory, scope, [ref.name])
    source = catalog.source(ref.name.split(".", 1)[0])
    names = _user_names(w.session, {r.imported_by for r in rows})
    for r in rows:
        shown = r.value * 100 if spec is not None and spec.kind == "percent" else r.value
        sheet.rows.append(
            [
                len(sheet.rows) + 1,
                source.label if source else r.source,
                r.code,
                r.period_start.isoformat(),
                r.period_end.isoformat(),
                float(shown),
                r.note,
                r.batch_id,
                r.filename,
                r.row_number,
                names.get(r.imported_by, str(r.imported_by)),
                _local(r.imported_at),
            ]
        )
        sheet.total += r.value
    if not rows:
        sheet.note = "本期尚未导入该项数据。"
    return sheet


def records_sheet(w: Work, scope: ix.Scope, ref: Ref) -> Sheet:
    """The records a package's source lists for the scope: one row each, as the value
    counts them."""
    source = record_source(ref.name)
    found = records(
        w.session, w.ctx.directory, scope.region_code, scope.period, scope.unit_ids, ref.name
    )
    sheet = Sheet(source.label, ref.text, ["序号", *source.columns])
    for record in found:
        sheet.rows.append([len(sheet.rows) + 1, *record.cells])
    sheet.total = Decimal(len(sheet.rows))
    if not found:
        sheet.note = "本期没有记录。"
    return sheet


def _user_names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return {u.id: u.display_name for u in session.scalars(select(User).where(User.id.in_(ids)))}


def units_sheet(w: Work, scope: ix.Scope, ref: Ref) -> Sheet:
    directory = w.ctx.directory
    root = scope.unit or ix.root_unit(directory)
    sheet = Sheet(f"组织机构·{ref.name}", ref.text, ["序号", "单位编码", "单位名称", "所属街道"])
    for unit in sorted(directory.by_id.values(), key=lambda u: u.path):
        if unit.kind == ref.name and (root is None or root.contains(unit)):
            street = directory.street_of(unit)
            sheet.rows.append(
                [len(sheet.rows) + 1, unit.code, unit.name, street.name if street else ""]
            )
    sheet.total = Decimal(len(sheet.rows))
    return sheet


def scheme_sheet(catalog: Catalog, ref: Ref) -> Sheet:
    scheme_id, _, part = ref.name.rpartition(".")
    scheme = catalog.scheme(scheme_id)
    sheet = Sheet(f"评价方案·{part}", ref.text, ["序号", "编号", "名称"])
    if scheme is not None:
        entries = (
            [(a.code, a.name) for a in scheme.areas]
            if part == "areas"
            else [(i.code, i.name) for i in scheme.items()]
        )
        for code, name in entries:
            sheet.rows.append([len(sheet.rows) + 1, code, name])
    sheet.total = Decimal(len(sheet.rows))
    return sheet


def sheets_for(
    w: Work,
    catalog: Catalog,
    scope: ix.Scope,
    indicator: Indicator,
    seen: set[str] | None = None,
    previous: bool = False,
) -> list[Sheet]:
    """The sheets behind the indicator for the scope; a year-on-year indicator (`change`,
    `decrease`) also has those of the same period a year before (`previous`: they are)."""
    seen = seen if seen is not None else set()
    seen.add(indicator.id)
    out: list[Sheet] = []
    for ref in indicator.ledger_refs:
        if ref.kind == "metric":
            out.append(metric_sheet(w, scope, ref))
        elif ref.kind == "figure":
            out.append(figure_sheet(w, catalog, scope, ref))
        elif ref.kind == "records":
            out.append(records_sheet(w, scope, ref))
        elif ref.kind == "units":
            out.append(units_sheet(w, scope, ref))
        elif ref.kind == "scheme":
            out.append(scheme_sheet(catalog, ref))
        elif ref.kind == "indicator" and ref.name not in seen:
            inner = catalog.indicator(ref.name)
            if inner is not None:
                out.extend(sheets_for(w, catalog, scope, inner, seen))
    if indicator.formula.kind in YEAR_ON_YEAR and not previous:
        # Compared with the year before: its records stand beside this year's.
        for sheet in sheets_for(w, catalog, scope.year_before(), indicator, set(), previous=True):
            sheet.title = f"上年同期·{sheet.title}"
            out.append(sheet)
    return out


def ledger(w: Work, scope: ix.Scope, indicator_id: str) -> Ledger:
    """The indicator's value and every sheet of records behind it, for the scope."""
    catalog = ix.catalog_of(w.platform)
    indicator = catalog.indicator(indicator_id)
    if indicator is None:
        raise DomainError("unknown_indicator", f"没有指标 {indicator_id}", 404)
    value = ix.values(w.session, w.platform, w.ctx.directory, scope, [indicator_id], catalog)
    body = ix.value_json(value[indicator_id], w.ctx.directory, catalog)
    return Ledger(indicator, scope, body, sheets_for(w, catalog, scope, indicator))


def filtered(sheet: Sheet, text: str) -> Sheet:
    """The rows of which some cell contains `text` (the console's and API's filter)."""
    if not text:
        return sheet
    rows = [r for r in sheet.rows if any(text in str(c) for c in r)]
    return Sheet(sheet.title, sheet.ref, sheet.columns, rows, sheet.total, sheet.note)


def ledger_json(found: Ledger, text: str = "", limit: int = 200) -> dict[str, Any]:
    sheets = []
    for sheet in found.sheets:
        chosen = filtered(sheet, text)
        sheets.append(
            {
                "title": sheet.title,
                "input": sheet.ref,
                "columns": sheet.columns,
                "total": float(sheet.total),
                "count": len(sheet.rows),
                "matching": len(chosen.rows),
                "rows": chosen.rows[:limit],
                "truncated": len(chosen.rows) > limit,
                "note": sheet.note,
            }
        )
    return {**found.scope.brief(), "indicator": found.value, "sheets": sheets}
