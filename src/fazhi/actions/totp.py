"""The optional second factor: time-based one-time codes (RFC 6238) for admins and leaders.

A user of such a role enrols from the console (fazhi.web.account_pages): the page shows a
new secret and its QR code once, the user confirms with a code, and from then on every
sign-in needs a current code, each accepted once. An admin may reset it (logged).

The secret is stored sealed with the server secret (fazhi.store.secret): XOR with an
HMAC-SHA256 keystream under a random nonce, and an HMAC tag, so a copy of the database
alone reveals no secret and a tampered value is refused."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import datetime
from typing import TYPE_CHECKING

import pyotp
from sqlalchemy.orm import Session

from fazhi.actions.admin.common import record, require_admin
from fazhi.actions.context import ActionContext
from fazhi.domain.errors import DomainError, not_found
from fazhi.store.models import User

if TYPE_CHECKING:
    from fazhi.actions.platform import Platform
    from fazhi.domain.units import Actor

ISSUER = "法治平台"
STEP = 30


def may_enrol(actor: Actor) -> bool:
    """Admins and leaders (roles `admin` and `*_leader`) may protect their sign-in."""
    return any(r == "admin" or r.endswith("_leader") for r in actor.roles)


def _keys(platform: Platform) -> tuple[bytes, bytes]:
    root = platform.secret
    return (
        hmac.new(root, b"fazhi-totp-seal", hashlib.sha256).digest(),
        hmac.new(root, b"fazhi-totp-tag", hashlib.sha256).digest(),
    )


def seal(platform: Platform, secret: str) -> str:
    enc, tag_key = _keys(platform)
    nonce = secrets.token_bytes(16)
    plain = secret.encode()
    stream = b""
    counter = 0
    while len(stream) < len(plain):
        stream += hmac.new(enc, nonce + counter.to_bytes(4, "big"), hashlib.sha256).digest()
        counter += 1
    body = nonce + bytes(a ^ b for a, b in zip(plain, stream, strict=False))
    tag = hmac.new(tag_key, body, hashlib.sha256).digest()[:16]
    return "v1:" + base64.urlsafe_b64encode(body + tag).decode()


def unseal(platform: Platform, sealed: str) -> str:
    enc, tag_key = _keys(platform)
    if not sealed.startswith("v1:"):
        raise ValueError("unknown seal")
    raw = base64.urlsafe_b64decode(sealed[3:])
    body, tag = raw[:-16], raw[-16:]
    if not hmac.compare_digest(hmac.new(tag_key, body, hashlib.sha256).digest()[:16], tag):
        raise ValueError("seal does not verify (another server secret?)")
    nonce, cipher = body[:16], body[16:]
    stream = b""
    counter = 0
    while len(stream) < len(cipher):
        stream += hmac.new(enc, nonce + counter.to_bytes(4, "big"), hashlib.sha256).digest()
        counter += 1
    return bytes(a ^ b for a, b in zip(cipher, stream, strict=False)).decode()


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, username: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """The otpauth URI as an inline SVG QR code, drawn here (no script, no outside site)."""
    import io

    import segno

    out = io.BytesIO()
    segno.make(uri, error="m").save(out, kind="svg", scale=4, xmldecl=False, svgns=True)
    return out.getvalue().decode()


def totp_step(
    platform: Platform, sealed: str | None, code: str, now: datetime, last_step: int | None
) -> int | None:
    """The time step `code` is valid for (now, or one step either side for clock drift),
    if it is later than the last one used; else None."""
    if not sealed or not code.isascii() or not code.isdigit() or len(code) != 6:
        return None
    try:
        secret = unseal(platform, sealed)
    except ValueError:
        return None
    otp = pyotp.TOTP(secret)
    current = int(now.timestamp()) // STEP
    for step in (current - 1, current, current + 1):
        if last_step is not None and step <= last_step:
            continue
        if hmac.compare_digest(otp.generate_otp(step), code):
            return step
    return None


def check_code_format(code: str) -> None:
    if not (code.isascii() and code.isdigit() and len(code) == 6):
        raise DomainError("otp_invalid", "动态验证码为6位数字", 422, "otp")


# ---------------------------------------------------------------------------------------------
# Enrolment (the user) and reset (an admin)


def _own(session: Session, ctx: ActionContext) -> User:
    user = session.get(User, ctx.actor.user_id)
    if user is None:
        raise DomainError("unauthenticated", "请先登录", 401)
    return user


def check_start_enrolment(session: Session, ctx: ActionContext) -> str:
    """A new secret for the signed-in admin or leader, not yet in force: returned (to be
    shown once) and stored sealed; then the user confirms it with a code."""
    if not may_enrol(ctx.actor):
        raise DomainError("forbidden_role", "只有系统管理员和领导角色可以启用双因素认证", 403)
    user = _own(session, ctx)
    if user.totp_active:
        raise DomainError("otp_active", "已启用双因素认证；如需更换，请联系系统管理员重置", 409)
    secret = new_secret()
    user.totp_secret = seal(ctx.platform, secret)
    return secret


def check_confirm_enrolment(session: Session, ctx: ActionContext, code: str) -> User:
    """The code from the authenticator for the pending secret; then
    `do_confirm_enrolment`."""
    user = _own(session, ctx)
    if user.totp_active:
        raise DomainError("otp_active", "已启用双因素认证", 409)
    if not user.totp_secret:
        raise DomainError("otp_not_started", "请先生成密钥", 409)
    check_code_format(code)
    step = totp_step(ctx.platform, user.totp_secret, code, ctx.now, None)
    if step is None:
        raise DomainError("otp_invalid", "动态验证码错误，请核对手机时间后重试", 422, "otp")
    return do_confirm_enrolment(session, ctx, user, step)


def do_confirm_enrolment(session: Session, ctx: ActionContext, user: User, step: int) -> User:
    """Put the second factor in force and log it.

    Preconditions: `user` is the actor, with a pending secret that `step`'s code matched."""
    user.totp_active, user.totp_last_step = True, step
    record(session, ctx, "totp_enrolled", f"user:{user.username}", {})
    return user


def check_reset_totp(session: Session, ctx: ActionContext, user_id: int) -> User:
    """An admin removes a user's second factor (lost phone); then `do_reset_totp`."""
    require_admin(ctx)
    user = session.get(User, user_id)
    if user is None or user.region_code != ctx.actor.region_code:
        raise not_found("账号")
    return do_reset_totp(session, ctx, user)


def do_reset_totp(session: Session, ctx: ActionContext, user: User) -> User:
    """Clear the secret and log it; the user may enrol again.

    Preconditions: ctx.actor is an admin; `user` is of the actor's region."""
    was_active = user.totp_active
    user.totp_secret, user.totp_active, user.totp_last_step = None, False, None
    record(session, ctx, "totp_reset", f"user:{user.username}", {"was_active": was_active})
    return user
