"""The case files reviewed (组织评查的行政执法案卷) as a record source of the indicators
(`records:enforcement.case_files_reviewed`, fazhi.analytics.record_sources): the review tasks
on which a case-file reviewer (评查员) recorded a verdict in the period — a platform case or a
file imported from another unit's system. The machine's review at closing alone is the
platform's own check, not the organised review the report counts, so a task without a
reviewer's verdict is not listed.

A task counts for the unit that kept the file: a platform case's lead unit, an imported
file's agency found by its name in the organisation (an agency the organisation does not
hold counts for the district only)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from fazhi.analytics.period import Period
from fazhi.analytics.record_sources import Record, register_record_source
from fazhi.domain.durations import LOCAL_TZ
from fazhi.enforcement.store import CaseFileReview
from fazhi.org.directory import UnitDirectory
from fazhi.store.models import Case, User

SOURCE_LABELS = {"platform": "平台案件", "import": "外部系统导入"}
COLUMNS = (
    "案卷编号",
    "执法单位",
    "来源",
    "机器评分",
    "评查员评分",
    "一票否决",
    "评查员",
    "评查时间",
)


def _score(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


@register_record_source("enforcement.case_files_reviewed", "案卷评查·评查案卷", COLUMNS)
def reviewed_files(
    session: Session, directory: UnitDirectory, region_code: str, period: Period
) -> list[Record]:
    """Every task of the region whose reviewer's verdict falls in the period, oldest first."""
    T = CaseFileReview
    rows = session.execute(
        select(T, Case.lead_unit_id, User.display_name)
        .outerjoin(Case, (Case.region_code == T.region_code) & (Case.id == T.case_id))
        .outerjoin(User, (User.region_code == T.region_code) & (User.id == T.reviewer_id))
        .where(
            T.region_code == region_code,
            T.status == "done",
            period.contains(T.reviewed_at),
        )
        .order_by(T.reviewed_at, T.id)
    ).all()
    by_name = {u.name: u.id for u in directory.by_id.values()}
    out = []
    for task, lead, reviewer in rows:
        unit = lead if task.case_id is not None else by_name.get(task.agency)
        assert task.reviewed_at is not None  # status done
        out.append(
            Record(
                unit,
                (
                    task.case_number,
                    task.agency,
                    SOURCE_LABELS.get(task.source, task.source),
                    _score(task.machine_score),
                    _score(task.reviewer_score),
                    "是" if task.reviewer_vetoed else "否",
                    reviewer or "",
                    task.reviewed_at.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M"),
                ),
            )
        )
    return out
