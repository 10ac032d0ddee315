"""统计: hotline figures for a period and a lead unit, charts drawn as inline SVG on the
server, a unit ranking, and an Excel export of every table."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from io import BytesIO
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from starlette.datastructures import QueryParams

from fazhi.catalog.categories import load_categories
from fazhi.domain.bounds import in_sane_range
from fazhi.domain.durations import local_date
from fazhi.domain.units import UnitRef
from fazhi.hotline.read import stats as hs
from fazhi.http.deps import Work
from fazhi.read.sheets import xlsx_row
from fazhi.web.console import forbidden, local_time, page_work, render
from fazhi.web.svg_charts import bar_list, day_chart, percent

router = APIRouter(include_in_schema=False)

STATS_ROLES = frozenset({"district_leader", "supervisor", "dispatcher", "admin", "unit_leader"})
LONGEST_PERIOD_DAYS = 3 * 366
# Units that can lead orders, offered in the unit filter, with their group labels.
UNIT_KINDS = (
    ("department", "部门"),
    ("street", "街道（镇）"),
    ("company", "公用事业与运营商"),
    ("centre", "中心"),
    ("community", "社区（村）"),
)
CATEGORY_NAMES = {c.code: c.name for c in load_categories()}
FORMULAS = {
    "received": "统计期内新受理的12345工单数",
    "closed": "办结时间在统计期内的工单数",
    "closure_rate": "期内受理且在期末前办结的工单数 ÷ 期内受理量",
    "on_time_rate": "期内办结工单中，各次办理时限均在到期前停止的工单数 ÷ 期内办结量"
    "（即时办结无办理时限，计为按期）",
    "satisfaction_rate": "期内各次回访评价中，（满意 + 基本满意）÷ 已评价数"
    "（每次回访计一次：重办前的不满意评价也计入）",
    "dispatched": "期内派单、改派（含退单异议驳回后退回）给该单位的工单数，每件计一次",
    "returns": "期内「退单」事件数，按退单单位计",
    "reopenings": "期内「重办」事件数",
}
TABLES = {
    "units": "主办单位排名",
    "categories": "诉求分类",
    "streets": "街道（镇）",
    "daily": "每日受理办结",
}
SORT_LABELS = {
    "received": "受理量",
    "closed": "办结量",
    "on_time_rate": "按期办结率",
    "satisfaction_rate": "满意率",
    "dispatched": "派单量",
    "returns": "退单数",
}


# ---------------------------------------------------------------------------------------------
# The filters shared by 统计 and 地图


def _parse_date(text: str) -> date | None:
    try:
        day = date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None
    return day if in_sane_range(day.year) else None


@dataclass
class PeriodForm:
    """from / to as the user gave them, and the period they mean."""

    period: hs.Period
    raw_from: str = ""
    raw_to: str = ""
    notes: list[str] = field(default_factory=list)

    @classmethod
    def from_params(cls, params: QueryParams, today: date) -> PeriodForm:
        raw_from = params.get("from", "")[:20]
        raw_to = params.get("to", "")[:20]
        notes = []
        start = _parse_date(raw_from) if raw_from else None
        end = _parse_date(raw_to) if raw_to else None
        if raw_from and start is None:
            notes.append("开始日期无法识别（应为 YYYY-MM-DD），已按默认区间统计")
        if raw_to and end is None:
            notes.append("结束日期无法识别（应为 YYYY-MM-DD），已按默认区间统计")
        if start is None and end is None:
            period = hs.Period.ending(today, 30)
        elif start is None:
            assert end is not None
            period = hs.Period(end - timedelta(days=29), end)
        elif end is None:
            period = hs.Period(start, today if start <= today else start)
        else:
            if end < start:
                start, end = end, start
                notes.append("结束日期早于开始日期，已对调")
            period = hs.Period(start, end)
        if (period.end - period.start).days > LONGEST_PERIOD_DAYS:
            period = hs.Period(period.end - timedelta(days=LONGEST_PERIOD_DAYS), period.end)
            notes.append("统计区间最长约3年，已从结束日期向前截取")
        return cls(period, raw_from, raw_to, notes)

    @property
    def start(self) -> str:
        return self.period.start.isoformat()

    @property
    def end(self) -> str:
        return self.period.end.isoformat()

    @property
    def label(self) -> str:
        return f"{self.period.start:%Y年%m月%d日} 至 {self.period.end:%Y年%m月%d日}"


@dataclass
class UnitChoice:
    unit: UnitRef | None
    ids: tuple[int, ...] | None
    options: list[tuple[str, list[UnitRef]]]
    locked: bool  # a unit user: only its own subtree


def choose_unit(w: Work, code: str) -> UnitChoice:
    """The lead-unit filter. Unit roles are held to their own subtree (their unit by default,
    and anything outside it falls back to their unit)."""
    directory = w.ctx.directory
    chosen = directory.resolve(code) if code else None
    if w.actor.sight.region_wide:
        within = None
    else:
        within = w.actor.unit
        if chosen is None or not within.contains(chosen):
            chosen = within
    options = []
    for kind, label in UNIT_KINDS:
        members = sorted(
            (
                u
                for u in directory.by_id.values()
                if u.kind == kind and (within is None or within.contains(u))
            ),
            key=lambda u: u.path,
        )
        if members:
            options.append((label, members))
    ids = tuple(directory.subtree_ids(chosen)) if chosen is not None else None
    return UnitChoice(chosen, ids, options, within is not None)


# ---------------------------------------------------------------------------------------------
# Figures


@dataclass
class Figures:
    overview: hs.Overview
    days: list[hs.DayRow]
    categories: list[tuple[str, str, int]]  # (code, name, count)
    streets: list[tuple[str, int]]
    units: list[hs.UnitRow]


def category_rows(counts: dict[str | None, int]) -> list[tuple[str, str, int]]:
    rows = [
        (code or "", CATEGORY_NAMES.get(code or "", code or "未分类"), n)
        for code, n in counts.items()
        if n
    ]
    return sorted(rows, key=lambda r: (-r[2], r[0]))


def street_rows(w: Work, scope: hs.Scope, period: hs.Period) -> list[tuple[str, int]]:
    grids = hs.grid_counts(w.session, scope, period)
    return [
        (street.name if street else "未定位到网格", n)
        for street, n in hs.street_counts(grids, w.ctx.directory)
    ]


def compute(
    w: Work, scope: hs.Scope, period: hs.Period, tables: frozenset[str], sort: str, asc: bool
) -> Figures:
    """The figures the page (or one export) needs; the overview is summed from the unit
    ranking, which runs the same aggregates grouped by unit."""
    session = w.session
    units = (
        hs.unit_ranking(session, scope, period, w.ctx.directory, sort, asc)
        if tables & {"units", "overview"}
        else []
    )
    return Figures(
        overview=hs.summarise(units, hs.reopenings(session, scope, period))
        if "overview" in tables
        else hs.summarise([], 0),
        days=hs.daily_volume(session, scope, period) if "daily" in tables else [],
        categories=category_rows(hs.category_counts(session, scope, period))
        if "categories" in tables
        else [],
        streets=street_rows(w, scope, period) if "streets" in tables else [],
        units=units,
    )


def _cards(o: hs.Overview) -> list[dict[str, str]]:
    return [
        {"key": "received", "label": "受理量", "value": f"{o.received}"},
        {"key": "closed", "label": "办结量", "value": f"{o.closed}"},
        {
            "key": "closure_rate",
            "label": "办结率",
            "value": percent(o.closure_rate),
            "detail": f"{o.received_closed} / {o.received}",
        },
        {
            "key": "on_time_rate",
            "label": "按期办结率",
            "value": percent(o.on_time_rate),
            "detail": f"{o.closed_on_time} / {o.closed}",
        },
        {
            "key": "satisfaction_rate",
            "label": "满意率",
            "value": percent(o.satisfaction_rate),
            "detail": f"（{o.satisfied} + {o.basically_satisfied}）/ {o.rated}",
        },
        {"key": "returns", "label": "退单数", "value": f"{o.returns}"},
        {"key": "reopenings", "label": "重办数", "value": f"{o.reopenings}"},
    ]


def _query(form: PeriodForm, unit: UnitChoice, **extra: str) -> str:
    values = {"from": form.start, "to": form.end}
    if unit.unit is not None:
        values["unit"] = unit.unit.code
    values.update({k: v for k, v in extra.items() if v})
    return urlencode(values)


@router.get("/stats")
def stats_page(request: Request) -> Response:
    params = request.query_params
    with page_work(request) as w:
        if not w.actor.has_role(*STATS_ROLES):
            return forbidden(request, w, "统计")
        form = PeriodForm.from_params(params, local_date(w.ctx.now))
        asked = params.get("unit", "")[:64]
        unit = choose_unit(w, asked)
        resolved = w.ctx.directory.resolve(asked) if asked else None
        if asked and (resolved is None or resolved != unit.unit):
            form.notes.append(
                "只能统计本单位及下属单位，已按本单位统计"
                if unit.locked
                else "找不到所选单位，已按全部单位统计"
            )
        sort = params.get("sort", "received")
        sort = sort if sort in hs.UNIT_SORTS else "received"
        asc = params.get("order") == "asc"
        scope = hs.Scope(w.actor, unit.ids)
        figures = compute(
            w,
            scope,
            form.period,
            frozenset({"overview", "daily", "categories", "streets", "units"}),
            sort,
            asc,
        )
        chart = day_chart([(d.day, d.received, d.closed) for d in figures.days])
        today = local_date(w.ctx.now)
        base_unit = {"unit": unit.unit.code} if unit.unit is not None else {}
        quick = [
            ("近30天", urlencode(base_unit)),
            ("2023年全年", urlencode({"from": "2023-01-01", "to": "2023-12-31", **base_unit})),
            (
                f"{today.year}年以来",
                urlencode({"from": f"{today.year}-01-01", "to": today.isoformat(), **base_unit}),
            ),
        ]
        sort_links = {
            key: _query(
                form,
                unit,
                sort=key,
                order="" if (key != sort or asc) else "asc",
            )
            for key in hs.UNIT_SORTS
        }
        return render(
            request,
            "stats.html",
            {
                "form": form,
                "unit": unit,
                "cards": _cards(figures.overview),
                "formulas": FORMULAS,
                "chart": chart,
                "days": figures.days,
                "categories": figures.categories,
                "category_chart": bar_list(
                    [(name, n) for _, name, n in figures.categories], label_width=116
                ),
                "streets": figures.streets,
                "street_chart": bar_list(figures.streets, label_width=96),
                "units": figures.units,
                "sort": sort,
                "asc": asc,
                "sort_links": sort_links,
                "sort_labels": SORT_LABELS,
                "quick": quick,
                "export_query": _query(form, unit),
                "tables": TABLES,
                "percent": percent,
            },
            w,
        )


# ---------------------------------------------------------------------------------------------
# Excel


def _header(ws: WriteOnlyWorksheet, names: list[str]) -> list[Cell]:
    cells = []
    for name in names:
        cell = WriteOnlyCell(ws, value=name)
        cell.font = Font(bold=True)
        cells.append(cell)
    return cells


def _rate(ws: WriteOnlyWorksheet, value: float | None) -> Cell:
    cell = WriteOnlyCell(ws, value=None if value is None else round(value, 4))
    cell.number_format = "0.0%"
    return cell


def _table_rows(
    ws: WriteOnlyWorksheet, table: str, figures: Figures
) -> tuple[list[str], list[list[Any]]]:
    if table == "units":
        return (
            [
                "主办单位",
                "受理量",
                "办结量",
                "按期办结量",
                "按期办结率",
                "已评价",
                "满意",
                "基本满意",
                "满意率",
                "派单量",
                "退单数",
            ],
            [
                [
                    r.name,
                    r.received,
                    r.closed,
                    r.closed_on_time,
                    _rate(ws, r.on_time_rate),
                    r.rated,
                    r.satisfied,
                    r.basically_satisfied,
                    _rate(ws, r.satisfaction_rate),
                    r.dispatched,
                    r.returns,
                ]
                for r in figures.units
            ],
        )
    if table == "categories":
        total = sum(n for _, _, n in figures.categories)
        return (
            ["诉求分类", "分类代码", "受理量", "占比"],
            [
                [name, code, n, _rate(ws, hs.ratio(n, total))]
                for code, name, n in figures.categories
            ],
        )
    if table == "streets":
        total = sum(n for _, n in figures.streets)
        return (
            ["街道（镇）", "受理量", "占比"],
            [[name, n, _rate(ws, hs.ratio(n, total))] for name, n in figures.streets],
        )
    return (
        ["日期", "受理量", "办结量"],
        [[d.day.isoformat(), d.received, d.closed] for d in figures.days],
    )


@router.get("/stats/export.xlsx")
def stats_export(request: Request) -> Response:
    params = request.query_params
    table = params.get("table", "units")
    with page_work(request) as w:
        if not w.actor.has_role(*STATS_ROLES):
            return forbidden(request, w, "统计")
        if table not in TABLES:
            return render(
                request,
                "stats_denied.html",
                {"what": "导出", "message": "没有这张统计表：可导出 " + "、".join(TABLES.values())},
                w,
                status_code=404,
            )
        form = PeriodForm.from_params(params, local_date(w.ctx.now))
        unit = choose_unit(w, params.get("unit", "")[:64])
        sort = params.get("sort", "received")
        figures = compute(
            w,
            hs.Scope(w.actor, unit.ids),
            form.period,
            frozenset({table}),
            sort,
            params.get("order") == "asc",
        )
        workbook = Workbook(write_only=True)
        ws = workbook.create_sheet(TABLES[table])
        names, rows = _table_rows(ws, table, figures)
        ws.append(_header(ws, names))
        for row in rows:
            ws.append(xlsx_row(ws, row))
        about = workbook.create_sheet("说明")
        about.append(xlsx_row(about, ["统计区间", form.label]))
        about.append(xlsx_row(about, ["主办单位", unit.unit.name if unit.unit else "全部"]))
        about.append(xlsx_row(about, ["导出时间", local_time(w.ctx.now)]))
        about.append(xlsx_row(about, ["导出人", f"{w.actor.name}（{w.actor.unit.name}）"]))
        for key, label in (
            ("received", "受理量"),
            ("closed", "办结量"),
            ("on_time_rate", "按期办结率"),
            ("satisfaction_rate", "满意率"),
            ("returns", "退单数"),
        ):
            about.append(xlsx_row(about, [label, FORMULAS[key]]))
        about.append(["说明", "演示数据均为合成数据"])
    buffer = BytesIO()
    workbook.save(buffer)
    stem = f"{form.start}_{form.end}"
    ascii_name = f"hotline-{table}-{stem}.xlsx"
    chinese_name = f"12345统计_{TABLES[table]}_{stem}.xlsx"
    return Response(
        buffer.getvalue(),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={
            "Content-Disposition": (
                f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(chinese_name)}"
            ),
            "Cache-Control": "no-store",
        },
    )
