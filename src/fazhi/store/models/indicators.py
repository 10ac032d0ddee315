"""What the indicators keep besides the rollups: the figures imported from other systems
(one batch per accepted file, with its source, file hash and importer; its rows hold the
values), and the evidence uploaded for scheme items the platform cannot evidence (the bytes
in `document_blobs`, like a case document's). Written only by fazhi.actions.figure_imports
and fazhi.actions.indicator_evidence; rows are never updated except to withdraw evidence."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from fazhi.store.models.base import Base, UTCDateTime


class FigureImport(Base):
    """One accepted import of a source's template: every row valid, or nothing written."""

    __tablename__ = "figure_imports"
    __table_args__ = (Index("ix_figure_imports_source", "region_code", "source", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region_code: Mapped[str] = mapped_column(String(12))
    source: Mapped[str] = mapped_column(String(40))
    filename: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    rows: Mapped[int] = mapped_column(Integer)
    imported_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime)
    note: Mapped[str] = mapped_column(String(200), default="")


class ImportedFigure(Base):
    """One figure of a period and unit as the source stated it. A later import of the same
    (code, period, unit) supersedes it; both stay (the newest batch wins)."""

    __tablename__ = "imported_figures"
    __table_args__ = (
        Index("ix_imported_figures_code", "region_code", "code", "period_start", "period_end"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region_code: Mapped[str] = mapped_column(String(12))
    batch_id: Mapped[int] = mapped_column(ForeignKey("figure_imports.id"), index=True)
    row_number: Mapped[int] = mapped_column(Integer)  # the template's row
    code: Mapped[str] = mapped_column(String(120))  # SOURCE.CODE
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    # The exact decimal as text (a percentage as a fraction): Numeric is a float on SQLite.
    value: Mapped[str] = mapped_column(String(40))
    note: Mapped[str] = mapped_column(String(200), default="")


class IndicatorEvidence(Base):
    """A file uploaded as evidence (佐证材料) for one item of an evaluation scheme."""

    __tablename__ = "indicator_evidence"
    __table_args__ = (Index("ix_indicator_evidence_item", "region_code", "scheme", "item"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region_code: Mapped[str] = mapped_column(String(12))
    scheme: Mapped[str] = mapped_column(String(40))
    item: Mapped[str] = mapped_column(String(20))
    year: Mapped[int] = mapped_column(Integer)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))  # the bytes: document_blobs
    note: Mapped[str] = mapped_column(String(200), default="")
    uploaded_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    withdrawn_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdraw_reason: Mapped[str | None] = mapped_column(String(200))
