"""What legal aid stores besides its cases: the register of lawyers (律师名册) it assigns
from, the case numbers it has given ((2023)湘援0204刑136号, one row per number, so two
acceptances at once can never take the same one), and the yearly target (年度任务数)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from fazhi.store.models import Base, UTCDateTime


class Lawyer(Base):
    """A practising lawyer (or legal-aid worker) the centre may assign, under a licence number."""

    __tablename__ = "legal_aid_lawyers"
    __table_args__ = (
        UniqueConstraint("region_code", "licence_number", name="uq_legal_aid_lawyers_licence"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region_code: Mapped[str] = mapped_column(String(12))
    licence_number: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(50))
    law_firm: Mapped[str] = mapped_column(String(100))
    practice_areas: Mapped[str] = mapped_column(String(200))  # 刑事、民事 … as written
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class AidNumber(Base):
    """A case number given at acceptance: the sequence counts per region, year and kind."""

    __tablename__ = "legal_aid_numbers"
    __table_args__ = (
        UniqueConstraint(
            "region_code", "year", "kind", "sequence", name="uq_legal_aid_numbers_sequence"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region_code: Mapped[str] = mapped_column(String(12))
    year: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))  # the matter_kind code (criminal …)
    sequence: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(40))
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
