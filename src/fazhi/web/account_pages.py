"""The signed-in user's own sign-in security: the optional second factor (TOTP) for admins
and leaders. The secret and its QR code are shown once, on the page that creates them."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from sqlalchemy import select

from fazhi.actions.totp import (
    check_confirm_enrolment,
    check_start_enrolment,
    may_enrol,
    provisioning_uri,
    qr_svg,
)
from fazhi.domain.errors import DomainError
from fazhi.http.deps import Work
from fazhi.store.models import User
from fazhi.web.console import page_work, redirect, render

router = APIRouter(include_in_schema=False)


def _page(
    request: Request,
    w: Work,
    enrolment: dict[str, str] | None = None,
    error: str = "",
    status_code: int = 200,
) -> Response:
    user = w.session.scalar(
        select(User).where(User.region_code == w.actor.region_code, User.id == w.actor.user_id)
    )
    return render(
        request,
        "account.html",
        {
            "may_enrol": may_enrol(w.actor),
            "active": bool(user and user.totp_active),
            "enrolment": enrolment,
            "error": error,
            "done": request.query_params.get("done", ""),
        },
        w,
        status_code=status_code,
    )


@router.get("/account")
def account_page(request: Request) -> Response:
    with page_work(request) as w:
        return _page(request, w)


@router.post("/account/totp/start")
def start_totp_page(request: Request) -> Response:
    # A sync route (a worker thread): it takes the writer's turn.
    with request.app.state.platform.writing(), page_work(request) as w:
        try:
            secret = check_start_enrolment(w.session, w.ctx)
        except DomainError as exc:
            return _page(request, w, error=exc.message, status_code=exc.status)
        uri = provisioning_uri(secret, w.actor.username)
        # Shown on this answer only: the stored copy is sealed and never shown again.
        return _page(request, w, {"secret": secret, "qr": qr_svg(uri)})


@router.post("/account/totp/confirm")
def confirm_totp_page(request: Request, otp: str = Form("")) -> Response:
    with request.app.state.platform.writing(), page_work(request) as w:
        try:
            with w.session.begin_nested():
                check_confirm_enrolment(w.session, w.ctx, otp.strip())
        except DomainError as exc:
            return _page(request, w, error=exc.message, status_code=exc.status)
    return redirect(request, "/account?done=totp_enrolled")
