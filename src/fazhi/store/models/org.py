"""Units, users and their roles, sign-in (tokens, failures, locks), API keys, duty rules
and the gazetteer."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql import false

from fazhi.store.models.base import Base, UTCDateTime


class Unit(Base):
    __tablename__ = "units"
    __table_args__ = (UniqueConstraint("region_code", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    region_code: Mapped[str] = mapped_column(String(6), index=True)
    code: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    short_name: Mapped[str | None] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    path: Mapped[str] = mapped_column(String(400), index=True)
    depth: Mapped[int] = mapped_column(Integer)
    categories: Mapped[list[Any]] = mapped_column(JSON, default=list)
    polygon: Mapped[list[Any] | None] = mapped_column(JSON)
    address_hints: Mapped[list[Any]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    region_code: Mapped[str] = mapped_column(String(6))
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    # The primary role: listed first and choosing the landing page. Every role the user
    # holds, the primary included, has a row in user_roles.
    role: Mapped[str] = mapped_column(String(32))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # TOTP second factor (actions.totp): the secret sealed with the server secret; active
    # once confirmed with a code; the last time step used, so a code is not accepted twice.
    totp_secret: Mapped[str | None] = mapped_column(String(200), nullable=True)
    totp_active: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    totp_last_step: Mapped[int | None] = mapped_column(Integer, nullable=True)


class UserRole(Base):
    """The roles a user holds (the primary one, users.role, among them)."""

    __tablename__ = "user_roles"
    __table_args__ = (Index("ix_user_roles_role", "role", "user_id"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(32), primary_key=True)


class ApiToken(Base):
    __tablename__ = "api_tokens"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class LoginFailure(Base):
    """One failed sign-in, counted by the throttle per account and per address (kept in
    the database so every server process sees the same counts)."""

    __tablename__ = "login_failures"
    __table_args__ = (
        Index("ix_login_failures_username_at", "username", "at"),
        Index("ix_login_failures_address_at", "address", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    username: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(String(64))


class LoginLock(Base):
    """An account name's sign-in lock: refused until `locked_until`; failures before
    `counted_from` (the last lock, unlock or success) no longer count towards the next."""

    __tablename__ = "login_locks"

    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    counted_from: Mapped[datetime] = mapped_column(UTCDateTime())


class ApiKey(Base):
    """A key issued to an outside system (an Open311 client, another platform); only its
    SHA-256 is stored. Requests made with it act as `acting_user_id`."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    region_code: Mapped[str] = mapped_column(String(6))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    purpose: Mapped[str] = mapped_column(String(40))  # open311 | transfer
    acting_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class DutyRule(Base):
    """One line of the duty list (职责清单): requests of `category` arising in `area_unit_id`
    (a street or community; NULL = the whole district) are led by `unit_id`.

    Never edited in place: a change retires the row (`retired_at`, `retired_by`, `active`
    false) and inserts a new one, so the rows of a category are its history. Without an
    active rule the category's district default (`Unit.categories`) applies.
    """

    __tablename__ = "duty_rules"
    __table_args__ = (Index("ix_duty_rules_region_category", "region_code", "category"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    region_code: Mapped[str] = mapped_column(String(6))
    category: Mapped[str] = mapped_column(String(40))
    area_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    retired_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class GazetteerEntry(Base):
    """A place name an admin added to the gazetteer (an estate, road, building, landmark):
    an address naming it is placed in `community_id`, and on `grid_id` when given."""

    __tablename__ = "gazetteer_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    region_code: Mapped[str] = mapped_column(String(6), index=True)
    name: Mapped[str] = mapped_column(String(100))
    community_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
