"""The mobile terminal's side: binding a terminal to a subject, and taking its check-ins.

**Binding** (`do_bind_device`): an officer of the subject's office takes `bind_device` on the
case through the one door (so the trail names who handed which terminal over), a new secret
is drawn and only its sha256 kept; the previous terminal of the case is revoked. The secret
is answered once, to be entered on the terminal.

**A check-in** (`do_check_in`) is authenticated by the terminal (its id and secret, never a
person's sign-in): the platform looks up the case the terminal is bound to, judges the
position against the area of the day (the leave's temporary area on an approved leave, else
the permitted area; `fazhi.correction.geofence`) and whether it is late by the subject's
deadline, and takes the `check_in` system action as the platform's account — one event, which
closes the day's window of the repeating `daily_check_in` clock. A second check-in the same
day is refused by the clock (`window_already_met`, 409). The photo (a JPEG or PNG by its
magic number, at most 2 MB) is kept whole in the blob store the documents' files share
(`fazhi.actions.document_files.store_blob`, one row per sha256) and its digest in the event.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from fazhi.actions.cases import perform_action
from fazhi.actions.context import ActionContext
from fazhi.actions.document_files import store_blob
from fazhi.actions.platform import Platform
from fazhi.actions.system_account import system_actor_in
from fazhi.actions.visibility import load_visible_case
from fazhi.correction import geofence
from fazhi.correction.hooks import is_late
from fazhi.correction.photos import check_photo
from fazhi.correction.store import CorrectionDevice
from fazhi.domain.durations import local_date
from fazhi.domain.errors import DomainError, not_found
from fazhi.domain.units import Actor

TYPE = "community_correction"


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def do_bind_device(session: Session, ctx: ActionContext, case_id: int, device_id: str) -> str:
    """Bind `device_id` to the subject's case and answer its new secret (shown once).

    Preconditions: the caller's transaction is open; `bind_device` checks role, office and
    state, and refuses a terminal already bound to another subject (409)."""
    case = load_visible_case(session, ctx.actor, case_id)
    if case.type != TYPE:
        raise not_found("矫正对象")
    taken = session.scalar(
        select(CorrectionDevice).where(
            CorrectionDevice.region_code == ctx.actor.region_code,
            CorrectionDevice.device_id == device_id,
        )
    )
    if taken is not None and (taken.case_id != case_id and taken.revoked_at is None):
        raise DomainError(
            "device_in_use", "该终端已绑定其他矫正对象，请先解除绑定", 409, "device_id"
        )
    perform_action(session, ctx, case_id, "bind_device", {"device_id": device_id})
    session.execute(
        update(CorrectionDevice)
        .where(CorrectionDevice.case_id == case_id, CorrectionDevice.revoked_at.is_(None))
        .values(revoked_at=ctx.now)
    )
    token = secrets.token_urlsafe(32)
    if taken is not None:  # the same terminal bound again (a new secret) or re-issued
        taken.case_id, taken.token_digest, taken.revoked_at = case_id, token_digest(token), None
        taken.bound_by, taken.bound_at = ctx.actor.user_id, ctx.now
    else:
        session.add(
            CorrectionDevice(
                region_code=ctx.actor.region_code,
                device_id=device_id,
                case_id=case_id,
                token_digest=token_digest(token),
                bound_by=ctx.actor.user_id,
                bound_at=ctx.now,
            )
        )
    session.flush()
    return token


@dataclass(frozen=True)
class Device:
    """A bound terminal as authenticated: its row id and the subject's case."""

    id: int
    case_id: int


_DEVICE = select(
    CorrectionDevice.id,
    CorrectionDevice.case_id,
    CorrectionDevice.token_digest,
    CorrectionDevice.revoked_at,
).where(
    CorrectionDevice.region_code == bindparam("region"),
    CorrectionDevice.device_id == bindparam("device"),
)


def authenticate_device(session: Session, region_code: str, device_id: str, token: str) -> Device:
    """The bound terminal whose secret this is; 401 for an unknown, revoked or wrong one
    (one answer for all three, so a guess learns nothing)."""
    # Core, not the ORM: this runs on every check-in, and an ORM query would flush first.
    row = (
        session.connection().execute(_DEVICE, {"region": region_code, "device": device_id}).first()
    )
    expected = row.token_digest if row is not None else "0" * 64
    ok = hmac.compare_digest(expected, token_digest(token))
    if row is None or row.revoked_at is not None or not ok:
        raise DomainError("device_unauthenticated", "终端未绑定或密钥错误", 401)
    return Device(row.id, row.case_id)


@dataclass(frozen=True)
class Fix:
    """What the terminal sends: a position with its accuracy, and the photo taken."""

    lon: float
    lat: float
    accuracy_m: float
    photo: bytes | None = None


def area_of_day(fields: dict[str, Any], day: date) -> str | None:
    """The area a check-in of `day` is judged against: an approved leave's temporary area
    while the leave runs (none: no area check on that leave), else the permitted area."""
    start, end = fields.get("leave_from"), fields.get("leave_until")
    if start and end and str(start) <= day.isoformat() <= str(end):
        return fields.get("leave_area") or None
    return fields.get("area")


def judge(fields: dict[str, Any], fix: Fix, now: datetime) -> tuple[str, bool]:
    """(position result, late) of a check-in at `now`."""
    text = area_of_day(fields, local_date(now))
    if text is None:
        result = "inside" if fix.accuracy_m <= geofence.MAX_ACCURACY_M else "poor_accuracy"
    else:
        result = geofence.classify(geofence.parse_area(text), fix.lon, fix.lat, fix.accuracy_m)
    return result, is_late(fields, now)


def do_check_in(
    session: Session,
    platform: Platform,
    now: datetime,
    device_id: str,
    token: str,
    fix: Fix,
    account: Actor | None = None,
) -> dict[str, Any]:
    """Take one check-in of an authenticated terminal; answers what was recorded.

    Preconditions: the caller's transaction is open and holds the writer's turn; `account`,
    when given, is the platform's system account (a batch of check-ins looks it up once)."""
    device = authenticate_device(session, platform.region_code, device_id, token)
    system = ActionContext(platform, account or system_actor_in(session, platform), now)
    case = load_visible_case(session, system.actor, device.case_id)
    result, late = judge(dict(case.fields or {}), fix, now)
    inputs: dict[str, Any] = {
        "lat": fix.lat,
        "lon": fix.lon,
        "accuracy_m": fix.accuracy_m,
        "check_in_result": result,
        "check_in_late": late,
        "device_id": device_id,
    }
    photo = check_photo(fix.photo) if fix.photo else None
    if photo is not None:
        inputs["photo_digest"] = photo.sha256
    written = perform_action(session, system, case.id, "check_in", inputs)
    if photo is not None:  # the bytes beside the documents' files, shared by hash
        store_blob(session, photo)
    session.connection().execute(
        update(CorrectionDevice).where(CorrectionDevice.id == device.id).values(last_seen_at=now)
    )
    return {
        "case_id": written.id,
        "checked_in_at": now.isoformat(),
        "result": result,
        "late": late,
    }
