"""Sign-in, sign-out and the front door of the console."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from fazhi.actions.auth import login, logout
from fazhi.domain.errors import DomainError
from fazhi.http.deps import TOKEN_COOKIE, platform_of
from fazhi.http.transport import is_https
from fazhi.store.db import transaction
from fazhi.web.console import LoginRequired, console_of, home, page_work, render

router = APIRouter(include_in_schema=False)


def _safe_next(target: str) -> str:
    """Only paths on this site: never an open redirect."""
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return ""


@router.get("/")
def front(request: Request) -> Response:
    try:
        with page_work(request) as w:
            return RedirectResponse(home(request, w), status_code=303)
    except LoginRequired:
        return RedirectResponse("/login", status_code=303)


@router.get("/login")
def login_page(request: Request, next: str = "", reason: str = "") -> Response:
    return render(
        request,
        "login.html",
        {"next_path": _safe_next(next), "reason": reason, "username": "", "errors": {}},
    )


@router.post("/login")
def login_submit(
    request: Request,
    username: str = Form(""),
    password: str = Form(""),
    next: str = Form(""),
    otp: str = Form(""),
) -> Response:
    # A sync route: FastAPI runs it in a worker thread, where login() may hash.
    errors = {}
    status = 422
    if not username.strip():
        errors["username"] = "请填写用户名"
    if not password:
        errors["password"] = "请填写密码"
    platform = platform_of(request)
    if not errors:
        try:
            address = request.client.host if request.client else ""
            issued = login(platform, username, password, address, otp or None)
        except DomainError as exc:
            errors["otp" if exc.field == "otp" else "password"] = exc.message
            status = 429 if exc.status in (429, 503) else 422
    if errors:
        return render(
            request,
            "login.html",
            {
                "next_path": _safe_next(next),
                "reason": "",
                "username": username[:64],
                "errors": errors,
                "ask_otp": "otp" in errors,
            },
            status_code=status,
        )
    actor = issued.actor
    target = _safe_next(next) or console_of(request).landing_for(
        actor.roles, actor.unit.kind, platform.roles
    )
    response = RedirectResponse(target, status_code=303)
    max_age = int((issued.expires_at - platform.now()).total_seconds())
    response.set_cookie(
        TOKEN_COOKIE,
        issued.token,
        max_age=max_age,
        httponly=True,
        samesite="lax",
        path="/",
        secure=is_https(request.scope, platform.settings),
    )
    return response


@router.post("/logout")
def logout_submit(request: Request) -> Response:
    token = request.cookies.get(TOKEN_COOKIE)
    platform = platform_of(request)
    if token:
        with platform.writing(), transaction(platform.sessions) as session:
            logout(session, platform, token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(
        TOKEN_COOKIE, path="/", secure=is_https(request.scope, platform.settings), httponly=True
    )
    return response
