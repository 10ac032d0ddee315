"""The demo's enforcement certificate register (SYNTHETIC names and numbers): the officers of
区城管执法大队, the street's 综合行政执法队 and 区交警大队 that the demo and tests use, one of
them expired (to show the refusal), loaded into an empty register by the admin."""

from __future__ import annotations

from sqlalchemy import select

from fazhi.actions.admin.common import first_admin_context
from fazhi.actions.platform import Platform
from fazhi.enforcement.certificates import check_rows, do_import
from fazhi.enforcement.store import Certificate
from fazhi.store.db import transaction

ROWS = [
    # number, holder, unit, valid from, valid to
    ("43020400101", "刘建军", "SF-CGJ-ZFDD", "2021-01-01", "2026-12-31"),
    ("43020400102", "陈晓东", "SF-CGJ-ZFDD", "2021-01-01", "2026-12-31"),
    ("43020400103", "杨帆", "SF-CGJ-ZFDD", "2019-01-01", "2022-12-31"),  # expired
    ("43020400201", "钟志刚", "SF-TX-ZFDD", "2022-03-01", "2027-02-28"),
    ("43020400202", "黎明辉", "SF-TX-ZFDD", "2022-03-01", "2027-02-28"),
    ("430204101", "周某（合成）", "SF-JJDD", "2020-01-01", "2025-12-31"),
    ("430204102", "吴某（合成）", "SF-JJDD", "2020-01-01", "2025-12-31"),
    ("430204103", "郑某（合成）", "SF-JJDD", "2020-01-01", "2025-12-31"),
]


def seed_certificates(platform: Platform) -> int:
    """The demo certificates, unless the register holds some already (0 then)."""
    with transaction(platform.sessions) as session:
        if session.scalar(
            select(Certificate.id).where(Certificate.region_code == platform.region_code)
        ):
            return 0
        ctx = first_admin_context(session, platform)
        if ctx is None:
            return 0
        rows = [
            dict(zip(("number", "holder_name", "unit", "valid_from", "valid_to"), r, strict=True))
            for r in ROWS
        ]
        added, _ = do_import(session, ctx, check_rows(session, ctx, rows))
        return added
