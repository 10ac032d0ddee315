"""The dispatch catalogue (派单目录): the published list of request items, each with the
level that leads it (a department by its 三定 duties, or the street where the request arises
by the street duty list), the lead unit for department items, and the legal basis or 三定
source. Items are edited in place by the hotline centre; each change is in the admin log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from fazhi.store.models import Base, UTCDateTime

DEPARTMENT = "department"
STREET = "street"
LEVELS = {DEPARTMENT: "部门职责", STREET: "属地街道职责"}


class CatalogueItem(Base):
    __tablename__ = "dispatch_catalogue_items"
    __table_args__ = (
        UniqueConstraint("region_code", "code", name="uq_dispatch_catalogue_items_code"),
        Index("ix_dispatch_catalogue_items_category", "region_code", "category", "active"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region_code: Mapped[str] = mapped_column(String(12))
    code: Mapped[str] = mapped_column(String(20))  # the item's published number, e.g. CA01
    name: Mapped[str] = mapped_column(String(100))  # 事项名称
    category: Mapped[str] = mapped_column(String(40))
    level: Mapped[str] = mapped_column(String(12))  # department | street
    # The lead unit of a department item; a street item is led by the street of the place.
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    basis: Mapped[str] = mapped_column(Text)  # 法律依据或“三定”来源
    covers: Mapped[str] = mapped_column(Text, default="")  # typical requests, for search
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
