"""Login, logout and who-am-I."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from fazhi.actions.auth import login, logout
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


@router.post(
    "/auth/token",
    summary="登录，换取访问令牌",
    description="JSON `{username, password}` 或表单（OAuth2 password 流程）。",
)
async def token(request: Request) -> JSONResponse:
    content_type = request.headers.get("content-type", "")
    credentials: dict[str, Any]
    try:
        if "form" in content_type:
            credentials = dict(await request.form())
        else:
            credentials = await request.json()
    except ValueError:
        raise DomainError("invalid_json", "请求体应为 JSON 或表单", 400) from None
    if not isinstance(credentials, dict):
        raise DomainError("invalid_json", "请求体应为对象", 400)
    username = credentials.get("username")
    password = credentials.get("password")
    if not isinstance(username, str) or not username.strip():
        raise DomainError("required", "请填写用户名", 422, "username")
    if not isinstance(password, str) or not password:
        raise DomainError("required", "请填写密码", 422, "password")
    platform = platform_of(request)

    def locked() -> JSONResponse:
        with platform.writing(), transaction(platform.sessions) as session:
            issued = login(session, platform, username.strip(), password, platform.now())
        return JSONResponse(
            {
                "access_token": issued.token,
                "token_type": "bearer",
                "expires_at": local_iso(issued.expires_at),
                "user": actor_json(issued.actor),
            }
        )

    return await run_in_threadpool(locked)


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
