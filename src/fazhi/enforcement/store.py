"""The enforcement certificate register (执法证件): every officer's certificate with its
validity, kept by the judicial bureau (司法局) for the district."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from fazhi.store.models import Base, UTCDateTime


class Certificate(Base):
    __tablename__ = "enforcement_certificates"
    __table_args__ = (
        UniqueConstraint("region_code", "number", name="uq_enforcement_certificates_number"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region_code: Mapped[str] = mapped_column(String(12))
    number: Mapped[str] = mapped_column(String(40))
    holder_name: Mapped[str] = mapped_column(String(50))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date] = mapped_column(Date)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
