"""A user's saved filters of the console's lists (工作台, 案件查询): a name and the query
string of the filter bar, kept per user and list. Preferences, not records: changed and
removed freely by their owner (actions/saved_filters.py), no history kept."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from fazhi.store.models import Base, UTCDateTime


class SavedFilter(Base):
    __tablename__ = "saved_filters"
    __table_args__ = (
        UniqueConstraint("user_id", "list", "name"),
        Index("ix_saved_filters_owner", "user_id", "list", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    region_code: Mapped[str] = mapped_column(String(6))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # Which list: "work" (工作台) or "cases" (案件查询).
    list: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(40))
    # The filter bar's query string as the list reads it (`type=hotline&state=dispatched`).
    query: Mapped[str] = mapped_column(String(1000))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
