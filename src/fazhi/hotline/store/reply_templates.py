"""Reply templates and 常用语 (stock phrases): per unit (the unit's own) or shared by the
hotline centre (no unit), for one category or any, with placeholders filled from the order."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from fazhi.store.models import Base, UTCDateTime


class ReplyTemplate(Base):
    __tablename__ = "reply_templates"
    __table_args__ = (Index("ix_reply_templates_lookup", "region_code", "active", "owner_unit_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region_code: Mapped[str] = mapped_column(String(12))
    owner_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    kind: Mapped[str] = mapped_column(String(12))  # reply | phrase
    category: Mapped[str] = mapped_column(String(40), default="")  # '' = every category
    title: Mapped[str] = mapped_column(String(60))
    body: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    uses: Mapped[int] = mapped_column(Integer, default=0)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
