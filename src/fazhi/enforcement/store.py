"""What enforcement stores besides its cases: the certificate register (执法证件), every
officer's certificate with its validity; and the case-file reviews (评查任务)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
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


class CaseFileReview(Base):
    """One case file under review (评查任务): a platform penalty case, reviewed by the machine
    when it closes, or a file imported from another system; then the reviewer's verdict."""

    __tablename__ = "case_file_reviews"
    __table_args__ = (Index("ix_case_file_reviews_status", "region_code", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region_code: Mapped[str] = mapped_column(String(12))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), unique=True)
    source: Mapped[str] = mapped_column(String(12))  # platform | import
    case_number: Mapped[str] = mapped_column(String(100))
    agency: Mapped[str] = mapped_column(String(200))  # the unit that kept the file
    manifest: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # imports only
    machine: Mapped[dict[str, Any]] = mapped_column(JSON)  # the review output
    machine_score: Mapped[float] = mapped_column(Float)
    machine_vetoed: Mapped[bool] = mapped_column(Boolean)
    status: Mapped[str] = mapped_column(String(12))  # pending | done
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewer_score: Mapped[float | None] = mapped_column(Float)
    reviewer_vetoed: Mapped[bool | None] = mapped_column(Boolean)
    reviewer_note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PenaltyItem(Base):
    """One penalty item of the register (行政处罚事项清单) with its discretion benchmark
    (裁量基准): for each circumstance the range of the fine, in yuan."""

    __tablename__ = "penalty_items"
    __table_args__ = (UniqueConstraint("region_code", "code", name="uq_penalty_items_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region_code: Mapped[str] = mapped_column(String(12))
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))  # the enforcing unit
    basis: Mapped[str] = mapped_column(Text)  # the legal basis of the penalty
    # [{"circumstance": "初次违法且及时改正", "min": 0, "max": 500}, …] in the register's order.
    benchmarks: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
