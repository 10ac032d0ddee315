"""Login, logout and who-am-I."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

import orjson
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from fazhi.actions.auth import MAX_PASSWORD, check_password_length, login, logout
from fazhi.catalog.roles import default_roles
from fazhi.domain.errors import DomainError
from fazhi.domain.units import Actor
from fazhi.http.deps import TOKEN_COOKIE, platform_of, token_of, work
from fazhi.read.presenters import local_iso
from fazhi.store.db import transaction

router = APIRouter(prefix="/api/v1", tags=["认证"])


def actor_json(actor: Actor) -> dict[str, Any]:
    return {
        "id": actor.user_id,
        "username": actor.username,
        "name": actor.name,
        "role": actor.role,
        "role_label": default_roles().label(actor.role),
        "roles": [{"id": r, "label": default_roles().label(r)} for r in actor.roles],
        "unit": actor.unit.brief(),
        "region_code": actor.region_code,
    }


# A sign-in body is a name and a password of at most 64 and 128 characters; anything much
# larger is refused before it is read whole, let alone parsed or hashed.
MAX_BODY = 16 * 1024


async def _body(request: Request) -> bytes:
    too_long = DomainError("password_too_long", f"密码不能超过{MAX_PASSWORD}位", 422, "password")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY:
        raise too_long
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            raise too_long
        chunks.append(chunk)
    return b"".join(chunks)


async def _credentials(request: Request, body: bytes) -> dict[str, Any]:
    content_type = request.headers.get("content-type", "")
    try:
        if "multipart" in content_type:
            request._body = body  # what Request.form() reads (Starlette keeps it there)
            return {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
        if "form" in content_type:
            return dict(parse_qsl(body.decode(), keep_blank_values=True))
        credentials = orjson.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise DomainError("invalid_json", "请求体应为 JSON 或表单", 400) from None
    if not isinstance(credentials, dict):
        raise DomainError("invalid_json", "请求体应为对象", 400)
    return credentials


def client_address(request: Request) -> str:
    return request.client.host if request.client else ""


@router.post(
    "/auth/token",
    summary="登录，换取访问令牌",
    description=(
        "JSON `{username, password[, otp]}` 或表单（OAuth2 password 流程）。"
        "已启用双因素认证的账号须带 `otp`（6位动态验证码）。"
        "连续失败会临时锁定账号（429 `account_locked`），同一地址失败过多也会被限制"
        "（429 `too_many_attempts`），均带 Retry-After。"
    ),
)
async def token(request: Request) -> JSONResponse:
    credentials = await _credentials(request, await _body(request))
    username = credentials.get("username")
    password = credentials.get("password")
    otp = credentials.get("otp")
    if not isinstance(username, str) or not username.strip():
        raise DomainError("required", "请填写用户名", 422, "username")
    if not isinstance(password, str) or not password:
        raise DomainError("required", "请填写密码", 422, "password")
    if otp is not None and not isinstance(otp, str):
        raise DomainError("otp_invalid", "动态验证码为6位数字", 422, "otp")
    check_password_length(password)
    platform = platform_of(request)
    address = client_address(request)
    # In a worker thread: the password check hashes (actions.auth.hashing).
    issued = await run_in_threadpool(login, platform, username, password, address, otp)
    return JSONResponse(
        {
            "access_token": issued.token,
            "token_type": "bearer",
            "expires_at": local_iso(issued.expires_at),
            "user": actor_json(issued.actor),
        }
    )


@router.post("/auth/logout", summary="退出登录（令牌立即失效）")
def do_logout(request: Request) -> JSONResponse:
    platform = platform_of(request)
    token_value = token_of(request)
    with platform.writing(), transaction(platform.sessions) as session:
        logout(session, platform, token_value)
    response = JSONResponse({"ok": True})
    response.delete_cookie(TOKEN_COOKIE)
    return response


@router.get("/me", summary="当前用户")
def me(request: Request) -> dict[str, Any]:
    with work(request) as w:
        return actor_json(w.actor)
