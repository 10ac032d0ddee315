"""The demo's inspections (SYNTHETIC targets, codes and officers): shared targets in 田心街道
on which 区市场监管局、区应急管理局、区消防救援大队、区城管局 and 生态环境分局 plan checks in
overlapping windows, so the plan merges them into joint visits led by 田心街道综合行政执法大队
(1+N 综合查一次); and one 双随机 draw of 区市场监管局 with a fixed seed, one visit's results
recorded. Loaded once, by the first administrator, through the registers' check/do pairs."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from fazhi.actions.admin.common import first_admin_context
from fazhi.actions.platform import Platform
from fazhi.domain.durations import local_date
from fazhi.enforcement import certificates
from fazhi.enforcement.inspections import draws, registers, visits
from fazhi.enforcement.inspections.codes import with_check_character
from fazhi.enforcement.inspections.store import InspectionTarget, SupervisionItem
from fazhi.store.db import transaction

DRAW_SEED = 20230601
TARGETS = [
    # name, first 17 of the (synthetic) credit code, kind, address, industry
    ("田心示例餐饮店（合成）", "92430204MA4L00001", "company", "田心街道铁道街316号", "餐饮"),
    ("田心示例机械厂（合成）", "91430204MA4L00002", "company", "田心街道枫林巷178号", "制造业"),
    ("田心示例超市（合成）", "91430204MA4L00003", "company", "田心街道人民巷259号", "零售"),
    ("田心示例汽修店（合成）", "92430204MA4L00004", "company", "田心街道新华路12号", "机动车维修"),
    ("田心示例宾馆（合成）", "91430204MA4L00005", "company", "田心街道田心东路8号", "住宿"),
    ("田心示例农贸市场（合成）", "12430204MB0000006", "place", "田心街道华府路3号", "零售"),
]
ITEMS = [
    # code, name, department, legal basis, way of checking, industry
    (
        "SCJG-001",
        "食品经营许可及食品安全检查",
        "SF-SCJG",
        "《中华人民共和国食品安全法》第八十七条",
        "现场检查",
        "餐饮",
    ),
    (
        "SCJG-002",
        "产品质量监督检查",
        "SF-SCJG",
        "《中华人民共和国产品质量法》第十五条",
        "现场检查、抽样检验",
        "",
    ),
    ("YJJ-001", "安全生产检查", "SF-YJJ", "《中华人民共和国安全生产法》第六十五条", "现场检查", ""),
    ("XFJY-001", "消防安全检查", "SF-XFJY", "《中华人民共和国消防法》第五十三条", "现场检查", ""),
    (
        "CGJ-001",
        "门前三包及户外广告检查",
        "SF-CGJ",
        "《城市市容和环境卫生管理条例》",
        "现场检查",
        "",
    ),
    (
        "STHJ-001",
        "排污许可及污染防治检查",
        "SF-STHJ",
        "《排污许可管理条例》第二十八条",
        "现场检查、查阅资料",
        "",
    ),
]
# (target index, item code, window start and end in days from today): five departments on
# the same targets, windows overlapping, one window apart (it stays a visit of its own).
PLAN = [
    (0, "SCJG-001", 3, 24),
    (0, "XFJY-001", 7, 28),
    (0, "CGJ-001", 3, 21),
    (0, "YJJ-001", 10, 28),
    (1, "YJJ-001", 3, 28),
    (1, "XFJY-001", 3, 17),
    (1, "STHJ-001", 7, 24),
    (1, "SCJG-002", 10, 28),
    (2, "SCJG-002", 3, 17),
    (2, "XFJY-001", 7, 21),
    (2, "CGJ-001", 3, 10),
    (3, "STHJ-001", 3, 21),
    (3, "YJJ-001", 7, 24),
    (3, "XFJY-001", 24, 28),
    (4, "XFJY-001", 3, 21),
    (4, "SCJG-001", 3, 24),
    (4, "CGJ-001", 10, 28),
]
CERTIFICATES = [
    ("43020400301", "市场监管甲（合成）", "SF-SCJG"),
    ("43020400302", "市场监管乙（合成）", "SF-SCJG"),
    ("43020400303", "市场监管丙（合成）", "SF-SCJG"),
    ("43020400304", "市场监管丁（合成）", "SF-SCJG"),
]


def seed_inspections(platform: Platform) -> int:
    """The demo inspections unless the target register holds some (0 then); the number
    of planned items made."""
    with transaction(platform.sessions) as session:
        if session.scalar(
            select(InspectionTarget.id).where(InspectionTarget.region_code == platform.region_code)
        ):
            return 0
        ctx = first_admin_context(session, platform)
        if ctx is None:
            return 0
        today = local_date(ctx.now)
        # The demo's windows stay inside the year: the next year's holidays may be unknown.
        last = today.replace(month=12, day=31)
        rows = [
            dict(
                zip(
                    ("name", "credit_code", "kind", "address", "industry"),
                    (n, with_check_character(c), k, a, i),
                    strict=True,
                )
            )
            | {"street": "SF-TX"}
            for n, c, k, a, i in TARGETS
        ]
        registers.do_import_targets(session, ctx, registers.check_targets(session, ctx, rows))
        keys = ("code", "name", "department", "legal_basis", "method", "industry")
        registers.do_import_items(
            session,
            ctx,
            registers.check_items(session, ctx, [dict(zip(keys, r, strict=True)) for r in ITEMS]),
        )
        certs = [
            {
                "number": n,
                "holder_name": h,
                "unit": u,
                "valid_from": "2022-01-01",
                "valid_to": "2028-12-31",
            }
            for n, h, u in CERTIFICATES
        ]
        certificates.do_import(session, ctx, certificates.check_rows(session, ctx, certs))
        target_ids = [
            session.scalar(
                select(InspectionTarget.id).where(
                    InspectionTarget.credit_code == with_check_character(c)
                )
            )
            for _, c, *_ in TARGETS
        ]
        item_ids = {i.code: i.id for i in session.scalars(select(SupervisionItem))}
        for index, code, start, end in PLAN:
            window_from = min(today + timedelta(days=start), last)
            data = {
                "target_id": target_ids[index],
                "supervision_item_id": item_ids[code],
                "window_from": window_from.isoformat(),
                "window_to": max(min(today + timedelta(days=end), last), window_from).isoformat(),
                "note": "演示数据（合成）",
            }
            visits.do_add_plan_item(session, ctx, visits.check_plan_item(session, ctx, data))
        scjg = next(
            i.department_id
            for i in session.scalars(
                select(SupervisionItem).where(SupervisionItem.code == "SCJG-002")
            )
        )
        draw = draws.do_draw(
            session,
            ctx,
            draws.check_draw(
                session,
                ctx,
                {
                    "title": "区市场监管局产品质量双随机抽查（演示）",
                    "department_id": scjg,
                    "item_ids": [item_ids["SCJG-002"]],
                    "count": 3,
                    "seed": DRAW_SEED,
                    "window_from": today.isoformat(),
                    "window_to": last.isoformat(),
                },
            ),
        )
        first = draws.present_draw(session, draw, False)["targets"][0]
        visit = visits.load_visit(session, ctx, first["visit_id"])
        result_id = visits.results_of(session, visit)[0].id
        visits.do_record_results(session, ctx, visit, {result_id: ("passed", "")})
        return len(PLAN)
