"""The demo's penalty-item register with discretion benchmarks (SYNTHETIC: the items cite real
provisions, but the circumstances and ranges are made up for the demo, not any authority's
published benchmark), loaded into an empty register by the admin."""

from __future__ import annotations

from sqlalchemy import select

from fazhi.actions.admin.common import first_admin_context
from fazhi.actions.platform import Platform
from fazhi.enforcement.penalty_items import check_rows, do_import
from fazhi.enforcement.store import PenaltyItem
from fazhi.store.db import transaction

_ROAD = "《城市道路管理条例》第二十七条、第四十二条"
_LITTER = "《城市市容和环境卫生管理条例》第三十四条"
_PARKING = "《中华人民共和国道路交通安全法》第五十六条、第九十三条"
_PHONE = "《中华人民共和国道路交通安全法实施条例》第六十二条，《道路交通安全法》第九十条"
_SIGNS = "《城市市容和环境卫生管理条例》第十一条、第三十六条"
ROWS = [
    # code, name, unit, basis, circumstance, min, max (yuan)
    ("CG-0101", "擅自占用城市道路经营", "SF-CGJ-ZFDD", _ROAD, "初次违法且经责令立即改正", 0, 500),
    ("CG-0101", "擅自占用城市道路经营", "SF-CGJ-ZFDD", _ROAD, "一般情节", 500, 5000),
    ("CG-0101", "擅自占用城市道路经营", "SF-CGJ-ZFDD", _ROAD, "严重情节", 5000, 20000),
    ("CG-0102", "随意倾倒、抛撒垃圾", "SF-CGJ-ZFDD", _LITTER, "情节轻微", 0, 50),
    ("CG-0102", "随意倾倒、抛撒垃圾", "SF-CGJ-ZFDD", _LITTER, "一般情节", 50, 200),
    ("CG-0103", "擅自设置大型户外广告", "SF-CGJ-ZFDD", _SIGNS, "面积10平方米以下", 500, 2000),
    ("CG-0103", "擅自设置大型户外广告", "SF-CGJ-ZFDD", _SIGNS, "面积10平方米以上", 2000, 10000),
    ("JJ-0201", "机动车违反规定停放", "SF-JJDD", _PARKING, "驾驶人不在现场且妨碍通行", 20, 200),
    ("JJ-0202", "驾驶时拨打接听手持电话", "SF-JJDD", _PHONE, "一般情节", 20, 200),
    (
        "TX-0301",
        "占道经营（街道综合执法）",
        "SF-TX-ZFDD",
        _ROAD,
        "初次违法且经责令立即改正",
        0,
        200,
    ),
    ("TX-0301", "占道经营（街道综合执法）", "SF-TX-ZFDD", _ROAD, "一般情节", 200, 3000),
]
KEYS = ("code", "name", "unit", "basis", "circumstance", "min", "max")


def seed_penalty_items(platform: Platform) -> int:
    """The demo items, unless the register holds some already (0 then)."""
    with transaction(platform.sessions) as session:
        if session.scalar(
            select(PenaltyItem.id).where(PenaltyItem.region_code == platform.region_code)
        ):
            return 0
        ctx = first_admin_context(session, platform)
        if ctx is None:
            return 0
        rows = [dict(zip(KEYS, map(str, r), strict=True)) for r in ROWS]
        added, _ = do_import(session, ctx, check_rows(session, ctx, rows))
        return added
