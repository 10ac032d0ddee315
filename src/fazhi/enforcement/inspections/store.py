"""What inspections store: the registers of targets (企业/场所) and supervision items
(监管事项清单), the departments' planned items, the visits with their results per item, and
the random draws with their seed and pools (so a draw can be redone)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from fazhi.store.models import Base, UTCDateTime


class InspectionTarget(Base):
    __tablename__ = "inspection_targets"
    __table_args__ = (
        UniqueConstraint("region_code", "credit_code", name="uq_inspection_targets_credit_code"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region_code: Mapped[str] = mapped_column(String(12))
    kind: Mapped[str] = mapped_column(String(12))  # company | place
    name: Mapped[str] = mapped_column(String(200))
    credit_code: Mapped[str] = mapped_column(String(18))
    address: Mapped[str] = mapped_column(String(300))
    street_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    industry: Mapped[str] = mapped_column(String(50))
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SupervisionItem(Base):
    """One line of the supervision items register (监管事项清单)."""

    __tablename__ = "supervision_items"
    __table_args__ = (UniqueConstraint("region_code", "code", name="uq_supervision_items_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region_code: Mapped[str] = mapped_column(String(12))
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    department_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    legal_basis: Mapped[str] = mapped_column(Text)
    method: Mapped[str] = mapped_column(String(200))  # the way of checking (检查方式)
    industry: Mapped[str] = mapped_column(String(50))  # "" = every industry
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class InspectionPlanItem(Base):
    """A department's planned check of one supervision item of one target in a window;
    `visit_id` once an accepted plan put it on a visit."""

    __tablename__ = "inspection_plan_items"
    __table_args__ = (Index("ix_inspection_plan_items_open", "region_code", "visit_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region_code: Mapped[str] = mapped_column(String(12))
    target_id: Mapped[int] = mapped_column(ForeignKey("inspection_targets.id"))
    supervision_item_id: Mapped[int] = mapped_column(ForeignKey("supervision_items.id"))
    department_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    window_from: Mapped[date] = mapped_column(Date)
    window_to: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text)
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("inspection_visits.id"))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class InspectionVisit(Base):
    """One visit to a target by its lead unit: from an accepted plan (a joint visit when
    several departments' items are on it) or from a random draw."""

    __tablename__ = "inspection_visits"
    __table_args__ = (Index("ix_inspection_visits_lead", "region_code", "lead_unit_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region_code: Mapped[str] = mapped_column(String(12))
    source: Mapped[str] = mapped_column(String(8))  # plan | draw
    draw_id: Mapped[int | None] = mapped_column(ForeignKey("inspection_draws.id"))
    target_id: Mapped[int] = mapped_column(ForeignKey("inspection_targets.id"))
    lead_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    day: Mapped[date | None] = mapped_column(Date)
    window_from: Mapped[date] = mapped_column(Date)
    window_to: Mapped[date] = mapped_column(Date)
    inspectors: Mapped[list[Any]] = mapped_column(JSON)  # certificate ids (draws)
    status: Mapped[str] = mapped_column(String(8))  # open | done
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class InspectionResult(Base):
    """One item checked on a visit and its result (合格 / 责令整改 / 移送立案)."""

    __tablename__ = "inspection_results"
    __table_args__ = (Index("ix_inspection_results_visit", "visit_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("inspection_visits.id"))
    supervision_item_id: Mapped[int] = mapped_column(ForeignKey("supervision_items.id"))
    department_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    plan_item_id: Mapped[int | None] = mapped_column(ForeignKey("inspection_plan_items.id"))
    result: Mapped[str | None] = mapped_column(String(12))  # passed | rectify | refer
    note: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class InspectionDraw(Base):
    """A random draw (双随机): its seed, filters and the two pools as drawn from, so that
    `draw.draw(seed, pool_targets, target_count, pool_inspectors)` redoes it."""

    __tablename__ = "inspection_draws"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region_code: Mapped[str] = mapped_column(String(12))
    title: Mapped[str] = mapped_column(String(200))
    department_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    seed: Mapped[int] = mapped_column(Integer)
    target_count: Mapped[int] = mapped_column(Integer)
    filters: Mapped[dict[str, Any]] = mapped_column(JSON)
    item_ids: Mapped[list[Any]] = mapped_column(JSON)  # the supervision items checked
    pool_targets: Mapped[list[Any]] = mapped_column(JSON)
    pool_inspectors: Mapped[list[Any]] = mapped_column(JSON)  # certificate ids
    picks: Mapped[list[Any]] = mapped_column(JSON)  # [{target_id, inspector_ids}]
    window_from: Mapped[date] = mapped_column(Date)
    window_to: Mapped[date] = mapped_column(Date)
    drawn_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    drawn_at: Mapped[datetime] = mapped_column(UTCDateTime)
