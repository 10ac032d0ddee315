"""Missed calls (未接来电) from the telephony system and the operators' call-back attempts.

A missed call is a task: open until an operator reaches the caller (an order registered, or
none needed), finds the number wrong, or has tried `max attempts` times without an answer.
Attempts are append-only; the call row keeps the current state for the list's index."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from fazhi.store.models import Base, UTCDateTime


class MissedCall(Base):
    __tablename__ = "missed_calls"
    __table_args__ = (
        UniqueConstraint("region_code", "call_id"),
        # The operators' list: open tasks, oldest first.
        Index("ix_missed_calls_open", "region_code", "status", "called_at"),
        Index("ix_missed_calls_contact", "region_code", "contact_key"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region_code: Mapped[str] = mapped_column(String(12))
    # The telephony system's id of the call: a repeated import or post changes nothing.
    call_id: Mapped[str] = mapped_column(String(64))
    caller_phone: Mapped[str] = mapped_column(String(32))
    contact_key: Mapped[str | None] = mapped_column(String(32))
    called_at: Mapped[datetime] = mapped_column(UTCDateTime)
    line: Mapped[str] = mapped_column(String(40), default="")
    wait_seconds: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(16))  # csv | api
    # open | done | abandoned
    status: Mapped[str] = mapped_column(String(16), default="open")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    outcome: Mapped[str | None] = mapped_column(String(24))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    imported_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class CallBackAttempt(Base):
    __tablename__ = "call_back_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    missed_call_id: Mapped[int] = mapped_column(ForeignKey("missed_calls.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    outcome: Mapped[str] = mapped_column(String(24))
    note: Mapped[str] = mapped_column(Text, default="")
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
