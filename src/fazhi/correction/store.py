"""What community correction stores besides its cases: the check-in terminals (打卡终端), each
bound to one subject's case with the digest of its secret, so a check-in is accepted only from
the device that was handed over (the secret itself is shown once and never stored)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from fazhi.store.models import Base, UTCDateTime


class CorrectionDevice(Base):
    """A mobile terminal bound to a subject's case; `revoked_at` set when replaced."""

    __tablename__ = "correction_devices"
    __table_args__ = (
        UniqueConstraint("region_code", "device_id", name="uq_correction_devices_device"),
        Index("ix_correction_devices_case", "case_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region_code: Mapped[str] = mapped_column(String(12))
    device_id: Mapped[str] = mapped_column(String(40))
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    token_digest: Mapped[str] = mapped_column(String(64))  # sha256 of the secret
    bound_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    bound_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
