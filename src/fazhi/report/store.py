"""The narrative blocks of the annual report (报告撰写内容): what staff write around the
figures, one block per section and year. Edited in place; each change, with the text before
and after, is in the admin log (`report/narratives.py`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from fazhi.store.models import Base, UTCDateTime


class ReportNarrative(Base):
    __tablename__ = "report_narratives"
    __table_args__ = (
        UniqueConstraint("region_code", "year", "key", name="uq_report_narratives_key"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region_code: Mapped[str] = mapped_column(String(12))
    year: Mapped[int] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(200))  # the section's path in the template
    text: Mapped[str] = mapped_column(Text)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
